/* Native kernels: shared helpers (kernels.ts namesakes), then the loops once per sample type. */
#include <math.h>
#include <stdlib.h>
#include "kernels.h"

#define SRC_T 1e-9
#define BAND_T 1e-10

static inline long lmax(long a, long b) { return a > b ? a : b; }
static inline long lmin(long a, long b) { return a < b ? a : b; }

/* kernels.ts bilinearW() and cubicW() */
static inline double bilinear_w(double t) {
  const double a = fabs(t);
  return a <= 1 ? 1 - a : 0;
}
static inline double cubic_w(double t) {
  const double a = fabs(t), t2 = t * t;
  if (a <= 1) return t2 * (1.5 * a - 2.5) + 1;
  if (a <= 2) return t2 * (-0.5 * a + 2.5) - 4 * a + 2;
  return 0;
}

/* kernels.ts alphaOf(): Math.trunc(Math.fround(Math.fround(d) * Math.fround(255.1))) */
static inline uint8_t alpha_of(double d) {
  const float p = (float)((double)(float)d * (double)255.1f);
  return (uint8_t)truncf(p);
}

/* kernels.ts centreDensity(): the centre pixel's density, -1 when it is invalid. */
static inline double centre_density(double x, double y, int W, int H, const uint8_t *unified, const float *density) {
  long ix = (long)trunc(x + 1e-10), iy = (long)trunc(y + 1e-10);
  if (ix >= W) ix = W - 1;
  if (iy >= H) iy = H - 1;
  const long c = iy * W + ix;
  if (unified && unified[c] == 0) return -1;
  if (!density) return 1;
  const double d = (double)density[c];
  return d < SRC_T ? -1 : d;
}

#define T uint8_t
#define SFX u8
#define IS_INT 1
#include "kernels_t.h"
#undef T
#undef SFX
#undef IS_INT

#define T int8_t
#define SFX i8
#define IS_INT 1
#include "kernels_t.h"
#undef T
#undef SFX
#undef IS_INT

#define T uint16_t
#define SFX u16
#define IS_INT 1
#include "kernels_t.h"
#undef T
#undef SFX
#undef IS_INT

#define T int16_t
#define SFX i16
#define IS_INT 1
#include "kernels_t.h"
#undef T
#undef SFX
#undef IS_INT

#define T uint32_t
#define SFX u32
#define IS_INT 1
#include "kernels_t.h"
#undef T
#undef SFX
#undef IS_INT

#define T int32_t
#define SFX i32
#define IS_INT 1
#include "kernels_t.h"
#undef T
#undef SFX
#undef IS_INT

#define T float
#define SFX f32
#define IS_INT 0
#include "kernels_t.h"
#undef T
#undef SFX
#undef IS_INT

#define T double
#define SFX f64
#define IS_INT 0
#include "kernels_t.h"
#undef T
#undef SFX
#undef IS_INT

int tw_run(const tw_job *k, tw_mode mode) {
  switch (k->type) {
    case TW_U8: return run_u8(k, mode);
    case TW_I8: return run_i8(k, mode);
    case TW_U16: return run_u16(k, mode);
    case TW_I16: return run_i16(k, mode);
    case TW_U32: return run_u32(k, mode);
    case TW_I32: return run_i32(k, mode);
    case TW_F32: return run_f32(k, mode);
    case TW_F64: return run_f64(k, mode);
  }
  return -1;
}
