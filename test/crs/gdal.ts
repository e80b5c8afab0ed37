/**
 * GDAL as the test oracle (Debian gdal-bin 3.6 with PROJ 9.1). Tests that need it call `requireGdal(this)`:
 * without gdalinfo they print a loud SKIP and skip, except under CI=true where a missing GDAL is a failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let available: boolean | undefined;

export function gdalAvailable(): boolean {
  if (available === undefined) {
    const r = spawnSync('gdalinfo', ['--version'], { encoding: 'utf8' });
    available = r.status === 0;
  }
  return available;
}

export function requireGdal(ctx: Mocha.Context): void {
  if (gdalAvailable()) return;
  if (process.env['CI'] === 'true') throw new Error('gdalinfo not found but CI=true: GDAL (gdal-bin) is required in CI');
  console.warn('\n  ***** SKIP (gdal not installed): GDAL oracle tests in test/crs are skipped *****\n');
  ctx.skip();
}

/** projinfo (Debian proj-bin), the oracle of official axis order: a loud SKIP without it, a failure under CI=true. */
export function requireProjinfo(ctx: Mocha.Context): void {
  if (spawnSync('projinfo', ['-q', '-o', 'PROJ', 'EPSG:4326'], { encoding: 'utf8' }).status === 0) return;
  if (process.env['CI'] === 'true') throw new Error('projinfo not found but CI=true: PROJ\'s tools (proj-bin) are required in CI');
  console.warn('\n  ***** SKIP (projinfo not installed, Debian proj-bin): axis-order tests in test/crs are skipped *****\n');
  ctx.skip();
}

export function run(cmd: string, args: string[], input?: string, env?: NodeJS.ProcessEnv): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
}

/**
 * gdaltransform of points (x y per line). Output order is GDAL's traditional GIS order (lon, lat) for
 * geographic CRSs.
 */
export function gdaltransform(srcSrs: string, dstSrs: string, points: ReadonlyArray<readonly [number, number]>, env?: NodeJS.ProcessEnv): Array<[number, number]> {
  const out = run('gdaltransform', ['-s_srs', srcSrs, '-t_srs', dstSrs, '-output_xy'], points.map((p) => `${p[0]} ${p[1]}`).join('\n') + '\n', env);
  return out.trim().split('\n').map((l) => {
    const [a, b] = l.trim().split(/\s+/).map(Number);
    return [a!, b!];
  });
}

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The folder of PROJ's data (proj.db and grids) as installed by Debian's proj-data. */
export const PROJ_DATA_DIR = '/usr/share/proj';

/**
 * A PROJ_DATA folder that holds only proj.db: PROJ then behaves as on a machine without any grid, which is
 * the situation the Helmert fallbacks reproduce.
 */
export function projDataWithoutGrids(dir: string): NodeJS.ProcessEnv {
  const target = join(dir, 'proj-nogrids');
  if (!existsSync(target)) {
    execFileSync('mkdir', ['-p', target]);
    symlinkSync(join(PROJ_DATA_DIR, 'proj.db'), join(target, 'proj.db'));
  }
  return { PROJ_DATA: target, PROJ_LIB: target, PROJ_NETWORK: 'OFF' };
}

/** Largest error seen per category, printed once at the end of the run (the numbers the reports quote). */
export const maxErrors = new Map<string, number>();

export function recordError(category: string, value: number): void {
  maxErrors.set(category, Math.max(maxErrors.get(category) ?? 0, value));
}
