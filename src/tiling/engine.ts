/**
 * The rendering engine of one thread: opens GeoTIFFs (cached), plans and reads windows,
 * warps, mosaics, styles and encodes. Protocol-free; the worker pool runs one per thread
 * and the main thread can run one directly (CLI, tests).
 */
import { setNativeKernels } from './native.js';
import { recycle } from './scratch.js';
import { throwIfAborted, UnsupportedFormatError } from '../errors.js';
import type { TileAddress, TileMatrixSet } from '../tilematrixsets/index.js';
import { CogCache, type OpenedCog } from './cog/cache.js';
import type { BandStatistics } from './cog/metadata.js';
import { BlockCache, readWindow } from './cog/window.js';
import { blankTile, contentTypes, encodeRgba, type EncodeOptions, type ImageFormat } from './encode.js';
import { tileGrid, type TargetGrid } from './grid.js';
import type { TileRenderer } from './renderer.js';
import { ChunkCache } from './source/cached.js';
import type { SourceOptions } from './source/open.js';
import { computeStatistics } from './statistics.js';
import { compositeOver, isOpaque } from './style/composite.js';
import { applyStyle, checkStyle, type RasterTile, type StyleParams } from './style/style.js';
import { planRead, type Resampling } from './warp/plan.js';
import { rounderFor, warpChunks, warpShape } from './warp/warp.js';

export interface EngineOptions {
  /** Approximate transformer error bound, source pixels (0 = exact). */
  maxError?: number;
  blockCacheBytes?: number;
  chunkCacheBytes?: number;
  revalidateMs?: number;
  sourceOptions?: SourceOptions;
  encode?: EncodeOptions;
  /** Use the native kernels in this thread when they are built (default: yes); see native.ts. */
  nativeKernels?: boolean;
}

/** One tile of one tile matrix set, drawn from `sources` in priority order. */
export interface TileJob {
  sources: readonly string[];
  tileMatrixSet: TileMatrixSet;
  tile: TileAddress;
  /** Output size in pixels (e.g. 512 for a 2x tile of a 256-pixel set); default the matrix tile size. */
  tileSize?: number;
  resampling: Resampling;
  style: StyleParams;
  format: ImageFormat;
  /**
   * The source versions the caller keyed the tile with: a source this thread has open at
   * another version is checked again at once, so a tile is never rendered from an older file
   * than its key names.
   */
  sourceVersions?: Readonly<Record<string, string>>;
}

/** One styled layer of a grid render: a collection's sources, style and resampling. */
export interface GridLayer {
  sources: readonly string[];
  style: StyleParams;
  resampling: Resampling;
}

/**
 * Any grid (an OGC API - Maps image, a dataset-level tile) drawn from styled layers. Layers
 * are listed from the TOP down: each is warped and styled on its own (their band layouts may
 * differ), then composited "over" the ones after it.
 */
export interface GridJob {
  grid: TargetGrid;
  layers: readonly GridLayer[];
  format: ImageFormat;
}

/** "No data here" is a value, not an error (DESIGN.md rule 4). */
export type TileResult =
  | { kind: 'empty'; width: number; height: number }
  | { kind: 'image'; bytes: Uint8Array; contentType: string; width: number; height: number };

export class Engine implements TileRenderer {
  readonly cogs: CogCache;
  readonly blocks: BlockCache;
  readonly #maxError: number;
  readonly #encode: EncodeOptions;
  readonly #stats = new Map<string, Promise<(BandStatistics | undefined)[]>>();

  constructor(options: EngineOptions = {}) {
    this.#maxError = options.maxError ?? 0.01;
    if (options.nativeKernels !== undefined) setNativeKernels(options.nativeKernels);
    this.#encode = options.encode ?? {};
    this.blocks = new BlockCache(options.blockCacheBytes ?? 256 << 20);
    this.cogs = new CogCache({
      chunkCache: new ChunkCache(options.chunkCacheBytes ?? 32 << 20),
      revalidateMs: options.revalidateMs ?? 5000,
      ...(options.sourceOptions ? { sourceOptions: options.sourceOptions } : {}),
    });
  }

  open(location: string, signal?: AbortSignal, expectedVersion?: string): Promise<OpenedCog> {
    return this.cogs.open(location, signal, expectedVersion);
  }

  /** The open file without waiting, when its version is trusted right now (CogCache.peek). */
  peek(location: string): OpenedCog | undefined {
    return this.cogs.peek(location);
  }

  /** The grid of a tile: its bounds in the set's CRS and its pixel size. Throws TileOutOfRange. */
  tileGrid(tms: TileMatrixSet, tile: TileAddress, tileSize?: number): TargetGrid {
    return tileGrid(tms, tile, tileSize);
  }

  /**
   * Raw warped values of the grid from the sources in priority order (first valid pixel
   * wins; partly transparent pixels are composited "over"), stopping as soon as every
   * pixel is fully covered. Undefined when no source has data there.
   */
  async warp(
    sources: readonly string[], grid: TargetGrid, resampling: Resampling, signal?: AbortSignal,
    versions?: Readonly<Record<string, string>>,
  ): Promise<RasterTile | undefined> {
    let acc: RasterTile | undefined;
    let shape: ReturnType<typeof warpShape> | undefined;
    for (const location of sources) {
      throwIfAborted(signal);
      const { cog, source } = await this.cogs.open(location, signal, versions?.[location]);
      const s = warpShape(cog);
      if (shape && (s.dataType !== shape.dataType || s.bandCount !== shape.bandCount)) {
        throw new UnsupportedFormatError(`${cog.url} has ${s.bandCount} ${s.dataType} bands but the mosaic has ${shape.bandCount} ${shape.dataType} bands`);
      }
      shape = s;
      const plan = planRead(cog, grid, { resampling, maxError: this.#maxError });
      if (!plan) continue;
      const level = cog.levels[plan.level]!;
      const rasters = await Promise.all(plan.chunks.map((c) => readWindow(source, this.blocks, cog, level, c.window, signal)));
      throwIfAborted(signal);
      const tile = warpChunks(cog, plan, rasters);
      recycle(plan.coords.x, plan.coords.y, plan.corners?.x, plan.corners?.y);
      acc = acc ? composite(acc, tile) : tile;
      if (isFullyCovered(acc)) break;
    }
    if (!acc || !hasData(acc)) return undefined;
    return acc;
  }

  /** Renders and encodes one tile. */
  async renderTile(job: TileJob, signal?: AbortSignal): Promise<TileResult> {
    const grid = this.tileGrid(job.tileMatrixSet, job.tile, job.tileSize);
    const first = job.sources[0] ? (await this.cogs.open(job.sources[0], signal, job.sourceVersions?.[job.sources[0]])).cog : undefined;
    if (first) checkStyle(job.style, warpShape(first).bandCount);
    const raster = await this.warp(job.sources, grid, job.resampling, signal, job.sourceVersions);
    if (!raster) return { kind: 'empty', width: grid.width, height: grid.height };
    const stats = await this.statistics(job.sources[0]!, signal);
    const rgba = applyStyle(raster, job.style, stats);
    throwIfAborted(signal);
    const bytes = await encodeRgba(rgba, raster.width, raster.height, job.format, this.#encode);
    // This render owns the raster and the RGBA to the end: their arrays serve the next tile.
    recycle(rgba, raster.alpha, ...raster.bands);
    return { kind: 'image', bytes, contentType: contentTypes[job.format], width: raster.width, height: raster.height };
  }

  /**
   * Renders and encodes a grid from styled layers (see GridJob), stopping once the layers
   * drawn so far are opaque. One layer on a tile's grid gives the same bytes as renderTile.
   */
  async renderGrid(job: GridJob, signal?: AbortSignal): Promise<TileResult> {
    const { grid } = job;
    let rgba: Uint8Array | undefined;
    // Top-down: each layer goes under what is drawn so far, so an opaque top stops early.
    for (const layer of job.layers) {
      if (layer.sources.length === 0) continue;
      const raster = await this.warp(layer.sources, grid, layer.resampling, signal);
      if (!raster) continue;
      const styled = applyStyle(raster, layer.style, await this.statistics(layer.sources[0]!, signal));
      rgba = rgba ? compositeOver(rgba, styled) : styled;
      if (isOpaque(rgba)) break;
    }
    if (!rgba) return { kind: 'empty', width: grid.width, height: grid.height };
    throwIfAborted(signal);
    const bytes = await encodeRgba(rgba, grid.width, grid.height, job.format, this.#encode);
    return { kind: 'image', bytes, contentType: contentTypes[job.format], width: grid.width, height: grid.height };
  }

  /** Releases open files; the engine stays usable. */
  close(): Promise<void> {
    return this.cogs.close();
  }

  /** The fixed "no data here" image for a tile size and format. */
  blank(format: ImageFormat, width: number, height: number): Promise<Uint8Array> {
    return blankTile(format, width, height);
  }

  /**
   * Per-band statistics for default rescaling: those GDAL stored in the file, else
   * computed once from the smallest overview (ignoring nodata, NaN and masked pixels).
   */
  async statistics(location: string, signal?: AbortSignal): Promise<(BandStatistics | undefined)[]> {
    const { cog, source } = await this.cogs.open(location, signal);
    if (cog.dataType === 'uint8' || cog.colorMap) return [];
    const stored = cog.statistics;
    const bands = warpShape(cog).bandCount;
    if (Array.from({ length: bands }, (_, b) => stored[b]).every((s) => s !== undefined)) return [...stored];
    const key = `${cog.url}@${cog.version}`;
    let p = this.#stats.get(key);
    if (!p) {
      p = (async () => {
        const level = cog.levels[cog.levels.length - 1]!;
        const raster = await readWindow(source, this.blocks, cog, level, { x: 0, y: 0, width: level.width, height: level.height });
        return computeStatistics(cog, raster).map((s, b) => stored[b] ?? s);
      })();
      this.#stats.set(key, p);
      p.catch(() => this.#stats.delete(key));
    }
    return p;
  }
}

/** Some pixel has data (a plain loop: `some` with a callback cost ~1% of a tile). */
function hasData(t: RasterTile): boolean {
  for (let i = 0; i < t.alpha.length; i++) if (t.alpha[i] !== 0) return true;
  return false;
}

function isFullyCovered(t: RasterTile): boolean {
  const a = t.alpha;
  // Four alpha bytes per step where the buffer allows (tile alphas start at offset 0).
  const words = a.byteOffset % 4 === 0 ? Math.floor(a.length / 4) : 0;
  if (words > 0) {
    const w = new Uint32Array(a.buffer, a.byteOffset, words);
    for (let i = 0; i < words; i++) if (w[i] !== 0xffffffff) return false;
  }
  for (let i = words * 4; i < a.length; i++) if (a[i] !== 255) return false;
  return true;
}

/** `top` over `bottom`, per pixel, with alpha as coverage (values un-premultiplied). */
function composite(top: RasterTile, bottom: RasterTile): RasterTile {
  const round = rounderFor(top.dataType);
  const n = top.alpha.length;
  for (let i = 0; i < n; i++) {
    const at = top.alpha[i]!, ab = bottom.alpha[i]!;
    if (at === 255 || ab === 0) continue;
    if (at === 0) {
      for (let b = 0; b < top.bands.length; b++) top.bands[b]![i] = bottom.bands[b]![i]!;
      top.alpha[i] = ab;
      continue;
    }
    const ft = at / 255, fb = (ab / 255) * (1 - ft), fa = ft + fb;
    for (let b = 0; b < top.bands.length; b++) {
      top.bands[b]![i] = round((top.bands[b]![i]! * ft + bottom.bands[b]![i]! * fb) / fa);
    }
    top.alpha[i] = Math.round(fa * 255);
  }
  return top;
}
