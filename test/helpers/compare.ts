/** Pixel comparison figures used by the accuracy tests (decoded pixels, never bytes). */

export interface CompareResult {
  /** Pixels valid in both images. */
  bothValid: number;
  /** Pixels whose validity differs (alpha 0 vs > 0). */
  maskDiff: number;
  /** maskDiff pixels that are NOT on the outermost data edge of either image. */
  maskDiffInterior: number;
  /** Of the pixels valid in both: how many have every band exactly equal. */
  identical: number;
  /** PSNR over pixels valid in both, all bands, with `peak` as the signal peak (dB; Infinity if equal). */
  psnr: number;
  maxAbsDiff: number;
  /**
   * Pixels valid in both where some band is NaN in one image only (float data). They count
   * as not identical and stay out of the PSNR and maxAbsDiff (NaN equals NaN).
   */
  nanMismatch: number;
  /** nanMismatch pixels with no NaN 8-neighbour in either image (not on the edge of a NaN area). */
  nanMismatchInterior: number;
}

/**
 * Compares two warped rasters: `a` and `b` are band lists (colour bands only) with a
 * validity alpha each. A mask difference is on the "outermost data edge" when the pixel has
 * an invalid 8-neighbour (inside the tile) in either image.
 */
export function compareRasters(
  width: number, height: number,
  a: ArrayLike<number>[], alphaA: ArrayLike<number>,
  b: ArrayLike<number>[], alphaB: ArrayLike<number>,
  peak: number,
): CompareResult {
  const n = width * height;
  let nanMismatch = 0, nanMismatchInterior = 0, bothValid = 0, maskDiff = 0, maskDiffInterior = 0, identical = 0, sq = 0, count = 0, maxAbsDiff = 0;
  const nanNeighbour = (bands: ArrayLike<number>[], i: number) => {
    const x = i % width, y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx, yy = y + dy;
      if ((dx === 0 && dy === 0) || xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
      if (bands.some((band) => Number.isNaN(band[yy * width + xx]))) return true;
    }
    return false;
  };
  const edge = (alpha: ArrayLike<number>, i: number) => {
    const x = i % width, y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx, yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
      if (alpha[yy * width + xx] === 0) return true;
    }
    return false;
  };
  for (let i = 0; i < n; i++) {
    const va = alphaA[i]! > 0, vb = alphaB[i]! > 0;
    if (va !== vb) {
      maskDiff++;
      const onEdge = va ? edge(alphaA, i) || edge(alphaB, i) : edge(alphaB, i) || edge(alphaA, i);
      if (!onEdge) maskDiffInterior++;
      continue;
    }
    if (!va) continue;
    bothValid++;
    let same = true, nan = false;
    for (let k = 0; k < a.length; k++) {
      const x = a[k]![i]!, y = b[k]![i]!;
      if (Number.isNaN(x) || Number.isNaN(y)) {
        if (Number.isNaN(x) !== Number.isNaN(y)) { same = false; nan = true; }
        continue;
      }
      const d = Math.abs(x - y);
      if (d !== 0) same = false;
      if (d > maxAbsDiff) maxAbsDiff = d;
      sq += d * d;
      count++;
    }
    if (same) identical++;
    if (nan) {
      nanMismatch++;
      if (!nanNeighbour(a, i) && !nanNeighbour(b, i)) nanMismatchInterior++;
    }
  }
  const mse = count ? sq / count : 0;
  const psnr = mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse);
  return { bothValid, maskDiff, maskDiffInterior, identical, psnr, maxAbsDiff, nanMismatch, nanMismatchInterior };
}
