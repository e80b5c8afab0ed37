import type { SampleArray } from '../decode/types.js';
import type { Cog, DataType } from '../cog/types.js';
import { arrayFor, type RasterWindow } from '../cog/window.js';
import type { RasterTile } from '../style/style.js';
import { runKernel } from './kernels.js';
import type { ReadPlan } from './plan.js';
import { buildValidity } from './validity.js';
import { takeZeroed } from '../scratch.js';

const INT_RANGE: Partial<Record<DataType, [number, number]>> = {
  uint8: [0, 255], int8: [-128, 127], uint16: [0, 65535], int16: [-32768, 32767],
  uint32: [0, 4294967295], int32: [-2147483648, 2147483647],
};

/** GDAL's GWKClampValueT / GWKRoundValueT: clamp to the type, round half up; floats untouched. */
export function rounderFor(dataType: DataType): (v: number) => number {
  const r = INT_RANGE[dataType];
  if (!r) return (v) => v;
  const [lo, hi] = r;
  return (v) => (v < lo ? lo : v > hi ? hi : Math.floor(v + 0.5));
}

/**
 * Expands palette indices to RGBA before any resampling (interpolating indices would mix
 * unrelated colours). The nodata index becomes alpha 0; the result is an RGBA source.
 */
export function expandPalette(index: SampleArray, colorMap: Uint8Array, nodata: number | undefined): SampleArray[] {
  const n = index.length;
  const bands = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
  const entries = colorMap.length / 4;
  for (let i = 0; i < n; i++) {
    const v = index[i]!;
    if (v === nodata || v < 0 || v >= entries) continue;
    const o = 4 * v;
    bands[0]![i] = colorMap[o]!; bands[1]![i] = colorMap[o + 1]!; bands[2]![i] = colorMap[o + 2]!; bands[3]![i] = colorMap[o + 3]!;
  }
  return bands;
}

/** What a source looks like to the warper once palettes are expanded. */
export interface WarpSourceShape {
  dataType: DataType;
  /** Colour (non-alpha) band count. */
  bandCount: number;
}

export function warpShape(cog: Cog): WarpSourceShape {
  if (cog.colorMap) return { dataType: 'uint8', bandCount: 3 };
  return { dataType: cog.dataType, bandCount: cog.sampleCount - (cog.alphaSample !== undefined ? 1 : 0) };
}

/**
 * Warps the chunks of a plan, each from its own read window, into one destination raster
 * of `plan.coords` size: colour bands in the source data type plus a validity alpha (0
 * where nothing was written).
 */
export function warpChunks(cog: Cog, plan: ReadPlan, rasters: readonly RasterWindow[]): RasterTile {
  const shape = warpShape(cog);
  const { width, height } = plan.coords;
  const Arr = arrayFor[shape.dataType];
  const out = Array.from({ length: shape.bandCount }, () => takeZeroed(Arr, width * height));
  const alpha = takeZeroed(Uint8Array, width * height);
  const round = rounderFor(shape.dataType);
  plan.chunks.forEach((chunk, k) => {
    const raster = rasters[k]!;
    let samples = raster.bands;
    let alphaSample = cog.alphaSample;
    let nodata = cog.nodata;
    if (cog.colorMap) {
      samples = expandPalette(samples[0]!, cog.colorMap, cog.nodata);
      alphaSample = 3;
      nodata = undefined;
    }
    const colour = samples.filter((_, i) => i !== alphaSample);
    const validity = buildValidity(colour, {
      dataType: shape.dataType, nodata, alpha: alphaSample !== undefined ? samples[alphaSample] : undefined, mask: raster.mask,
    });
    const w = chunk.window;
    runKernel({
      src: colour, winX: w.x, winY: w.y, winWidth: w.width, winHeight: w.height, validity,
      coords: plan.coords, dst: chunk.dst, scaleX: w.scaleX, scaleY: w.scaleY,
      // GDAL's RealCase falls back to nearest for a one-pixel-wide or -tall window.
      resampling: w.width === 1 || w.height === 1 ? 'nearest' : plan.resampling,
      out, alpha, round,
      ...(plan.corners ? { corners: plan.corners } : {}),
    });
  });
  return { width, height, dataType: shape.dataType, bands: out, alpha };
}
