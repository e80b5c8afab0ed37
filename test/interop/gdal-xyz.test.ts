import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createDefaultRegistry } from '../../src/tilematrixsets/index.js';
import { Engine } from '../../src/tiling/engine.js';
import { gdal } from '../helpers/gdal.js';
import { CORPUS, needTool } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

/**
 * Interop smoke test: GDAL's WMS driver (TMS mini-driver) reads tiles from our XYZ URL and
 * gets the pixels the engine renders.
 */
describe('interop: GDAL reads the XYZ tiles (WMS/TMS mini-driver)', function () {
  this.timeout(120_000);
  let app: Awaited<ReturnType<typeof startTestServer>>;
  const engine = new Engine();
  before(async function () {
    needTool(this, 'gdal_translate');
    app = await startTestServer([CORPUS + 'TCI.tif', CORPUS + 'cog_rgba.tif']);
  });
  after(async () => { await app?.stop(); await engine.close(); });

  for (const [id, file, z, col, row] of [
    ['tci', 'TCI.tif', 10, 579, 415], // fully covered: opaque RGB tile
    ['tci', 'TCI.tif', 8, 144, 103], // edge of the image: transparent pixels
    ['cog_rgba', 'cog_rgba.tif', 15, 6847, 12528], // alpha band source
  ] as const) {
    it(`${id} ${z}/${col}/${row}: gdal_translate of the tile window equals the engine's render`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tw-gdal-xyz-'));
      const half = 20037508.342789244;
      writeFileSync(join(dir, 'xyz.xml'), `<GDAL_WMS>
  <Service name="TMS"><ServerUrl>${app.url}/api/v1/collections/${id}/tiles/WebMercatorQuad/\${z}/\${x}/\${y}.png</ServerUrl></Service>
  <DataWindow>
    <UpperLeftX>${-half}</UpperLeftX><UpperLeftY>${half}</UpperLeftY><LowerRightX>${half}</LowerRightX><LowerRightY>${-half}</LowerRightY>
    <TileLevel>${z}</TileLevel><TileCountX>1</TileCountX><TileCountY>1</TileCountY><YOrigin>top</YOrigin>
  </DataWindow>
  <Projection>EPSG:3857</Projection>
  <BlockSizeX>256</BlockSizeX><BlockSizeY>256</BlockSizeY><BandsCount>4</BandsCount>
</GDAL_WMS>`);
      // GDAL writes what it decoded as an uncompressed GeoTIFF; sharp (libtiff) reads it back.
      await gdal('gdal_translate', ['-q', '-of', 'GTiff', '-srcwin', String(col * 256), String(row * 256), '256', '256', join(dir, 'xyz.xml'), join(dir, 'out.tif')]);
      const g = await sharp(join(dir, 'out.tif')).raw().toBuffer({ resolveWithObject: true });
      expect([g.info.width, g.info.height, g.info.channels]).to.deep.equal([256, 256, 4]);
      const tms = createDefaultRegistry().get('WebMercatorQuad');
      const tile = await engine.renderTile({ sources: [CORPUS + file], tileMatrixSet: tms, tile: { tileMatrix: String(z), row, col }, resampling: 'bilinear', style: {}, format: 'png' });
      expect(tile.kind).to.equal('image');
      const { data } = await sharp((tile as { bytes: Uint8Array }).bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      let differing = 0, transparent = 0;
      for (let i = 0; i < 256 * 256; i++) {
        const a = data[4 * i + 3]!;
        if (a === 0) transparent++;
        if (g.data[4 * i + 3] !== a) { differing++; continue; }
        if (a === 0) continue; // colour of fully transparent pixels is irrelevant
        for (let b = 0; b < 3; b++) if (g.data[4 * i + b] !== data[4 * i + b]) { differing++; break; }
      }
      expect(differing, `pixels that differ (${transparent} transparent)`).to.equal(0);
    });
  }
});
