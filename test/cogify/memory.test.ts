/**
 * Memory on a large input: cog_world.tif (36000 x 18000, 648 M pixels) converted in a child
 * process whose peak RSS is printed. The only assertion on memory is that it stays below the
 * size of the uncompressed image (the writer must stream, never hold a full level); time is
 * printed, never asserted. The output is checked with GDAL: structure, size, overviews and
 * checksums of the full resolution equal to the source's.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gdalPython, requireGdal } from '../decode/helpers/gdal.js';
import { CORPUS, needTool } from '../helpers/services.js';
import { gdalInfo, gdalValidator } from './helpers/oracle.js';
import { cogProblems, parseTiff } from './helpers/tiff.js';

const run = promisify(execFile);
const WRITER = new URL('../../src/tiling/cog/write/index.js', import.meta.url).href;
const ENGINE = new URL('../../src/tiling/engine.js', import.meta.url).href;

describe('cogify: memory on a 36000 x 18000 image', function () {
  this.timeout(600_000);
  let dir: string;
  before(async function () {
    needTool(this, 'gdalinfo');
    requireGdal(this);
    dir = await mkdtemp(join(tmpdir(), 'tilewright-cogify-mem-'));
  });
  after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('cog_world.tif: peak RSS below the uncompressed image, output checked by GDAL', async () => {
    const out = join(dir, 'world.tif');
    // The same engine settings as `tilewright cogify` without --tms (16 MB block cache).
    const script = `
      const { cogify } = await import(${JSON.stringify(WRITER)});
      const { Engine } = await import(${JSON.stringify(ENGINE)});
      const engine = new Engine({ blockCacheBytes: 16 << 20 });
      const r = await cogify(process.argv[1], process.argv[2], { engine });
      await engine.close();
      console.log(JSON.stringify({ seconds: r.seconds, bytes: r.bytes, levels: r.levels.length, maxRssKiB: process.resourceUsage().maxRSS }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, CORPUS + 'cog_world.tif', out], { maxBuffer: 1 << 20 });
    const r = JSON.parse(stdout) as { seconds: number; bytes: number; levels: number; maxRssKiB: number };
    const rssMiB = r.maxRssKiB / 1024;
    console.log(`\n    cog_world.tif (36000x18000 uint8, deflate): ${r.seconds.toFixed(1)} s, peak RSS ${rssMiB.toFixed(0)} MiB, ${r.bytes} bytes, ${r.levels - 1} overviews`);
    expect(rssMiB).to.be.below((36000 * 18000) / 2 ** 20);

    expect(cogProblems(await parseTiff(out))).to.deep.equal([]);
    expect((await gdalValidator(out)).valid).to.equal(true);
    const info = await gdalInfo(out, '-checksum');
    const src = await gdalInfo(CORPUS + 'cog_world.tif', '-checksum');
    expect(info.size).to.deep.equal([36000, 18000]);
    expect(info.bands[0].checksum).to.equal(src.bands[0].checksum);
    expect(info.bands[0].overviews.map((o: { size: number[] }) => o.size)).to.deep.equal(
      [[18000, 9000], [9000, 4500], [4500, 2250], [2250, 1125], [1125, 563], [563, 282], [282, 141]]);
    // Overview pixels: the 2x2 average of non-nodata pixels, checked on one overview by GDAL itself.
    const py = `from osgeo import gdal; import numpy as np, sys
ds = gdal.Open(sys.argv[1]); b = ds.GetRasterBand(1)
full = b.ReadAsArray(0, 0, 36000, 2000).astype('float64'); ovr = b.GetOverview(0).ReadAsArray(0, 0, 18000, 1000).astype('float64')
v = full != 0
s = full[0::2, 0::2] * v[0::2, 0::2] + full[1::2, 0::2] * v[1::2, 0::2] + full[0::2, 1::2] * v[0::2, 1::2] + full[1::2, 1::2] * v[1::2, 1::2]
n = v[0::2, 0::2].astype(int) + v[1::2, 0::2] + v[0::2, 1::2] + v[1::2, 1::2]
exp = np.where(n > 0, np.floor(s / np.maximum(n, 1) + 0.5), 0)
print(int((exp != ovr).sum()))`;
    const { stdout: mismatches } = await run(gdalPython()!, ['-c', py, out], { env: { ...process.env, GDAL_PAM_ENABLED: 'NO' } });
    expect(mismatches.trim()).to.equal('0');
  });
});
