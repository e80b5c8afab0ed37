/* See pixels.h. Each function mirrors the TypeScript loop named in its comment. */
#include <math.h>
#include <string.h>
#include "pixels.h"

/* style.ts scale(): JavaScript's Math.round (half up) of the clamped value. */
static inline uint8_t scale_value(double v, double lo, double span) {
  const double s = ((v - lo) * 255) / span;
  if (s != s || s < 0) return 0;
  if (s > 255) return 255;
  /* Half up without a branch: the fraction is as good as random on real data, and a
   * mispredicted branch per pixel cost more than the division. */
  const double r = floor(s);
  return (uint8_t)((int)r + (s - r >= 0.5));
}

#define STYLE_LOOP(T)                                                                             \
  do {                                                                                            \
    const T *a = (const T *)src;                                                                  \
    if (palette) {                                                                                \
      for (size_t i = 0, o = 0; i < n; i++, o += 4) {                                             \
        const size_t v = 4 * (size_t)(lut ? lut[(long)a[i] + offset] : scale_value((double)a[i], lo, span)); \
        out[o] = palette[v]; out[o + 1] = palette[v + 1]; out[o + 2] = palette[v + 2];            \
      }                                                                                           \
    } else if (lut) {                                                                             \
      for (size_t i = 0, o = (size_t)channel; i < n; i++, o += 4) out[o] = lut[(long)a[i] + offset]; \
    } else {                                                                                      \
      for (size_t i = 0, o = (size_t)channel; i < n; i++, o += 4) out[o] = scale_value((double)a[i], lo, span); \
    }                                                                                             \
  } while (0)

/* style.ts applyStyle(), the loop of one selected band */
int tw_style_band(uint8_t *out, size_t n, int channel, tw_type type, const void *src,
                  const uint8_t *lut, int offset, double lo, double span, const uint8_t *palette) {
  switch (type) {
    case TW_U8: STYLE_LOOP(uint8_t); return 0;
    case TW_I8: STYLE_LOOP(int8_t); return 0;
    case TW_U16: STYLE_LOOP(uint16_t); return 0;
    case TW_I16: STYLE_LOOP(int16_t); return 0;
    case TW_U32: if (lut) return -1; STYLE_LOOP(uint32_t); return 0;
    case TW_I32: if (lut) return -1; STYLE_LOOP(int32_t); return 0;
    case TW_F32: if (lut) return -1; STYLE_LOOP(float); return 0;
    case TW_F64: if (lut) return -1; STYLE_LOOP(double); return 0;
  }
  return -1;
}

/* style.ts applyStyle(), the alpha loop */
void tw_style_alpha(uint8_t *out, const uint8_t *alpha, size_t n) {
  for (size_t i = 0, o = 0; i < n; i++, o += 4) {
    const uint8_t a = alpha[i];
    out[o + 3] = a;
    if (a == 0) out[o] = out[o + 1] = out[o + 2] = 0;
  }
}

/* png.ts encodePng(), the filter loop */
void tw_png_filter_up(const uint8_t *rgba, int width, int height, int channels, uint8_t *filtered) {
  const size_t stride = (size_t)width * channels, srcStride = (size_t)width * 4;
  for (int y = 0; y < height; y++) {
    uint8_t *f = filtered + (size_t)y * (stride + 1);
    const uint8_t *r = rgba + (size_t)y * srcStride;
    *f++ = 2;
    if (channels == 4) {
      if (y == 0) memcpy(f, r, srcStride);
      else for (size_t i = 0; i < srcStride; i++) f[i] = (uint8_t)(r[i] - r[i - srcStride]);
    } else if (y == 0) {
      for (int x = 0; x < width; x++, f += 3, r += 4) { f[0] = r[0]; f[1] = r[1]; f[2] = r[2]; }
    } else {
      for (int x = 0; x < width; x++, f += 3, r += 4) {
        f[0] = (uint8_t)(r[0] - r[-(long)srcStride]);
        f[1] = (uint8_t)(r[1] - r[1 - (long)srcStride]);
        f[2] = (uint8_t)(r[2] - r[2 - (long)srcStride]);
      }
    }
  }
}

/* encode.ts encodeRgba(), the opaque check */
int tw_rgba_opaque(const uint8_t *rgba, size_t n) {
  for (size_t i = 3; i < n; i += 4) if (rgba[i] != 255) return 0;
  return 1;
}

/* coords.ts buildCoordMap(), interpolate() */
void tw_interpolate_cell(double *xs, double *ys, const uint8_t *exactDone, int W, int c0, int c1, int r0, int r1,
                         const double *k) {
  const int dc = c1 - c0, dr = r1 - r0;
  for (int r = r0; r <= r1; r++) {
    const double fr = (double)(r - r0) / dr;
    const double lx = k[0] + (k[4] - k[0]) * fr, ly = k[1] + (k[5] - k[1]) * fr;
    const double rx = k[2] + (k[6] - k[2]) * fr, ry = k[3] + (k[7] - k[3]) * fr;
    const double sx = (rx - lx) / dc, sy = (ry - ly) / dc;
    size_t i = (size_t)r * W + c0;
    for (int c = 0; c <= dc; c++, i++) {
      if (exactDone[i]) continue;
      xs[i] = lx + sx * c;
      ys[i] = ly + sy * c;
    }
  }
}

/* coords.ts buildCoordMap(), affine case */
void tw_affine_coords(int W, int H, const double *d, const double *s, double *xs, double *ys) {
  for (int row = 0; row < H; row++) {
    const double v = row + 0.5;
    for (int col = 0; col < W; col++) {
      const double u = col + 0.5;
      const double X = d[0] + u * d[1] + v * d[2], Y = d[3] + u * d[4] + v * d[5];
      const size_t i = (size_t)row * W + col;
      xs[i] = s[0] + X * s[1] + Y * s[2];
      ys[i] = s[3] + X * s[4] + Y * s[5];
    }
  }
}
