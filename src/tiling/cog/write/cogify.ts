/**
 * cogify: any GeoTIFF the engine reads → a Cloud-Optimized GeoTIFF. Without a tile matrix set
 * the pixels, bands, georeferencing (GeoKeys copied verbatim), nodata, mask, alpha and palette
 * are kept as they are and a pyramid is added; with one, the image is first warped by the engine
 * onto the grid of the set (see tms.ts).
 */
import type { TileMatrixSet } from '../../../tilematrixsets/index.js';
import { Engine } from '../../engine.js';
import type { Resampling } from '../../warp/plan.js';
import { CogWriteError } from './errors.js';
import { cogSourceRaster } from './source.js';
import { planTmsGrid, tmsRaster, type TmsGridPlan, type ZoomLevelStrategy } from './tms.js';
import { writeCog, type CogWriteOptions, type CogWriteResult } from './writer.js';

export interface CogifyOptions extends CogWriteOptions {
  /** Reproject onto this tile matrix set's grid (GDAL's TILING_SCHEME). */
  tileMatrixSet?: TileMatrixSet;
  zoomLevelStrategy?: ZoomLevelStrategy;
  /**
   * With a tile matrix set: the warp kernel (default 'bilinear'; palettes always 'nearest'),
   * and the overviews are averaged unless it is 'nearest'. Without: the overview kernel,
   * 'average' (default) or 'nearest'.
   */
  resampling?: Resampling;
  /** The engine to read (and warp) with; default a private one with a 128 MB block cache. */
  engine?: Engine;
}

export interface CogifyResult extends CogWriteResult {
  /** The grid chosen with a tile matrix set. */
  tms?: TmsGridPlan;
  /** The warp kernel used with a tile matrix set. */
  resampling?: Resampling;
  seconds: number;
}

export async function cogify(input: string, output: string, options: CogifyOptions = {}): Promise<CogifyResult> {
  const started = performance.now();
  const engine = options.engine ?? new Engine({ blockCacheBytes: 128 << 20 });
  try {
    const source = await cogSourceRaster(engine, input, options.signal);
    const { cog, tags } = source;
    if (!options.tileMatrixSet) {
      const r = options.resampling;
      if (r !== undefined && r !== 'average' && r !== 'nearest') {
        throw new CogWriteError(`overviews are made with 'average' or 'nearest', not '${r}' (other kernels apply to --tms warps)`);
      }
      const result = await writeCog(source, output, { label: input, ...options, ...(r ? { overviewResampling: r } : {}) });
      return { ...result, seconds: (performance.now() - started) / 1000 };
    }
    const tms = options.tileMatrixSet;
    const plan = planTmsGrid(cog, tms, options.zoomLevelStrategy ?? 'upper');
    const notes: string[] = [];
    let resampling = options.resampling ?? 'bilinear';
    if (cog.colorMap && resampling !== 'nearest') {
      if (options.resampling) notes.push(`palette data is warped with 'nearest', not '${resampling}' (colours between palette entries have no index)`);
      resampling = 'nearest';
    }
    const blockSize = options.blockSize ?? plan.tileMatrix.tileWidth;
    const raster = tmsRaster(engine, input, cog, tags, { tileMatrixSet: tms, plan, resampling, blockSize });
    const result = await writeCog(raster, output, {
      label: input, ...options, blockSize, overviewResampling: resampling === 'nearest' ? 'nearest' : 'average',
    });
    return { ...result, notes: [...notes, ...result.notes], tms: plan, resampling, seconds: (performance.now() - started) / 1000 };
  } finally {
    if (!options.engine) await engine.close();
  }
}
