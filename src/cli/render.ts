import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { loadConfig, readTileMatrixSetFiles } from '../config.js';
import { createDefaultRegistry } from '../tilematrixsets/index.js';
import { Engine } from '../tiling/engine.js';
import { parseFormat, type ImageFormat } from '../tiling/encode.js';
import type { StyleParams } from '../tiling/style/style.js';
import { RESAMPLINGS, type Resampling } from '../tiling/warp/plan.js';
import { numberList, parse, UsageError } from './args.js';

/** `tilewright render FILE... --tms ID --tile Z/ROW/COL ... -o OUT` */
export async function renderCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, {
    tms: { type: 'string' },
    tile: { type: 'string' },
    resampling: { type: 'string' },
    bands: { type: 'string' },
    rescale: { type: 'string', multiple: true },
    colormap: { type: 'string' },
    format: { type: 'string' },
    size: { type: 'string' },
    output: { type: 'string', short: 'o' },
    config: { type: 'string' },
  });
  if (positionals.length === 0) throw new UsageError('render needs at least one FILE');
  if (!values.tms) throw new UsageError('--tms ID is required (e.g. WebMercatorQuad)');
  if (!values.tile) throw new UsageError('--tile Z/ROW/COL is required (Z is the tile matrix id)');
  if (!values.output) throw new UsageError('-o OUT is required');

  const m = /^([^/]+)\/(-?\d+)\/(-?\d+)$/.exec(values.tile);
  if (!m) throw new UsageError(`--tile must look like Z/ROW/COL, got "${values.tile}"`);
  const tile = { tileMatrix: m[1]!, row: Number(m[2]), col: Number(m[3]) };

  const config = loadConfig(values.config ? { file: values.config } : {});
  const resampling = (values.resampling ?? config.engine.defaultResampling) as Resampling;
  if (!RESAMPLINGS.includes(resampling)) throw new UsageError(`--resampling must be one of ${RESAMPLINGS.join(', ')}`);
  let format: ImageFormat;
  try {
    format = parseFormat(values.format ?? (extname(values.output).slice(1) || 'png'));
  } catch {
    throw new UsageError(`--format must be png, jpeg or webp${values.format ? `, got "${values.format}"` : ` (or give OUT a .png, .jpg or .webp name)`}`);
  }
  let tileSize: number | undefined;
  if (values.size !== undefined) {
    tileSize = Number(values.size);
    if (tileSize !== 256 && tileSize !== 512) throw new UsageError(`--size must be 256 or 512, got "${values.size}"`);
  }
  const style: StyleParams = {
    ...(values.bands ? { bands: numberList(values.bands, 'bands') } : {}),
    ...(values.rescale ? {
      rescale: values.rescale.map((r) => {
        const pair = numberList(r, 'rescale');
        if (pair.length !== 2) throw new UsageError(`--rescale expects MIN,MAX, got "${r}"`);
        return [pair[0]!, pair[1]!] as const;
      }),
    } : {}),
    ...(values.colormap ? { colormap: values.colormap } : {}),
  };

  const registry = createDefaultRegistry();
  for (const doc of readTileMatrixSetFiles(config)) registry.fromJson(doc.text);
  const tms = registry.get(values.tms);
  const engine = new Engine({
    maxError: config.engine.warpErrorThreshold,
    sourceOptions: { http: config.sources.http, s3: config.sources.s3 },
    encode: { png: config.engine.pngEncoder, quality: format === 'webp' ? config.engine.webpQuality : config.engine.jpegQuality },
  });
  const result = await engine.renderTile({ sources: positionals, tileMatrixSet: tms, tile, resampling, style, format, ...(tileSize ? { tileSize } : {}) });
  if (result.kind === 'empty') {
    await writeFile(values.output, await engine.blank(format, result.width, result.height));
    process.stderr.write(`no data in ${tms.id} tile ${values.tile}: wrote the blank ${result.width}x${result.height} ${format} tile to ${values.output}\n`);
    return;
  }
  await writeFile(values.output, result.bytes);
  process.stderr.write(`wrote ${result.width}x${result.height} ${format} (${result.bytes.length} bytes) to ${values.output}\n`);
}
