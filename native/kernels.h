/*
 * Native twins of the hottest loops of src/tiling/warp/kernels.ts. The TypeScript code is
 * the reference: every function here performs the same double-precision arithmetic in the
 * same order (compiled with -ffp-contract=off, no fast-math), so a tile is byte-identical
 * whichever implementation draws it (test/tiling/native.test.ts checks it on the corpus).
 */
#ifndef TILEWRIGHT_KERNELS_H
#define TILEWRIGHT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#define TW_MAX_BANDS 64

typedef enum { TW_U8, TW_I8, TW_U16, TW_I16, TW_U32, TW_I32, TW_F32, TW_F64 } tw_type;

typedef enum { TW_NEAREST = 0, TW_BILINEAR4 = 1, TW_GENERIC_BILINEAR = 2, TW_GENERIC_CUBIC = 3 } tw_mode;

typedef struct {
  tw_type type;             /* sample type of every source and output band */
  int nb;                   /* colour bands */
  const void *src[TW_MAX_BANDS];
  void *out[TW_MAX_BANDS];
  /* per-band validity (kernels.ts Masks.band; for nearest: Validity.bands); NULL = all valid */
  const uint8_t *band[TW_MAX_BANDS];
  uint8_t *alpha;
  const double *cx, *cy;    /* coordinate map, tw pixels per row */
  int tw;
  double winX, winY;
  int W, H;                 /* read window size */
  int dstX, dstY, dstW, dstH;
  int isInt;
  double lo, hi;            /* clamp range for integer outputs */
  double scaleX, scaleY;
  int masked;
  const uint8_t *all, *unified;
  const float *density;
} tw_job;

/* Runs one kernel; returns 0 on success, -1 when the mode is not implemented natively. */
int tw_run(const tw_job *k, tw_mode mode);

#endif
