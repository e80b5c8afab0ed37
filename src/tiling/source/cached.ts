import { LRUCache } from 'lru-cache';
import { raceAbort } from '../../errors.js';
import type { ByteRange, ByteSource, SourceStat } from './bytesource.js';

/**
 * Byte chunks shared by all cached sources of a process, bounded in bytes. Keys carry
 * the source version, so a rewritten file never serves stale chunks.
 */
export class ChunkCache {
  readonly lru: LRUCache<string, Uint8Array>;
  constructor(maxBytes = 64 * 1024 * 1024) {
    this.lru = new LRUCache<string, Uint8Array>({ maxSize: maxBytes, sizeCalculation: (v) => Math.max(1, v.length) });
  }
}

export interface CachedSourceOptions {
  /** Small reads (headers, IFDs, tile offset arrays) are served from chunks of this size. */
  chunkSize?: number;
  /**
   * Ranges closer than this are fetched in one request by `readRanges` (a few KiB wasted
   * beats one more round trip to HTTP/S3; 0 for local files).
   */
  mergeGap?: number;
}

/**
 * Wraps a byte source with (1) a chunk cache for small header/IFD reads, (2) one
 * in-flight promise per chunk so concurrent readers share a fetch, and (3) merging of
 * nearby block ranges into fewer requests.
 */
export class CachedSource {
  readonly chunkSize: number;
  readonly mergeGap: number;
  #inflight = new Map<string, Promise<Uint8Array>>();

  constructor(
    readonly inner: ByteSource,
    readonly stat: SourceStat,
    private readonly cache: ChunkCache,
    options: CachedSourceOptions = {},
  ) {
    this.chunkSize = options.chunkSize ?? 64 * 1024;
    this.mergeGap = options.mergeGap ?? 0;
  }

  get url(): string {
    return this.inner.url;
  }

  /** Reads through the chunk cache: meant for metadata; big reads bypass it. */
  async read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.stat.size);
    if (end <= offset) return new Uint8Array(0);
    if (end - offset > 4 * this.chunkSize) return this.inner.read(offset, end - offset, signal);
    const first = Math.floor(offset / this.chunkSize);
    const last = Math.floor((end - 1) / this.chunkSize);
    const chunks = await Promise.all(range(first, last).map((i) => this.#chunk(i, signal)));
    if (chunks.length === 1) {
      const base = first * this.chunkSize;
      return chunks[0]!.subarray(offset - base, end - base);
    }
    const out = new Uint8Array(end - offset);
    let pos = 0;
    for (let k = 0; k < chunks.length; k++) {
      const c = chunks[k]!;
      const base = (first + k) * this.chunkSize;
      const from = Math.max(offset, base) - base;
      const to = Math.min(end, base + c.length) - base;
      out.set(c.subarray(from, to), pos);
      pos += to - from;
    }
    return out;
  }

  /**
   * Reads several ranges (e.g. the tiles of a window) with as few requests as possible:
   * ranges are sorted, ranges closer than `mergeGap` are merged, and each answer is cut back.
   */
  async readRanges(ranges: readonly ByteRange[], signal?: AbortSignal): Promise<Uint8Array[]> {
    const order = ranges.map((r, i) => ({ ...r, i })).sort((a, b) => a.offset - b.offset);
    const groups: { offset: number; end: number; members: typeof order }[] = [];
    for (const r of order) {
      const g = groups[groups.length - 1];
      if (g && r.offset <= g.end + this.mergeGap) {
        g.end = Math.max(g.end, r.offset + r.length);
        g.members.push(r);
      } else {
        groups.push({ offset: r.offset, end: r.offset + r.length, members: [r] });
      }
    }
    const out = new Array<Uint8Array>(ranges.length);
    await Promise.all(groups.map(async (g) => {
      const bytes = await this.inner.read(g.offset, g.end - g.offset, signal);
      for (const m of g.members) out[m.i] = bytes.subarray(m.offset - g.offset, m.offset - g.offset + m.length);
    }));
    return out;
  }

  #chunk(index: number, signal?: AbortSignal): Promise<Uint8Array> {
    const key = `${this.inner.url}@${this.stat.version}#${index}`;
    const hit = this.cache.lru.get(key);
    if (hit) return Promise.resolve(hit);
    let p = this.#inflight.get(key);
    if (!p) {
      // Not tied to one caller's signal: other readers may be waiting on the same chunk.
      p = this.inner.read(index * this.chunkSize, this.chunkSize).then((bytes) => {
        this.cache.lru.set(key, bytes);
        return bytes;
      }).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, p);
    }
    return raceAbort(p, signal);
  }
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i <= b; i++) out.push(i);
  return out;
}
