/**
 * Overviews by halving: each overview pixel is made from the 2x2 pixels of the level above
 * (one pixel at the right/bottom edge of an odd-sized level), so level i+1 has
 * ceil(width/2) x ceil(height/2) pixels, as GDAL sizes overviews (DIV_ROUND_UP).
 *
 * Why a plain 2x2 kernel and not the engine's warp kernels: the grids nest exactly (factor 2,
 * same origin), so each output pixel is exactly four input pixels and a general kernel with
 * per-pixel coordinates would add cost and rounding, nothing else. It works on strips of rows,
 * so a pyramid is built while the full resolution streams through (see writer.ts).
 *
 * - `average`: mean of the valid pixels among the four (GDAL's AVERAGE for a factor of 2);
 *   integers round half up. A pixel is valid when the mask says so, its value is not the
 *   nodata value and not NaN, and (for colour bands) the alpha band is not 0. The alpha band
 *   itself is averaged over all four pixels, so edges fade as in GDAL. With no valid pixel the
 *   result is the nodata value (else 0, or NaN for floats without nodata). The mask of the
 *   overview marks a pixel valid when any of its four was valid (the average exists there).
 * - `nearest`: the top-left pixel of the four, value and mask alike (GDAL's NEAREST picks
 *   source pixel floor(0.5 + 2·i) = 2·i). Used for palettes, whose indices must not be mixed.
 */
import type { SampleArray } from '../../decode/types.js';
import { arrayFor } from '../window.js';
import type { DataType } from '../types.js';

export type OverviewResampling = 'average' | 'nearest';

/** Rows of one level at full width: planar bands and an optional validity mask (non-zero = valid). */
export interface Strip {
  width: number;
  height: number;
  bands: SampleArray[];
  mask?: Uint8Array;
}

export interface DownsampleInfo {
  dataType: DataType;
  nodata: number | undefined;
  /** Index of the alpha band, if any. */
  alphaBand: number | undefined;
  resampling: OverviewResampling;
}

const isFloat = (t: DataType) => t === 'float32' || t === 'float64';

export function downsampleStrip(strip: Strip, info: DownsampleInfo): Strip {
  const { width: w, height: h } = strip;
  const ow = Math.ceil(w / 2), oh = Math.ceil(h / 2);
  const Arr = arrayFor[info.dataType];
  const bands = strip.bands.map(() => new Arr(ow * oh));
  const mask = strip.mask ? new Uint8Array(ow * oh) : undefined;

  if (info.resampling === 'nearest') {
    for (let y = 0; y < oh; y++) {
      const srcRow = 2 * y * w, dstRow = y * ow;
      for (let b = 0; b < bands.length; b++) {
        const s = strip.bands[b]!, d = bands[b]!;
        for (let x = 0; x < ow; x++) d[dstRow + x] = s[srcRow + 2 * x]!;
      }
      if (mask) for (let x = 0; x < ow; x++) mask[dstRow + x] = strip.mask![srcRow + 2 * x]!;
    }
    return { width: ow, height: oh, bands, ...(mask ? { mask } : {}) };
  }

  const float = isFloat(info.dataType);
  const nodata = info.nodata;
  const checkNodata = nodata !== undefined && !Number.isNaN(nodata);
  const fill = nodata ?? (float ? NaN : 0);
  const alpha = info.alphaBand !== undefined ? strip.bands[info.alphaBand]! : undefined;
  const m = strip.mask;
  const n = w * h;
  if (mask) {
    for (let y = 0; y < oh; y++) {
      const r0 = 2 * y * w, r1 = Math.min(2 * y + 1, h - 1) * w;
      for (let x = 0; x < ow; x++) {
        const c0 = 2 * x, c1 = Math.min(c0 + 1, w - 1);
        mask[y * ow + x] = m![r0 + c0] || m![r0 + c1] || m![r1 + c0] || m![r1 + c1] ? 1 : 0;
      }
    }
  }
  // Without mask or alpha, validity is a test on the value alone: NaN (v !== v) or nodata
  // (`nd` is NaN when there is none, so the test never matches).
  const nd = checkNodata ? nodata! : NaN;
  for (let b = 0; b < bands.length; b++) {
    const s = strip.bands[b]!, d = bands[b]!;
    const isAlpha = b === info.alphaBand;
    let valid: Uint8Array | undefined;
    if (!isAlpha && (m || alpha)) {
      valid = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = s[i]!;
        valid[i] = (m && !m[i]) || (alpha && alpha[i] === 0) || v === nd || v !== v ? 0 : 1;
      }
    }
    const plain = isAlpha || (!valid && !float && !checkNodata);
    for (let y = 0; y < oh; y++) {
      const r0 = 2 * y * w;
      const r1 = 2 * y + 1 < h ? r0 + w : -1;
      const o = y * ow;
      const pairs = r1 >= 0 ? Math.floor(w / 2) : 0; // output pixels with a full 2x2
      let x = 0;
      if (plain) {
        for (; x < pairs; x++) {
          const i0 = r0 + 2 * x, i1 = r1 + 2 * x;
          const sum = s[i0]! + s[i0 + 1]! + s[i1]! + s[i1 + 1]!;
          d[o + x] = float ? sum / 4 : Math.floor(sum / 4 + 0.5);
        }
      } else if (!valid) {
        for (; x < pairs; x++) {
          const i0 = r0 + 2 * x, i1 = r1 + 2 * x;
          let sum = 0, count = 0;
          let v = s[i0]!;
          if (v === v && v !== nd) { sum += v; count++; }
          v = s[i0 + 1]!;
          if (v === v && v !== nd) { sum += v; count++; }
          v = s[i1]!;
          if (v === v && v !== nd) { sum += v; count++; }
          v = s[i1 + 1]!;
          if (v === v && v !== nd) { sum += v; count++; }
          d[o + x] = count === 0 ? fill : float ? sum / count : Math.floor(sum / count + 0.5);
        }
      }
      // Everything else: edges of odd sizes, and pixels with a mask or alpha.
      for (; x < ow; x++) {
        const i0 = r0 + 2 * x;
        const right = 2 * x + 1 < w;
        let sum = 0, count = 0;
        const take = (i: number) => {
          const v = s[i]!;
          if (valid ? valid[i] : plain || (v === v && v !== nd)) { sum += v; count++; }
        };
        take(i0);
        if (right) take(i0 + 1);
        if (r1 >= 0) {
          take(r1 + 2 * x);
          if (right) take(r1 + 2 * x + 1);
        }
        d[o + x] = count === 0 ? fill : float ? sum / count : Math.floor(sum / count + 0.5);
      }
    }
  }
  return { width: ow, height: oh, bands, ...(mask ? { mask } : {}) };
}
