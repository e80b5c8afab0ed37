import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Engine } from '../../src/tiling/engine.js';
import { gdal } from '../helpers/gdal.js';
import { hasCommand } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

describe('server: demo data on a first start with nothing to serve', function () {
  this.timeout(120_000);
  const dir = join(mkdtempSync(join(tmpdir(), 'tw-demo-')), 'demo');
  let app: Awaited<ReturnType<typeof startTestServer>>;
  before(async () => { app = await startTestServer([], { demo: { enabled: true, directory: dir } }); });
  after(async () => { await app?.stop(); });

  it('generates an elevation model, its hillshade and a UTM image, and serves them as collections', async () => {
    const body = await (await fetch(`${app.url}/api/v1/collections`)).json() as { collections: { id: string; crs: { id: string }; bands: { dataType: string }; tileMatrixSets: { id: string }[] }[] };
    const byId = Object.fromEntries(body.collections.map((c) => [c.id, c]));
    expect(Object.keys(byId).sort()).to.deep.equal(['demo-elevation', 'demo-hillshade', 'demo-image']);
    expect(byId['demo-elevation']!.bands.dataType).to.equal('float32');
    expect(byId['demo-hillshade']!.bands.dataType).to.equal('uint8');
    expect(byId['demo-image']!.crs.id).to.equal('EPSG:32632');
    expect(byId['demo-image']!.tileMatrixSets.map((t) => t.id)).to.include('UTM32WGS84Quad');
  });

  it('the files are valid COGs with overviews, written by our writer, readable by GDAL', async () => {
    const engine = new Engine();
    for (const name of ['demo-elevation.tif', 'demo-hillshade.tif', 'demo-image-utm32n.tif']) {
      const { cog } = await engine.open(join(dir, name));
      expect(cog.levels.length, `${name} levels`).to.be.greaterThan(2);
      const layout = await cog.inspectLayout();
      expect(layout.problems, name).to.deep.equal([]);
      if (hasCommand('gdalinfo')) {
        const info = JSON.parse(await gdal('gdalinfo', ['-json', join(dir, name)])) as { size: number[]; metadata: Record<string, Record<string, string>> };
        expect(info.size).to.deep.equal([cog.width, cog.height]);
        expect(info.metadata['IMAGE_STRUCTURE']?.['LAYOUT']).to.equal('COG');
      }
    }
    await engine.close();
  });

  it('tiles render with data (colour-mapped elevation, grey hillshade, colour image)', async () => {
    for (const [id, path] of [['demo-elevation', '10/532/365'], ['demo-hillshade', '10/532/365'], ['demo-image', '13/4255/2917']]) {
      const res = await fetch(`${app.url}/api/v1/collections/${id}/tiles/WebMercatorQuad/${path}.png`);
      expect(res.status).to.equal(200);
      const { data } = await sharp(Buffer.from(await res.arrayBuffer())).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      let opaque = 0;
      const values = new Set<number>();
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]) { opaque++; values.add(data[i]! * 65536 + data[i + 1]! * 256 + data[i + 2]!); }
      expect(opaque, id).to.be.greaterThan(20000);
      expect(values.size, `${id} distinct colours`).to.be.greaterThan(50);
    }
  });

  it('a later start reuses the files; generation is deterministic', async () => {
    const file = join(dir, 'demo-elevation.tif');
    const before = statSync(file).mtimeMs;
    const second = await startTestServer([], { demo: { enabled: true, directory: dir } });
    await second.stop();
    expect(statSync(file).mtimeMs).to.equal(before);
    const other = join(mkdtempSync(join(tmpdir(), 'tw-demo2-')), 'demo');
    const third = await startTestServer([], { demo: { enabled: true, directory: other } });
    await third.stop();
    const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    for (const name of ['demo-elevation.tif', 'demo-hillshade.tif', 'demo-image-utm32n.tif']) {
      expect(hash(join(other, name)), name).to.equal(hash(join(dir, name)));
    }
  });
});
