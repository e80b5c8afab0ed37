import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createDefaultRegistry, tileCrsBounds } from '../../src/tilematrixsets/index.js';
import { gdal } from '../helpers/gdal.js';
import { CORPUS, needTool } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

const SHARED_TMS = new URL('../../../../shared/tilematrixsets/', import.meta.url).pathname;
/** GDAL's WMTS driver caches tiles in ./gdalwmscache unless told not to. */
const NO_CACHE = ['--config', 'GDAL_ENABLE_WMS_CACHE', 'NO'];

/**
 * Interop: GDAL's WMTS driver (GDAL 3.6 from Debian) reads the capabilities, lists every layer
 * and tile matrix set, and a tile-aligned window read through it has the pixels the server
 * renders. Covers the axis-order quirk: WorldCRS84Quad (OGC:CRS84, TopLeftCorner "-180 90")
 * beside the same grid in EPSG:4326 (TopLeftCorner "90 -180"), and identifiers with non-ASCII
 * letters, spaces, "&" and "<" in the layer.
 */
describe('interop: GDAL reads the WMTS (WMTS driver)', function () {
  this.timeout(180_000);
  let app: Awaited<ReturnType<typeof startTestServer>>;
  const registry = createDefaultRegistry();
  let caps: string;

  before(async function () {
    needTool(this, 'gdal_translate', 'GDAL (gdal-bin)');
    const dir = mkdtempSync(join(tmpdir(), 'tw-gdal-wmts-'));
    const crs84 = JSON.parse(readFileSync(SHARED_TMS + 'WorldCRS84Quad.json', 'utf8'));
    const epsg4326 = {
      ...crs84, id: 'WorldEPSG4326Quad', uri: undefined, wellKnownScaleSet: undefined, crs: 'http://www.opengis.net/def/crs/EPSG/0/4326', orderedAxes: ['Lat', 'Lon'],
      tileMatrices: crs84.tileMatrices.map((m: { pointOfOrigin: [number, number] }) => ({ ...m, pointOfOrigin: [m.pointOfOrigin[1], m.pointOfOrigin[0]] })),
    };
    const mercator = { ...JSON.parse(readFileSync(SHARED_TMS + 'WebMercatorQuad.json', 'utf8')), id: 'WebMercator-Zürich', uri: undefined };
    writeFileSync(join(dir, 'a.json'), JSON.stringify(epsg4326));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(mercator));
    registry.fromJson(epsg4326);
    registry.fromJson(mercator);
    app = await startTestServer([CORPUS + 'TCI.tif', CORPUS + 'image_171px.tif'], {
      tileMatrixSets: [join(dir, 'a.json'), join(dir, 'b.json')],
      collections: [
        { id: 'world', sources: [CORPUS + 'world.byte.tif'], tileMatrixSets: ['WorldCRS84Quad', 'WorldEPSG4326Quad'] },
        { id: 'Zürich Höhe & <dem>', sources: [CORPUS + 'dem.tif'], tileMatrixSets: ['WebMercator-Zürich'] },
      ],
    });
    caps = `WMTS:${app.url}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities`;
  });
  after(async () => { await app?.stop(); });

  it('gdalinfo lists every layer in every tile matrix set', async () => {
    const out = await gdal('gdalinfo', [...NO_CACHE, caps]);
    for (const [layer, sets] of [['tci', ['WebMercatorQuad', 'WorldCRS84Quad', 'UTM34WGS84Quad']], ['image_171px', ['WebMercatorQuad', 'WorldCRS84Quad', 'UTM07SWGS84Quad']], ['world', ['WorldCRS84Quad', 'WorldEPSG4326Quad']]] as const) {
      for (const tms of sets) expect(out, `${layer} ${tms}`).to.include(`Layer ${layer}, tile matrix set ${tms}`);
    }
    expect(out).to.include('layer="Zürich Höhe & <dem>"');
    expect(out.match(/SUBDATASET_\d+_NAME/g)).to.have.length(9);
  });

  for (const [layer, tmsId, z] of [
    ['tci', 'WebMercatorQuad', '10'], ['tci', 'WorldCRS84Quad', '9'], ['tci', 'UTM34WGS84Quad', '9'], ['image_171px', 'UTM07SWGS84Quad', '14'],
    ['world', 'WorldCRS84Quad', '3'], ['world', 'WorldEPSG4326Quad', '3'], ['Zürich Höhe & <dem>', 'WebMercator-Zürich', '16'],
  ] as const) {
    it(`${layer} in ${tmsId}: gdal_translate of a tile-aligned window equals the server's tile`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tw-gdal-wmts-'));
      const quote = (s: string) => (/[ ,"&<]/.test(s) ? `"${s}"` : s);
      const ds = `${caps},layer=${quote(layer)},tilematrixset=${quote(tmsId)},tilematrix=${z}`;
      const info = JSON.parse(await gdal('gdalinfo', [...NO_CACHE, '-json', ds])) as { geoTransform: number[]; size: [number, number] };
      const gt = info.geoTransform;
      // A tile inside the raster, near its centre.
      const tms = registry.get(tmsId);
      const centre = { x: gt[0]! + (gt[1]! * info.size[0]) / 2, y: gt[3]! + (gt[5]! * info.size[1]) / 2 };
      const m = tms.tileMatrices.find((t) => t.id === z)!;
      const span = m.cellSize * m.tileWidth;
      const b0 = tileCrsBounds(tms, { tileMatrix: z, row: 0, col: 0 });
      const col = Math.floor((centre.x - b0.minX) / span), row = Math.floor((b0.maxY - centre.y) / span);
      const b = tileCrsBounds(tms, { tileMatrix: z, row, col });
      const xoff = Math.round((b.minX - gt[0]!) / gt[1]!), yoff = Math.round((gt[3]! - b.maxY) / -gt[5]!);
      expect(Math.abs((b.minX - gt[0]!) / gt[1]! - xoff), 'GDAL\'s grid is the tile grid').to.be.lessThan(1e-6);
      await gdal('gdal_translate', [...NO_CACHE, '-q', '-of', 'GTiff', '-srcwin', String(xoff), String(yoff), '256', '256', ds, join(dir, 'out.tif')]);
      const g = await sharp(join(dir, 'out.tif')).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const tile = await fetch(`${app.url}/wmts/1.0.0/${encodeURIComponent(layer)}/default/${encodeURIComponent(tmsId)}/${z}/${row}/${col}.png`);
      expect(tile.status).to.equal(200);
      const { data } = await sharp(Buffer.from(await tile.arrayBuffer())).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([g.info.width, g.info.height]).to.deep.equal([256, 256]);
      let differing = 0, opaque = 0;
      for (let i = 0; i < 256 * 256; i++) {
        const a = data[4 * i + 3]!;
        if (a === 255) opaque++;
        if (g.data[4 * i + 3] !== a) { differing++; continue; }
        if (a === 0) continue;
        for (let k = 0; k < 3; k++) if (g.data[4 * i + k] !== data[4 * i + k]) { differing++; break; }
      }
      expect(opaque, 'the tile has data').to.be.greaterThan(100);
      expect(differing, 'pixels that differ').to.equal(0);
    });
  }
});
