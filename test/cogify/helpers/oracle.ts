/**
 * GDAL 3.6 as the oracle of the cogify tests: `gdalinfo -json` for what a reader sees, its
 * Python bindings for pixel comparisons, GDAL's own COG driver for reference sizes, and GDAL's
 * sample COG validator as a second opinion next to the rules re-implemented in tiff.ts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gdal } from '../../helpers/gdal.js';
import { gdalPython } from '../../decode/helpers/gdal.js';

const run = promisify(execFile);
const env = { ...process.env, GDAL_PAM_ENABLED: 'NO' };

/** gdalinfo -json output (GDAL's schema; read loosely by the tests). */
export type GdalInfo = any;

export async function gdalInfo(path: string, ...extra: string[]): Promise<GdalInfo> {
  return JSON.parse(await gdal('gdalinfo', ['-json', ...extra, path]));
}

export interface BandComparison {
  /** Largest |a - b| over the compared pixels (NaN against a number counts as 1e308). */
  maxDiff: number;
  meanDiff: number;
  /** Pixels whose values differ. */
  differing: number;
  /** Pixels compared. */
  compared: number;
  /** Pixels whose GDAL mask (validity) differs between the two files. */
  maskDiff: number;
  /** PSNR over the compared pixels for 8-bit data (Infinity when identical). */
  psnr: number;
}

const COMPARE = String.raw`
import json, sys
import numpy as np
from osgeo import gdal
gdal.UseExceptions()
a = gdal.Open(sys.argv[1]); b = gdal.Open(sys.argv[2])
pairs = json.loads(sys.argv[3]); only_valid = sys.argv[4] == '1'
res = []
for sb, ob in pairs:
    ba = a.GetRasterBand(sb); bb = b.GetRasterBand(ob)
    x = ba.ReadAsArray().astype('float64'); y = bb.ReadAsArray().astype('float64')
    mx = ba.GetMaskBand().ReadAsArray() > 0; my = bb.GetMaskBand().ReadAsArray() > 0
    nx = np.isnan(x); ny = np.isnan(y)
    d = np.abs(np.where(nx | ny, 0, x - y))
    d[nx != ny] = 1e308
    sel = mx if only_valid else np.ones(x.shape, bool)
    dv = d[sel]
    mse = float(np.mean(np.where(dv > 1e300, 255.0, dv) ** 2)) if dv.size else 0.0
    res.append({'maxDiff': float(dv.max()) if dv.size else 0.0, 'meanDiff': float(np.mean(np.minimum(dv, 1e300))) if dv.size else 0.0,
                'differing': int((dv > 0).sum()), 'compared': int(dv.size), 'maskDiff': int((mx != my).sum()),
                'psnr': 'inf' if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)})
print(json.dumps(res))
`;

/**
 * Compares bands of two rasters as GDAL reads them (full resolution). `pairs` are 1-based
 * [source band, output band]; `onlyValid` restricts values to pixels valid in the source.
 */
export async function compareWithGdal(source: string, output: string, pairs: [number, number][], onlyValid = false): Promise<BandComparison[]> {
  const py = gdalPython();
  if (!py) throw new Error('GDAL python bindings not found');
  const { stdout } = await run(py, ['-c', COMPARE, source, output, JSON.stringify(pairs), onlyValid ? '1' : '0'], { env, maxBuffer: 16 << 20 });
  return (JSON.parse(stdout) as (Omit<BandComparison, 'psnr'> & { psnr: number | 'inf' })[]).map((r) => ({ ...r, psnr: r.psnr === 'inf' ? Infinity : r.psnr }));
}

/** GDAL's sample validator (`validate_cloud_optimized_geotiff.py --full-check=yes`): its verdict line. */
export async function gdalValidator(path: string): Promise<{ valid: boolean; output: string }> {
  const py = gdalPython();
  if (!py) throw new Error('GDAL python bindings not found');
  try {
    const { stdout, stderr } = await run(py, ['-m', 'osgeo_utils.samples.validate_cloud_optimized_geotiff', '--full-check=yes', path], { env });
    return { valid: /is a valid cloud optimized GeoTIFF/.test(stdout), output: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { valid: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** Block offsets of a band as GDAL reports them (TIFF metadata domain), for a cross-check of the parser. */
export async function gdalBlockOffset(path: string, x: number, y: number, overview = -1): Promise<number> {
  const py = gdalPython();
  if (!py) throw new Error('GDAL python bindings not found');
  const script = `from osgeo import gdal; import sys
ds = gdal.Open(sys.argv[1])  # kept: a band outlives no dataset
b = ds.GetRasterBand(1)
if int(sys.argv[4]) >= 0: b = b.GetOverview(int(sys.argv[4]))
print(b.GetMetadataItem('BLOCK_OFFSET_%s_%s' % (sys.argv[2], sys.argv[3]), 'TIFF') or 0)`;
  const { stdout } = await run(py, ['-c', script, path, String(x), String(y), String(overview)], { env });
  return Number(stdout.trim());
}
