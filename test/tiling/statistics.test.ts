import { expect } from 'chai';
import { Engine } from '../../src/tiling/engine.js';
import { gdalReadWindows, requireGdal } from '../decode/helpers/gdal.js';
import { gdal } from '../helpers/gdal.js';
import { CORPUS } from '../helpers/services.js';

/** Statistics behind the default rescale: stored by GDAL in the file, or computed once from the smallest overview. */
describe('engine: band statistics for the default rescale', function () {
  this.timeout(60_000);
  const engine = new Engine();
  before(function () { requireGdal(this, true); });
  after(() => engine.close());

  it('uses the statistics GDAL stored in the file (rgbi16.stats.tiff)', async () => {
    const info = JSON.parse(await gdal('gdalinfo', ['-json', CORPUS + 'rgbi16.stats.tiff'])) as { bands: { metadata?: { ''?: Record<string, string> } }[] };
    const stats = await engine.statistics(CORPUS + 'rgbi16.stats.tiff');
    info.bands.forEach((b, i) => {
      const md = b.metadata?.[''] ?? {};
      expect(stats[i]?.minimum, `band ${i + 1} min`).to.equal(Number(md['STATISTICS_MINIMUM']));
      expect(stats[i]?.maximum, `band ${i + 1} max`).to.equal(Number(md['STATISTICS_MAXIMUM']));
    });
  });

  for (const [file, nodata] of [['cog_nodata.tif', 1], ['oisst-avhrr-v02r01.20220913-sst.tif', -999], ['cog_with_nan.tif', NaN]] as const) {
    it(`computes min/max from the smallest overview, without nodata (${file})`, async () => {
      const { cog } = await engine.open(CORPUS + file);
      expect(cog.statistics.every((s) => s === undefined)).to.equal(true);
      const level = cog.levels[cog.levels.length - 1]!;
      const [values] = await gdalReadWindows([{ file: CORPUS + file, band: 1, levelWidth: level.width, levelHeight: level.height, mask: false, x: 0, y: 0, w: level.width, h: level.height }]);
      let min = Infinity, max = -Infinity;
      for (const raw of values!) {
        const v = Number(raw);
        if (Number.isNaN(v) || v === nodata) continue;
        min = Math.min(min, v); max = Math.max(max, v);
      }
      const [s] = await engine.statistics(CORPUS + file);
      expect(s?.minimum).to.equal(min);
      expect(s?.maximum).to.equal(max);
    });
  }
});
