import { expect } from 'chai';
import sharp from 'sharp';
import { Engine } from '../../src/tiling/engine.js';
import { createDefaultRegistry } from '../../src/tilematrixsets/index.js';
import { CORPUS } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

const TCI = CORPUS + 'TCI.tif', DEM = CORPUS + 'dem.tif', CMAP = CORPUS + 'cog_cmap.tif';

describe('server: XYZ / TileJSON API', function () {
  this.timeout(60_000);
  let app: Awaited<ReturnType<typeof startTestServer>>;
  const engine = new Engine();
  before(async () => {
    app = await startTestServer([TCI, DEM, CMAP], {
      collections: [{ id: 'terrain', title: 'Terrain', sources: [DEM], style: { rescale: [[1600, 2020]], colormap: 'terrain' }, attribution: 'swisstopo (test)' }],
    });
  });
  after(async () => { await app.stop(); await engine.close(); });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(app.url + path, { headers });

  it('lists every collection with lon/lat bounds, CRS, bands and zoom ranges per tile matrix set', async () => {
    const res = await get('/api/v1/collections');
    expect(res.status).to.equal(200);
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    const body = await res.json() as { collections: { id: string; bounds: number[]; crs: { id: string }; bands: { count: number; dataType: string }; tileMatrixSets: { id: string; maxTileMatrix: string }[] }[] };
    expect(body.collections.map((c) => c.id).sort()).to.deep.equal(['cog_cmap', 'tci', 'terrain']);
    const tci = body.collections.find((c) => c.id === 'tci')!;
    expect(tci.crs.id).to.equal('EPSG:32634');
    expect(tci.bands).to.deep.include({ count: 3, dataType: 'uint8' });
    expect(tci.bounds[0]).to.be.closeTo(23.106, 0.01);
    expect(tci.tileMatrixSets.map((t) => t.id)).to.deep.equal(['WebMercatorQuad', 'WorldCRS84Quad', 'UTM34WGS84Quad']);
    // 100 m pixels at 32°N: closest WebMercatorQuad level is 10 (≈ 129 m at the equator, 130/cos(32°)…).
    expect(tci.tileMatrixSets[0]!.maxTileMatrix).to.equal('10');
  });

  it('serves TileJSON 3.0 with absolute templates', async () => {
    const tj = await (await get('/api/v1/collections/terrain/tilejson.json')).json() as { tilejson: string; tiles: string[]; attribution: string; minzoom: number; maxzoom: number };
    expect(tj.tilejson).to.equal('3.0.0');
    expect(tj.tiles[0]).to.equal(`${app.url}/api/v1/collections/terrain/tiles/WebMercatorQuad/{z}/{x}/{y}.png`);
    expect(tj.attribution).to.equal('swisstopo (test)');
    expect(tj.maxzoom).to.be.greaterThan(tj.minzoom);
    const jpg = await (await get('/api/v1/collections/terrain/tilejson.json?f=jpeg')).json() as { tiles: string[] };
    expect(jpg.tiles[0]).to.match(/\.jpg$/);
  });

  it('tiles are byte-identical to the engine\'s render of the same tile, in every format', async () => {
    const tms = createDefaultRegistry().get('WebMercatorQuad');
    for (const [ext, format, type] of [['png', 'png', 'image/png'], ['jpg', 'jpeg', 'image/jpeg'], ['webp', 'webp', 'image/webp']] as const) {
      const res = await get(`/api/v1/collections/tci/tiles/WebMercatorQuad/10/579/415.${ext}`);
      expect(res.status, ext).to.equal(200);
      expect(res.headers.get('content-type')).to.equal(type);
      const body = new Uint8Array(await res.arrayBuffer());
      const direct = await engine.renderTile({ sources: [TCI], tileMatrixSet: tms, tile: { tileMatrix: '10', row: 415, col: 579 }, resampling: 'bilinear', style: {}, format });
      expect(direct.kind).to.equal('image');
      expect(Buffer.from(body).equals(Buffer.from((direct as { bytes: Uint8Array }).bytes)), `${ext} bytes`).to.equal(true);
    }
  });

  it('the short route serves the default collection in WebMercatorQuad', async () => {
    const a = new Uint8Array(await (await get('/api/v1/tiles/10/579/415')).arrayBuffer());
    const firstId = (await (await get('/api/v1/collections')).json() as { collections: { id: string }[] }).collections[0]!.id;
    const b = new Uint8Array(await (await get(`/api/v1/collections/${firstId}/tiles/WebMercatorQuad/10/579/415.png`)).arrayBuffer());
    expect(Buffer.from(a).equals(Buffer.from(b))).to.equal(true);
  });

  it('negotiates the format from Accept when the path has no extension, and says Vary: Accept', async () => {
    const res = await get('/api/v1/collections/tci/tiles/WebMercatorQuad/10/579/415', { accept: 'image/webp,image/*;q=0.8' });
    expect(res.headers.get('content-type')).to.equal('image/webp');
    expect(res.headers.get('vary')).to.match(/Accept/);
    const png = await get('/api/v1/collections/tci/tiles/WebMercatorQuad/10/579/415', { accept: '*/*' });
    expect(png.headers.get('content-type')).to.equal('image/png');
    const bad = await get('/api/v1/collections/tci/tiles/WebMercatorQuad/10/579/415', { accept: 'text/html' });
    expect(bad.status).to.equal(400);
  });

  it('applies the collection style, and request parameters override it', async () => {
    const styled = await sharp(Buffer.from(await (await get('/api/v1/collections/terrain/tiles/WebMercatorQuad/16/34059/23336.png')).arrayBuffer())).raw().toBuffer();
    const grey = await sharp(Buffer.from(await (await get('/api/v1/collections/terrain/tiles/WebMercatorQuad/16/34059/23336.png?colormap=gray')).arrayBuffer())).raw().toBuffer();
    let coloured = 0, greyish = 0;
    for (let i = 0; i < styled.length; i += 3) if (styled[i] !== styled[i + 1] || styled[i + 1] !== styled[i + 2]) coloured++;
    for (let i = 0; i < grey.length; i += 3) if (grey[i] === grey[i + 1] && grey[i + 1] === grey[i + 2]) greyish++;
    expect(coloured).to.be.greaterThan(1000);
    expect(greyish).to.equal(grey.length / 3);
  });

  it('@2x gives a 512-pixel tile', async () => {
    const meta = await sharp(Buffer.from(await (await get('/api/v1/collections/tci/tiles/WebMercatorQuad/10/579/415@2x.png')).arrayBuffer())).metadata();
    expect([meta.width, meta.height]).to.deep.equal([512, 512]);
  });

  it('a tile without data is the transparent blank tile', async () => {
    const res = await get('/api/v1/collections/tci/tiles/WebMercatorQuad/10/0/0.png');
    expect(res.status).to.equal(200);
    const { data, info } = await sharp(Buffer.from(await res.arrayBuffer())).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(info.width).to.equal(256);
    expect(data.filter((_, i) => i % 4 === 3).every((a) => a === 0)).to.equal(true);
  });

  for (const [path, status, code, parameter] of [
    ['/api/v1/collections/tci/tiles/WebMercatorQuad/25/0/0.png', 404, 'TileOutOfRange', 'TileMatrix'],
    ['/api/v1/collections/tci/tiles/WebMercatorQuad/3/8/0.png', 404, 'TileOutOfRange', 'TileCol'],
    ['/api/v1/collections/tci/tiles/WebMercatorQuad/3/0/8.png', 404, 'TileOutOfRange', 'TileRow'],
    ['/api/v1/collections/nope/tiles/WebMercatorQuad/3/0/0.png', 404, 'NotFound', undefined],
    ['/api/v1/collections/tci/tiles/NopeQuad/3/0/0.png', 404, 'NotFound', undefined],
    ['/api/v1/collections/tci/tiles/WebMercatorQuad/3/0/0.gif', 400, 'InvalidParameterValue', 'format'],
    ['/api/v1/collections/tci/tiles/WebMercatorQuad/3/x/0.png', 400, 'InvalidParameterValue', 'x'],
    ['/api/v1/collections/tci/tiles/WebMercatorQuad/3/0/0.png?bands=1,2', 400, 'InvalidParameterValue', 'bands'],
    ['/api/v1/collections/tci/tiles/WebMercatorQuad/3/0/0.png?rescale=1', 400, 'InvalidParameterValue', 'rescale'],
    ['/api/v1/collections/tci/tiles/WebMercatorQuad/3/0/0.png?colormap=rainbowz&bands=1', 400, 'InvalidParameterValue', 'colormap'],
    ['/api/v1/collections/tci/tiles/WebMercatorQuad/3/0/0.png?resampling=magic', 400, 'InvalidParameterValue', 'resampling'],
    ['/api/v1/collections/tci/tiles/WebMercatorQuad/3/0/0.png?bands=1&bands=2', 400, 'InvalidParameterValue', 'bands'],
    ['/api/v1/collections/nope', 404, 'NotFound', undefined],
    ['/nothing/here', 404, 'NotFound', undefined],
  ] as const) {
    it(`${path} → ${status} ${code}${parameter ? ` (${parameter})` : ''}`, async () => {
      const res = await get(path);
      expect(res.status).to.equal(status);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      const body = await res.json() as { code: string; description: string; parameter?: string };
      expect(body.code).to.equal(code);
      expect(body.description).to.be.a('string').and.not.match(/at .*\.js:\d+/);
      if (parameter) expect(body.parameter).to.equal(parameter);
    });
  }

  it('echoes or creates a request id', async () => {
    const a = await get('/health', { 'x-request-id': 'abc-123' });
    expect(a.headers.get('x-request-id')).to.equal('abc-123');
    const b = await get('/health', { 'x-request-id': 'bad id with spaces' });
    expect(b.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('health, readiness and Prometheus metrics by route and status', async () => {
    expect((await get('/health')).status).to.equal(200);
    expect(await (await get('/ready')).json()).to.deep.equal({ status: 'ready' });
    const text = await (await get('/metrics')).text();
    expect(text).to.match(/tilewright_http_requests_total\{route="\/api\/v1\/collections\/:id\/tiles\/:tms\/:z\/:x\/:y",method="GET",status="200"\} \d+/);
    expect(text).to.match(/tilewright_http_requests_total\{route="\/api\/v1\/collections\/:id\/tiles\/:tms\/:z\/:x\/:y",method="GET",status="404"\} \d+/);
    expect(text).to.match(/tilewright_http_request_duration_seconds_bucket\{le="0.005",route=/);
    expect(text).to.match(/tilewright_tiles_rendered_total\{collection="tci",format="png",outcome="image"\} \d+/);
    expect(text).to.match(/tilewright_tiles_rendered_total\{collection="tci",format="png",outcome="empty"\} \d+/);
    expect(text).to.match(/tilewright_tile_render_duration_seconds_count\{collection="tci"\} \d+/);
  });
});
