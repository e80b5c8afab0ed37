import { LRUCache } from 'lru-cache';
import { raceAbort } from '../../errors.js';
import type { ByteSource } from '../source/bytesource.js';
import { CachedSource, ChunkCache } from '../source/cached.js';
import { openByteSource, type SourceOptions } from '../source/open.js';
import { openCog } from './open.js';
import type { Cog } from './types.js';

export interface OpenedCog {
  cog: Cog;
  source: CachedSource;
}

export interface CogCacheOptions {
  sourceOptions?: SourceOptions;
  chunkCache?: ChunkCache;
  /** How long a file's version is trusted before it is checked again (ms). */
  revalidateMs?: number;
  /** Opened files kept (headers are small; this bounds handles and memory). */
  maxOpen?: number;
  /** Custom byte source factory (tests, memory sources). */
  openSource?: (location: string) => ByteSource;
}

interface Entry {
  promise: Promise<OpenedCog>;
  checkedAt: number;
  /** The promise's value once it has one (read synchronously by `peek`). */
  opened?: OpenedCog;
}

/**
 * One open per file: concurrent opens share one promise, failures are evicted at once
 * (DESIGN.md rule 8), and after `revalidateMs` the next open re-checks the file's
 * version; a changed file is reopened, so new data is never hidden behind old headers.
 */
export class CogCache {
  readonly #entries: LRUCache<string, Entry>;
  readonly #chunks: ChunkCache;
  readonly #revalidateMs: number;
  readonly #openSource: (location: string) => ByteSource;

  constructor(options: CogCacheOptions = {}) {
    this.#chunks = options.chunkCache ?? new ChunkCache();
    this.#revalidateMs = options.revalidateMs ?? 5000;
    this.#openSource = options.openSource ?? ((loc) => openByteSource(loc, options.sourceOptions));
    this.#entries = new LRUCache<string, Entry>({
      max: options.maxOpen ?? 1000,
      // Evicted, replaced or forgotten files release their handle (a later read reopens it).
      dispose: (e) => { e.promise.then((o) => o.source.inner.close(), () => undefined); },
    });
  }

  /**
   * `expectedVersion`: the version the caller saw (e.g. the one a cache key was made with); an
   * open file at another version is checked again at once instead of after `revalidateMs`.
   */
  async open(location: string, signal?: AbortSignal, expectedVersion?: string): Promise<OpenedCog> {
    const now = Date.now();
    const entry = this.#entries.get(location);
    if (entry) {
      if (now - entry.checkedAt < this.#revalidateMs) {
        if (expectedVersion === undefined) return entry.promise;
        const opened = await entry.promise.catch(() => undefined);
        if (opened && opened.cog.version === expectedVersion) return opened;
      }
      entry.checkedAt = now;
      const opened = await entry.promise;
      const stat = await opened.source.inner.stat(signal);
      if (stat.version === opened.cog.version && stat.size === opened.cog.byteSize) return opened;
      this.#entries.delete(location);
    }
    return this.#open(location, signal);
  }

  /**
   * The open file, without waiting, when its version is trusted right now (opened and checked
   * within `revalidateMs`); undefined otherwise, and then `open` does the work. The hot path of
   * a cache hit uses this to make a tile's key with no promise and no I/O.
   */
  peek(location: string): OpenedCog | undefined {
    const entry = this.#entries.get(location);
    if (!entry?.opened || Date.now() - entry.checkedAt >= this.#revalidateMs) return undefined;
    return entry.opened;
  }

  #open(location: string, signal?: AbortSignal): Promise<OpenedCog> {
    const promise = (async () => {
      const inner = this.#openSource(location);
      try {
        // Not bound to this caller's signal: other requests may share the open.
        const stat = await inner.stat();
        const source = new CachedSource(inner, stat, this.#chunks, { mergeGap: /^https?:|^s3:/.test(inner.url) ? 64 * 1024 : 0 });
        return { cog: await openCog(source), source };
      } catch (err) {
        await inner.close().catch(() => undefined);
        throw err;
      }
    })();
    const entry: Entry = { promise, checkedAt: Date.now() };
    this.#entries.set(location, entry);
    promise.then((opened) => { entry.opened = opened; }, () => undefined);
    promise.catch(() => { if (this.#entries.get(location) === entry) this.#entries.delete(location); });
    return raceAbort(promise, signal);
  }

  /** Closes every open source (file handles); the cache stays usable and reopens on demand. */
  async close(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((e) => e.promise.catch(() => undefined)));
  }

  /** Forgets a file (e.g. after it was replaced), so the next open reads it again. */
  evict(location: string): void {
    this.#entries.delete(location);
  }
}
