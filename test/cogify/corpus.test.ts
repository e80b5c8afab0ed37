/**
 * cogify on real files of the corpus, one conversion per (file, compression), checked against
 * GDAL 3.6:
 * - `gdalinfo -json` of the output: same size, band count, data types, colour interpretation,
 *   geotransform, CRS (WKT text identical), nodata, mask flags, colour table; overviews as GDAL's
 *   COG driver makes them (count; sizes rounded up as gdaladdo does), COMPRESSION and LAYOUT=COG;
 * - pixels of the full resolution as GDAL reads them: identical for lossless codecs (and the
 *   same validity mask), within a measured PSNR for JPEG/WebP;
 * - the COG structure rules (tests' own TIFF parser, helpers/tiff.ts) and GDAL's sample validator;
 * - the statistics written equal GDAL's ComputeStatistics on the output;
 * - the engine renders the same WebMercatorQuad tile (nearest) from the output as from the source.
 * Sizes next to GDAL's COG driver for the same input and options are printed at the end.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getTransformer } from '../../src/crs/index.js';
import { tileForCrsPoint, tileMatrixSetCrs, webMercatorQuad } from '../../src/tilematrixsets/index.js';
import { applyGeoTransform } from '../../src/tiling/cog/georef.js';
import { cogify, overviewSizes, planTmsGrid, type CogCompression } from '../../src/tiling/cog/write/index.js';
import { Engine } from '../../src/tiling/engine.js';
import { gdalPython, requireGdal } from '../decode/helpers/gdal.js';
import { gdal } from '../helpers/gdal.js';
import { CORPUS, needTool } from '../helpers/services.js';
import { compareWithGdal, gdalBlockOffset, gdalInfo, gdalValidator, type GdalInfo } from './helpers/oracle.js';
import { cogProblems, parseTiff } from './helpers/tiff.js';

const run = promisify(execFile);
const WMQ = webMercatorQuad();

/** The user-defined CRS file made in `before` (Hughes 1980 ellipsoid, polar stereographic). */
const CUSTOM = 'custom-stere-hughes.tif';
const CUSTOM_SRS = '+proj=stere +lat_0=-90 +lat_ts=-70 +lon_0=0 +x_0=0 +y_0=0 +a=6378273 +rf=298.279411123064 +units=m +no_defs';

/**
 * Lossy codecs (quality 75, GDAL's default): PSNR over valid pixels against the source must be
 * within 0.5 dB of what GDAL's COG driver reaches on the same file (measured: equal to 0.1 dB,
 * libjpeg-turbo and libwebp on both sides), and above these floors (measured, rounded down).
 */
const MIN_PSNR: Record<string, number> = {
  'RGB.byte.tif jpeg': 28, 'RGB.byte.tif webp': 29.5,
  'cogeo.tif jpeg': 30, 'cogeo.tif webp': 30,
  'cog_rgba.tif jpeg': 25.5, 'cog_rgba.tif webp': 26.5,
};

const CASES: [string, CogCompression[]][] = [
  ['RGB.byte.tif', ['deflate', 'zstd', 'jpeg', 'webp']],
  ['nocog.tif', ['deflate', 'zstd']],
  ['cogeo.tif', ['jpeg', 'deflate', 'webp']],
  ['cog_rgba.tif', ['deflate', 'webp', 'jpeg']],
  ['cog_cmap.tif', ['deflate', 'zstd']],
  ['dem.tif', ['deflate', 'zstd']],
  ['bremen_sea_ice_conc_2022_9_9.tif', ['deflate', 'zstd']],
  [CUSTOM, ['deflate']],
  ['rgbi16.stats.tiff', ['zstd', 'deflate']],
  ['au-3577-rotated.tif', ['deflate']],
  ['austrian_capitals_model_tie_point_and_pixel_scale_pixel_is_point.tif', ['deflate']],
  ['cog_with_nan.tif', ['zstd']],
  ['oisst-avhrr-v02r01.20220913-sst.tif', ['zstd']],
  ['cog_fullearth.tif', ['deflate']],
  ['lcv_landuse.cropland_hyde_p_10km_s0..0cm_2016_v3.2.tif', ['deflate']],
];

const GDAL_NAME: Record<CogCompression, string> = { deflate: 'DEFLATE', zstd: 'ZSTD', jpeg: 'JPEG', webp: 'WEBP', none: 'NONE' };
const sizes: string[] = [];

describe('cogify: corpus files against GDAL 3.6', function () {
  this.timeout(300_000);
  let dir: string;
  const engine = new Engine({ blockCacheBytes: 64 << 20 });
  const path = (f: string) => (f === CUSTOM ? join(dir, f) : CORPUS + f);

  before(async function () {
    needTool(this, 'gdalinfo');
    requireGdal(this, true);
    dir = await mkdtemp(join(tmpdir(), 'tilewright-cogify-'));
    await gdal('gdal_translate', ['-q', '-a_srs', CUSTOM_SRS, CORPUS + 'bremen_sea_ice_conc_2022_9_9.tif', join(dir, CUSTOM)]);
  });
  after(async () => {
    await engine.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    if (sizes.length) {
      console.log('\n  output bytes, Tilewright vs GDAL 3.6 COG driver (same compression, predictor, 512 blocks, overviews regenerated with AVERAGE, NEAREST for palettes):');
      for (const s of sizes) console.log(`    ${s}`);
    }
  });

  for (const [file, compressions] of CASES) {
    describe(file, () => {
      let src: GdalInfo;
      before(async () => { src = await gdalInfo(path(file)); });

      for (const compression of compressions) {
        it(compression, async () => {
          const out = join(dir, `${file}.${compression}.tif`);
          const result = await cogify(path(file), out, { compression, engine });
          const info = await gdalInfo(out);
          const lossy = compression === 'jpeg' || compression === 'webp';
          const alphaToMask = compression === 'jpeg' && src.bands.length === 4;

          // What GDAL reads.
          expect(info.size).to.deep.equal(src.size);
          expect(info.bands.length).to.equal(alphaToMask ? 3 : src.bands.length);
          info.bands.forEach((b: GdalInfo, i: number) => {
            const s = src.bands[i];
            expect(b.type, `band ${i + 1} type`).to.equal(s.type);
            expect(b.colorInterpretation, `band ${i + 1} colour`).to.equal(s.colorInterpretation);
            expect(b.noDataValue, `band ${i + 1} nodata`).to.deep.equal(s.noDataValue);
            expect(b.mask?.flags, `band ${i + 1} mask flags`).to.deep.equal(alphaToMask ? ['PER_DATASET'] : s.mask?.flags);
            expect(b.colorTable, `band ${i + 1} colour table`).to.deep.equal(s.colorTable);
          });
          expect(info.geoTransform).to.deep.equal(src.geoTransform);
          expect(info.coordinateSystem.wkt).to.equal(src.coordinateSystem.wkt);
          expect(info.metadata?.['']?.AREA_OR_POINT).to.equal(src.metadata?.['']?.AREA_OR_POINT);
          expect(info.metadata.IMAGE_STRUCTURE.LAYOUT).to.equal('COG');
          expect(info.metadata.IMAGE_STRUCTURE.COMPRESSION).to.match(new RegExp(GDAL_NAME[compression]));
          const expected = overviewSizes(src.size[0], src.size[1], 512).slice(1).map((s) => [s.width, s.height]);
          expect((info.bands[0].overviews ?? []).map((o: GdalInfo) => o.size)).to.deep.equal(expected);
          if (info.bands[0].mask?.flags?.includes('PER_DATASET') && !info.bands[0].mask.flags.includes('ALPHA')) {
            expect((info.bands[0].mask.overviews ?? []).map((o: GdalInfo) => o.size)).to.deep.equal(expected);
          }

          // GDAL's COG driver on the same input: overview count, and sizes for the report.
          const ref = join(dir, `${file}.${compression}.gdal.tif`);
          const palette = src.bands[0].colorInterpretation === 'Palette';
          await gdal('gdal_translate', ['-q', '-of', 'COG', '-co', `COMPRESS=${GDAL_NAME[compression]}`, '-co', 'OVERVIEWS=IGNORE_EXISTING', '-co', 'BLOCKSIZE=512',
            '-co', `RESAMPLING=${palette ? 'NEAREST' : 'AVERAGE'}`, ...(lossy ? [] : ['-co', 'PREDICTOR=YES']), path(file), ref]);
          const refInfo = await gdalInfo(ref);
          // GDAL generates overviews only for images larger than one block (it then keeps a source's own
          // overviews, even with OVERVIEWS=IGNORE_EXISTING); we make none there.
          const oneBlock = src.size[0] <= 512 && src.size[1] <= 512;
          expect((info.bands[0].overviews ?? []).length, 'overview count as GDAL').to.equal(oneBlock ? 0 : (refInfo.bands[0].overviews ?? []).length);

          // Pixels.
          const pairs: [number, number][] = info.bands.map((_: unknown, i: number) => [i + 1, i + 1]);
          const cmp = await compareWithGdal(path(file), out, pairs, lossy);
          let psnrNote = '';
          if (!lossy) {
            cmp.forEach((c, i) => {
              expect(c.differing, `band ${i + 1}: differing pixels`).to.equal(0);
              expect(c.maskDiff, `band ${i + 1}: mask`).to.equal(0);
            });
          } else {
            const refCmp = await compareWithGdal(path(file), ref, pairs, true);
            const psnr = Math.min(...cmp.map((c) => c.psnr));
            const gdalPsnr = Math.min(...refCmp.map((c) => c.psnr));
            psnrNote = `, PSNR ${psnr.toFixed(1)} dB (GDAL ${gdalPsnr.toFixed(1)} dB)`;
            expect(psnr, `PSNR${psnrNote}`).to.be.at.least(MIN_PSNR[`${file} ${compression}`]!);
            expect(psnr, `PSNR${psnrNote}`).to.be.at.least(gdalPsnr - 0.5);
            // Validity from a nodata value moves where lossy coding turns 0 into 1 or back: no worse than GDAL.
            cmp.forEach((c, i) => expect(c.maskDiff, `band ${i + 1}: mask (GDAL: ${refCmp[i]!.maskDiff})`).to.be.at.most(src.bands[i].noDataValue !== undefined ? refCmp[i]!.maskDiff * 1.1 + 10 : alphaToMask ? c.maskDiff : 0));
            psnrNote += `, mask changes ${Math.max(...cmp.map((c) => c.maskDiff))} (GDAL ${Math.max(...refCmp.map((c) => c.maskDiff))})`;
          }

          // Structure: our rules, GDAL's validator, and GDAL's view of a block offset.
          const t = await parseTiff(out);
          expect(cogProblems(t)).to.deep.equal([]);
          const v = await gdalValidator(out);
          expect(v.valid, v.output).to.equal(true);
          expect(await gdalBlockOffset(out, 0, 0)).to.equal((t.ifds[0]!.tags.get(324) as number[])[0]);

          // Statistics written (lossless codecs; JPEG/WebP write none of their own) = GDAL's own computation on the output.
          const py = gdalPython()!;
          const { stdout } = await run(py, ['-c', `from osgeo import gdal; import sys, json
ds = gdal.Open(sys.argv[1])
out = []
for i in range(ds.RasterCount):
    b = ds.GetRasterBand(i + 1)
    md = b.GetMetadata()
    s = b.ComputeStatistics(False)
    out.append([[float(md[k]) if k in md else None for k in ('STATISTICS_MINIMUM', 'STATISTICS_MAXIMUM', 'STATISTICS_MEAN', 'STATISTICS_STDDEV')], s])
print(json.dumps(out))`, out], { env: { ...process.env, GDAL_PAM_ENABLED: 'NO' } });
          for (const [ours, theirs] of JSON.parse(stdout) as [(number | null)[], number[]][]) {
            if (lossy) continue; // checked below: lossy codecs keep the source's items as they were
            expect(ours[0]).to.equal(theirs[0]);
            expect(ours[1]).to.equal(theirs[1]);
            expect(ours[2]!).to.be.closeTo(theirs[2]!, Math.abs(theirs[2]!) * 1e-9 + 1e-9);
            expect(ours[3]!).to.be.closeTo(theirs[3]!, Math.abs(theirs[3]!) * 1e-6 + 1e-9);
          }

          if (lossy) info.bands.forEach((b: GdalInfo, i: number) => expect(b.metadata, `band ${i + 1} metadata`).to.deep.equal(src.bands[i].metadata));

          // The engine renders the same tile from the output as from the source (nearest).
          const { cog } = await engine.open(path(file));
          const plan = planTmsGrid(cog, WMQ, 'upper');
          // A tile with data near the middle (the middle of a polar image is the pole, outside Web Mercator).
          const toTms = getTransformer(cog.crs, tileMatrixSetCrs(WMQ));
          let a: Awaited<ReturnType<Engine['warp']>>, b: typeof a;
          for (const [fx, fy] of [[0.5, 0.5], [0.5, 0.3], [0.3, 0.5], [0.7, 0.6], [0.4, 0.7]] as const) {
            const [mx, my] = toTms.forward(...applyGeoTransform(cog.geoTransform, cog.width * fx, cog.height * fy));
            const tile = Number.isFinite(my) ? tileForCrsPoint(WMQ, plan.tileMatrix.id, mx, my) : undefined;
            if (!tile) continue;
            const grid = engine.tileGrid(WMQ, tile);
            [a, b] = await Promise.all([engine.warp([path(file)], grid, 'nearest'), engine.warp([out], grid, 'nearest')]);
            if (a) break;
          }
          expect(a, 'source tile').to.not.equal(undefined);
          const validityChanges = b!.alpha.filter((x, i) => (x > 0) !== (a!.alpha[i]! > 0)).length;
          // Lossy coding moves nodata-based validity (see the mask check above); anything else is exact.
          expect(validityChanges, 'tile validity').to.be.at.most(lossy && src.bands[0].noDataValue !== undefined ? 0.02 * b!.alpha.length : 0);
          if (!lossy) {
            b!.bands.forEach((band, k) => expect(Buffer.from(band.buffer).equals(Buffer.from(a!.bands[k]!.buffer)), `tile band ${k + 1}`).to.equal(true));
          }

          const [ours, gdals] = [(await stat(out)).size, (await stat(ref)).size];
          sizes.push(`${`${file} ${compression}`.padEnd(58)} ${String(ours).padStart(10)} ${String(gdals).padStart(10)}  ${(ours / gdals).toFixed(3)}${psnrNote}${result.notes.length ? ` (${result.notes.join('; ')})` : ''}`);
        });
      }
    });
  }
});
