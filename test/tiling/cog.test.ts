import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { CogCache } from '../../src/tiling/cog/cache.js';
import { BlockCache, readWindow } from '../../src/tiling/cog/window.js';
import type { Cog } from '../../src/tiling/cog/types.js';
import { UnsupportedGeoreferencingError } from '../../src/errors.js';
import { gdalReadWindows, requireGdal } from '../decode/helpers/gdal.js';
import { gdal } from '../helpers/gdal.js';
import { CORPUS } from '../helpers/services.js';

const files = readdirSync(CORPUS).filter((f) => /\.tiff?$/.test(f)).sort();
const DTYPES: Record<string, string> = {
  Byte: 'uint8', Int8: 'int8', UInt16: 'uint16', Int16: 'int16', UInt32: 'uint32', Int32: 'int32', Float32: 'float32', Float64: 'float64',
};

describe('opening GeoTIFFs (metadata against gdalinfo -json)', function () {
  this.timeout(120_000);
  const cache = new CogCache();
  before(function () { requireGdal(this, true); });

  for (const f of files) {
    it(f, async () => {
      const info = JSON.parse(await gdal('gdalinfo', ['-json', CORPUS + f])) as {
        size: [number, number]; bands: { type: string; noDataValue?: number | string; overviews?: { size: [number, number] }[]; mask?: { flags: string[] }; block: [number, number]; colorInterpretation: string }[];
        geoTransform?: number[]; gcps?: unknown;
      };
      if (!info.geoTransform) {
        let err: unknown;
        await cache.open(CORPUS + f).catch((e) => { err = e; });
        expect(err).to.be.instanceOf(UnsupportedGeoreferencingError);
        expect((err as Error).message).to.match(/^unsupported georeferencing: .*ground control points/);
        return;
      }
      const { cog } = await cache.open(CORPUS + f);
      expect([cog.width, cog.height]).to.deep.equal(info.size);
      expect(cog.sampleCount).to.equal(info.bands.length);
      expect(cog.dataType).to.equal(DTYPES[info.bands[0]!.type]);
      cog.geoTransform.forEach((v, i) => expect(v).to.be.closeTo(info.geoTransform![i]!, Math.abs(info.geoTransform![i]!) * 1e-12 + 1e-9));
      const nd = info.bands[0]!.noDataValue;
      if (nd === undefined) expect(cog.nodata).to.equal(undefined);
      else if (nd === 'NaN') expect(cog.nodata).to.be.NaN;
      else expect(cog.nodata).to.equal(Number(nd));
      expect(cog.levels.slice(1).map((l) => [l.width, l.height])).to.deep.equal((info.bands[0]!.overviews ?? []).map((o) => o.size));
      expect([cog.levels[0]!.blockWidth, cog.levels[0]!.blockHeight]).to.deep.equal(info.bands[0]!.block);
      const flags = info.bands[0]!.mask?.flags ?? [];
      expect(cog.hasMask, 'internal mask').to.equal(flags.includes('PER_DATASET') && !flags.includes('ALPHA') && !flags.includes('NODATA'));
      const alpha = info.bands.findIndex((b) => b.colorInterpretation === 'Alpha');
      expect(cog.alphaSample).to.equal(alpha >= 0 ? alpha : undefined);
      expect(cog.colorMap !== undefined).to.equal(info.bands[0]!.colorInterpretation === 'Palette');
    });
  }
});

describe('reading pixel windows (against GDAL ReadAsArray)', function () {
  this.timeout(120_000);
  const cache = new CogCache();
  const blocks = new BlockCache(64 << 20);
  before(function () { requireGdal(this); });

  // Windows that straddle block and strip boundaries, on full resolution and overviews.
  const cases = ['TCI.tif', 'cogeo.tif', 'RGB.byte.tif', 'cog_rgb_mask.tif', 'cog_rgba.tif', 'nocog.tif', 'dem.tif',
    'abel-tasman-and-golden-bay_2016_dem_1m_BP25_10000_0404.tiff', 'bremen_sea_ice_conc_2022_9_9.tif', 'austrian_capitals_model_tie_point_and_pixel_scale_pixel_is_area.tif',
    'lcv_landuse.cropland_hyde_p_10km_s0..0cm_2016_v3.2.tif', 'rgbi16.stats.tiff', 'image_webp.tif', 'cog_fullearth.tif'];
  for (const f of cases) {
    it(f, async () => {
      const { cog, source } = await cache.open(CORPUS + f);
      for (const level of cog.levels.slice(0, 3)) {
        const windows = windowsFor(cog, level.width, level.height, level.blockWidth, level.blockHeight);
        for (const w of windows) {
          const got = await readWindow(source, blocks, cog, level, w);
          const reqs = Array.from({ length: cog.sampleCount }, (_, b) => ({
            file: CORPUS + f, band: b + 1, levelWidth: level.width, levelHeight: level.height, mask: false, x: w.x, y: w.y, w: w.width, h: w.height,
          }));
          if (level.mask) reqs.push({ ...reqs[0]!, mask: true });
          const want = await gdalReadWindows(reqs);
          for (let b = 0; b < cog.sampleCount; b++) {
            const g = got.bands[b]!, e = want[b]!;
            for (let i = 0; i < g.length; i++) {
              const a = g[i]!, x = Number(e[i]!);
              if (!(a === x || (Number.isNaN(a) && Number.isNaN(x)))) {
                expect.fail(`${f} level ${level.index} window ${JSON.stringify(w)} band ${b + 1} pixel ${i}: ${a} != ${x}`);
              }
            }
          }
          if (level.mask) {
            const m = want[cog.sampleCount]!;
            expect(got.mask, 'mask').to.not.equal(undefined);
            for (let i = 0; i < m.length; i++) expect(got.mask![i]! * 255, `mask pixel ${i}`).to.equal(Number(m[i]));
          }
        }
      }
    });
  }
});

function windowsFor(_cog: Cog, W: number, H: number, bw: number, bh: number) {
  const clamp = (v: number, max: number) => Math.max(0, Math.min(v, max));
  const out = [{ x: 0, y: 0, width: Math.min(W, 37), height: Math.min(H, 23) }];
  const cx = clamp(bw - 5, W - 1), cy = clamp(bh - 7, H - 1);
  out.push({ x: cx, y: cy, width: Math.min(W - cx, 11 + (bw > 5 ? 5 : 0)), height: Math.min(H - cy, 13 + (bh > 7 ? 7 : 0)) });
  out.push({ x: clamp(W - 19, W - 1), y: clamp(H - 17, H - 1), width: Math.min(W, 19), height: Math.min(H, 17) });
  return out.map((w) => ({ ...w, width: Math.min(w.width, W - w.x), height: Math.min(w.height, H - w.y) }));
}
