import { LRUCache } from 'lru-cache';
import type { CachedTile } from '../tiling/tile-cache.js';

/** L1: finished tiles in this process, least recently used first out, bounded in bytes. */
export class MemoryTier {
  readonly #lru: LRUCache<string, CachedTile>;

  constructor(maxBytes: number) {
    this.#lru = new LRUCache<string, CachedTile>({
      maxSize: maxBytes,
      // Bytes plus a fixed allowance for the entry itself (key, object, map slot).
      sizeCalculation: (t) => (t.bytes?.byteLength ?? 0) + 200,
    });
  }

  get(key: string): CachedTile | undefined {
    return this.#lru.get(key);
  }

  set(key: string, tile: CachedTile): void {
    this.#lru.set(key, tile);
  }

  get bytes(): number {
    return this.#lru.calculatedSize;
  }

  get size(): number {
    return this.#lru.size;
  }

  clear(): void {
    this.#lru.clear();
  }
}
