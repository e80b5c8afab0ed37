import { expect } from 'chai';
import SwaggerParser from '@apidevtools/swagger-parser';
import { fromArrayBuffer } from 'geotiff';
import sharp from 'sharp';
import { COMMON_CONFORMANCE } from '../../src/ogc/common/conformance.js';
import { MAPS_CONFORMANCE } from '../../src/ogc/maps/conformance.js';
import { TILES_CONFORMANCE } from '../../src/ogc/tiles/conformance.js';
import { createDefaultRegistry, tileCrsBounds, tileForLonLat } from '../../src/tilematrixsets/index.js';
import { Engine } from '../../src/tiling/engine.js';
import { tileGrid } from '../../src/tiling/grid.js';
import { tmsSchema } from '../helpers/json-schema.js';
import { CORPUS } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

const TCI = CORPUS + 'TCI.tif', DEM = CORPUS + 'dem.tif', WORLD = CORPUS + 'world.byte.tif';
const DEM_CENTRE: [number, number] = [7.0971, 45.9206];
const TCI_CENTRE: [number, number] = [23.70, 32.01];

type App = Awaited<ReturnType<typeof startTestServer>>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('server: OGC API - Tiles, Maps and Common', function () {
  this.timeout(120_000);
  let app: App;
  const registry = createDefaultRegistry();
  const engine = new Engine();
  const get = (path: string, headers: Record<string, string> = {}) => fetch(app.url + path, { headers });
  const json = async (path: string, headers: Record<string, string> = {}): Promise<Json> => {
    const res = await get(path, headers);
    expect(res.status, path).to.equal(200);
    expect(res.headers.get('content-type'), path).to.match(/^application\/json/);
    return (await res.json()) as Json;
  };
  const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());
  const tileAt = (tmsId: string, z: string, [lon, lat]: [number, number]) => tileForLonLat(registry.get(tmsId), z, lon, lat)!;
  /** The finest tile matrix a collection's tileset advertises in a set. */
  const deepest = async (collection: string, tms: string) => {
    const limits = (await json(`/collections/${collection}/map/tiles/${tms}`))['tileMatrixSetLimits'] as Json[];
    return limits[limits.length - 1]!['tileMatrix'] as string;
  };

  before(async () => {
    app = await startTestServer([TCI, WORLD], {
      collections: [
        { id: 'terrain', title: 'Terrain', sources: [DEM], style: { rescale: [[1600, 2020]], colormap: 'terrain' } },
        { id: 'sparse', sources: [DEM], emptyTile: '204', tileMatrixSets: ['WorldCRS84Quad', 'WebMercatorQuad'] },
      ],
    });
  });
  after(async () => { await app?.stop(); await engine.close(); });

  describe('Common: landing page, conformance, API definition, HTML', () => {
    it('/ogcapi links the API definition, its documentation, conformance, data, tiling schemes and dataset tiles; GET / is the landing page for JSON clients only', async () => {
      const doc = await json('/ogcapi');
      const rels = new Map<string, Json>(doc['links'].map((l: Json) => [l['rel'], l]));
      for (const rel of ['self', 'alternate', 'service-desc', 'service-doc', 'conformance', 'data', 'http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes', 'http://www.opengis.net/def/rel/ogc/1.0/tilesets-map']) {
        expect(rels.has(rel), rel).to.equal(true);
      }
      expect(rels.get('service-desc')!['type']).to.equal('application/vnd.oai.openapi+json;version=3.0');
      for (const l of doc['links'] as Json[]) expect(l['href'], l['rel']).to.match(new RegExp(`^${app.url}/`));
      expect(await json('/', { accept: 'application/json' })).to.deep.equal(doc);
      expect(await json('/?f=json')).to.deep.equal(doc);
      const viewer = await get('/', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
      expect(viewer.headers.get('content-type')).to.match(/^text\/html/);
      expect(await viewer.text()).to.not.include('service-desc');
      expect((await get('/')).headers.get('content-type'), 'no Accept: the viewer, as before').to.match(/^text\/html/);
    });

    it('/conformance lists the classes the mounted faces declare, including every class the issue asks for', async () => {
      const doc = await json('/conformance');
      expect(doc['conformsTo']).to.deep.equal([...COMMON_CONFORMANCE, ...TILES_CONFORMANCE, ...MAPS_CONFORMANCE]);
      for (const c of ['core', 'tileset', 'tilesets-list', 'geodata-tilesets', 'dataset-tilesets', 'geodata-selection', 'png', 'jpeg', 'oas30']) {
        expect(doc['conformsTo']).to.include(`http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/${c}`);
      }
      expect(doc['conformsTo']).to.include('http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html');
      expect(doc['conformsTo']).to.include('http://www.opengis.net/spec/ogcapi-maps-1/1.0/conf/core');
    });

    it('/api is an OpenAPI 3.0 document (validated by swagger-parser) describing every route of the server and nothing else', async () => {
      const res = await get('/api');
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/vnd.oai.openapi+json;version=3.0');
      const doc = (await res.json()) as Json;
      expect(doc['openapi']).to.match(/^3\.0\./);
      await SwaggerParser.validate(structuredClone(doc) as never);
      const paths = Object.keys(doc['paths']);
      for (const p of [
        '/', '/ogcapi', '/conformance', '/api', '/collections', '/collections/{collectionId}', '/tileMatrixSets', '/tileMatrixSets/{tileMatrixSetId}',
        '/collections/{collectionId}/map/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}', '/collections/{collectionId}/coverage/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}',
        '/map/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}', '/collections/{collectionId}/map',
        '/api/v1/collections/{id}/tiles/{tms}/{z}/{x}/{y}', '/wmts', '/wmts/1.0.0/WMTSCapabilities.xml', '/health', '/ready', '/metrics', '/viewer/{file}',
      ]) expect(paths, p).to.include(p);
      const ops = Object.values(doc['paths']).flatMap((o) => Object.values(o as Json)) as Json[];
      expect(ops.filter((o) => (o['tags'] as string[]).includes('undocumented')).map((o) => o['operationId'])).to.deep.equal([]);
      // Every documented path answers (templated parameters filled with real values): nothing invented.
      const z = await deepest('terrain', 'WorldCRS84Quad');
      const t = tileAt('WorldCRS84Quad', z, DEM_CENTRE);
      const filled = (p: string) => p.replace('{collectionId}', 'terrain').replace('{id}', 'terrain').replace('{tileMatrixSetId}', 'WorldCRS84Quad').replace('{tms}', 'WorldCRS84Quad')
        .replace('{tileMatrix}', z).replace('{tileRow}', String(t.row)).replace('{tileCol}', String(t.col)).replace('{z}', '0').replace('{x}', '0').replace('{y}', '0').replace('{file}', 'viewer.js');
      for (const p of paths.filter((x) => !x.startsWith('/wmts/1.0.0/{'))) {
        const r = await get(filled(p));
        expect(r.status, filled(p)).to.not.equal(404);
      }
      const html = await get('/api', { accept: 'text/html' });
      expect(html.headers.get('content-type')).to.match(/^text\/html/);
      expect(await html.text()).to.include('/collections/{collectionId}/map');
    });

    it('every metadata resource has an HTML page, chosen by f=html or Accept; f=xml is 400, Accept without JSON or HTML 406', async () => {
      for (const path of ['/ogcapi', '/conformance', '/collections', '/collections/terrain', '/tileMatrixSets', '/tileMatrixSets/WebMercatorQuad',
        '/collections/terrain/map/tiles', '/collections/terrain/map/tiles/WebMercatorQuad', '/collections/terrain/coverage/tiles', '/map/tiles', '/map/tiles/WorldCRS84Quad']) {
        for (const [query, headers] of [['?f=html', {}], ['', { accept: 'text/html' }]] as const) {
          const res = await get(path + query, headers);
          expect(res.status, path + query).to.equal(200);
          expect(res.headers.get('content-type'), path).to.match(/^text\/html/);
          const text = await res.text();
          expect(text, path).to.match(/^<!doctype html>/);
          expect(text, path).to.include('<a href="http');
        }
      }
      expect((await get('/collections/terrain?f=html')).status).to.equal(200);
      expect(await (await get('/collections?f=html')).text()).to.include('Terrain');
      const bad = await get('/collections?f=xml');
      expect(bad.status).to.equal(400);
      expect(await bad.json()).to.include({ type: 'about:blank', status: 400, code: 'InvalidParameterValue', parameter: 'f' });
      expect((await get('/collections', { accept: 'text/csv' })).status).to.equal(406);
    });
  });

  describe('TMS 2.0 JSON', () => {
    it('/tileMatrixSets lists every registered set with self links; each /tileMatrixSets/{id} is valid against tileMatrixSet.json', async () => {
      const list = await json('/tileMatrixSets');
      const ids = list['tileMatrixSets'].map((t: Json) => t['id']);
      expect(ids).to.deep.equal(registry.list().map((t) => t.id));
      const valid = tmsSchema('tileMatrixSet.json');
      for (const entry of list['tileMatrixSets'] as Json[]) {
        const self = entry['links'].find((l: Json) => l['rel'] === 'self');
        expect(self['href']).to.equal(`${app.url}/tileMatrixSets/${encodeURIComponent(entry['id'])}`);
        const doc = await json(new URL(self['href']).pathname);
        expect(valid(doc), entry['id']).to.equal('');
        expect(doc).to.deep.equal(JSON.parse(JSON.stringify(registry.get(entry['id']))));
      }
      const missing = await get('/tileMatrixSets/NoSuchSet');
      expect(missing.status).to.equal(404);
      expect(await missing.json()).to.include({ status: 404, code: 'NotFound' });
    });

    it('the TMS 1.0 encoding (for GDAL ≤ 3.6) carries the same matrices', async () => {
      const v1 = await json('/tileMatrixSets/WorldCRS84Quad/tms-1.0');
      const v2 = registry.get('WorldCRS84Quad');
      expect(v1).to.include({ type: 'TileMatrixSetType', identifier: 'WorldCRS84Quad', supportedCRS: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84' });
      expect(v1['tileMatrix'].map((m: Json) => [m['identifier'], m['topLeftCorner'], m['matrixWidth']])).to.deep.equal(v2.tileMatrices.map((m) => [m.id, [...m.pointOfOrigin], m.matrixWidth]));
    });
  });

  describe('Tiles: collections, tileset lists, tileset metadata', () => {
    it('collections link their map and coverage tilesets and their map; the extent is CRS84', async () => {
      const all = await json('/collections');
      expect(all['collections'].map((c: Json) => c['id'])).to.have.members(['tci', 'world.byte', 'terrain', 'sparse']);
      const terrain = await json('/collections/terrain');
      expect(terrain['extent']['spatial']['crs']).to.equal('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
      expect(terrain['extent']['spatial']['bbox'][0][0]).to.be.closeTo(7.0906, 1e-3);
      const rels = terrain['links'].map((l: Json) => [l['rel'], l['type'], l['href']]);
      expect(rels).to.deep.include(['http://www.opengis.net/def/rel/ogc/1.0/tilesets-map', 'application/json', `${app.url}/collections/terrain/map/tiles`]);
      expect(rels).to.deep.include(['http://www.opengis.net/def/rel/ogc/1.0/tilesets-coverage', 'application/json', `${app.url}/collections/terrain/coverage/tiles`]);
      expect(rels).to.deep.include(['http://www.opengis.net/def/rel/ogc/1.0/map', 'image/png', `${app.url}/collections/terrain/map?f=png`]);
      expect(terrain['crs']).to.include('http://www.opengis.net/def/crs/EPSG/0/2056');
      const missing = await get('/collections/nope');
      expect(missing.status).to.equal(404);
      expect(await missing.json()).to.include({ type: 'about:blank', title: 'Not Found', status: 404, code: 'NotFound' });
    });

    it('tileset lists and metadata (collection map and coverage, dataset) are valid against tileSet.json, with absolute templated links and limits', async () => {
      const valid = tmsSchema('tileSet.json');
      for (const [list, dataType, types] of [
        ['/collections/tci/map/tiles', 'map', ['image/png', 'image/jpeg', 'image/webp']],
        ['/collections/terrain/coverage/tiles', 'coverage', ['image/tiff; application=geotiff']],
        ['/map/tiles', 'map', ['image/png', 'image/jpeg', 'image/webp']],
      ] as const) {
        const doc = await json(list);
        expect(doc['tilesets'].length, list).to.be.greaterThan(0);
        for (const entry of doc['tilesets'] as Json[]) {
          expect(entry).to.include({ dataType });
          expect(entry['tileMatrixSetURI'], list).to.match(/^http/);
          const self = entry['links'].find((l: Json) => l['rel'] === 'self' && l['type'] === 'application/json');
          expect(self['href']).to.match(new RegExp(`^${app.url}${list.replace(/\./g, '\\.')}/`));
          const tileset = await json(new URL(self['href']).pathname);
          expect(valid(tileset), self['href']).to.equal('');
          expect(tileset['tileMatrixSetLimits'].length).to.be.greaterThan(0);
          expect(tileset['boundingBox']).to.have.keys('lowerLeft', 'upperRight', 'crs', 'orderedAxes');
          const items = tileset['links'].filter((l: Json) => l['rel'] === 'item');
          expect(items.map((l: Json) => l['type'])).to.deep.equal(types);
          for (const l of items) {
            expect(l['templated']).to.equal(true);
            expect(l['href']).to.match(new RegExp(`^${app.url}/.*/\\{tileMatrix\\}/\\{tileRow\\}/\\{tileCol\\}\\?f=`));
          }
          const schemes = tileset['links'].filter((l: Json) => l['rel'] === 'http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme');
          expect(schemes[0]['href']).to.equal(`${app.url}/tileMatrixSets/${entry['tileMatrixSetId']}`);
        }
      }
      expect((await get('/collections/tci/map/tiles/WorldMercatorWGS84Quad')).status, 'a set the collection is not offered in').to.equal(404);
    });
  });

  describe('Tiles: map tiles', () => {
    it('the same tile through WMTS (KVP and REST), XYZ and OGC API is byte-identical', async () => {
      for (const tms of ['WebMercatorQuad', 'WorldCRS84Quad', 'UTM34WGS84Quad']) {
        const limits = (await json(`/collections/tci/map/tiles/${tms}`))['tileMatrixSetLimits'] as Json[];
        const z = limits[limits.length - 1]!['tileMatrix'] as string;
        const { row, col } = tms === 'UTM34WGS84Quad' ? tileAt(tms, z, TCI_CENTRE) : tileAt(tms, z, TCI_CENTRE);
        const [ogc, xyz, kvp, rest] = await Promise.all([
          get(`/collections/tci/map/tiles/${tms}/${z}/${row}/${col}?f=png`),
          get(`/api/v1/collections/tci/tiles/${tms}/${z}/${col}/${row}.png`),
          get(`/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=tci&STYLE=default&FORMAT=image/png&TILEMATRIXSET=${tms}&TILEMATRIX=${z}&TILEROW=${row}&TILECOL=${col}`),
          get(`/wmts/1.0.0/tci/default/${tms}/${z}/${row}/${col}.png`),
        ]);
        expect([ogc.status, xyz.status, kvp.status, rest.status], tms).to.deep.equal([200, 200, 200, 200]);
        const b = await bytes(ogc);
        expect(b.equals(await bytes(xyz)), `${tms} XYZ`).to.equal(true);
        expect(b.equals(await bytes(kvp)), `${tms} WMTS KVP`).to.equal(true);
        expect(b.equals(await bytes(rest)), `${tms} WMTS REST`).to.equal(true);
        // Same request to the same TileService: the same ETag, and If-None-Match answers 304.
        expect(ogc.headers.get('etag'), tms).to.be.a('string').and.equal(xyz.headers.get('etag'));
        const again = await get(`/collections/tci/map/tiles/${tms}/${z}/${row}/${col}?f=png`, { 'if-none-match': ogc.headers.get('etag')! });
        expect(again.status, tms).to.equal(304);
      }
    });

    it('f=png|jpeg|webp or Accept choose the encoding; bad values are 400, unacceptable Accept 406, all as problem JSON', async () => {
      const z = await deepest('tci', 'WebMercatorQuad');
      const { row, col } = tileAt('WebMercatorQuad', z, TCI_CENTRE);
      const path = `/collections/tci/map/tiles/WebMercatorQuad/${z}/${row}/${col}`;
      for (const [f, type] of [['png', 'image/png'], ['jpeg', 'image/jpeg'], ['jpg', 'image/jpeg'], ['webp', 'image/webp']]) {
        expect((await get(`${path}?f=${f}`)).headers.get('content-type'), f).to.equal(type);
      }
      expect((await get(path, { accept: 'image/webp' })).headers.get('content-type')).to.equal('image/webp');
      expect((await get(path, { accept: 'image/jpeg, image/png;q=0.5' })).headers.get('content-type')).to.equal('image/jpeg');
      expect((await get(path, { accept: '*/*' })).headers.get('content-type')).to.equal('image/png');
      const negotiated = await get(path, { accept: 'image/webp' });
      expect(negotiated.headers.get('vary')).to.match(/Accept/);
      for (const [url, status, parameter] of [
        [`${path}?f=gif`, 400, 'f'],
        [`/collections/tci/map/tiles/WebMercatorQuad/${z}/x/${col}`, 400, 'tileRow'],
        [`${path}?bands=9`, 400, 'bands'],
        [`/collections/tci/map/tiles/WebMercatorQuad/${z}/${2 ** Number(z)}/${col}`, 404, 'TileRow'],
        [`/collections/tci/map/tiles/WebMercatorQuad/99/0/0`, 404, 'TileMatrix'],
        [`/collections/tci/map/tiles/WebMercatorQuad/${Number(z) + 1}/0/0`, 404, undefined],
        [`/collections/nope/map/tiles/WebMercatorQuad/${z}/${row}/${col}`, 404, undefined],
        [`/collections/tci/map/tiles/NoSuchSet/${z}/${row}/${col}`, 404, undefined],
      ] as const) {
        const res = await get(url);
        expect(res.status, url).to.equal(status);
        expect(res.headers.get('content-type'), url).to.match(/^application\/json/);
        const body = (await res.json()) as Json;
        expect(body, url).to.include({ type: 'about:blank', status });
        if (parameter) expect(body['parameter'], url).to.equal(parameter);
      }
      const refused = await get(path, { accept: 'image/gif' });
      expect(refused.status).to.equal(406);
      expect(await refused.json()).to.include({ status: 406, code: 'NotAcceptable' });
    });

    it('a tile without data is 204 or a blank image, as the collection is configured', async () => {
      const z = await deepest('sparse', 'WorldCRS84Quad');
      const far = tileAt('WorldCRS84Quad', z, [DEM_CENTRE[0] + 0.2, DEM_CENTRE[1]]);
      const sparse = await get(`/collections/sparse/map/tiles/WorldCRS84Quad/${z}/${far.row}/${far.col}?f=png`);
      expect(sparse.status).to.equal(204);
      const blank = await get(`/collections/terrain/map/tiles/WorldCRS84Quad/${z}/${far.row}/${far.col}?f=png`);
      expect(blank.status).to.equal(200);
      const { info } = await sharp(await bytes(blank)).raw().toBuffer({ resolveWithObject: true });
      expect(info.channels).to.equal(4);
      const coverage = await get(`/collections/sparse/coverage/tiles/WorldCRS84Quad/${z}/${far.row}/${far.col}`);
      expect(coverage.status).to.equal(204);
    });

    it('dataset tiles composite every collection (the last on top); collections= selects them; one collection gives that collection\'s tile', async () => {
      const z = await deepest('terrain', 'WorldCRS84Quad');
      const { row, col } = tileAt('WorldCRS84Quad', z, DEM_CENTRE);
      const tilePath = `WorldCRS84Quad/${z}/${row}/${col}`;
      const single = await get(`/map/tiles/${tilePath}?f=png&collections=terrain`);
      expect(single.status).to.equal(200);
      const own = await bytes(await get(`/collections/terrain/map/tiles/${tilePath}?f=png`));
      expect((await bytes(single)).equals(own), 'collections=terrain is the terrain tile').to.equal(true);
      // world.byte (grey, opaque) on top of terrain hides it; terrain on top of world.byte shows terrain where it has data.
      const worldTop = await sharp(await bytes(await get(`/map/tiles/${tilePath}?f=png&collections=terrain,world.byte`))).raw().toBuffer();
      const worldOnly = await sharp(await bytes(await get(`/map/tiles/${tilePath}?f=png&collections=world.byte`))).raw().toBuffer();
      expect(worldTop.equals(worldOnly)).to.equal(true);
      const terrainTop = await sharp(await bytes(await get(`/map/tiles/${tilePath}?f=png&collections=world.byte,terrain`))).ensureAlpha().raw().toBuffer();
      const terrainOnly = await sharp(own).ensureAlpha().raw().toBuffer();
      let same = 0;
      for (let i = 0; i < terrainOnly.length; i += 4) if (terrainOnly[i + 3] === 255 && terrainOnly.readUInt32BE(i) === terrainTop.readUInt32BE(i)) same++;
      expect(same).to.be.greaterThan(1000);
      expect((await get(`/map/tiles/${tilePath}`)).status, 'all collections').to.equal(200);
      for (const q of ['collections=nope', 'collections=', 'collections=terrain&collections=tci', 'bands=1']) {
        const res = await get(`/map/tiles/${tilePath}?${q}`);
        expect(res.status, q).to.equal(400);
      }
    });
  });

  describe('Tiles: coverage tiles', () => {
    it('a float32 DEM tile is a GeoTIFF of float32 values georeferenced to the tile, nodata kept, equal to the warped values', async () => {
      const tms = registry.get('WorldCRS84Quad');
      const z = await deepest('terrain', 'WorldCRS84Quad');
      const { row, col } = tileAt('WorldCRS84Quad', z, DEM_CENTRE);
      const res = await get(`/collections/terrain/coverage/tiles/WorldCRS84Quad/${z}/${row}/${col}?f=geotiff`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('image/tiff; application=geotiff');
      const tiff = await fromArrayBuffer((await bytes(res)).buffer.slice(0) as ArrayBuffer);
      const image = await tiff.getImage();
      expect([image.getWidth(), image.getHeight(), image.getSamplesPerPixel()]).to.deep.equal([256, 256, 1]);
      expect(image.getSampleFormat()).to.equal(3);
      expect(image.getBitsPerSample()).to.equal(32);
      expect(image.getGDALNoData()).to.equal(-9999);
      const b = tileCrsBounds(tms, { tileMatrix: z, row, col });
      const bbox = image.getBoundingBox();
      expect(bbox[0]).to.be.closeTo(b.minX, 1e-9);
      expect(bbox[3]).to.be.closeTo(b.maxY, 1e-9);
      expect((image.getGeoKeys() as Json)['GeographicTypeGeoKey']).to.equal(4326);
      const [values] = (await image.readRasters()) as unknown as Float32Array[];
      const raster = (await engine.warp([DEM], tileGrid(tms, { tileMatrix: z, row, col }), 'bilinear'))!;
      let valid = 0, nodata = 0;
      for (let i = 0; i < values!.length; i++) {
        if (raster.alpha[i] === 0) { expect(values![i]).to.equal(-9999); nodata++; } else { expect(values![i]).to.equal(raster.bands[0]![i]); valid++; }
      }
      expect(valid).to.be.greaterThan(1000);
      expect(nodata).to.be.greaterThan(0);
    });

    it('style parameters and image formats are refused on coverage tiles', async () => {
      const z = await deepest('terrain', 'WorldCRS84Quad');
      const { row, col } = tileAt('WorldCRS84Quad', z, DEM_CENTRE);
      const path = `/collections/terrain/coverage/tiles/WorldCRS84Quad/${z}/${row}/${col}`;
      expect((await get(`${path}?f=png`)).status).to.equal(400);
      expect((await get(`${path}?colormap=viridis`)).status).to.equal(400);
      expect((await get(path, { accept: 'image/png' })).status).to.equal(406);
      expect((await get(path, { accept: 'image/tiff' })).status).to.equal(200);
    });
  });

  describe('Maps: /collections/{id}/map', () => {
    const BBOX = [7.092, 45.917, 7.102, 45.924];

    it('without parameters: the whole collection in CRS84, the longer side 1024 pixels, with Content-Crs and Content-Bbox', async () => {
      const res = await get('/collections/terrain/map');
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('image/png');
      expect(res.headers.get('content-crs')).to.equal('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
      const bbox = res.headers.get('content-bbox')!.split(',').map(Number);
      expect(bbox[0]).to.be.closeTo(7.0906, 1e-3);
      const { info } = await sharp(await bytes(res)).raw().toBuffer({ resolveWithObject: true });
      expect(Math.max(info.width, info.height)).to.equal(1024);
      expect(info.width / info.height).to.be.closeTo((bbox[2]! - bbox[0]!) / (bbox[3]! - bbox[1]!), 0.01);
    });

    it('bbox-crs EPSG:4326 (as a URI) is latitude first, CRS84 longitude first: the same map', async () => {
      const lonLat = await get(`/collections/terrain/map?bbox=${BBOX.join(',')}&width=300&height=200`);
      const latLon = await get(`/collections/terrain/map?bbox=${[BBOX[1], BBOX[0], BBOX[3], BBOX[2]].join(',')}&bbox-crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/4326')}&width=300&height=200`);
      const curie = await get(`/collections/terrain/map?bbox=${BBOX.join(',')}&bbox-crs=%5BOGC%3ACRS84%5D&width=300&height=200`);
      expect([lonLat.status, latLon.status, curie.status]).to.deep.equal([200, 200, 200]);
      const a = await bytes(lonLat);
      expect(a.equals(await bytes(latLon))).to.equal(true);
      expect(a.equals(await bytes(curie))).to.equal(true);
      expect(lonLat.headers.get('content-bbox')).to.equal(BBOX.join(','));
    });

    it('crs=EPSG:3857 draws in Web Mercator; crs=EPSG:4326 reports its bbox latitude first; width alone keeps the aspect', async () => {
      const merc = await get(`/collections/terrain/map?bbox=${BBOX.join(',')}&crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/3857')}&width=400&f=jpeg`);
      expect(merc.status).to.equal(200);
      expect(merc.headers.get('content-type')).to.equal('image/jpeg');
      expect(merc.headers.get('content-crs')).to.equal('http://www.opengis.net/def/crs/EPSG/0/3857');
      const [x0, y0, x1, y1] = merc.headers.get('content-bbox')!.split(',').map(Number) as [number, number, number, number];
      expect(x0).to.be.closeTo(6378137 * BBOX[0]! * Math.PI / 180, 0.01);
      const { info } = await sharp(await bytes(merc)).raw().toBuffer({ resolveWithObject: true });
      expect(info.width).to.equal(400);
      expect(info.height).to.equal(Math.round(400 / ((x1 - x0) / (y1 - y0))));
      const geo = await get(`/collections/terrain/map?bbox=${BBOX.join(',')}&crs=EPSG:4326&width=100`);
      expect(geo.headers.get('content-bbox')).to.equal([BBOX[1], BBOX[0], BBOX[3], BBOX[2]].join(','));
    });

    it('clear 400s: size limits, malformed or inverted bbox, unknown CRS, bbox-crs without bbox', async () => {
      for (const q of ['width=9000', 'height=8193', 'width=5000&height=5000', 'width=0', 'width=-3', 'width=1.5', 'bbox=1,2,3', 'bbox=7.1,45.9,7.0,46',
        'bbox=a,b,c,d', 'bbox=0,0,1,1,2,2', 'crs=EPSG:999999', 'bbox-crs=EPSG:3857', 'bbox=7,46,8,47&bbox-crs=nope', 'f=gif', 'bands=4']) {
        const res = await get(`/collections/terrain/map?${q}`);
        expect(res.status, q).to.equal(400);
        const body = (await res.json()) as Json;
        expect(body['type'], q).to.equal('about:blank');
        expect(body['detail'], q).to.be.a('string');
      }
      expect(((await (await get('/collections/terrain/map?width=9000')).json()) as Json)['detail']).to.include('8192');
      expect((await get('/collections/nope/map')).status).to.equal(404);
    });
  });
});
