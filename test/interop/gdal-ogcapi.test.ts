import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createDefaultRegistry, tileForLonLat } from '../../src/tilematrixsets/index.js';
import { gdal, readEnvi } from '../helpers/gdal.js';
import { CORPUS, needTool } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

/**
 * Interop: GDAL's OGCAPI driver (gdalinfo / gdal_translate `OGCAPI:{url}/collections/{id}`)
 * walks collection → map tilesets → tileset metadata → tiling scheme and reads map tiles;
 * its pixels are the server's tiles. GDAL prefers WorldCRS84Quad. (GDAL 3.6 parses only the
 * TMS 1.0 encoding: the tileset's second tiling-scheme link; see src/ogc/tiles/tilesets.ts.)
 */
describe('interop: GDAL\'s OGCAPI driver reads a collection through the tiles API', function () {
  this.timeout(120_000);
  let app: Awaited<ReturnType<typeof startTestServer>>;
  const dir = mkdtempSync(join(tmpdir(), 'tw-gdal-ogcapi-'));
  const registry = createDefaultRegistry();
  before(async function () {
    needTool(this, 'gdal_translate');
    app = await startTestServer([CORPUS + 'TCI.tif'], {
      collections: [{ id: 'terrain', sources: [CORPUS + 'dem.tif'], style: { rescale: [[1600, 2020]], colormap: 'terrain' } }],
    });
  });
  after(async () => { await app?.stop(); });

  for (const [id, centre] of [['tci', [23.70, 32.01]], ['terrain', [7.0971, 45.9206]]] as const) {
    it(`${id}: gdalinfo sees the collection in CRS84 at its finest tile matrix; a window read by gdal_translate is the server's tile, pixel for pixel`, async () => {
      const source = `OGCAPI:${app.url}/collections/${id}`;
      const info = JSON.parse(await gdal('gdalinfo', ['-json', '-oo', 'CACHE=NO', source])) as {
        size: [number, number]; geoTransform: number[]; bands: unknown[]; coordinateSystem: { wkt: string };
      };
      expect(info.bands).to.have.length(4);
      expect(info.coordinateSystem.wkt).to.include('CRS84');
      const tileset = await (await fetch(`${app.url}/collections/${id}/map/tiles/WorldCRS84Quad`)).json() as { tileMatrixSetLimits: { tileMatrix: string }[] };
      const z = tileset.tileMatrixSetLimits.at(-1)!.tileMatrix;
      const tms = registry.get('WorldCRS84Quad');
      const cell = tms.tileMatrices.find((m) => m.id === z)!.cellSize;
      const [x0, res, , y0, , negRes] = info.geoTransform as [number, number, number, number, number, number];
      expect(res).to.be.closeTo(cell, 1e-12);
      expect(negRes).to.be.closeTo(-cell, 1e-12);
      // The tile under the centre, as a window of GDAL's raster (its grid is the tile matrix's).
      const tile = tileForLonLat(tms, z, centre[0], centre[1])!;
      const fx = (-180 + tile.col * 256 * cell - x0) / cell, fy = (y0 - (90 - tile.row * 256 * cell)) / cell;
      expect([fx % 1, fy % 1].map((f) => Math.abs(f) < 1e-6 || Math.abs(Math.abs(f) - 1) < 1e-6), 'GDAL\'s grid is the tile matrix\'s').to.deep.equal([true, true]);
      const px = Math.round(fx), py = Math.round(fy);
      const [sx, sy] = [Math.max(0, px), Math.max(0, py)];
      const w = Math.min(px + 256, info.size[0]) - sx, h = Math.min(py + 256, info.size[1]) - sy;
      const out = join(dir, `${id}.bin`);
      await gdal('gdal_translate', ['-q', '-oo', 'CACHE=NO', '-of', 'ENVI', '-srcwin', String(sx), String(sy), String(w), String(h), source, out]);
      const raster = await readEnvi(out);
      const png = await (await fetch(`${app.url}/collections/${id}/map/tiles/WorldCRS84Quad/${z}/${tile.row}/${tile.col}?f=png`)).arrayBuffer();
      const ours = await sharp(Buffer.from(png)).ensureAlpha().raw().toBuffer();
      let compared = 0, differing = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const o = ((sy - py + y) * 256 + (sx - px + x)) * 4;
          const k = y * w + x;
          if (raster.bands[3]![k] === 0 && ours[o + 3] === 0) continue;
          compared++;
          for (let b = 0; b < 4; b++) if (raster.bands[b]![k] !== ours[o + b]) { differing++; break; }
        }
      }
      expect(compared).to.be.greaterThan(1000);
      expect(differing).to.equal(0);
    });
  }

  it('gdalinfo on the landing page follows its data link and lists every collection as a subdataset', async () => {
    const out = await gdal('gdalinfo', [`OGCAPI:${app.url}/ogcapi`]);
    expect(out).to.include(`SUBDATASET_1_NAME=OGCAPI:${app.url}/collections/`);
    expect(out).to.include(`OGCAPI:${app.url}/collections/terrain`);
    expect(out).to.include(`OGCAPI:${app.url}/collections/tci`);
  });
});
