import { raceAbort } from '../errors.js';
import type { CachedTile, TileCache, TileCacheResult } from './tile-cache.js';

/**
 * One run of `create` per key at a time in this process, shared by every caller asking for
 * that key meanwhile. The run gets its own AbortSignal, fired only when all its callers have
 * gone away, so one impatient client does not fail the others. Also the cache-less TileCache.
 */
export class SingleFlight implements TileCache {
  readonly #flights = new Map<string, { promise: Promise<CachedTile>; waiters: number; controller: AbortController }>();
  /** Callers that joined a run another caller started. */
  joined = 0;

  async getOrCreate(key: string, create: (signal: AbortSignal) => Promise<CachedTile>, signal?: AbortSignal): Promise<TileCacheResult> {
    const { promise, first } = this.run(key, create, signal);
    return { tile: await promise, tier: first ? 'render' : 'wait' };
  }

  /** Joins the running flight of `key` or starts one; `first` tells which. */
  run<T extends CachedTile>(key: string, create: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): { promise: Promise<T>; first: boolean } {
    let flight = this.#flights.get(key);
    const first = !flight;
    if (!flight) {
      const controller = new AbortController();
      const promise = create(controller.signal).finally(() => this.#flights.delete(key));
      promise.catch(() => undefined);
      flight = { promise, waiters: 0, controller };
      this.#flights.set(key, flight);
    } else {
      this.joined++;
    }
    const f = flight;
    f.waiters++;
    const leave = () => { if (--f.waiters === 0) f.controller.abort(); };
    signal?.addEventListener('abort', leave, { once: true });
    const promise = raceAbort(f.promise, signal).finally(() => {
      signal?.removeEventListener('abort', leave);
      if (!signal?.aborted) f.waiters--;
    }) as Promise<T>;
    return { promise, first };
  }
}
