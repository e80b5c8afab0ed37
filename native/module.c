/*
 * N-API entry point: warp(mode, src[], out[], alpha, cx, cy, params, all, unified, density, band[])
 * runs one kernel call of kernels.ts natively. Returns true when it ran, false when this
 * combination is not handled here (the caller then runs the TypeScript loop). Arguments are
 * checked for type and size: a mismatch throws a TypeError instead of touching memory.
 *
 * params (Float64Array): tw, winX, winY, W, H, dstX, dstY, dstW, dstH, isInt, lo, hi,
 * scaleX, scaleY, masked.
 */
#include <node_api.h>
#include <string.h>
#include "kernels.h"
#include "pixels.h"

#define CHECK(call) do { if ((call) != napi_ok) return fail(env, "native call failed: " #call); } while (0)

static napi_value fail(napi_env env, const char *msg) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_type_error(env, NULL, msg);
  return NULL;
}

static int is_undefined(napi_env env, napi_value v) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return 1;
  return t == napi_undefined || t == napi_null;
}

/* A typed array's element type, data and length; -1 when v is not a typed array. */
static int typed(napi_env env, napi_value v, napi_typedarray_type *type, void **data, size_t *length) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return -1;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, type, length, data, &ab, &offset) != napi_ok) return -1;
  return 0;
}

static int tw_type_of(napi_typedarray_type t, tw_type *out) {
  switch (t) {
    case napi_uint8_array: *out = TW_U8; return 0;
    case napi_int8_array: *out = TW_I8; return 0;
    case napi_uint16_array: *out = TW_U16; return 0;
    case napi_int16_array: *out = TW_I16; return 0;
    case napi_uint32_array: *out = TW_U32; return 0;
    case napi_int32_array: *out = TW_I32; return 0;
    case napi_float32_array: *out = TW_F32; return 0;
    case napi_float64_array: *out = TW_F64; return 0;
    default: return -1;
  }
}

/* Fetches exactly `n` arguments into argv; 0 when they are there, else throws and returns -1. */
static int args(napi_env env, napi_callback_info info, size_t n, napi_value *argv, const char *what) {
  size_t argc = n;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < n) {
    fail(env, what);
    return -1;
  }
  return 0;
}

static napi_value boolean(napi_env env, bool b) {
  napi_value v;
  napi_get_boolean(env, b, &v);
  return v;
}

static napi_value warp(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  if (args(env, info, 11, argv, "warp: 11 arguments expected")) return NULL;

  int32_t mode;
  CHECK(napi_get_value_int32(env, argv[0], &mode));
  if (mode < TW_NEAREST || mode > TW_GENERIC_CUBIC) return boolean(env, false);

  napi_typedarray_type at;
  void *data;
  size_t len;
  double *p;
  size_t plen;
  if (typed(env, argv[6], &at, (void **)&p, &plen) || at != napi_float64_array || plen < 15) return fail(env, "warp: params must be a Float64Array(15)");

  tw_job k;
  memset(&k, 0, sizeof k);
  k.tw = (int)p[0]; k.winX = p[1]; k.winY = p[2]; k.W = (int)p[3]; k.H = (int)p[4];
  k.dstX = (int)p[5]; k.dstY = (int)p[6]; k.dstW = (int)p[7]; k.dstH = (int)p[8];
  k.isInt = p[9] != 0; k.lo = p[10]; k.hi = p[11]; k.scaleX = p[12]; k.scaleY = p[13]; k.masked = p[14] != 0;
  if (k.tw <= 0 || k.W <= 0 || k.H <= 0 || k.dstX < 0 || k.dstY < 0 || k.dstW < 0 || k.dstH < 0 || k.dstX + k.dstW > k.tw) return fail(env, "warp: bad geometry");
  const size_t winN = (size_t)k.W * (size_t)k.H;

  /* coordinates and alpha cover the whole tile: tw x th */
  size_t cxl, cyl, al;
  if (typed(env, argv[4], &at, &data, &cxl) || at != napi_float64_array) return fail(env, "warp: cx must be a Float64Array");
  k.cx = data;
  if (typed(env, argv[5], &at, &data, &cyl) || at != napi_float64_array || cyl != cxl) return fail(env, "warp: cy must be a Float64Array like cx");
  k.cy = data;
  if (typed(env, argv[3], &at, &data, &al) || at != napi_uint8_array || al != cxl) return fail(env, "warp: alpha must be a Uint8Array of the tile's size");
  k.alpha = data;
  if ((size_t)(k.dstY + k.dstH) * (size_t)k.tw > cxl) return fail(env, "warp: destination rectangle outside the tile");

  uint32_t nb, nbo;
  CHECK(napi_get_array_length(env, argv[1], &nb));
  CHECK(napi_get_array_length(env, argv[2], &nbo));
  if (nb != nbo) return fail(env, "warp: src and out band counts differ");
  if (nb == 0 || nb > TW_MAX_BANDS) return boolean(env, false);
  k.nb = (int)nb;
  for (uint32_t b = 0; b < nb; b++) {
    napi_value v;
    tw_type t;
    CHECK(napi_get_element(env, argv[1], b, &v));
    if (typed(env, v, &at, &data, &len) || tw_type_of(at, &t) || len != winN) return fail(env, "warp: each src band must be a typed array of the window's size");
    if (b == 0) k.type = t;
    else if (t != k.type) return boolean(env, false);
    k.src[b] = data;
    CHECK(napi_get_element(env, argv[2], b, &v));
    if (typed(env, v, &at, &data, &len) || tw_type_of(at, &t) || len != cxl) return fail(env, "warp: each out band must be a typed array of the tile's size");
    if (t != k.type) return boolean(env, false);
    k.out[b] = data;
  }

  if (!is_undefined(env, argv[7])) {
    if (typed(env, argv[7], &at, &data, &len) || at != napi_uint8_array || len != winN) return fail(env, "warp: all must be a Uint8Array of the window's size");
    k.all = data;
  }
  if (!is_undefined(env, argv[8])) {
    if (typed(env, argv[8], &at, &data, &len) || at != napi_uint8_array || len != winN) return fail(env, "warp: unified must be a Uint8Array of the window's size");
    k.unified = data;
  }
  if (!is_undefined(env, argv[9])) {
    if (typed(env, argv[9], &at, &data, &len) || at != napi_float32_array || len != winN) return fail(env, "warp: density must be a Float32Array of the window's size");
    k.density = data;
  }
  if (!is_undefined(env, argv[10])) {
    uint32_t n;
    CHECK(napi_get_array_length(env, argv[10], &n));
    for (uint32_t b = 0; b < n && b < nb; b++) {
      napi_value v;
      CHECK(napi_get_element(env, argv[10], b, &v));
      if (is_undefined(env, v)) continue;
      if (typed(env, v, &at, &data, &len) || at != napi_uint8_array || len != winN) return fail(env, "warp: band masks must be Uint8Arrays of the window's size");
      k.band[b] = data;
    }
  }
  if (k.masked && mode != TW_NEAREST && !k.all) return fail(env, "warp: a masked interpolating kernel needs all");

  return boolean(env, tw_run(&k, (tw_mode)mode) == 0);
}

static int optional_u8(napi_env env, napi_value v, uint8_t **data, size_t *len) {
  napi_typedarray_type at;
  *data = NULL; *len = 0;
  if (is_undefined(env, v)) return 0;
  if (typed(env, v, &at, (void **)data, len) || at != napi_uint8_array) return -1;
  return 0;
}

static size_t lut_size(tw_type t) {
  return t == TW_U8 || t == TW_I8 ? 256 : t == TW_U16 || t == TW_I16 ? 65536 : 0;
}

/* styleBand(out, channel, src, lut, offset, lo, span, palette) -> handled */
static napi_value style_band(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  if (args(env, info, 8, argv, "styleBand: 8 arguments expected")) return NULL;
  napi_typedarray_type at;
  uint8_t *out, *lut, *palette;
  void *src;
  size_t outLen, n, lutLen, palLen;
  int32_t channel, offset;
  double lo, span;
  tw_type t;
  if (optional_u8(env, argv[0], &out, &outLen) || !out) return fail(env, "styleBand: out must be a Uint8Array");
  CHECK(napi_get_value_int32(env, argv[1], &channel));
  if (typed(env, argv[2], &at, &src, &n) || tw_type_of(at, &t)) return fail(env, "styleBand: src must be a typed array");
  if (optional_u8(env, argv[3], &lut, &lutLen)) return fail(env, "styleBand: lut must be a Uint8Array");
  CHECK(napi_get_value_int32(env, argv[4], &offset));
  CHECK(napi_get_value_double(env, argv[5], &lo));
  CHECK(napi_get_value_double(env, argv[6], &span));
  if (optional_u8(env, argv[7], &palette, &palLen)) return fail(env, "styleBand: palette must be a Uint8Array");
  if (outLen != 4 * n || channel < 0 || channel > 2) return fail(env, "styleBand: out must hold 4 bytes per sample, channel 0..2");
  if (palette && palLen < 1024) return fail(env, "styleBand: a palette has 256 RGBA entries");
  if (lut) {
    /* every value + offset must index the table */
    const size_t need = lut_size(t);
    if (!need || lutLen < need) return boolean(env, false);
    if ((t == TW_U8 || t == TW_U16) && offset != 0) return fail(env, "styleBand: unsigned data takes offset 0");
    if (t == TW_I8 && offset != 128) return fail(env, "styleBand: int8 data takes offset 128");
    if (t == TW_I16 && offset != 32768) return fail(env, "styleBand: int16 data takes offset 32768");
  }
  return boolean(env, tw_style_band(out, n, channel, t, src, lut, offset, lo, span, palette) == 0);
}

/* styleAlpha(out, alpha) */
static napi_value style_alpha(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (args(env, info, 2, argv, "styleAlpha: 2 arguments expected")) return NULL;
  uint8_t *out, *alpha;
  size_t outLen, n;
  if (optional_u8(env, argv[0], &out, &outLen) || !out || optional_u8(env, argv[1], &alpha, &n) || !alpha || outLen != 4 * n) {
    return fail(env, "styleAlpha: out (4n bytes) and alpha (n bytes) must be Uint8Arrays");
  }
  tw_style_alpha(out, alpha, n);
  return NULL;
}

/* pngFilterUp(rgba, width, height, channels, filtered) */
static napi_value png_filter_up(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (args(env, info, 5, argv, "pngFilterUp: 5 arguments expected")) return NULL;
  uint8_t *rgba, *filtered;
  size_t n, fn;
  int32_t width, height, channels;
  CHECK(napi_get_value_int32(env, argv[1], &width));
  CHECK(napi_get_value_int32(env, argv[2], &height));
  CHECK(napi_get_value_int32(env, argv[3], &channels));
  if (optional_u8(env, argv[0], &rgba, &n) || !rgba || optional_u8(env, argv[4], &filtered, &fn) || !filtered) return fail(env, "pngFilterUp: rgba and filtered must be Uint8Arrays");
  if (width <= 0 || height <= 0 || (channels != 3 && channels != 4)) return fail(env, "pngFilterUp: bad size or channels");
  if (n != (size_t)width * height * 4 || fn != ((size_t)width * channels + 1) * height) return fail(env, "pngFilterUp: array sizes do not match the image");
  tw_png_filter_up(rgba, width, height, channels, filtered);
  return NULL;
}

/* rgbaOpaque(rgba) -> boolean */
static napi_value rgba_opaque(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (args(env, info, 1, argv, "rgbaOpaque: 1 argument expected")) return NULL;
  uint8_t *rgba;
  size_t n;
  if (optional_u8(env, argv[0], &rgba, &n) || !rgba) return fail(env, "rgbaOpaque: a Uint8Array expected");
  return boolean(env, tw_rgba_opaque(rgba, n) != 0);
}

/* affineCoords(W, H, dst6, srcInverse6, xs, ys) */
static napi_value affine_coords(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (args(env, info, 6, argv, "affineCoords: 6 arguments expected")) return NULL;
  int32_t W, H;
  CHECK(napi_get_value_int32(env, argv[0], &W));
  CHECK(napi_get_value_int32(env, argv[1], &H));
  napi_typedarray_type at;
  double *d, *s, *xs, *ys;
  size_t dl, sl, xl, yl;
  if (typed(env, argv[2], &at, (void **)&d, &dl) || at != napi_float64_array || dl < 6
      || typed(env, argv[3], &at, (void **)&s, &sl) || at != napi_float64_array || sl < 6
      || typed(env, argv[4], &at, (void **)&xs, &xl) || at != napi_float64_array
      || typed(env, argv[5], &at, (void **)&ys, &yl) || at != napi_float64_array) return fail(env, "affineCoords: Float64Arrays expected");
  if (W <= 0 || H <= 0 || xl != (size_t)W * H || yl != xl) return fail(env, "affineCoords: xs and ys must hold W*H values");
  tw_affine_coords(W, H, d, s, xs, ys);
  return NULL;
}

/* interpolateCell(xs, ys, exactDone, W, c0, c1, r0, r1, corners Float64Array(8)) */
static napi_value interpolate_cell(napi_env env, napi_callback_info info) {
  napi_value argv[9];
  if (args(env, info, 9, argv, "interpolateCell: 9 arguments expected")) return NULL;
  napi_typedarray_type at;
  double *xs, *ys, *k;
  uint8_t *done;
  size_t xl, yl, dl, kl;
  int32_t v[5];
  for (int i = 0; i < 5; i++) CHECK(napi_get_value_int32(env, argv[3 + i], &v[i]));
  const int32_t W = v[0], c0 = v[1], c1 = v[2], r0 = v[3], r1 = v[4];
  if (typed(env, argv[0], &at, (void **)&xs, &xl) || at != napi_float64_array
      || typed(env, argv[1], &at, (void **)&ys, &yl) || at != napi_float64_array || yl != xl
      || optional_u8(env, argv[2], &done, &dl) || !done || dl != xl
      || typed(env, argv[8], &at, (void **)&k, &kl) || at != napi_float64_array || kl < 8) return fail(env, "interpolateCell: xs, ys (Float64Array), exactDone (Uint8Array) of one size and 8 corner values");
  if (W <= 0 || c0 < 0 || r0 < 0 || c1 <= c0 || r1 <= r0 || c1 >= W || (size_t)(r1 + 1) * (size_t)W > xl) return fail(env, "interpolateCell: cell outside the map");
  tw_interpolate_cell(xs, ys, done, W, c0, c1, r0, r1, k);
  return NULL;
}

NAPI_MODULE_INIT() {
  const napi_property_descriptor fns[] = {
    { "warp", NULL, warp, NULL, NULL, NULL, napi_default, NULL },
    { "styleBand", NULL, style_band, NULL, NULL, NULL, napi_default, NULL },
    { "styleAlpha", NULL, style_alpha, NULL, NULL, NULL, napi_default, NULL },
    { "pngFilterUp", NULL, png_filter_up, NULL, NULL, NULL, napi_default, NULL },
    { "rgbaOpaque", NULL, rgba_opaque, NULL, NULL, NULL, napi_default, NULL },
    { "affineCoords", NULL, affine_coords, NULL, NULL, NULL, napi_default, NULL },
    { "interpolateCell", NULL, interpolate_cell, NULL, NULL, NULL, napi_default, NULL },
  };
  if (napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns) != napi_ok) return NULL;
  return exports;
}
