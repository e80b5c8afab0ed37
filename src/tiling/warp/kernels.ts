/**
 * Resampling kernels, modelled on GDAL 3.6's warp kernel (alg/gdalwarpkernel.cpp) so that
 * tiles match `gdalwarp -et 0` to the pixel: the same sample point (destination pixel
 * centre), the same tap ranges and weights, the same fallbacks at window edges and
 * invalid pixels, the same rounding. Where GDAL has a fast path without masks that rounds
 * or clips differently, it is reproduced too ("NoMasks" below).
 *
 * One deliberate difference: GDAL's Lanczos ignores the sub-pixel offset when
 * downsampling (weights L(i*scale) precomputed per chunk), which shifts the image by up to
 * half a pixel; here Lanczos always uses L((i - dx) * scale).
 */
import type { SampleArray } from '../decode/types.js';
import type { CoordMap } from '../coords.js';
import type { DstRect, Resampling } from './plan.js';
import type { Validity } from './validity.js';

export interface KernelInput {
  /** Colour bands of the read window, row-major `winWidth * winHeight`. */
  src: readonly SampleArray[];
  winX: number;
  winY: number;
  winWidth: number;
  winHeight: number;
  validity: Validity;
  /** Destination pixel centres in level pixel coordinates (whole tile). */
  coords: CoordMap;
  /** The destination pixels this call writes (a chunk of the tile). */
  dst: DstRect;
  scaleX: number;
  scaleY: number;
  resampling: Resampling;
  /** Output bands (destination size) and validity alpha (0..255). */
  out: SampleArray[];
  alpha: Uint8Array;
  /** Rounds and clamps a value to the output type (identity for floats). */
  round: (v: number) => number;
  /** Pixel-corner coordinates (width+1 by height+1), needed by `average` only. */
  corners?: CoordMap;
}

const SRC_T = 1e-9;
const BAND_T = 1e-10;
const ALPHA_SCALE = Math.fround(255.1);

function bilinearW(t: number): number {
  const a = Math.abs(t);
  return a <= 1 ? 1 - a : 0;
}
function cubicW(t: number): number {
  const a = Math.abs(t), t2 = t * t;
  if (a <= 1) return t2 * (1.5 * a - 2.5) + 1;
  if (a <= 2) return t2 * (-0.5 * a + 2.5) - 4 * a + 2;
  return 0;
}
function lanczosW(t: number): number {
  if (t === 0) return 1;
  if (t <= -3 || t >= 3) return 0;
  const p = Math.PI * t;
  return (Math.sin(p) * Math.sin(p / 3)) / ((p * p) / 3);
}
const FILTERS = { bilinear: bilinearW, cubic: cubicW, lanczos: lanczosW } as const;
const RADIUS = { bilinear: 1, cubic: 2, lanczos: 3 } as const;

/** Catmull-Rom weights of the 4 taps for offset d in [0, 1): W(d+1), W(d), W(1-d), W(2-d). */
function cubicWeights(d: number, w: Float64Array): void {
  const h = 0.5 * d, t = 3 * d, h2 = h * d;
  w[0] = h * (-1 + d * (2 - d));
  w[1] = 1 + h2 * (-5 + t);
  w[2] = h * (1 + d * (4 - t));
  w[3] = h2 * (-1 + d);
}

/** Warps the read window into the output, dispatching on the resampling like GDAL. */
export function runKernel(k: KernelInput): void {
  if (k.resampling === 'average') return averageKernel(k);
  const { src, winX, winY, winWidth: W, winHeight: H, validity, coords, out, alpha, round, dst } = k;
  const { unified, bands: bandValid, density } = validity;
  const masked = unified !== undefined || bandValid !== undefined || density !== undefined;
  const nb = src.length;
  const cx = coords.x, cy = coords.y, tw = coords.width;
  const xMax = winX + W, yMax = winY + H;
  const interp = interpolator(k, masked);

  for (let row = dst.y; row < dst.y + dst.height; row++) for (let i = row * tw + dst.x, e = i + dst.width; i < e; i++) {
    const X = cx[i]!, Y = cy[i]!;
    // GWKCheckAndComputeSrcOffsets: the sample point must fall inside the source window.
    if (!(X >= winX && Y >= winY && X + 1e-10 <= xMax && Y + 1e-10 <= yMax)) continue;
    const x = X - winX, y = Y - winY;
    let ix = Math.trunc(x + 1e-10), iy = Math.trunc(y + 1e-10);
    if (ix >= W) ix = W - 1;
    if (iy >= H) iy = H - 1;
    const c = iy * W + ix;
    if (unified && unified[c] === 0) continue;
    let d = 1;
    if (density) {
      d = density[c]!;
      if (d < SRC_T) continue;
    }
    let found = false;
    if (!interp) {
      // Nearest: copy the centre pixel; bands that are nodata there keep their initial value.
      for (let b = 0; b < nb; b++) {
        const bv = bandValid?.[b];
        if (bv && bv[c] === 0) continue;
        out[b]![i] = src[b]![c]!;
      }
      found = true;
    } else {
      for (let b = 0; b < nb; b++) {
        const v = interp(b, x, y);
        const bd = bandDensity;
        if (bd < BAND_T) continue;
        found = true;
        if (bd < 0.9999) {
          if (bd < 0.0001) continue;
          // Blend with the destination as GDAL does; the destination density is 0 here (a
          // single source written once), so this only reproduces GDAL's float arithmetic.
          out[b]![i] = round((v * bd) / bd);
        } else {
          out[b]![i] = round(v);
        }
      }
    }
    if (found) alpha[i] = Math.trunc(Math.fround(Math.fround(d) * ALPHA_SCALE));
  }
}

/** Band density of the last interpolation (set by the interpolators; avoids allocating a pair per call). */
let bandDensity = 1;

type Interp = (b: number, x: number, y: number) => number;

function interpolator(k: KernelInput, masked: boolean): Interp | undefined {
  const { resampling, scaleX: xs, scaleY: ys } = k;
  if (resampling === 'nearest') return undefined;
  if (resampling === 'lanczos') return generic(k, masked, 'lanczos');
  const four = xs >= 0.95 && ys >= 0.95;
  if (resampling === 'bilinear') return four ? (masked ? bilinear4Masked(k) : bilinear4NoMasks(k)) : generic(k, masked, 'bilinear');
  return four ? cubic4(k, masked) : generic(k, masked, 'cubic');
}

/** Density of source pixel (x, y) for band b, as GWKGetPixelRow sees it. */
function pixelDensity(v: KernelInput['validity'], b: number, c: number): number {
  if (v.unified && v.unified[c] === 0) return 0;
  const bv = v.bands?.[b];
  if (bv && bv[c] === 0) return 0;
  return v.density ? v.density[c]! : 1;
}

/** GWKBilinearResampleNoMasks4SampleT. */
function bilinear4NoMasks(k: KernelInput): Interp {
  const { src, winWidth: W, winHeight: H } = k;
  return (b, x, y) => {
    bandDensity = 1;
    const a = src[b]!;
    const ix = Math.floor(x - 0.5), iy = Math.floor(y - 0.5);
    const rx = 1.5 - (x - ix), ry = 1.5 - (y - iy);
    if (ix >= 0 && ix + 1 < W && iy >= 0 && iy + 1 < H) {
      const o = iy * W + ix;
      return (a[o]! * rx + a[o + 1]! * (1 - rx)) * ry + (a[o + W]! * rx + a[o + W + 1]! * (1 - rx)) * (1 - ry);
    }
    // Edge: only the taps inside the window, in GDAL's order (UL, UR, LR, LL).
    let acc = 0, div = 0;
    const tap = (cx: number, cy: number, w: number) => {
      if (cx >= 0 && cx < W && cy >= 0 && cy < H) { div += w; acc += a[cy * W + cx]! * w; }
    };
    tap(ix, iy, rx * ry); tap(ix + 1, iy, (1 - rx) * ry); tap(ix + 1, iy + 1, (1 - rx) * (1 - ry)); tap(ix, iy + 1, rx * (1 - ry));
    if (div < 1e-5) return 0;
    return div === 1 ? acc : acc / div;
  };
}

/** GWKBilinearResample4Sample (with validity/density). */
function bilinear4Masked(k: KernelInput): Interp {
  const { src, winWidth: W, winHeight: H, validity } = k;
  return (b, x, y) => {
    const a = src[b]!;
    let ix = Math.floor(x - 0.5), iy = Math.floor(y - 0.5);
    let rx = 1.5 - (x - ix), ry = 1.5 - (y - iy);
    if (ix === -1) { ix = 0; rx = 1; }
    if (iy === -1) { iy = 0; ry = 1; }
    let acc = 0, accD = 0, div = 0;
    const tap = (cx: number, cy: number, w: number) => {
      if (cx < 0 || cx >= W || cy < 0 || cy >= H) return;
      const c = cy * W + cx;
      const d = pixelDensity(validity, b, c);
      if (d > SRC_T) { div += w; acc += a[c]! * w; accD += d * w; }
    };
    tap(ix, iy, rx * ry); tap(ix + 1, iy, (1 - rx) * ry); tap(ix, iy + 1, rx * (1 - ry)); tap(ix + 1, iy + 1, (1 - rx) * (1 - ry));
    if (div === 1) { bandDensity = accD; return acc; }
    if (div < 1e-5) { bandDensity = 0; return 0; }
    bandDensity = accD / div;
    return acc / div;
  };
}

/** GWKCubicResample4Sample / GWKCubicResampleNoMasks4SampleT: Catmull-Rom, bilinear near edges or invalid taps. */
function cubic4(k: KernelInput, masked: boolean): Interp {
  const { src, winWidth: W, winHeight: H, validity } = k;
  const fallback = masked ? bilinear4Masked(k) : bilinear4NoMasks(k);
  const wx = new Float64Array(4), wy = new Float64Array(4);
  return (b, x, y) => {
    const a = src[b]!;
    const ix = Math.trunc(x - 0.5), iy = Math.trunc(y - 0.5);
    if (ix - 1 < 0 || ix + 2 >= W || iy - 1 < 0 || iy + 2 >= H) return fallback(b, x, y);
    const fx = x - 0.5 - ix, fy = y - 0.5 - iy;
    cubicWeights(fx, wx);
    let v = 0, dens = 0;
    if (masked) {
      cubicWeights(fy, wy);
      for (let j = 0; j < 4; j++) {
        const row = (iy - 1 + j) * W + ix - 1;
        let rv = 0, rd = 0;
        for (let i = 0; i < 4; i++) {
          const d = pixelDensity(validity, b, row + i);
          if (d < SRC_T) return fallback(b, x, y);
          rv += wx[i]! * a[row + i]!;
          rd += wx[i]! * d;
        }
        v += wy[j]! * rv;
        dens += wy[j]! * rd;
      }
      bandDensity = dens;
      return v;
    }
    // NoMasks: rows by weights, then the cubic polynomial in y (GDAL's CubicConvolution form).
    const r = [0, 0, 0, 0];
    for (let j = 0; j < 4; j++) {
      const row = (iy - 1 + j) * W + ix - 1;
      r[j] = wx[0]! * a[row]! + wx[1]! * a[row + 1]! + wx[2]! * a[row + 2]! + wx[3]! * a[row + 3]!;
    }
    const [r0, r1, r2, r3] = r as [number, number, number, number];
    bandDensity = 1;
    return r1 + 0.5 * (fy * (r2 - r0) + fy * fy * (2 * r0 - 5 * r1 + 4 * r2 - r3) + fy * fy * fy * (3 * (r1 - r2) + r3 - r0));
  };
}

/**
 * Separable kernel with the scale-widened radius (GWKResample / GWKResampleNoMasks_SSE2_T /
 * GWKResampleOptimizedLanczos): bilinear and cubic when downsampling (scale < 0.95),
 * Lanczos always.
 */
function generic(k: KernelInput, masked: boolean, kind: 'bilinear' | 'cubic' | 'lanczos'): Interp {
  const { src, winWidth: W, winHeight: H, validity, scaleX: xs, scaleY: ys } = k;
  const f = FILTERS[kind];
  const R = RADIUS[kind];
  const xr = xs < 1 ? Math.ceil(R / xs) : R;
  const yr = ys < 1 ? Math.ceil(R / ys) : R;
  const fx0 = ((R + 1) % 2) - xr, fy0 = ((R + 1) % 2) - yr;
  const wx = new Float64Array(2 * xr + 2), wy = new Float64Array(2 * yr + 2);
  const sx = Math.min(xs, 1), sy = Math.min(ys, 1);
  const noMaskFallback = bilinear4NoMasks(k);
  const lanczos = kind === 'lanczos';

  return (b, x, y) => {
    const a = src[b]!;
    const ix = Math.floor(x - 0.5), iy = Math.floor(y - 0.5);
    const dx = x - 0.5 - ix, dy = y - 0.5 - iy;
    let i0: number, i1: number, j0: number, j1: number;
    if (!masked && !lanczos) {
      if (ix >= W || iy >= H || xr > W || yr > H) return noMaskFallback(b, x, y);
      i0 = Math.max(1 - xr, -ix); i1 = Math.min(xr, W - 1 - ix);
      j0 = Math.max(1 - yr, -iy); j1 = Math.min(yr, H - 1 - iy);
    } else {
      i0 = Math.max(fx0, -ix); i1 = Math.min(xr, W - 1 - ix);
      j0 = Math.max(fy0, -iy); j1 = Math.min(yr, H - 1 - iy);
      if (lanczos) {
        while ((i0 - dx) * sx < -3) i0++;
        while ((i1 - dx) * sx > 3) i1--;
        while ((j0 - dy) * sy < -3) j0++;
        while ((j1 - dy) * sy > 3) j1--;
      }
    }
    for (let i = i0; i <= i1; i++) wx[i - i0] = f((i - dx) * sx);
    for (let j = j0; j <= j1; j++) wy[j - j0] = f((j - dy) * sy);

    if (!masked) {
      let acc = 0, swx = 0, swy = 0;
      for (let i = i0; i <= i1; i++) swx += wx[i - i0]!;
      for (let j = j0; j <= j1; j++) {
        const row = (iy + j) * W + ix;
        let rv = 0;
        for (let i = i0; i <= i1; i++) rv += a[row + i]! * wx[i - i0]!;
        acc += rv * wy[j - j0]!;
        swy += wy[j - j0]!;
      }
      bandDensity = 1;
      const sw = swx * swy;
      if (lanczos) {
        if (sw < 1e-6) { bandDensity = 0; return 0; }
        return sw < 0.99999 || sw > 1.00001 ? acc / sw : acc;
      }
      return acc / sw;
    }

    let acc = 0, accD = 0, accW = 0, nValid = 0;
    for (let j = j0; j <= j1; j++) {
      const row = (iy + j) * W + ix;
      const w1 = wy[j - j0]!;
      let la = 0, lw = 0, ld = 0;
      for (let i = i0; i <= i1; i++) {
        const d = pixelDensity(validity, b, row + i);
        if (d < SRC_T) continue;
        nValid++;
        const w2 = wx[i - i0]!;
        la += a[row + i]! * w2; lw += w2; ld += d * w2;
      }
      acc += la * w1; accW += lw * w1; accD += ld * w1;
    }
    if (accW < 1e-6 || accD < 1e-6 || (lanczos && nValid < Math.floor(((j1 - j0 + 1) * (i1 - i0 + 1)) / 2))) {
      bandDensity = 0;
      return 0;
    }
    if (accW < 0.99999 || accW > 1.00001) {
      bandDensity = accD / accW;
      return acc / accW;
    }
    bandDensity = accD;
    return acc;
  };
}

/**
 * GWKAverageOrModeThread ("average"): the destination pixel's footprint in the source,
 * from two opposite transformed corners, with fractional weights for partly covered
 * source pixels; invalid pixels are left out (not alpha-weighted); alpha 255 when written.
 */
function averageKernel(k: KernelInput): void {
  const { src, winX, winY, winWidth: W, winHeight: H, validity, out, alpha, round, scaleX, scaleY } = k;
  const corners = k.corners!;
  const cw = corners.width;
  const dw = cw - 1;
  const xm = 2 * Math.max(1, Math.ceil(1 / scaleX)), ym = 2 * Math.max(1, Math.ceil(1 / scaleY));
  const nb = src.length;
  const sum = new Float64Array(nb), wsum = new Float64Array(nb);
  for (let j = k.dst.y; j < k.dst.y + k.dst.height; j++) {
    for (let i = k.dst.x; i < k.dst.x + k.dst.width; i++) {
      const ax = corners.x[j * cw + i]!, ay = corners.y[j * cw + i]!;
      const bx = corners.x[(j + 1) * cw + i + 1]!, by = corners.y[(j + 1) * cw + i + 1]!;
      if (!(Number.isFinite(ax) && Number.isFinite(ay) && Number.isFinite(bx) && Number.isFinite(by))) continue;
      if (ax - winX < -xm || bx - winX < -xm || ax - winX - W > xm || bx - winX - W > xm) continue;
      if (ay - winY < -ym || by - winY < -ym || ay - winY - H > ym || by - winY - H > ym) continue;
      const fx1 = Math.min(ax, bx) - winX, fx2 = Math.max(ax, bx) - winX;
      const fy1 = Math.min(ay, by) - winY, fy2 = Math.max(ay, by) - winY;
      const c0 = clamp(Math.floor(fx1 + 1e-10), 0, W);
      let c1 = Math.min(Math.ceil(fx2 - 1e-10), W);
      if (c0 === c1 && c1 < W) c1++;
      const r0 = clamp(Math.floor(fy1 + 1e-10), 0, H);
      let r1 = Math.min(Math.ceil(fy2 - 1e-10), H);
      if (r0 === r1 && r1 < H) r1++;
      sum.fill(0); wsum.fill(0);
      for (let r = r0; r < r1; r++) {
        const wy = r === r0 ? (r0 + 1 === r1 ? 1 : 1 - (fy1 - r0)) : r + 1 === r1 ? 1 - (r1 - fy2) : 1;
        for (let c = c0; c < c1; c++) {
          const w = c === c0 ? (c0 + 1 === c1 ? wy : wy * (1 - (fx1 - c0))) : c + 1 === c1 ? wy * (1 - (c1 - fx2)) : wy;
          const p = r * W + c;
          if (validity.unified && validity.unified[p] === 0) continue;
          if (validity.density && validity.density[p]! <= 1e-10) continue;
          for (let b = 0; b < nb; b++) {
            const bv = validity.bands?.[b];
            if (bv && bv[p] === 0) continue;
            sum[b]! += src[b]![p]! * w;
            wsum[b]! += w;
          }
        }
      }
      let written = false;
      const di = j * dw + i;
      for (let b = 0; b < nb; b++) {
        if (wsum[b]! > 0) {
          out[b]![di] = round(sum[b]! / wsum[b]!);
          written = true;
        }
      }
      if (written) alpha[di] = 255;
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
