/**
 * GDAL as the oracle: its Python bindings read the same pixel windows the decoder produced, and
 * gdal_translate makes the synthetic files the corpus lacks.
 *
 * Missing GDAL prints a loud SKIP and skips the suite, except in CI (CI=true), where it fails.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Context } from 'mocha';

const run = promisify(execFile);

/** ../shared/data/cog beside the repository (dist/test/decode/helpers → repo root is four levels up). */
export const CORPUS_DIR = fileURLToPath(new URL('../../../../../shared/data/cog/', import.meta.url));

let python: string | null | undefined;

/** A python interpreter that can `import osgeo.gdal` (pyenv shims may hide Debian's python3-gdal). */
export function gdalPython(): string | null {
  if (python !== undefined) return python;
  python = null;
  for (const candidate of ['python3', '/usr/bin/python3', 'python']) {
    try {
      execFileSync(candidate, ['-c', 'from osgeo import gdal; import numpy'], { stdio: 'ignore' });
      python = candidate;
      break;
    } catch {
      // try the next one
    }
  }
  return python;
}

export function gdalTranslateAvailable(): boolean {
  try {
    execFileSync('gdal_translate', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Call in a mocha `before`: skip loudly when GDAL is missing, fail in CI. */
export function requireGdal(ctx: Context, needTranslate = false): void {
  const missing = !gdalPython() || (needTranslate && !gdalTranslateAvailable());
  if (!missing) return;
  if (process.env.CI === 'true') throw new Error('GDAL (python3-gdal, gdal-bin) is required in CI but not installed');
  console.warn('\n  ************************************************************');
  console.warn('  SKIP (gdal not installed): GDAL oracle tests for block decoding');
  console.warn('  ************************************************************\n');
  ctx.skip();
}

export interface WindowRequest {
  file: string;
  /** 1-based band. */
  band: number;
  /** Size of the IFD: picks the full resolution or the overview with that size. */
  levelWidth: number;
  levelHeight: number;
  /** Read the band's mask band (GetMaskBand) instead of the band. */
  mask: boolean;
  x: number;
  y: number;
  w: number;
  h: number;
}

export type OracleArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

const SCRIPT = String.raw`
import json, sys
import numpy as np
from osgeo import gdal
gdal.UseExceptions()
requests = json.load(sys.stdin)
outdir = sys.argv[1]
datasets = {}
answers = []
for i, r in enumerate(requests):
    ds = datasets.get(r['file'])
    if ds is None:
        ds = datasets[r['file']] = gdal.Open(r['file'])
    band = ds.GetRasterBand(r['band'])
    if (band.XSize, band.YSize) != (r['levelWidth'], r['levelHeight']):
        match = None
        for k in range(band.GetOverviewCount()):
            o = band.GetOverview(k)
            if (o.XSize, o.YSize) == (r['levelWidth'], r['levelHeight']):
                match = o
                break
        if match is None:
            raise SystemExit('no overview of %dx%d in %s' % (r['levelWidth'], r['levelHeight'], r['file']))
        band = match
    if r['mask']:
        band = band.GetMaskBand()
    a = band.ReadAsArray(r['x'], r['y'], r['w'], r['h'])
    a = np.ascontiguousarray(a.astype(a.dtype.newbyteorder('<')))
    path = '%s/%d.bin' % (outdir, i)
    a.tofile(path)
    answers.append({'dtype': a.dtype.str, 'path': path})
print(json.dumps(answers))
`;

/** Read every window with GDAL in one python process. */
export async function gdalReadWindows(requests: WindowRequest[]): Promise<OracleArray[]> {
  const py = gdalPython();
  if (!py) throw new Error('GDAL python bindings not found');
  if (requests.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'tilewright-gdal-'));
  try {
    const child = execFile(py, ['-c', SCRIPT, dir], { maxBuffer: 64 << 20 });
    const done = new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: string) => (out += d));
      child.stderr!.on('data', (d: string) => (err += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`gdal oracle failed (${code}): ${err}`))));
    });
    child.stdin!.end(JSON.stringify(requests));
    const answers = JSON.parse(await done) as { dtype: string; path: string }[];
    return Promise.all(answers.map(async (a) => toTyped(await readFile(a.path), a.dtype)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function toTyped(buf: Buffer, dtype: string): OracleArray {
  const copy = new Uint8Array(buf.length);
  copy.set(buf);
  const b = copy.buffer;
  switch (dtype.replace(/^[<|=]/, '')) {
    case 'u1':
      return new Uint8Array(b);
    case 'i1':
      return new Int8Array(b);
    case 'u2':
      return new Uint16Array(b);
    case 'i2':
      return new Int16Array(b);
    case 'u4':
      return new Uint32Array(b);
    case 'i4':
      return new Int32Array(b);
    case 'f4':
      return new Float32Array(b);
    case 'f8':
      return new Float64Array(b);
    case 'i8':
      return new BigInt64Array(b);
    case 'u8':
      return new BigUint64Array(b);
    default:
      throw new Error(`unexpected dtype ${dtype}`);
  }
}

/** Run gdal_translate; throws with its stderr on failure. */
export async function gdalTranslate(args: string[]): Promise<void> {
  try {
    await run('gdal_translate', ['-q', ...args]);
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`gdal_translate ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}
