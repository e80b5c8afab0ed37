import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCatalog, idFromFileName } from '../src/catalog/load.js';
import { InvalidParameterError, NotFoundError } from '../src/errors.js';
import { createDefaultRegistry } from '../src/tilematrixsets/index.js';
import { Engine } from '../src/tiling/engine.js';
import { CORPUS } from './helpers/services.js';

describe('catalog: collections from configuration and folders', function () {
  this.timeout(30_000);
  const engine = new Engine();
  const deps = { open: async (s: string) => (await engine.open(s)).cog, registry: createDefaultRegistry() };
  after(() => engine.close());

  it('derives ids from file names', () => {
    expect(idFromFileName('/x/Landsat 8 (B4).TIF')).to.equal('landsat-8-b4');
    expect(idFromFileName('lcv_landuse.cropland_hyde_p_10km_s0..0cm_2016_v3.2.tif')).to.equal('lcv_landuse.cropland_hyde_p_10km_s0..0cm_2016_v3.2');
    expect(idFromFileName('/x/---.tif')).to.equal('collection');
  });

  it('scans folders recursively, skips hidden entries, makes ids unique, and lets the configuration take a file over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-cat-'));
    mkdirSync(join(dir, 'sub'));
    mkdirSync(join(dir, '.hidden'));
    copyFileSync(CORPUS + 'byte.tif', join(dir, 'scene.tif'));
    copyFileSync(CORPUS + 'byte.tif', join(dir, 'sub', 'scene.TIFF'));
    copyFileSync(CORPUS + 'byte.tif', join(dir, '.hidden', 'secret.tif'));
    copyFileSync(CORPUS + 'cogeo.tif', join(dir, 'named.tif'));
    const catalog = await buildCatalog({
      collections: [{ id: 'mine', title: 'Mine', sources: [join(dir, 'named.tif')], formats: ['jpeg'] }],
      paths: [dir], defaultResampling: 'bilinear',
    }, deps);
    expect(catalog.list().map((c) => c.id).sort()).to.deep.equal(['mine', 'scene', 'scene-2']);
    expect(catalog.get('mine').formats).to.deep.equal(['jpeg']);
    expect(catalog.defaultCollection()?.id).to.equal('mine');
    expect(() => catalog.get('secret')).to.throw(NotFoundError);
  });

  it('a mosaic collection takes several sources of one band layout; different layouts are refused', async () => {
    const catalog = await buildCatalog({
      collections: [{ id: 'rgb', sources: [CORPUS + 'cog_rgb_mask.tif', CORPUS + 'TCI.tif'], style: { bands: [3, 2, 1] } }],
      paths: [], defaultResampling: 'cubic',
    }, deps);
    const c = catalog.get('rgb');
    expect(c.sources).to.have.length(2);
    expect(c.resampling).to.equal('cubic');
    expect(c.info.bandCount).to.equal(3);
    // The union of both footprints (New Mexico and Libya).
    expect(c.info.lonLatBounds[0]).to.be.lessThan(-100);
    expect(c.info.lonLatBounds[2]).to.be.greaterThan(24);
    let err: unknown;
    await buildCatalog({ collections: [{ id: 'bad', sources: [CORPUS + 'TCI.tif', CORPUS + 'dem.tif'] }], paths: [], defaultResampling: 'bilinear' }, deps).catch((e) => { err = e; });
    expect(err).to.be.instanceOf(InvalidParameterError);
    expect((err as Error).message).to.match(/collection "bad".*1 float32.*3 uint8|collection "bad".*3 uint8.*1 float32/);
  });

  it('refuses a style the data cannot have, duplicate ids, a missing file and an unknown default', async () => {
    const attempts: [string, Parameters<typeof buildCatalog>[0]][] = [
      ['style', { collections: [{ id: 'x', sources: [CORPUS + 'dem.tif'], style: { bands: [2] } }], paths: [], defaultResampling: 'bilinear' }],
      ['twice', { collections: [{ id: 'x', sources: [CORPUS + 'dem.tif'] }, { id: 'x', sources: [CORPUS + 'byte.tif'] }], paths: [], defaultResampling: 'bilinear' }],
      ['missing', { collections: [{ id: 'x', sources: ['/nope/missing.tif'] }], paths: [], defaultResampling: 'bilinear' }],
      ['default', { collections: [{ id: 'x', sources: [CORPUS + 'dem.tif'] }], paths: [], defaultCollection: 'y', defaultResampling: 'bilinear' }],
      ['path', { collections: [], paths: ['/nope/folder'], defaultResampling: 'bilinear' }],
    ];
    for (const [what, input] of attempts) {
      let err: unknown;
      await buildCatalog(input, deps).catch((e) => { err = e; });
      expect(err, what).to.be.instanceOf(Error);
      expect((err as Error).message, what).to.match(/band 2|used twice|cannot open \/nope|defaultCollection "y"|no such file or folder/);
    }
  });

  it('offers WebMercatorQuad, WorldCRS84Quad and the native UTM zone (north and south), palettes resample with nearest', async () => {
    const catalog = await buildCatalog({ collections: [], paths: [CORPUS + 'image_171px.tif', CORPUS + 'TCI.tif', CORPUS + 'cog_cmap.tif'], defaultResampling: 'bilinear' }, deps);
    expect(catalog.get('image_171px').info.tileMatrixSets.map((t) => t.tileMatrixSetId)).to.deep.equal(['WebMercatorQuad', 'WorldCRS84Quad', 'UTM07SWGS84Quad']);
    expect(catalog.get('tci').info.tileMatrixSets.map((t) => t.tileMatrixSetId)).to.include('UTM34WGS84Quad');
    expect(catalog.get('cog_cmap').resampling).to.equal('nearest');
  });
});
