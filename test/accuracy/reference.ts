/**
 * GDAL references and comparisons for the accuracy tests: `gdalwarp -et 0` of one source to
 * one tile grid (ENVI output, read back without our TIFF decoder), the engine's raster of the
 * same grid, both as comparable raw values in the source data type, and the figures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cog } from '../../src/tiling/cog/types.js';
import type { Engine } from '../../src/tiling/engine.js';
import type { TargetGrid } from '../../src/tiling/grid.js';
import type { RasterTile } from '../../src/tiling/style/style.js';
import { compareRasters, type CompareResult } from '../helpers/compare.js';
import { gdal, readEnvi } from '../helpers/gdal.js';

export type Method = 'nearest' | 'bilinear' | 'cubic';
export const GDAL_METHOD: Record<Method, string> = { nearest: 'near', bilinear: 'bilinear', cubic: 'cubic' };

/**
 * Runs GDAL command lines at most `size` at a time, FIFO, in a separate small process
 * (gdal-runner.js) so the pool keeps going while the tests' main thread is busy warping.
 */
export class GdalRunner {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve(): void; reject(e: Error): void }>();
  #next = 0;
  /** Summed wall time of the GDAL processes run so far. */
  busyMs = 0;
  jobs = 0;
  constructor(readonly size: number) {
    this.#child = fork(fileURLToPath(new URL('./gdal-runner.js', import.meta.url)), [String(size)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child.on('message', (m: { id: number; ms: number; error?: string }) => {
      this.busyMs += m.ms;
      this.jobs++;
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve();
    });
    this.#child.on('exit', () => {
      for (const p of this.#pending.values()) p.reject(new Error('gdal-runner exited'));
      this.#pending.clear();
    });
  }

  run(cmd: string, args: string[]): Promise<void> {
    const id = this.#next++;
    return new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ id, cmd, args });
    });
  }

  close(): void {
    if (this.#child.connected) this.#child.disconnect();
  }
}

/** A temporary directory for one run's GDAL outputs. */
export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** GDAL's name of a grid's CRS. OGC:CRS84 is EPSG:4326 in GDAL's traditional (lon, lat) order, which `-te` uses. */
export function gdalSrs(grid: TargetGrid): string {
  return grid.crs.id === 'OGC:CRS84' ? 'EPSG:4326' : grid.crs.id;
}

/** The gdalwarp arguments that reproduce a tile: exact transformer, same bounds and size, alpha output. */
export function gdalwarpArgs(src: string, grid: TargetGrid, method: Method, out: string, et = '0'): string[] {
  const [a, b, c, d] = grid.crsBounds;
  return [
    '-q', '-overwrite', '-et', et, '-t_srs', gdalSrs(grid), '-te', String(a), String(b), String(c), String(d),
    '-ts', String(grid.width), String(grid.height), '-r', GDAL_METHOD[method], '-dstalpha', '-of', 'ENVI', src, out,
  ];
}

/** Raw values to compare: colour bands (plus alpha as a band for 8-bit data) and a validity alpha. */
export interface Comparable {
  bands: ArrayLike<number>[];
  alpha: ArrayLike<number>;
}

/** What the test knows about one corpus file. */
export interface Subject {
  name: string;
  path: string;
  cog: Cog;
  /** Colour table entries [r, g, b, a] from gdalinfo -json, for palette files. */
  palette?: number[][];
  /** `gdal_translate -of VRT -expand rgba` copy, the bilinear/cubic reference source of palette files. */
  expandedVrt?: string;
}

interface GdalInfo { bands: { colorTable?: { entries: number[][] } }[] }

/** Loads the palette of a palette file and writes its RGBA-expanded VRT into `dir`. */
export async function preparePalette(subject: Subject, dir: string): Promise<void> {
  if (!subject.cog.colorMap) return;
  const info = JSON.parse(await gdal('gdalinfo', ['-json', subject.path])) as GdalInfo;
  subject.palette = info.bands[0]?.colorTable?.entries ?? [];
  subject.expandedVrt = join(dir, `${subject.name.replace(/[^\w.-]/g, '_')}.rgba.vrt`);
  await gdal('gdal_translate', ['-q', '-of', 'VRT', '-expand', 'rgba', subject.path, subject.expandedVrt]);
}

/**
 * Runs gdalwarp of the subject to the grid into `out` (ENVI). Palette files: nearest warps
 * the indices; bilinear/cubic warp the RGBA-expanded VRT (an alpha source).
 */
export async function runGdalWarp(subject: Subject, grid: TargetGrid, method: Method, out: string, options: { et?: string; runner?: GdalRunner } = {}): Promise<void> {
  const src = subject.palette && method !== 'nearest' ? subject.expandedVrt! : subject.path;
  const args = gdalwarpArgs(src, grid, method, out, options.et ?? '0');
  if (options.runner) await options.runner.run('gdalwarp', args);
  else await gdal('gdalwarp', args);
}

/**
 * Reads what `runGdalWarp` wrote as comparable raw values, then deletes the files. Palette
 * files, nearest: the warped indices are expanded here through the colour table (alpha =
 * the entry's alpha where GDAL's alpha is set).
 */
export async function readReference(subject: Subject, method: Method, out: string): Promise<Comparable> {
  const ref = await readEnvi(out);
  await Promise.all([rm(out, { force: true }), rm(out.replace(/\.bin$/, '.hdr'), { force: true })]);
  const colour = ref.bands.slice(0, -1);
  const alpha = ref.bands[ref.bands.length - 1]!;
  const palette = subject.palette;
  if (palette && method === 'nearest') {
    const n = alpha.length;
    const rgba = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    for (let i = 0; i < n; i++) {
      if (alpha[i] === 0) continue;
      const e = palette[colour[0]![i]!] ?? [0, 0, 0, 0];
      for (let k = 0; k < 4; k++) rgba[k]![i] = e[k]!;
    }
    return { bands: rgba, alpha: rgba[3]! };
  }
  return { bands: ref.dataType === 'uint8' ? [...colour, alpha] : colour, alpha };
}

/** gdalwarp of the subject to the grid, as comparable raw values (`runGdalWarp` + `readReference`). */
export async function gdalReference(
  subject: Subject, grid: TargetGrid, method: Method, out: string, options: { et?: string; runner?: GdalRunner } = {},
): Promise<Comparable> {
  await runGdalWarp(subject, grid, method, out, options);
  return readReference(subject, method, out);
}

/** The engine's raster in the same form (an empty tile is all alpha 0). */
export function engineComparable(raster: RasterTile | undefined, grid: TargetGrid, bandCount: number, eightBit: boolean): Comparable {
  const n = grid.width * grid.height;
  const alpha = raster?.alpha ?? new Uint8Array(n);
  const bands: ArrayLike<number>[] = raster?.bands ?? Array.from({ length: bandCount }, () => new Float64Array(n));
  return { bands: eightBit ? [...bands, alpha] : bands, alpha };
}

/** PSNR peak: 255 for 8-bit data, else the data range of the reference over its valid, finite values (1 if flat). */
export function psnrPeak(ref: Comparable, eightBit: boolean): number {
  if (eightBit) return 255;
  let lo = Infinity, hi = -Infinity;
  for (const b of ref.bands) {
    for (let i = 0; i < b.length; i++) {
      if (ref.alpha[i] === 0) continue;
      const v = b[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return hi > lo ? hi - lo : 1;
}

export interface TileFigures extends CompareResult {
  peak: number;
  /** Pixels valid in either image. */
  anyValid: number;
}

export function compareComparable(grid: TargetGrid, mine: Comparable, ref: Comparable, eightBit: boolean): TileFigures {
  const peak = psnrPeak(ref, eightBit);
  const r = compareRasters(grid.width, grid.height, mine.bands, mine.alpha, ref.bands, ref.alpha, peak);
  return { ...r, peak, anyValid: r.bothValid + r.maskDiff };
}

/** Engine warp + comparison against a prepared reference. */
export async function engineFigures(engine: Engine, subject: Subject, grid: TargetGrid, method: Method, ref: Comparable): Promise<TileFigures> {
  const eightBit = subject.cog.dataType === 'uint8' || subject.cog.colorMap !== undefined;
  const bandCount = subject.cog.colorMap ? 3 : subject.cog.sampleCount - (subject.cog.alphaSample !== undefined ? 1 : 0);
  const raster = await engine.warp([subject.path], grid, method);
  return compareComparable(grid, engineComparable(raster, grid, bandCount, eightBit), ref, eightBit);
}

export const pct = (num: number, den: number): number => (den === 0 ? 100 : (100 * num) / den);

export function tileLabel(tmsId: string, t: { tileMatrix: string; row: number; col: number }): string {
  return `${tmsId}/${t.tileMatrix}/${t.row}/${t.col}`;
}
