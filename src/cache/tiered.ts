import { raceAbort } from '../errors.js';
import { SingleFlight } from '../tiling/single-flight.js';
import type { CachedTile, CacheTier, TileCache, TileCacheResult } from '../tiling/tile-cache.js';
import type { MemoryTier } from './memory.js';
import type { RedisTier } from './redis.js';

/** What the cache reports (the server wires these to Prometheus counters). */
export interface CacheMetrics {
  hit(tier: 'l1' | 'l2'): void;
  miss(): void;
  render(): void;
  /** A request that waited for a render started by another request (here or on another node). */
  wait(where: 'process' | 'cluster'): void;
  redisError(operation: string): void;
}

export interface TieredCacheOptions {
  memory?: MemoryTier;
  redis?: RedisTier;
  metrics?: CacheMetrics;
  /** How long a node may hold the right to render a tile. */
  leaseMs?: number;
  /** How long to wait for another node's render before rendering anyway. */
  leaseWaitMs?: number;
  /** Poll interval while waiting for another node's render. */
  pollMs?: number;
  onRedisError?: (err: unknown, operation: string) => void;
}

const noMetrics: CacheMetrics = { hit() {}, miss() {}, render() {}, wait() {}, redisError() {} };

/**
 * The two-tier tile cache: L1 (memory) → L2 (Redis, fills L1) → render (fills both; the L2 write
 * happens after the answer, off the response path). A miss is rendered once per process
 * (single-flight) and, with Redis, once per cluster: a short lease in Redis lets one node
 * render while the others poll L2 for its result, and render themselves after `leaseWaitMs`.
 * Every Redis failure degrades to "no L2" for that request only.
 */
export class TieredTileCache implements TileCache {
  readonly #flights = new SingleFlight();
  readonly #memory: MemoryTier | undefined;
  readonly #redis: RedisTier | undefined;
  readonly #metrics: CacheMetrics;
  readonly #leaseMs: number;
  readonly #leaseWaitMs: number;
  readonly #pollMs: number;
  readonly #onRedisError: (err: unknown, operation: string) => void;

  constructor(options: TieredCacheOptions) {
    this.#memory = options.memory;
    this.#redis = options.redis;
    this.#metrics = options.metrics ?? noMetrics;
    this.#leaseMs = options.leaseMs ?? 15_000;
    this.#leaseWaitMs = options.leaseWaitMs ?? 10_000;
    this.#pollMs = options.pollMs ?? 25;
    this.#onRedisError = options.onRedisError ?? (() => undefined);
  }

  /** An L1 tile that can be answered as is (not an empty marker without bytes), counted as a hit. */
  peek(key: string): CachedTile | undefined {
    const hit = this.#memory?.get(key);
    if (!hit || (hit.kind !== 'no-content' && !hit.bytes)) return undefined;
    this.#metrics.hit('l1');
    return hit;
  }

  async getOrCreate(key: string, create: (signal: AbortSignal) => Promise<CachedTile>, signal?: AbortSignal): Promise<TileCacheResult> {
    const hit = this.#memory?.get(key);
    if (hit) {
      this.#metrics.hit('l1');
      return { tile: hit, tier: 'l1' };
    }
    const { promise, first } = this.#flights.run(key, (shared) => this.#fetchOrRender(key, create, shared), signal);
    if (!first) this.#metrics.wait('process');
    const { tier, ...tile } = await promise;
    return { tile, tier: first ? tier : 'wait' };
  }

  /** The shared part of a miss: L2, then a lease, then the render. */
  async #fetchOrRender(key: string, create: (signal: AbortSignal) => Promise<CachedTile>, signal: AbortSignal): Promise<CachedTile & { tier: CacheTier }> {
    const redis = this.#redis;
    if (redis) {
      const fromL2 = await this.#l2Get(redis, key);
      if (fromL2) {
        this.#metrics.hit('l2');
        this.#memory?.set(key, fromL2);
        return { ...fromL2, tier: 'l2' };
      }
    }
    this.#metrics.miss();
    let token: string | undefined;
    if (redis) {
      const lease = await this.#redisCall('lease', async () => ({ token: await redis.lease(key, this.#leaseMs) }));
      token = lease?.token;
      if (lease && token === undefined) {
        // Another node holds the lease: wait for its tile, then render only if it never comes.
        const waited = await this.#waitForOtherNode(redis, key, signal);
        if (waited) {
          this.#metrics.wait('cluster');
          this.#memory?.set(key, waited);
          return { ...waited, tier: 'wait' };
        }
      }
    }
    try {
      this.#metrics.render();
      const tile = await create(signal);
      this.#memory?.set(key, tile);
      if (redis) void this.#redisCall('set', () => redis.set(key, tile));
      return { ...tile, tier: 'render' };
    } finally {
      if (redis && token) void this.#redisCall('release', () => redis.release(key, token!));
    }
  }

  /** Polls L2 for the tile another node is rendering; gives up at the deadline or when Redis fails. */
  async #waitForOtherNode(redis: RedisTier, key: string, signal: AbortSignal): Promise<CachedTile | undefined> {
    const deadline = Date.now() + this.#leaseWaitMs;
    while (Date.now() < deadline && !signal.aborted) {
      await raceAbort(new Promise((r) => setTimeout(r, this.#pollMs)), signal);
      const polled = await this.#redisCall('get', async () => ({ tile: await redis.get(key) }));
      if (!polled) return undefined;
      if (polled.tile) return polled.tile;
    }
    return undefined;
  }

  async #l2Get(redis: RedisTier, key: string): Promise<CachedTile | undefined> {
    return this.#redisCall('get', () => redis.get(key));
  }

  async #redisCall<T>(operation: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (err) {
      this.#metrics.redisError(operation);
      this.#onRedisError(err, operation);
      return undefined;
    }
  }
}
