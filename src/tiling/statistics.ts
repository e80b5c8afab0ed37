import type { BandStatistics } from './cog/metadata.js';
import type { Cog } from './cog/types.js';
import type { RasterWindow } from './cog/window.js';
import { buildValidity } from './warp/validity.js';

/**
 * Minimum, maximum, mean and standard deviation of each colour band over the valid pixels
 * of a window (nodata, NaN, masked and fully transparent pixels left out), as GDAL's
 * approximate statistics do from an overview. Undefined for a band with no valid pixel.
 */
export function computeStatistics(cog: Cog, raster: RasterWindow): (BandStatistics | undefined)[] {
  const colour = raster.bands.filter((_, i) => i !== cog.alphaSample);
  const validity = buildValidity(colour, {
    dataType: cog.dataType, nodata: cog.nodata, mask: raster.mask,
    alpha: cog.alphaSample !== undefined ? raster.bands[cog.alphaSample] : undefined,
  });
  return colour.map((band, b) => {
    let min = Infinity, max = -Infinity, sum = 0, sq = 0, n = 0;
    const bv = validity.bands?.[b] ?? validity.unified;
    for (let i = 0; i < band.length; i++) {
      const v = band[i]!;
      if (v !== v) continue;
      if (bv && bv[i] === 0) continue;
      if (validity.density && validity.density[i] === 0) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v; sq += v * v; n++;
    }
    if (n === 0) return undefined;
    const mean = sum / n;
    return { minimum: min, maximum: max, mean, stdDev: Math.sqrt(Math.max(0, sq / n - mean * mean)) };
  });
}
