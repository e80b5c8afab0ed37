import type { GridJob, TileJob, TileResult } from './engine.js';
import type { ImageFormat } from './encode.js';
import type { TargetGrid } from './grid.js';
import type { RasterTile } from './style/style.js';
import type { Resampling } from './warp/plan.js';

/**
 * What the tile service and the protocol faces need from the engine, whether it runs on the
 * calling thread (`Engine`) or in worker threads (`PooledRenderer`).
 */
export interface TileRenderer {
  renderTile(job: TileJob, signal?: AbortSignal): Promise<TileResult>;
  /** Styled layers composited on any grid and encoded (OGC API - Maps images, dataset tiles). */
  renderGrid(job: GridJob, signal?: AbortSignal): Promise<TileResult>;
  /** Raw warped values of a grid (data tiles, maps), or undefined when no source has data there. */
  warp(sources: readonly string[], grid: TargetGrid, resampling: Resampling, signal?: AbortSignal): Promise<RasterTile | undefined>;
  /** The fixed "no data here" image. */
  blank(format: ImageFormat, width: number, height: number): Promise<Uint8Array>;
  close(): Promise<void>;
}
