/**
 * Worker thread entry: one Engine per thread (its own COG headers and decoded-block cache),
 * serving the main thread's tasks. See pooled.ts for the main-thread side.
 */
import { workerData } from 'node:worker_threads';
import { getCrs } from '../../crs/index.js';
import { Engine, type EngineOptions, type GridJob, type TileJob } from '../engine.js';
import type { TargetGrid } from '../grid.js';
import type { Resampling } from '../warp/plan.js';
import { serveMethods } from './host.js';
import { loadWasmCodecs } from '../decode/index.js';

const engine = new Engine(workerData as EngineOptions);
// ZSTD and LERC blocks are then decoded synchronously on this thread (see cog/window.ts).
void loadWasmCodecs().catch(() => undefined);

serveMethods({
  renderTile: (job: TileJob, signal) => engine.renderTile(job, signal),
  // The grid's Crs arrives as a structured clone: resolve it again so transformers (cached
  // per Crs object) are reused across tasks.
  renderGrid: (job: GridJob, signal) => engine.renderGrid({ ...job, grid: { ...job.grid, crs: getCrs(job.grid.crs.id) } }, signal),
  warp: (args: { sources: string[]; grid: TargetGrid; resampling: Resampling }, signal) =>
    engine.warp(args.sources, { ...args.grid, crs: getCrs(args.grid.crs.id) }, args.resampling, signal),
});
