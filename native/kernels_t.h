/*
 * Kernel loops for one sample type, included by kernels.c once per type with
 *   T      the C type of the samples,
 *   SFX    a name suffix,
 *   IS_INT 1 for integer types (outputs are clamped and rounded half up).
 * Each function mirrors the TypeScript function named in its comment, statement by
 * statement; keep them in step.
 */
#define TW_CAT2(a, b) a##_##b
#define TW_CAT(a, b) TW_CAT2(a, b)
#define FN(name) TW_CAT(name, SFX)

/* kernels.ts store() */
static inline int FN(store)(T *out, size_t i, double v, double bd, const tw_job *k) {
  if (bd < BAND_T) return 0;
  if (bd < 0.9999) {
    if (bd < 0.0001) return 1;
    v = (v * bd) / bd;
  }
#if IS_INT
  out[i] = (T)(v != v ? 0 : v < k->lo ? k->lo : v > k->hi ? k->hi : floor(v + 0.5));
#else
  out[i] = (T)v;
#endif
  return 1;
}

/* The interior store of the loops (no density): rounding only. */
static inline void FN(put)(T *out, size_t i, double v, const tw_job *k) {
#if IS_INT
  out[i] = (T)(v != v ? 0 : v < k->lo ? k->lo : v > k->hi ? k->hi : floor(v + 0.5));
#else
  out[i] = (T)v;
#endif
}

/* kernels.ts bilinear4EdgeNoMasks() */
static void FN(edge_nomasks)(const tw_job *k, double x, double y, double *vals) {
  const int W = k->W, H = k->H;
  const double ixd = floor(x - 0.5), iyd = floor(y - 0.5);
  const double rx = 1.5 - (x - ixd), ry = 1.5 - (y - iyd);
  const long ix = (long)ixd, iy = (long)iyd;
  const int in0 = ix >= 0 && ix < W, in1 = ix + 1 >= 0 && ix + 1 < W;
  const int jn0 = iy >= 0 && iy < H, jn1 = iy + 1 >= 0 && iy + 1 < H;
  const long o = iy * W + ix;
  for (int b = 0; b < k->nb; b++) {
    const T *a = (const T *)k->src[b];
    double acc = 0, div = 0;
    if (in0 && jn0) { const double w = rx * ry; div += w; acc += (double)a[o] * w; }
    if (in1 && jn0) { const double w = (1 - rx) * ry; div += w; acc += (double)a[o + 1] * w; }
    if (in1 && jn1) { const double w = (1 - rx) * (1 - ry); div += w; acc += (double)a[o + W + 1] * w; }
    if (in0 && jn1) { const double w = rx * (1 - ry); div += w; acc += (double)a[o + W] * w; }
    vals[b] = div < 1e-5 ? 0 : div == 1 ? acc : acc / div;
  }
}

/* kernels.ts bilinear4Masked() (the returned closure) */
static void FN(masked_taps)(const tw_job *k, double x, double y, double *vals, double *dens) {
  const int W = k->W, H = k->H;
  double ixd = floor(x - 0.5), iyd = floor(y - 0.5);
  double rx = 1.5 - (x - ixd), ry = 1.5 - (y - iyd);
  if (ixd == -1) { ixd = 0; rx = 1; }
  if (iyd == -1) { iyd = 0; ry = 1; }
  const long ix = (long)ixd, iy = (long)iyd;
  double tapW[4];
  long tapC[4];
  int tapIn[4];
  tapW[0] = rx * ry; tapW[1] = (1 - rx) * ry; tapW[2] = rx * (1 - ry); tapW[3] = (1 - rx) * (1 - ry);
  for (int t = 0; t < 4; t++) {
    const long cxx = ix + (t & 1), cyy = iy + (t >> 1);
    tapIn[t] = cxx >= 0 && cxx < W && cyy >= 0 && cyy < H;
    tapC[t] = cyy * W + cxx;
  }
  for (int b = 0; b < k->nb; b++) {
    const T *a = (const T *)k->src[b];
    const uint8_t *bv = k->band[b];
    double acc = 0, accD = 0, div = 0;
    for (int t = 0; t < 4; t++) {
      if (!tapIn[t]) continue;
      const long c = tapC[t];
      if (bv && bv[c] == 0) continue;
      const double d = k->density ? (double)k->density[c] : 1;
      if (d > SRC_T) { const double w = tapW[t]; div += w; acc += (double)a[c] * w; accD += d * w; }
    }
    if (div == 1) { dens[b] = accD; vals[b] = acc; }
    else if (div < 1e-5) { dens[b] = 0; vals[b] = 0; }
    else { dens[b] = accD / div; vals[b] = acc / div; }
  }
}

/* kernels.ts bilinear4Loop() */
static void FN(bilinear4)(const tw_job *k) {
  const int W = k->W, H = k->H, nb = k->nb, tw = k->tw;
  const double winX = k->winX, winY = k->winY, xMax = winX + W, yMax = winY + H;
  double vals[TW_MAX_BANDS], dens[TW_MAX_BANDS];
  const T *const *src = (const T *const *)k->src;
  T *const *out = (T *const *)k->out;
  const uint8_t *all = k->all;
  for (int row = k->dstY, y1 = k->dstY + k->dstH; row < y1; row++) {
    for (size_t i = (size_t)row * tw + k->dstX, e = i + k->dstW; i < e; i++) {
      const double X = k->cx[i], Y = k->cy[i];
      if (!(X >= winX && Y >= winY && X + 1e-10 <= xMax && Y + 1e-10 <= yMax)) continue;
      const double x = X - winX, y = Y - winY;
      double ixd = floor(x - 0.5), iyd = floor(y - 0.5);
      double rx = 1.5 - (x - ixd), ry = 1.5 - (y - iyd);
      if (!k->masked) {
        if (ixd >= 0 && ixd + 1 < W && iyd >= 0 && iyd + 1 < H) {
          const long o = (long)iyd * W + (long)ixd;
          const double rx1 = 1 - rx, ry1 = 1 - ry;
          for (int b = 0; b < nb; b++) {
            const T *a = src[b];
            const double v = ((double)a[o] * rx + (double)a[o + 1] * rx1) * ry + ((double)a[o + W] * rx + (double)a[o + W + 1] * rx1) * ry1;
            FN(put)(out[b], i, v, k);
          }
        } else {
          FN(edge_nomasks)(k, x, y, vals);
          for (int b = 0; b < nb; b++) FN(store)(out[b], i, vals[b], 1, k);
        }
        k->alpha[i] = 255;
        continue;
      }
      const double d = centre_density(x, y, W, H, k->unified, k->density);
      if (d < 0) continue;
      if (ixd == -1) { ixd = 0; rx = 1; }
      if (iyd == -1) { iyd = 0; ry = 1; }
      const long ix = (long)ixd, iy = (long)iyd;
      const long o = iy * W + ix;
      if (ix + 1 < W && iy + 1 < H && all[o] && all[o + 1] && all[o + W] && all[o + W + 1]) {
        const double w0 = rx * ry, w1 = (1 - rx) * ry, w2 = rx * (1 - ry), w3 = (1 - rx) * (1 - ry);
        const double div = w0 + w1 + w2 + w3;
        for (int b = 0; b < nb; b++) {
          const T *a = src[b];
          const double acc = (double)a[o] * w0 + (double)a[o + 1] * w1 + (double)a[o + W] * w2 + (double)a[o + W + 1] * w3;
          const double v = div == 1 ? acc : acc / div;
          FN(put)(out[b], i, v, k);
        }
        k->alpha[i] = d == 1 ? 255 : alpha_of(d);
        continue;
      }
      FN(masked_taps)(k, x, y, vals, dens);
      int found = 0;
      for (int b = 0; b < nb; b++) if (FN(store)(out[b], i, vals[b], dens[b], k)) found = 1;
      if (found) k->alpha[i] = d == 1 ? 255 : alpha_of(d);
    }
  }
}

/* kernels.ts genericLoop() for bilinear and cubic (Lanczos stays in TypeScript: its sin()
 * may differ from V8's in the last bit). The frame is forEachSample(). */
static int FN(generic)(const tw_job *k, int cubic) {
  const int W = k->W, H = k->H, nb = k->nb, tw = k->tw;
  const double xs = k->scaleX, ys = k->scaleY;
  const int R = cubic ? 2 : 1;
  const int xr = xs < 1 ? (int)ceil(R / xs) : R;
  const int yr = ys < 1 ? (int)ceil(R / ys) : R;
  const int fx0 = ((R + 1) % 2) - xr, fy0 = ((R + 1) % 2) - yr;
  double *wx = malloc(sizeof(double) * (size_t)(2 * xr + 2));
  double *wy = malloc(sizeof(double) * (size_t)(2 * yr + 2));
  if (!wx || !wy) { free(wx); free(wy); return -1; }
  const double sx = xs < 1 ? xs : 1, sy = ys < 1 ? ys : 1;
  double vals[TW_MAX_BANDS];
  const double winX = k->winX, winY = k->winY, xMax = winX + W, yMax = winY + H;
  const int checkCentre = k->unified != NULL || k->density != NULL;
  const T *const *src = (const T *const *)k->src;
  T *const *out = (T *const *)k->out;
  for (int row = k->dstY, y1 = k->dstY + k->dstH; row < y1; row++) {
    for (size_t i = (size_t)row * tw + k->dstX, e = i + k->dstW; i < e; i++) {
      const double X = k->cx[i], Y = k->cy[i];
      if (!(X >= winX && Y >= winY && X + 1e-10 <= xMax && Y + 1e-10 <= yMax)) continue;
      const double x = X - winX, y = Y - winY;
      const double d = checkCentre ? centre_density(x, y, W, H, k->unified, k->density) : 1;
      if (d < 0) continue;
      /* pixel(i, x, y) */
      const double ixd = floor(x - 0.5), iyd = floor(y - 0.5);
      const long ix = (long)ixd, iy = (long)iyd;
      const double dx = x - 0.5 - ixd, dy = y - 0.5 - iyd;
      long i0, i1, j0, j1;
      int found = 0;
      if (!k->masked) {
        if (ix >= W || iy >= H || xr > W || yr > H) {
          FN(edge_nomasks)(k, x, y, vals);
          for (int b = 0; b < nb; b++) FN(store)(out[b], i, vals[b], 1, k);
          k->alpha[i] = d == 1 ? 255 : alpha_of(d);
          continue;
        }
        i0 = lmax(1 - xr, -ix); i1 = lmin(xr, W - 1 - ix);
        j0 = lmax(1 - yr, -iy); j1 = lmin(yr, H - 1 - iy);
      } else {
        i0 = lmax(fx0, -ix); i1 = lmin(xr, W - 1 - ix);
        j0 = lmax(fy0, -iy); j1 = lmin(yr, H - 1 - iy);
      }
      double swx = 0, swy = 0;
      for (long t = i0; t <= i1; t++) swx += wx[t - i0] = cubic ? cubic_w((t - dx) * sx) : bilinear_w((t - dx) * sx);
      for (long t = j0; t <= j1; t++) swy += wy[t - j0] = cubic ? cubic_w((t - dy) * sy) : bilinear_w((t - dy) * sy);
      if (!k->masked) {
        const double sw = swx * swy;
        for (int b = 0; b < nb; b++) {
          const T *a = src[b];
          double acc = 0;
          for (long j = j0; j <= j1; j++) {
            const long rowo = (iy + j) * W + ix;
            double rv = 0;
            for (long t = i0; t <= i1; t++) rv += (double)a[rowo + t] * wx[t - i0];
            acc += rv * wy[j - j0];
          }
          FN(store)(out[b], i, acc / sw, 1, k);
        }
        k->alpha[i] = d == 1 ? 255 : alpha_of(d);
        continue;
      }
      for (int b = 0; b < nb; b++) {
        const T *a = src[b];
        const uint8_t *bv = k->band[b];
        double acc = 0, accD = 0, accW = 0;
        for (long j = j0; j <= j1; j++) {
          const long rowo = (iy + j) * W + ix;
          const double w1 = wy[j - j0];
          double la = 0, lw = 0, ld = 0;
          for (long t = i0; t <= i1; t++) {
            const long c = rowo + t;
            double dd = 1;
            if (!k->all[c]) {
              dd = bv && bv[c] == 0 ? 0 : k->density ? (double)k->density[c] : 1;
              if (dd < SRC_T) continue;
            }
            const double w2 = wx[t - i0];
            la += (double)a[c] * w2; lw += w2; ld += dd * w2;
          }
          acc += la * w1; accW += lw * w1; accD += ld * w1;
        }
        double v, bd;
        if (accW < 1e-6 || accD < 1e-6) continue;
        if (accW < 0.99999 || accW > 1.00001) { bd = accD / accW; v = acc / accW; }
        else { bd = accD; v = acc; }
        if (FN(store)(out[b], i, v, bd, k)) found = 1;
      }
      if (found) k->alpha[i] = d == 1 ? 255 : alpha_of(d);
    }
  }
  free(wx);
  free(wy);
  return 0;
}

/* kernels.ts nearestLoop() */
static void FN(nearest)(const tw_job *k) {
  const int W = k->W, H = k->H, nb = k->nb, tw = k->tw;
  const double winX = k->winX, winY = k->winY, xMax = winX + W, yMax = winY + H;
  const T *const *src = (const T *const *)k->src;
  T *const *out = (T *const *)k->out;
  int anyBand = 0;
  for (int b = 0; b < nb; b++) if (k->band[b]) anyBand = 1;
  for (int row = k->dstY, y1 = k->dstY + k->dstH; row < y1; row++) {
    for (size_t i = (size_t)row * tw + k->dstX, e = i + k->dstW; i < e; i++) {
      const double X = k->cx[i], Y = k->cy[i];
      if (!(X >= winX && Y >= winY && X + 1e-10 <= xMax && Y + 1e-10 <= yMax)) continue;
      long ix = (long)trunc(X - winX + 1e-10), iy = (long)trunc(Y - winY + 1e-10);
      if (ix >= W) ix = W - 1;
      if (iy >= H) iy = H - 1;
      const long c = iy * W + ix;
      if (k->unified && k->unified[c] == 0) continue;
      double d = 1;
      if (k->density) {
        d = (double)k->density[c];
        if (d < SRC_T) continue;
      }
      if (anyBand) {
        for (int b = 0; b < nb; b++) if (!k->band[b] || k->band[b][c] != 0) out[b][i] = src[b][c];
      } else {
        for (int b = 0; b < nb; b++) out[b][i] = src[b][c];
      }
      k->alpha[i] = d == 1 ? 255 : alpha_of(d);
    }
  }
}

static int FN(run)(const tw_job *k, tw_mode mode) {
  switch (mode) {
    case TW_NEAREST: FN(nearest)(k); return 0;
    case TW_BILINEAR4: FN(bilinear4)(k); return 0;
    case TW_GENERIC_BILINEAR: return FN(generic)(k, 0);
    case TW_GENERIC_CUBIC: return FN(generic)(k, 1);
  }
  return -1;
}

#undef FN
#undef TW_CAT
#undef TW_CAT2
