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
import { NativeMode, nativeKernels, nativeRuns } from '../native.js';

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
  const masks = prepareMasks(k);
  const four = k.scaleX >= 0.95 && k.scaleY >= 0.95;
  if (runNative(k, masks, four)) return;
  if (k.resampling === 'nearest') return nearestLoop(k, masks);
  if (four && k.resampling === 'bilinear') return bilinear4Loop(k, masks);
  if (four && k.resampling === 'cubic') return cubic4Loop(k, masks);
  return genericLoop(k, masks, k.resampling as 'bilinear' | 'cubic' | 'lanczos');
}

/**
 * The same loop in native code when the addon is loaded and handles the case (nearest,
 * 2x2 bilinear, and the scale-widened bilinear/cubic; not the 4x4 cubic, Lanczos or average).
 */
function runNative(k: KernelInput, m: Masks, four: boolean): boolean {
  const n = nativeKernels();
  if (!n) return false;
  const mode = k.resampling === 'nearest' ? NativeMode.nearest
    : k.resampling === 'bilinear' ? (four ? NativeMode.bilinear4 : NativeMode.genericBilinear)
      : k.resampling === 'cubic' && !four ? NativeMode.genericCubic : -1;
  if (mode < 0) return false;
  const { isInt, lo, hi } = rounding(k);
  const d = k.dst;
  const params = Float64Array.of(k.coords.width, k.winX, k.winY, k.winWidth, k.winHeight, d.x, d.y, d.width, d.height,
    isInt ? 1 : 0, lo, hi, k.scaleX, k.scaleY, m.masked ? 1 : 0);
  // Nearest reads the validity's own band masks (prepareMasks builds none for it).
  const band = mode === NativeMode.nearest ? k.validity.bands : m.band;
  if (!n.warp(mode, k.src, k.out, k.alpha, k.coords.x, k.coords.y, params, m.all, m.unified, m.density, band)) return false;
  nativeRuns[mode]!++;
  return true;
}

/**
 * Validity in the form the loops want: per band, 1 where that band's pixel may be used
 * (unified mask AND the band's own nodata mask); the alpha density; and `all`, 1 where
 * every band is valid with full density (the common case, which takes a fast path that
 * performs exactly GDAL's masked arithmetic without per-tap lookups).
 */
interface Masks {
  masked: boolean;
  unified: Uint8Array | undefined;
  band: (Uint8Array | undefined)[];
  density: Float32Array | undefined;
  all: Uint8Array | undefined;
}

function prepareMasks(k: KernelInput): Masks {
  const { unified, bands, density } = k.validity;
  const nb = k.src.length;
  const masked = unified !== undefined || bands !== undefined || density !== undefined;
  const band: (Uint8Array | undefined)[] = [];
  let all: Uint8Array | undefined;
  if (masked && k.resampling !== 'nearest' && unified && !bands && !density) {
    // The common case (one mask for every band, no alpha): every band's mask and `all` are
    // the unified mask itself; no copies.
    for (let b = 0; b < nb; b++) band.push(unified);
    all = unified;
  } else if (masked && k.resampling !== 'nearest') {
    const n = k.winWidth * k.winHeight;
    all = new Uint8Array(n).fill(1);
    for (let b = 0; b < nb; b++) {
      const bv = bands?.[b];
      if (!bv && !unified) { band.push(undefined); continue; }
      const m = new Uint8Array(n);
      for (let i = 0; i < n; i++) m[i] = (unified ? unified[i]! : 1) & (bv ? bv[i]! : 1);
      for (let i = 0; i < n; i++) all[i]! &= m[i]!;
      band.push(m);
    }
    if (density) for (let i = 0; i < n; i++) if (density[i]! < 1) all[i] = 0;
  }
  return { masked, unified, band, density, all };
}

/** Rounding of GWKClampValueT/GWKRoundValueT, as numbers the loops inline. */
function rounding(k: KernelInput): { isInt: boolean; lo: number; hi: number } {
  const lo = k.round(-Infinity), hi = k.round(Infinity);
  return Number.isFinite(lo) ? { isInt: true, lo, hi } : { isInt: false, lo: 0, hi: 0 };
}

/** Writes one interpolated value with GDAL's band-density handling; returns true when the band counts as written. */
function store(out: SampleArray, i: number, v: number, bd: number, isInt: boolean, lo: number, hi: number): boolean {
  if (bd < BAND_T) return false;
  if (bd < 0.9999) {
    if (bd < 0.0001) return true;
    // GDAL blends with the destination (density 0 here): reproduce its float arithmetic.
    v = (v * bd) / bd;
  }
  out[i] = isInt ? (v < lo ? lo : v > hi ? hi : Math.floor(v + 0.5)) : v;
  return true;
}

function alphaOf(d: number): number {
  return Math.trunc(Math.fround(Math.fround(d) * ALPHA_SCALE));
}

/** Nearest (GWKNearest / GWKNearestNoMasks): the centre pixel; nodata bands keep their initial value. */
function nearestLoop(k: KernelInput, m: Masks): void {
  const { src, winX, winY, winWidth: W, winHeight: H, coords, out, alpha, dst } = k;
  const bandValid = k.validity.bands;
  const { unified, density } = m;
  const cx = coords.x, cy = coords.y, tw = coords.width, nb = src.length;
  const xMax = winX + W, yMax = winY + H;
  for (let row = dst.y, y1 = dst.y + dst.height; row < y1; row++) {
    for (let i = row * tw + dst.x, e = i + dst.width; i < e; i++) {
      const X = cx[i]!, Y = cy[i]!;
      if (!(X >= winX && Y >= winY && X + 1e-10 <= xMax && Y + 1e-10 <= yMax)) continue;
      let ix = Math.trunc(X - winX + 1e-10), iy = Math.trunc(Y - winY + 1e-10);
      if (ix >= W) ix = W - 1;
      if (iy >= H) iy = H - 1;
      const c = iy * W + ix;
      if (unified && unified[c] === 0) continue;
      let d = 1;
      if (density) {
        d = density[c]!;
        if (d < SRC_T) continue;
      }
      if (bandValid) {
        for (let b = 0; b < nb; b++) if (bandValid[b]?.[c] !== 0) out[b]![i] = src[b]![c]!;
      } else {
        for (let b = 0; b < nb; b++) out[b]![i] = src[b]![c]!;
      }
      alpha[i] = d === 1 ? 255 : alphaOf(d);
    }
  }
}

/**
 * The centre-pixel check of GDAL's RealCase, shared by the interpolating loops: returns the
 * centre density (1 without alpha), or -1 when the centre pixel is invalid (skip the pixel).
 */
function centreDensity(x: number, y: number, W: number, H: number, unified: Uint8Array | undefined, density: Float32Array | undefined): number {
  let ix = Math.trunc(x + 1e-10), iy = Math.trunc(y + 1e-10);
  if (ix >= W) ix = W - 1;
  if (iy >= H) iy = H - 1;
  const c = iy * W + ix;
  if (unified && unified[c] === 0) return -1;
  if (!density) return 1;
  const d = density[c]!;
  return d < SRC_T ? -1 : d;
}

/**
 * Shared frame of the cubic and generic loops: visits the chunk's destination pixels whose
 * sample point lies in the window and whose centre pixel is valid, calls `pixel` with
 * window coordinates, and writes alpha from the centre density when a band was written.
 * (The bilinear loop, the hottest, inlines this frame: a per-pixel callback costs it ~40%.)
 */
function forEachSample(k: KernelInput, m: Masks, pixel: (i: number, x: number, y: number) => boolean): void {
  const { winX, winY, winWidth: W, winHeight: H, coords, alpha, dst } = k;
  const { unified, density } = m;
  const cx = coords.x, cy = coords.y, tw = coords.width;
  const xMax = winX + W, yMax = winY + H;
  const checkCentre = unified !== undefined || density !== undefined;
  for (let row = dst.y, y1 = dst.y + dst.height; row < y1; row++) {
    for (let i = row * tw + dst.x, e = i + dst.width; i < e; i++) {
      const X = cx[i]!, Y = cy[i]!;
      if (!(X >= winX && Y >= winY && X + 1e-10 <= xMax && Y + 1e-10 <= yMax)) continue;
      const x = X - winX, y = Y - winY;
      const d = checkCentre ? centreDensity(x, y, W, H, unified, density) : 1;
      if (d < 0) continue;
      if (pixel(i, x, y)) alpha[i] = d === 1 ? 255 : alphaOf(d);
    }
  }
}

/** Bilinear, 2x2 taps: GWKBilinearResampleNoMasks4SampleT and GWKBilinearResample4Sample. */
function bilinear4Loop(k: KernelInput, m: Masks): void {
  const { src, out, winX, winY, winWidth: W, winHeight: H, coords, alpha, dst } = k;
  const nb = src.length;
  const { isInt, lo, hi } = rounding(k);
  const vals = new Float64Array(nb), dens = new Float64Array(nb);
  const maskedTaps = bilinear4Masked(k, m);
  const { all, unified, density, masked } = m;
  const cx = coords.x, cy = coords.y, tw = coords.width;
  const xMax = winX + W, yMax = winY + H;
  for (let row = dst.y, y1 = dst.y + dst.height; row < y1; row++) {
    for (let i = row * tw + dst.x, e = i + dst.width; i < e; i++) {
      const X = cx[i]!, Y = cy[i]!;
      if (!(X >= winX && Y >= winY && X + 1e-10 <= xMax && Y + 1e-10 <= yMax)) continue;
      const x = X - winX, y = Y - winY;
      let ix = Math.floor(x - 0.5), iy = Math.floor(y - 0.5);
      let rx = 1.5 - (x - ix), ry = 1.5 - (y - iy);
      if (!masked) {
        if (ix >= 0 && ix + 1 < W && iy >= 0 && iy + 1 < H) {
          const o = iy * W + ix, rx1 = 1 - rx, ry1 = 1 - ry;
          for (let b = 0; b < nb; b++) {
            const a = src[b]!;
            const v = (a[o]! * rx + a[o + 1]! * rx1) * ry + (a[o + W]! * rx + a[o + W + 1]! * rx1) * ry1;
            out[b]![i] = isInt ? (v < lo ? lo : v > hi ? hi : Math.floor(v + 0.5)) : v;
          }
        } else {
          bilinear4EdgeNoMasks(k, x, y, vals);
          for (let b = 0; b < nb; b++) store(out[b]!, i, vals[b]!, 1, isInt, lo, hi);
        }
        alpha[i] = 255;
        continue;
      }
      const d = centreDensity(x, y, W, H, unified, density);
      if (d < 0) continue;
      if (ix === -1) { ix = 0; rx = 1; }
      if (iy === -1) { iy = 0; ry = 1; }
      const o = iy * W + ix;
      if (ix + 1 < W && iy + 1 < H && all![o] && all![o + 1] && all![o + W] && all![o + W + 1]) {
        // Every tap valid: GDAL's masked sums in its tap order (UL, UR, LL, LR).
        const w0 = rx * ry, w1 = (1 - rx) * ry, w2 = rx * (1 - ry), w3 = (1 - rx) * (1 - ry);
        const div = w0 + w1 + w2 + w3;
        for (let b = 0; b < nb; b++) {
          const a = src[b]!;
          const acc = a[o]! * w0 + a[o + 1]! * w1 + a[o + W]! * w2 + a[o + W + 1]! * w3;
          const v = div === 1 ? acc : acc / div;
          out[b]![i] = isInt ? (v < lo ? lo : v > hi ? hi : Math.floor(v + 0.5)) : v;
        }
        alpha[i] = d === 1 ? 255 : alphaOf(d);
        continue;
      }
      maskedTaps(x, y, vals, dens);
      let found = false;
      for (let b = 0; b < nb; b++) if (store(out[b]!, i, vals[b]!, dens[b]!, isInt, lo, hi)) found = true;
      if (found) alpha[i] = d === 1 ? 255 : alphaOf(d);
    }
  }
}

/** Edge case of the no-mask bilinear: only the taps inside the window, in GDAL's order (UL, UR, LR, LL). */
function bilinear4EdgeNoMasks(k: KernelInput, x: number, y: number, vals: Float64Array): void {
  const { src, winWidth: W, winHeight: H } = k;
  const ix = Math.floor(x - 0.5), iy = Math.floor(y - 0.5);
  const rx = 1.5 - (x - ix), ry = 1.5 - (y - iy);
  const in0 = ix >= 0 && ix < W, in1 = ix + 1 >= 0 && ix + 1 < W;
  const jn0 = iy >= 0 && iy < H, jn1 = iy + 1 >= 0 && iy + 1 < H;
  const o = iy * W + ix;
  for (let b = 0; b < src.length; b++) {
    const a = src[b]!;
    let acc = 0, div = 0;
    if (in0 && jn0) { const w = rx * ry; div += w; acc += a[o]! * w; }
    if (in1 && jn0) { const w = (1 - rx) * ry; div += w; acc += a[o + 1]! * w; }
    if (in1 && jn1) { const w = (1 - rx) * (1 - ry); div += w; acc += a[o + W + 1]! * w; }
    if (in0 && jn1) { const w = rx * (1 - ry); div += w; acc += a[o + W]! * w; }
    vals[b] = div < 1e-5 ? 0 : div === 1 ? acc : acc / div;
  }
}

type Interp = (x: number, y: number, vals: Float64Array, dens: Float64Array) => void;

/** GWKBilinearResample4Sample, tap by tap with validity and density (the slow path). */
function bilinear4Masked(k: KernelInput, m: Masks): Interp {
  const { src, winWidth: W, winHeight: H } = k;
  const nb = src.length;
  const { band, density } = m;
  const tapW = new Float64Array(4), tapC = new Int32Array(4), tapIn = new Uint8Array(4);
  return (x, y, vals, dens) => {
    let ix = Math.floor(x - 0.5), iy = Math.floor(y - 0.5);
    let rx = 1.5 - (x - ix), ry = 1.5 - (y - iy);
    if (ix === -1) { ix = 0; rx = 1; }
    if (iy === -1) { iy = 0; ry = 1; }
    tapW[0] = rx * ry; tapW[1] = (1 - rx) * ry; tapW[2] = rx * (1 - ry); tapW[3] = (1 - rx) * (1 - ry);
    for (let t = 0; t < 4; t++) {
      const cxx = ix + (t & 1), cyy = iy + (t >> 1);
      tapIn[t] = cxx >= 0 && cxx < W && cyy >= 0 && cyy < H ? 1 : 0;
      tapC[t] = cyy * W + cxx;
    }
    for (let b = 0; b < nb; b++) {
      const a = src[b]!, bv = band[b];
      let acc = 0, accD = 0, div = 0;
      for (let t = 0; t < 4; t++) {
        if (!tapIn[t]) continue;
        const c = tapC[t]!;
        if (bv && bv[c] === 0) continue;
        const d = density ? density[c]! : 1;
        if (d > SRC_T) { const w = tapW[t]!; div += w; acc += a[c]! * w; accD += d * w; }
      }
      if (div === 1) { dens[b] = accD; vals[b] = acc; }
      else if (div < 1e-5) { dens[b] = 0; vals[b] = 0; }
      else { dens[b] = accD / div; vals[b] = acc / div; }
    }
  };
}

/** Cubic (Catmull-Rom), 4x4 taps, with GDAL's fallback to bilinear near window edges and invalid taps. */
function cubic4Loop(k: KernelInput, m: Masks): void {
  const { src, out, winWidth: W, winHeight: H } = k;
  const nb = src.length;
  const { isInt, lo, hi } = rounding(k);
  const { band, density, all } = m;
  const wx = new Float64Array(4), wy = new Float64Array(4);
  const vals = new Float64Array(nb), dens = new Float64Array(nb);
  const maskedBilinear = bilinear4Masked(k, m);
  forEachSample(k, m, (i, x, y) => {
    const ix = Math.trunc(x - 0.5), iy = Math.trunc(y - 0.5);
    if (ix - 1 < 0 || ix + 2 >= W || iy - 1 < 0 || iy + 2 >= H) {
      // GDAL falls back to the bilinear of the same path.
      if (m.masked) maskedBilinear(x, y, vals, dens);
      else { bilinear4EdgeNoMasks(k, x, y, vals); dens.fill(1); }
      let found = false;
      for (let b = 0; b < nb; b++) if (store(out[b]!, i, vals[b]!, dens[b]!, isInt, lo, hi)) found = true;
      return found;
    }
    const fx = x - 0.5 - ix, fy = y - 0.5 - iy;
    cubicWeights(fx, wx);
    const base = (iy - 1) * W + ix - 1;
    if (!m.masked) {
      // GWKCubicResampleNoMasks4SampleT: rows by weights, then the cubic polynomial in y.
      const fy2 = fy * fy, fy3 = fy2 * fy;
      for (let b = 0; b < nb; b++) {
        const a = src[b]!;
        let o = base;
        const r0 = wx[0]! * a[o]! + wx[1]! * a[o + 1]! + wx[2]! * a[o + 2]! + wx[3]! * a[o + 3]!; o += W;
        const r1 = wx[0]! * a[o]! + wx[1]! * a[o + 1]! + wx[2]! * a[o + 2]! + wx[3]! * a[o + 3]!; o += W;
        const r2 = wx[0]! * a[o]! + wx[1]! * a[o + 1]! + wx[2]! * a[o + 2]! + wx[3]! * a[o + 3]!; o += W;
        const r3 = wx[0]! * a[o]! + wx[1]! * a[o + 1]! + wx[2]! * a[o + 2]! + wx[3]! * a[o + 3]!;
        const v = r1 + 0.5 * (fy * (r2 - r0) + fy2 * (2 * r0 - 5 * r1 + 4 * r2 - r3) + fy3 * (3 * (r1 - r2) + r3 - r0));
        out[b]![i] = isInt ? (v < lo ? lo : v > hi ? hi : Math.floor(v + 0.5)) : v;
      }
      return true;
    }
    // GWKCubicResample4Sample: per band; a band with an invalid tap falls back to bilinear.
    cubicWeights(fy, wy);
    let allValid = true;
    for (let j = 0; j < 4 && allValid; j++) {
      const row = base + j * W;
      if (!(all![row] && all![row + 1] && all![row + 2] && all![row + 3])) allValid = false;
    }
    let found = false, fellBack = false;
    for (let b = 0; b < nb; b++) {
      const a = src[b]!, bv = band[b];
      let v = 0, dsum = 0, ok = true;
      for (let j = 0; j < 4 && ok; j++) {
        const row = base + j * W;
        let rv = 0, rd = 0;
        for (let t = 0; t < 4; t++) {
          const c = row + t;
          let d = 1;
          if (!allValid) {
            d = bv && bv[c] === 0 ? 0 : density ? density[c]! : 1;
            if (d < SRC_T) { ok = false; break; }
          }
          rv += wx[t]! * a[c]!;
          rd += wx[t]! * d;
        }
        v += wy[j]! * rv;
        dsum += wy[j]! * rd;
      }
      if (!ok) {
        if (!fellBack) { maskedBilinear(x, y, vals, dens); fellBack = true; }
        v = vals[b]!; dsum = dens[b]!;
      }
      if (store(out[b]!, i, v, dsum, isInt, lo, hi)) found = true;
    }
    return found;
  });
}

/**
 * Separable kernel with the scale-widened radius (GWKResample / GWKResampleNoMasks_SSE2_T /
 * GWKResampleOptimizedLanczos): bilinear and cubic when downsampling (scale < 0.95),
 * Lanczos always.
 */
function genericLoop(k: KernelInput, m: Masks, kind: 'bilinear' | 'cubic' | 'lanczos'): void {
  const { src, out, winWidth: W, winHeight: H, scaleX: xs, scaleY: ys } = k;
  const nb = src.length;
  const { isInt, lo, hi } = rounding(k);
  const { band, density, all, masked } = m;
  const f = FILTERS[kind];
  const R = RADIUS[kind];
  const xr = xs < 1 ? Math.ceil(R / xs) : R;
  const yr = ys < 1 ? Math.ceil(R / ys) : R;
  const fx0 = ((R + 1) % 2) - xr, fy0 = ((R + 1) % 2) - yr;
  const wx = new Float64Array(2 * xr + 2), wy = new Float64Array(2 * yr + 2);
  const sx = Math.min(xs, 1), sy = Math.min(ys, 1);
  const lanczos = kind === 'lanczos';
  const vals = new Float64Array(nb);

  forEachSample(k, m, (i, x, y) => {
    const ix = Math.floor(x - 0.5), iy = Math.floor(y - 0.5);
    const dx = x - 0.5 - ix, dy = y - 0.5 - iy;
    let i0: number, i1: number, j0: number, j1: number;
    if (!masked && !lanczos) {
      if (ix >= W || iy >= H || xr > W || yr > H) {
        bilinear4EdgeNoMasks(k, x, y, vals);
        for (let b = 0; b < nb; b++) store(out[b]!, i, vals[b]!, 1, isInt, lo, hi);
        return true;
      }
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
    let swx = 0, swy = 0;
    for (let t = i0; t <= i1; t++) swx += wx[t - i0] = f((t - dx) * sx);
    for (let t = j0; t <= j1; t++) swy += wy[t - j0] = f((t - dy) * sy);

    if (!masked) {
      const sw = swx * swy;
      for (let b = 0; b < nb; b++) {
        const a = src[b]!;
        let acc = 0;
        for (let j = j0; j <= j1; j++) {
          const row = (iy + j) * W + ix;
          let rv = 0;
          for (let t = i0; t <= i1; t++) rv += a[row + t]! * wx[t - i0]!;
          acc += rv * wy[j - j0]!;
        }
        if (lanczos) {
          if (sw < 1e-6) continue;
          store(out[b]!, i, sw < 0.99999 || sw > 1.00001 ? acc / sw : acc, 1, isInt, lo, hi);
        } else {
          store(out[b]!, i, acc / sw, 1, isInt, lo, hi);
        }
      }
      return true;
    }

    const half = Math.floor(((j1 - j0 + 1) * (i1 - i0 + 1)) / 2);
    let found = false;
    for (let b = 0; b < nb; b++) {
      const a = src[b]!, bv = band[b];
      let acc = 0, accD = 0, accW = 0, nValid = 0;
      for (let j = j0; j <= j1; j++) {
        const row = (iy + j) * W + ix;
        const w1 = wy[j - j0]!;
        let la = 0, lw = 0, ld = 0;
        for (let t = i0; t <= i1; t++) {
          const c = row + t;
          let d = 1;
          if (!all![c]) {
            d = bv && bv[c] === 0 ? 0 : density ? density[c]! : 1;
            if (d < SRC_T) continue;
          }
          nValid++;
          const w2 = wx[t - i0]!;
          la += a[c]! * w2; lw += w2; ld += d * w2;
        }
        acc += la * w1; accW += lw * w1; accD += ld * w1;
      }
      let v: number, bd: number;
      if (accW < 1e-6 || accD < 1e-6 || (lanczos && nValid < half)) continue;
      if (accW < 0.99999 || accW > 1.00001) { bd = accD / accW; v = acc / accW; }
      else { bd = accD; v = acc; }
      if (store(out[b]!, i, v, bd, isInt, lo, hi)) found = true;
    }
    return found;
  });
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
