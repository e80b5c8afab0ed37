/**
 * The tile cache as the tile service sees it (DESIGN.md: cache injected into tiling through an
 * interface). Implementations live in src/cache (memory LRU + Redis, single-flight, leases).
 */

/** A finished tile as cached: image bytes, or the fact that there is no data. */
export interface CachedTile {
  /** 'empty': the blank image of `contentType`/size; 'no-content': answered 204. */
  kind: 'image' | 'empty' | 'no-content';
  /** Encoded bytes (for 'empty', the blank image). Absent for 'no-content'. */
  bytes?: Uint8Array;
  contentType: string;
}

/** Where a tile came from: the memory tier, Redis, a render here, or another request's render. */
export type CacheTier = 'l1' | 'l2' | 'render' | 'wait';

export interface TileCacheResult {
  tile: CachedTile;
  tier: CacheTier;
}

export interface TileCache {
  /**
   * The tile of `key` from a cache tier, else `create()` — run once per key however many
   * requests ask at the same time (and, with a shared tier, once across processes) — whose
   * result is stored in every tier. `create` gets a signal that fires only when every request
   * waiting for it has gone away; `signal` is this caller's.
   */
  getOrCreate(key: string, create: (signal: AbortSignal) => Promise<CachedTile>, signal?: AbortSignal): Promise<TileCacheResult>;
  /** The tile of `key` when an in-process tier has it, without waiting (counted as a hit); else undefined. */
  peek?(key: string): CachedTile | undefined;
}
