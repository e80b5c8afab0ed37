import type { EngineOptions, GridJob, TileJob, TileResult } from './engine.js';
import { blankTile, type ImageFormat } from './encode.js';
import type { TileRenderer } from './renderer.js';
import type { TargetGrid } from './grid.js';
import type { RasterTile } from './style/style.js';
import type { Resampling } from './warp/plan.js';
import { WorkerPool } from './workers/pool.js';

export type { TileRenderer };

/**
 * Runs the engine in a pool of worker threads so that decoding, warping and encoding never
 * block the event loop. Each worker keeps its own caches (the budgets given here are split
 * between them); a cancelled request stops its work in the worker at the next stage.
 */
export class PooledRenderer implements TileRenderer {
  readonly #pool: WorkerPool;

  constructor(workers: number, options: EngineOptions) {
    const share = (v: number | undefined, d: number) => Math.max(1 << 20, Math.floor((v ?? d) / workers));
    this.#pool = new WorkerPool(new URL('./workers/render-worker.js', import.meta.url), workers, {
      ...options,
      blockCacheBytes: share(options.blockCacheBytes, 256 << 20),
      chunkCacheBytes: share(options.chunkCacheBytes, 32 << 20),
    });
  }

  get load(): number {
    return this.#pool.load;
  }

  renderTile(job: TileJob, signal?: AbortSignal): Promise<TileResult> {
    return this.#pool.run<TileResult>('renderTile', job, signal);
  }

  renderGrid(job: GridJob, signal?: AbortSignal): Promise<TileResult> {
    return this.#pool.run<TileResult>('renderGrid', job, signal);
  }

  async warp(sources: readonly string[], grid: TargetGrid, resampling: Resampling, signal?: AbortSignal): Promise<RasterTile | undefined> {
    return this.#pool.run<RasterTile | undefined>('warp', { sources, grid, resampling }, signal);
  }

  blank(format: ImageFormat, width: number, height: number): Promise<Uint8Array> {
    return blankTile(format, width, height);
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
