import { resolve } from 'node:path';
import { loadConfig, readTileMatrixSetFiles } from '../config.js';
import { createDefaultRegistry, type TileMatrixSet } from '../tilematrixsets/index.js';
import { COG_COMPRESSIONS, cogify, type CogCompression, ZOOM_LEVEL_STRATEGIES, type ZoomLevelStrategy } from '../tiling/cog/write/index.js';
import { Engine } from '../tiling/engine.js';
import { RESAMPLINGS, type Resampling } from '../tiling/warp/plan.js';
import { parse, UsageError } from './args.js';

/**
 * `tilewright cogify IN OUT [--compression deflate|zstd|jpeg|webp|none] [--quality Q]
 * [--tms ID [--zoom-level-strategy upper|auto|lower]] [--resampling R] [--blocksize N] [--config FILE]`
 */
export async function cogifyCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, {
    compression: { type: 'string' },
    quality: { type: 'string' },
    tms: { type: 'string' },
    'zoom-level-strategy': { type: 'string' },
    resampling: { type: 'string' },
    blocksize: { type: 'string' },
    config: { type: 'string' },
  });
  if (positionals.length !== 2) throw new UsageError('cogify needs IN and OUT');
  const [input, output] = positionals as [string, string];
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(input) && resolve(input) === resolve(output)) throw new UsageError('OUT must differ from IN');

  const compression = (values.compression ?? 'deflate').toLowerCase() as CogCompression;
  if (!COG_COMPRESSIONS.includes(compression)) throw new UsageError(`--compression must be one of ${COG_COMPRESSIONS.join(', ')}, got "${values.compression}"`);
  let quality: number | undefined;
  if (values.quality !== undefined) {
    quality = Number(values.quality);
    if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw new UsageError(`--quality must be an integer from 1 to 100, got "${values.quality}"`);
    if (compression !== 'jpeg' && compression !== 'webp') throw new UsageError('--quality applies to --compression jpeg or webp');
  }
  let blockSize: number | undefined;
  if (values.blocksize !== undefined) {
    blockSize = Number(values.blocksize);
    if (!Number.isInteger(blockSize) || blockSize < 16 || blockSize > 4096 || blockSize % 16 !== 0) {
      throw new UsageError(`--blocksize must be a multiple of 16 from 16 to 4096, got "${values.blocksize}"`);
    }
  }
  const resampling = values.resampling as Resampling | undefined;
  if (resampling !== undefined && !RESAMPLINGS.includes(resampling)) throw new UsageError(`--resampling must be one of ${RESAMPLINGS.join(', ')}`);
  if (resampling !== undefined && !values.tms && resampling !== 'average' && resampling !== 'nearest') {
    throw new UsageError(`without --tms, --resampling chooses the overview kernel: average or nearest (got "${resampling}")`);
  }
  const strategy = values['zoom-level-strategy'] as ZoomLevelStrategy | undefined;
  if (strategy !== undefined && !ZOOM_LEVEL_STRATEGIES.includes(strategy)) throw new UsageError(`--zoom-level-strategy must be one of ${ZOOM_LEVEL_STRATEGIES.join(', ')}`);
  if (strategy !== undefined && !values.tms) throw new UsageError('--zoom-level-strategy needs --tms');

  const config = loadConfig(values.config ? { file: values.config } : {});
  let tms: TileMatrixSet | undefined;
  if (values.tms) {
    const registry = createDefaultRegistry();
    for (const doc of readTileMatrixSetFiles(config)) registry.fromJson(doc.text);
    tms = registry.get(values.tms);
  }
  const engine = new Engine({
    maxError: config.engine.warpErrorThreshold,
    // Without --tms each source block is read once; warping reads neighbours again.
    blockCacheBytes: (tms ? 128 : 16) << 20,
    sourceOptions: { http: config.sources.http, s3: config.sources.s3 },
  });
  try {
    const r = await cogify(input, output, {
      engine, compression,
      ...(quality !== undefined ? { quality } : {}),
      ...(blockSize !== undefined ? { blockSize } : {}),
      ...(tms ? { tileMatrixSet: tms, resampling: resampling ?? config.engine.defaultResampling } : resampling ? { resampling } : {}),
      ...(strategy ? { zoomLevelStrategy: strategy } : {}),
    });
    for (const note of r.notes) process.stderr.write(`note: ${note}\n`);
    const [full, ...overviews] = r.levels;
    const grid = r.tms ? `, ${r.tms.tileMatrixSetId} matrix ${r.tms.tileMatrix.id} tiles ${r.tms.minTileCol}..${r.tms.maxTileCol} x ${r.tms.minTileRow}..${r.tms.maxTileRow} (${r.resampling})` : '';
    process.stderr.write(
      `wrote ${output}: ${full!.width}x${full!.height}, ${r.bandCount} band${r.bandCount === 1 ? '' : 's'}, `
      + `${overviews.length} overview${overviews.length === 1 ? '' : 's'}${r.mask ? ' + mask' : ''}, ${r.compression}`
      + `${r.predictor > 1 ? ` (predictor ${r.predictor})` : ''}, ${r.blockSize}px blocks${grid}${r.bigTiff ? ', BigTIFF' : ''}, `
      + `${r.bytes} bytes in ${r.seconds.toFixed(1)} s\n`,
    );
  } finally {
    await engine.close();
  }
}
