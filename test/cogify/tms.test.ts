/**
 * cogify onto a tile matrix set's grid (GDAL COG driver's TILING_SCHEME): the grid is that of
 * one matrix (origin on a tile corner, pixel size = cellSize, blocks = tiles), GDAL agrees on it
 * (ZOOM_LEVEL_STRATEGY=UPPER), and every tile of that matrix rendered from the output equals the
 * tile rendered from the source (nearest: identical values and validity).
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDefaultRegistry, tileCrsBounds, webMercatorQuad, type TileMatrixSet } from '../../src/tilematrixsets/index.js';
import { cogify, planTmsGrid } from '../../src/tiling/cog/write/index.js';
import { Engine } from '../../src/tiling/engine.js';
import { requireGdal } from '../decode/helpers/gdal.js';
import { gdal } from '../helpers/gdal.js';
import { CORPUS, needTool } from '../helpers/services.js';
import { gdalInfo, gdalValidator } from './helpers/oracle.js';
import { cogProblems, parseTiff } from './helpers/tiff.js';

const WMQ = webMercatorQuad();
const registry = createDefaultRegistry();

describe('cogify --tms: the grid of a tile matrix set', function () {
  this.timeout(300_000);
  let dir: string;
  const engine = new Engine();

  before(async function () {
    needTool(this, 'gdalinfo');
    requireGdal(this, true);
    dir = await mkdtemp(join(tmpdir(), 'tilewright-cogify-tms-'));
  });
  after(async () => {
    await engine.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('zoom choice and grid (pure), against GDAL 3.6 TILING_SCHEME=GoogleMapsCompatible', () => {
    // [file, strategy, matrix we choose, GDAL's matrix when it differs]
    const cases: [string, 'upper' | 'auto' | 'lower', string, string?][] = [
      ['RGB.byte.tif', 'upper', '9'],
      ['RGB.byte.tif', 'auto', '9'],
      ['RGB.byte.tif', 'lower', '8'],
      ['TCI.tif', 'upper', '11'],
      ['cog_rgba.tif', 'upper', '20'],
      ['dem.tif', 'upper', '16'],
      ['dem.tif', 'lower', '15'],
      // 1 ppm finer than level 18: we stay on 18, GDAL (1e-8 tolerance) goes to 19 and 4x the pixels.
      ['cogeo.tif', 'upper', '18', '19'],
    ];
    for (const [file, strategy, z, gdalZ] of cases) {
      it(`${file}, ${strategy}: level ${z}${gdalZ ? ` (GDAL: ${gdalZ})` : ''}`, async () => {
        const { cog } = await engine.open(CORPUS + file);
        const plan = planTmsGrid(cog, WMQ, strategy);
        expect(plan.tileMatrix.id).to.equal(z);
        const corner = tileCrsBounds(WMQ, { tileMatrix: z, row: plan.minTileRow, col: plan.minTileCol });
        expect(plan.geoTransform).to.deep.equal([corner.minX, plan.tileMatrix.cellSize, 0, corner.maxY, 0, -plan.tileMatrix.cellSize]);
        expect([plan.width, plan.height]).to.deep.equal([(plan.maxTileCol - plan.minTileCol + 1) * 256, (plan.maxTileRow - plan.minTileRow + 1) * 256]);
        const ref = join(dir, `${file}.${strategy}.gdal.tif`);
        await gdal('gdal_translate', ['-q', '-of', 'COG', '-co', 'TILING_SCHEME=GoogleMapsCompatible', '-co', `ZOOM_LEVEL_STRATEGY=${strategy.toUpperCase()}`, '-co', 'OVERVIEWS=NONE', CORPUS + file, ref]);
        const g = await gdalInfo(ref);
        const zGdal = Math.round(Math.log2(WMQ.tileMatrices[0]!.cellSize / g.geoTransform[1]));
        expect(String(zGdal)).to.equal(gdalZ ?? z);
        if (!gdalZ) {
          expect(g.size).to.deep.equal([plan.width, plan.height]);
          g.geoTransform.forEach((v: number, i: number) => expect(plan.geoTransform[i]).to.be.closeTo(v, Math.abs(v) * 1e-15 + 1e-9));
        }
      });
    }
  });

  const conversions: [string, string, string[]][] = [
    ['RGB.byte.tif', 'WebMercatorQuad', ['nodata 0 kept', '3 bands']],
    ['cogeo.tif', 'WebMercatorQuad', ['internal mask']],
    ['cog_rgba.tif', 'WebMercatorQuad', ['alpha band']],
    ['cog_cmap.tif', 'WebMercatorQuad', ['palette', 'nodata 0']],
    ['dem.tif', 'WebMercatorQuad', ['float32, nodata -9999']],
    ['bremen_sea_ice_conc_2022_9_9.tif', 'UPSAntarcticWGS84Quad', ['NaN, no nodata: mask']],
    ['RGB.byte.tif', 'UTM18WGS84Quad', ['same CRS as the source']],
  ];
  for (const [file, tmsId, traits] of conversions) {
    it(`${file} → ${tmsId} (${traits.join(', ')}): grid, GDAL's view, identical tiles`, async () => {
      const tms: TileMatrixSet = registry.get(tmsId);
      const out = join(dir, `${file}.${tmsId}.tif`);
      const r = await cogify(CORPUS + file, out, { tileMatrixSet: tms, resampling: 'nearest', engine });
      const plan = r.tms!;
      expect(r.blockSize).to.equal(plan.tileMatrix.tileWidth);

      const info = await gdalInfo(out);
      const src = await gdalInfo(CORPUS + file);
      expect(info.size).to.deep.equal([plan.width, plan.height]);
      info.geoTransform.forEach((v: number, i: number) => expect(v).to.be.closeTo(plan.geoTransform[i]!, Math.abs(v) * 1e-15));
      expect(info.coordinateSystem.wkt).to.match(new RegExp(`ID\\["EPSG",${plan.crs.id.split(':')[1]}\\]\\]$`));
      expect(info.bands[0].block).to.deep.equal([plan.tileMatrix.tileWidth, plan.tileMatrix.tileHeight]);
      expect(info.bands.map((b: { type: string }) => b.type)).to.deep.equal(src.bands.map((b: { type: string }) => b.type));
      expect(info.bands[0].noDataValue).to.deep.equal(src.bands[0].noDataValue);
      expect(info.bands[0].colorTable).to.deep.equal(src.bands[0].colorTable);
      if (src.bands.length === 4) expect(info.bands[3].colorInterpretation).to.equal('Alpha');
      expect(cogProblems(await parseTiff(out))).to.deep.equal([]);
      expect((await gdalValidator(out)).valid).to.equal(true);

      // Every tile of the matrix: output vs source, nearest.
      const tiles = [];
      for (let row = plan.minTileRow; row <= plan.maxTileRow; row++) for (let col = plan.minTileCol; col <= plan.maxTileCol; col++) tiles.push({ tileMatrix: plan.tileMatrix.id, row, col });
      let withData = 0;
      for (const tile of tiles) {
        const grid = engine.tileGrid(tms, tile);
        const [a, b] = await Promise.all([engine.warp([CORPUS + file], grid, 'nearest'), engine.warp([out], grid, 'nearest')]);
        expect(b === undefined, `tile ${tile.row}/${tile.col} presence`).to.equal(a === undefined);
        if (!a) continue;
        withData++;
        expect([...b!.alpha].map((x) => x > 0), `tile ${tile.row}/${tile.col} validity`).to.deep.equal([...a.alpha].map((x) => x > 0));
        a.bands.forEach((band, k) => {
          const diff = band.findIndex((v, i) => a.alpha[i]! > 0 && v !== b!.bands[k]![i] && !(Number.isNaN(v) && Number.isNaN(b!.bands[k]![i]!)));
          expect(diff, `tile ${tile.row}/${tile.col} band ${k + 1}: first differing pixel`).to.equal(-1);
        });
      }
      expect(withData).to.be.greaterThan(0);
    });
  }

  it('the default bilinear warp gives what the tile service renders with bilinear', async () => {
    const out = join(dir, 'tci-bilinear.tif');
    const r = await cogify(CORPUS + 'TCI.tif', out, { tileMatrixSet: WMQ, engine });
    expect(r.resampling).to.equal('bilinear');
    const tile = { tileMatrix: r.tms!.tileMatrix.id, row: r.tms!.minTileRow + 3, col: r.tms!.minTileCol + 3 };
    const grid = engine.tileGrid(WMQ, tile);
    const [a, b] = await Promise.all([engine.warp([CORPUS + 'TCI.tif'], grid, 'bilinear'), engine.warp([out], grid, 'nearest')]);
    a!.bands.forEach((band, k) => expect(Buffer.from(b!.bands[k]!.buffer).equals(Buffer.from(band.buffer))).to.equal(true));
  });

  it('refuses tile matrices whose tiles cannot be blocks (coalesced rows)', async () => {
    let err: Error | undefined;
    await cogify(CORPUS + 'world.byte.tif', join(dir, 'x.tif'), { tileMatrixSet: registry.get('CDB1GlobalGrid'), engine }).catch((e: Error) => { err = e; });
    expect(err?.message).to.match(/coalesced rows|tiles cannot be TIFF blocks|square tiles/);
  });

  it('refuses a source that crosses the antimeridian of the set (the grid would span the world)', async () => {
    let err: Error | undefined;
    await cogify(CORPUS + 'cog_dateline.tif', join(dir, 'x.tif'), { tileMatrixSet: WMQ, engine }).catch((e: Error) => { err = e; });
    expect(err?.message).to.match(/crosses the antimeridian of WebMercatorQuad/);
  });
});
