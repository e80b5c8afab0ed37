import { LRUCache } from 'lru-cache';
import { raceAbort, UnsupportedFormatError } from '../../errors.js';
import { isMainThread } from 'node:worker_threads';
import { canDecodeSync, decodeBlockSync, decodeBlockWithMask } from '../decode/index.js';
import type { DecodedBlock, SampleArray } from '../decode/types.js';
import type { CachedSource } from '../source/cached.js';
import type { Cog, CogLevel, DataType } from './types.js';

/** A pixel window of one level: columns [x, x+width), rows [y, y+height). */
export interface PixelWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Samples of a window, one row-major array per sample (band), plus validity. */
export interface RasterWindow {
  width: number;
  height: number;
  bands: SampleArray[];
  /** 1 = valid, 0 = invalid (internal mask or codec mask); undefined when every pixel is valid. */
  mask: Uint8Array | undefined;
}

type Block = { samples: SampleArray; validMask: Uint8Array | undefined };

/**
 * Decoded blocks shared by every read of a process (bounded in bytes). Adjacent tiles
 * read the same source blocks, so each block is fetched and decoded once; concurrent
 * readers of a block share one load, which is not tied to any one reader's AbortSignal
 * (a reader that gives up does not fail the others), and failures are not cached.
 */
export class BlockCache {
  readonly lru: LRUCache<string, Block>;
  readonly #inflight = new Map<string, Promise<Block>>();
  hits = 0;
  misses = 0;

  constructor(maxBytes = 256 * 1024 * 1024) {
    this.lru = new LRUCache<string, Block>({
      maxSize: maxBytes,
      sizeCalculation: (b) => Math.max(1, b.samples.byteLength + (b.validMask?.byteLength ?? 0)),
    });
  }

  /** The cached or in-flight block, if any. */
  peek(key: string): Promise<Block> | undefined {
    const hit = this.lru.get(key);
    if (hit) { this.hits++; return Promise.resolve(hit); }
    return this.#inflight.get(key);
  }

  /** Registers the load of a block; later readers of `key` share it until it settles. */
  load(key: string, loading: Promise<Block>): Promise<Block> {
    this.misses++;
    const p = loading.then((b) => { this.lru.set(key, b); return b; });
    this.#inflight.set(key, p);
    p.then(() => this.#inflight.delete(key), () => this.#inflight.delete(key));
    return p;
  }
}

export const arrayFor: Record<DataType, new (n: number) => SampleArray> = {
  uint8: Uint8Array, int8: Int8Array, uint16: Uint16Array, int16: Int16Array,
  uint32: Uint32Array, int32: Int32Array, float32: Float32Array, float64: Float64Array,
};

/**
 * Reads a window of one level: every block it touches is located, fetched (nearby
 * ranges merged into one request), decoded and copied into planar band arrays.
 * The window must lie inside the level (the read planner clamps it).
 */
export async function readWindow(
  src: CachedSource, blocks: BlockCache, cog: Cog, level: CogLevel, win: PixelWindow, signal?: AbortSignal,
): Promise<RasterWindow> {
  const bands = await readSamples(src, blocks, cog, level, win, cog.sampleCount, cog.dataType, signal);
  let mask = bands.valid;
  if (level.mask) {
    const m = await readSamples(src, blocks, cog, level.mask, win, 1, 'uint8', signal);
    const mv = m.bands[0]!;
    mask = mask ?? new Uint8Array(mv.length).fill(1);
    for (let i = 0; i < mv.length; i++) if (mv[i] === 0) mask[i] = 0;
  }
  return { width: win.width, height: win.height, bands: bands.bands, mask };
}

async function readSamples(
  src: CachedSource, blocks: BlockCache, cog: Cog, level: CogLevel, win: PixelWindow, samples: number, dataType: DataType,
  signal?: AbortSignal,
): Promise<{ bands: SampleArray[]; valid: Uint8Array | undefined }> {
  const { blockWidth: bw, blockHeight: bh } = level;
  const bx0 = Math.floor(win.x / bw), bx1 = Math.floor((win.x + win.width - 1) / bw);
  const by0 = Math.floor(win.y / bh), by1 = Math.floor((win.y + win.height - 1) / bh);
  const planes = level.planarConfiguration === 2 ? samples : 1;
  const perBlock = level.planarConfiguration === 2 ? 1 : samples;
  const blocksPerPlane = level.blocksAcross * level.blocksDown;
  const keyBase = `${cog.url}@${cog.version}:${level.index}${level.layout.photometric === 4 ? 'm' : ''}:`;

  type Need = { bx: number; by: number; plane: number; index: number };
  const needs: Need[] = [];
  for (let plane = 0; plane < planes; plane++)
    for (let by = by0; by <= by1; by++)
      for (let bx = bx0; bx <= bx1; bx++) needs.push({ bx, by, plane, index: plane * blocksPerPlane + by * level.blocksAcross + bx });

  const pending: Promise<Block>[] = needs.map((n) => blocks.peek(keyBase + n.index) as Promise<Block>);
  const missing = needs.filter((_, k) => !pending[k]);
  if (missing.length) {
    // One batch for every missing block, so nearby byte ranges merge into one request.
    const batch = (async () => {
      const ranges = await Promise.all(missing.map((n) => level.blocks.locate(n.index)));
      const stored = missing.map((n, i) => ({ n, r: ranges[i]! })).filter((x) => x.r.length > 0);
      const bytes = await src.readRanges(stored.map((x) => x.r));
      return new Map(stored.map((x, i) => [x.n.index, bytes[i]!]));
    })();
    for (const n of missing) {
      const rows = level.tiled ? bh : Math.min(bh, level.height - n.by * bh);
      const decoded = batch.then(async (bytes): Promise<Block> => {
        const b = bytes.get(n.index);
        if (!b) return emptyBlock(dataType, level.blockWidth * rows * perBlock, cog.nodata, level.layout.photometric === 4);
        const layout = { ...level.layout, height: rows };
        // Worker threads decode on their own thread (that is what they are for); the main
        // thread hands codecs to the libuv pool so the event loop stays free.
        const d: DecodedBlock = !isMainThread && canDecodeSync(layout) ? decodeBlockSync(b, layout) : await decodeBlockWithMask(b, layout);
        if (d.samples instanceof BigInt64Array || d.samples instanceof BigUint64Array) {
          throw new UnsupportedFormatError('64-bit integer samples are not supported');
        }
        return { samples: d.samples, validMask: d.validMask };
      });
      pending[needs.indexOf(n)] = blocks.load(keyBase + n.index, decoded);
    }
  }
  const decoded = await raceAbort(Promise.all(pending), signal);

  const Arr = arrayFor[dataType];
  const n = win.width * win.height;
  const bands = Array.from({ length: samples }, () => new Arr(n));
  let valid: Uint8Array | undefined;
  decoded.forEach((block, k) => {
    const { bx, by, plane } = needs[k]!;
    const rows = level.tiled ? bh : Math.min(bh, level.height - by * bh);
    // Intersection of this block with the window, in level pixel coordinates.
    const x0 = Math.max(win.x, bx * bw), x1 = Math.min(win.x + win.width, bx * bw + bw, level.width);
    const y0 = Math.max(win.y, by * bh), y1 = Math.min(win.y + win.height, by * bh + rows);
    const s = block.samples;
    for (let y = y0; y < y1; y++) {
      const srcRow = ((y - by * bh) * bw + (x0 - bx * bw)) * perBlock;
      const dstRow = (y - win.y) * win.width + (x0 - win.x);
      const len = x1 - x0;
      if (perBlock === 1) {
        bands[plane]!.set(s.subarray(srcRow, srcRow + len) as never, dstRow);
      } else {
        for (let b = 0; b < perBlock; b++) {
          const out = bands[b]!;
          for (let i = 0, j = srcRow + b; i < len; i++, j += perBlock) out[dstRow + i] = s[j]!;
        }
      }
      if (block.validMask) {
        valid ??= new Uint8Array(n).fill(1);
        const m = block.validMask;
        const mRow = (y - by * bh) * bw + (x0 - bx * bw);
        for (let i = 0; i < len; i++) if (m[mRow + i] === 0) valid[dstRow + i] = 0;
      }
    }
  });
  return { bands, valid };
}

/** A block absent from the file (offset/byte count 0, "sparse"): nodata, or 0; a missing mask block is invalid. */
function emptyBlock(dataType: DataType, n: number, nodata: number | undefined, isMask: boolean): Block {
  const a = new arrayFor[isMask ? 'uint8' : dataType](n);
  if (!isMask && nodata !== undefined && !Number.isNaN(nodata)) a.fill(nodata);
  else if (!isMask && nodata !== undefined) a.fill(NaN);
  return { samples: a, validMask: undefined };
}
