import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { child, childText, children, descendants, elementChildren, OWS, parseXml, WMTS, XLINK, type XmlElement } from '../../conformance/wmts/xml.js';
import {
  createDefaultRegistry, metresPerUnit, mergeTileMatrixSetLimits, tileMatrixSetCrs, tileMatrixSetLimits, type TileMatrixSet,
} from '../../src/tilematrixsets/index.js';
import { Engine } from '../../src/tiling/engine.js';
import { tileGrid } from '../../src/tiling/grid.js';
import { CORPUS, needTool } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';
import { OWS_EXCEPTION_SCHEMA, WMTS_CITE_SCHEMA, WMTS_SCHEMA, xmllint } from '../helpers/xml.js';

const TCI = CORPUS + 'TCI.tif', DEM = CORPUS + 'dem.tif', WORLD = CORPUS + 'world.byte.tif', SOUTH = CORPUS + 'image_171px.tif';
const SHARED_TMS = new URL('../../../../shared/tilematrixsets/', import.meta.url).pathname;

type App = Awaited<ReturnType<typeof startTestServer>>;

/**
 * Extra tile matrix sets for the tests: WorldCRS84Quad's grid in EPSG:4326 (latitude first: the
 * axis-order case) and a copy of WebMercatorQuad whose id has spaces and non-ASCII letters.
 */
function writeExtraSets(dir: string): string[] {
  const crs84 = JSON.parse(readFileSync(SHARED_TMS + 'WorldCRS84Quad.json', 'utf8'));
  const epsg4326 = {
    ...crs84, id: 'WorldEPSG4326Quad', title: 'WorldCRS84Quad grid in EPSG:4326 (lat, lon)', uri: undefined, wellKnownScaleSet: undefined,
    crs: 'http://www.opengis.net/def/crs/EPSG/0/4326', orderedAxes: ['Lat', 'Lon'],
    boundingBox: undefined,
    tileMatrices: crs84.tileMatrices.map((m: { pointOfOrigin: [number, number] }) => ({ ...m, pointOfOrigin: [m.pointOfOrigin[1], m.pointOfOrigin[0]] })),
  };
  const mercator = { ...JSON.parse(readFileSync(SHARED_TMS + 'WebMercatorQuad.json', 'utf8')), id: 'Web Mercator (Kopie) ü', uri: undefined };
  const files = [join(dir, 'epsg4326.json'), join(dir, 'mercator-copy.json')];
  writeFileSync(files[0]!, JSON.stringify(epsg4326));
  writeFileSync(files[1]!, JSON.stringify(mercator));
  return files;
}

const UNICODE_LAYER = 'Zürich Höhe & <dem>';
const UNICODE_TMS = 'Web Mercator (Kopie) ü';

describe('server: WMTS 1.0.0 (KVP and RESTful)', function () {
  this.timeout(120_000);
  let app: App;
  let capsText: string;
  let caps: XmlElement;
  const engine = new Engine();
  const registry = createDefaultRegistry();
  const get = (path: string, headers: Record<string, string> = {}) => fetch(app.url + path, { headers });
  const kvp = (params: Record<string, string | number>) => get('/wmts?' + new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString());
  const tileKvp = (layer: string, tms: string, z: string | number, row: number, col: number, format = 'image/png') => kvp({
    SERVICE: 'WMTS', REQUEST: 'GetTile', VERSION: '1.0.0', LAYER: layer, STYLE: 'default', FORMAT: format, TILEMATRIXSET: tms, TILEMATRIX: z, TILEROW: row, TILECOL: col,
  });
  const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

  before(async function () {
    const dir = mkdtempSync(join(tmpdir(), 'tw-wmts-'));
    const files = writeExtraSets(dir);
    app = await startTestServer([TCI, SOUTH], {
      tileMatrixSets: files,
      collections: [
        { id: 'terrain', title: 'Terrain & <relief>', description: 'Swiss DEM "LV95"', sources: [DEM], style: { rescale: [[1600, 2020]], colormap: 'terrain' } },
        { id: 'world', sources: [WORLD], tileMatrixSets: ['WorldCRS84Quad', 'WorldEPSG4326Quad', 'WebMercatorQuad'] },
        { id: UNICODE_LAYER, sources: [DEM], tileMatrixSets: [UNICODE_TMS, 'WebMercatorQuad'] },
      ],
    });
    capsText = await (await kvp({ SERVICE: 'WMTS', REQUEST: 'GetCapabilities' })).text();
    caps = parseXml(capsText);
    registry.fromJson(readFileSync(files[0]!, 'utf8'));
    registry.fromJson(readFileSync(files[1]!, 'utf8'));
  });
  after(async () => { await app?.stop(); await engine.close(); });

  const layer = (id: string) => children(child(caps, WMTS, 'Contents')!, WMTS, 'Layer').find((l) => childText(l, OWS, 'Identifier') === id)!;
  const tmsElement = (id: string) => children(child(caps, WMTS, 'Contents')!, WMTS, 'TileMatrixSet').find((t) => childText(t, OWS, 'Identifier') === id)!;
  /** A tile in the middle of the deepest advertised limits of a layer in a set. */
  const sampleTile = (layerId: string, tmsId: string) => {
    const link = children(layer(layerId), WMTS, 'TileMatrixSetLink').find((l) => childText(l, WMTS, 'TileMatrixSet') === tmsId)!;
    const limits = descendants(link, WMTS, 'TileMatrixLimits');
    const last = limits[limits.length - 1]!;
    const n = (k: string) => Number(childText(last, WMTS, k));
    return { z: childText(last, WMTS, 'TileMatrix')!, row: Math.floor((n('MinTileRow') + n('MaxTileRow')) / 2), col: Math.floor((n('MinTileCol') + n('MaxTileCol')) / 2) };
  };

  describe('GetCapabilities', () => {
    it('the KVP and RESTful documents validate against the official v1.0.2 schema and the OGC test suite\'s copy', async function () {
      needTool(this, 'xmllint', 'xmllint (libxml2-utils)');
      const rest = await (await get('/wmts/1.0.0/WMTSCapabilities.xml')).text();
      for (const doc of [capsText, rest]) {
        expect(await xmllint(doc, WMTS_SCHEMA), 'official schema').to.equal('');
        expect(await xmllint(doc, WMTS_CITE_SCHEMA), 'CITE schema').to.equal('');
      }
    });

    it('every collection is a Layer with Title, Abstract, WGS84BoundingBox, a BoundingBox per CRS, the default style, formats and one link per set', () => {
      const ids = children(child(caps, WMTS, 'Contents')!, WMTS, 'Layer').map((l) => childText(l, OWS, 'Identifier'));
      expect(ids).to.have.members(['tci', 'image_171px', 'terrain', 'world', UNICODE_LAYER]);
      const terrain = layer('terrain');
      expect(childText(terrain, OWS, 'Title')).to.equal('Terrain & <relief>');
      expect(childText(terrain, OWS, 'Abstract')).to.equal('Swiss DEM "LV95"');
      expect(capsText).to.include('<ows:Title>Terrain &amp; &lt;relief&gt;</ows:Title>');
      const tci = layer('tci');
      const [w, s] = childText(child(tci, OWS, 'WGS84BoundingBox')!, OWS, 'LowerCorner')!.split(' ').map(Number);
      expect(w).to.be.closeTo(23.106, 0.001);
      expect(s).to.be.closeTo(31.505, 0.001);
      expect(children(tci, OWS, 'BoundingBox').map((b) => b.getAttribute('crs'))).to.deep.equal(['urn:ogc:def:crs:EPSG::3857', 'urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:EPSG::32634']);
      const utm = children(tci, OWS, 'BoundingBox')[2]!;
      expect(Number(childText(utm, OWS, 'LowerCorner')!.split(' ')[0])).to.be.closeTo(697_820, 200);
      const style = child(tci, WMTS, 'Style')!;
      expect([style.getAttribute('isDefault'), childText(style, OWS, 'Identifier')]).to.deep.equal(['true', 'default']);
      expect(children(tci, WMTS, 'Format').map((f) => f.textContent)).to.deep.equal(['image/png', 'image/jpeg', 'image/webp']);
      expect(children(tci, WMTS, 'InfoFormat').map((f) => f.textContent)).to.deep.equal(['text/plain', 'text/html', 'application/json', 'application/xml']);
      expect(children(tci, WMTS, 'TileMatrixSetLink').map((l) => childText(l, WMTS, 'TileMatrixSet'))).to.deep.equal(['WebMercatorQuad', 'WorldCRS84Quad', 'UTM34WGS84Quad']);
      expect(children(layer('image_171px'), WMTS, 'TileMatrixSetLink').map((l) => childText(l, WMTS, 'TileMatrixSet'))).to.deep.equal(['WebMercatorQuad', 'WorldCRS84Quad', 'UTM07SWGS84Quad']);
      const templates = children(tci, WMTS, 'ResourceURL').map((r) => [r.getAttribute('resourceType'), r.getAttribute('format'), r.getAttribute('template')]);
      expect(templates).to.deep.include(['tile', 'image/png', `${app.url}/wmts/1.0.0/tci/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png`]);
      expect(templates).to.deep.include(['FeatureInfo', 'application/json', `${app.url}/wmts/1.0.0/tci/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}/{J}/{I}.json`]);
    });

    it('offers each tile matrix set once, with full-precision scale denominators (0.28 mm pixel) and TopLeftCorner in CRS axis order', () => {
      const sets = children(child(caps, WMTS, 'Contents')!, WMTS, 'TileMatrixSet').map((t) => childText(t, OWS, 'Identifier'));
      expect(sets).to.have.members(['WebMercatorQuad', 'WorldCRS84Quad', 'UTM34WGS84Quad', 'UTM07SWGS84Quad', 'WorldEPSG4326Quad', UNICODE_TMS]);
      expect(new Set(sets).size).to.equal(sets.length);
      for (const id of sets) {
        const tms = registry.get(id!);
        const el = tmsElement(id!);
        const matrices = children(el, WMTS, 'TileMatrix');
        expect(matrices).to.have.length(tms.tileMatrices.length);
        const mpu = metresPerUnit(tileMatrixSetCrs(tms));
        matrices.forEach((m, i) => {
          // What QGIS and OpenLayers compute back: cellSize = scale × 0.28 mm / metersPerUnit.
          const cellSize = (Number(childText(m, WMTS, 'ScaleDenominator')) * 0.00028) / mpu;
          expect(Math.abs(cellSize / tms.tileMatrices[i]!.cellSize - 1), `${id} ${i}`).to.be.lessThan(1e-14);
        });
      }
      const first = (id: string) => childText(children(tmsElement(id), WMTS, 'TileMatrix')[0]!, WMTS, 'TopLeftCorner');
      expect(first('WorldCRS84Quad')).to.equal('-180 90');
      expect(first('WorldEPSG4326Quad')).to.equal('90 -180');
      expect(first('WebMercatorQuad')).to.equal('-20037508.342789244 20037508.342789244');
      expect(childText(tmsElement('WorldCRS84Quad'), OWS, 'SupportedCRS')).to.equal('urn:ogc:def:crs:OGC:1.3:CRS84');
      expect(childText(tmsElement('WorldEPSG4326Quad'), OWS, 'SupportedCRS')).to.equal('urn:ogc:def:crs:EPSG::4326');
      expect(childText(children(tmsElement('WebMercatorQuad'), WMTS, 'TileMatrix')[0]!, WMTS, 'ScaleDenominator')).to.equal('559082264.0287178');
    });

    it('ArcGIS: KVP and RESTful both advertised, WebMercatorQuad declared GoogleMapsCompatible', () => {
      expect(childText(tmsElement('WebMercatorQuad'), WMTS, 'WellKnownScaleSet')).to.equal('urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible');
      expect(childText(tmsElement(UNICODE_TMS), WMTS, 'WellKnownScaleSet'), 'shape, not name').to.equal('urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible');
      expect(child(tmsElement('WorldCRS84Quad'), WMTS, 'WellKnownScaleSet')).to.equal(undefined);
      const ops = descendants(caps, OWS, 'Operation');
      expect(ops.map((o) => o.getAttribute('name'))).to.deep.equal(['GetCapabilities', 'GetTile', 'GetFeatureInfo']);
      for (const op of ops) {
        const gets = descendants(op, OWS, 'Get');
        expect(gets).to.have.length(1);
        expect(gets[0]!.getAttributeNS(XLINK, 'href')).to.equal(`${app.url}/wmts?`);
        expect(descendants(gets[0]!, OWS, 'Value').map((v) => v.textContent)).to.deep.equal(['KVP']);
      }
      expect(child(caps, WMTS, 'ServiceMetadataURL')!.getAttributeNS(XLINK, 'href')).to.equal(`${app.url}/wmts/1.0.0/WMTSCapabilities.xml`);
    });

    it('TileMatrixSetLimits come from the data, as tileMatrixSetLimits computes them, with no MaxTileRow/MaxTileCol of 0', () => {
      const collection = app.catalog.get('tci');
      for (const tmsId of ['WebMercatorQuad', 'WorldCRS84Quad', 'UTM34WGS84Quad']) {
        const tms = registry.get(tmsId);
        const [w, s, e, n] = collection.info.lonLatBounds;
        const expected = new Map(mergeTileMatrixSetLimits(tileMatrixSetLimits(tms, { minX: w, minY: s, maxX: e, maxY: n }, 'OGC:CRS84')).map((l) => [l.tileMatrix, l]));
        const link = children(layer('tci'), WMTS, 'TileMatrixSetLink').find((l) => childText(l, WMTS, 'TileMatrixSet') === tmsId)!;
        const limits = descendants(link, WMTS, 'TileMatrixLimits');
        const range = collection.info.tileMatrixSets.find((t) => t.tileMatrixSetId === tmsId)!;
        expect(childText(limits[limits.length - 1]!, WMTS, 'TileMatrix'), tmsId).to.equal(range.maxTileMatrix);
        for (const l of limits) {
          const n = (k: string) => Number(childText(l, WMTS, k));
          const want = expected.get(childText(l, WMTS, 'TileMatrix')!)!;
          expect(n('MaxTileRow'), tmsId).to.be.greaterThan(0);
          expect(n('MaxTileCol'), tmsId).to.be.greaterThan(0);
          expect([n('MinTileRow'), n('MinTileCol')]).to.deep.equal([want.minTileRow, want.minTileCol]);
          // Widened by one only where the data's range is 0..0.
          expect(n('MaxTileRow')).to.equal(want.maxTileRow === 0 ? 1 : want.maxTileRow);
          expect(n('MaxTileCol')).to.equal(want.maxTileCol === 0 ? 1 : want.maxTileCol);
        }
      }
    });

    it('AcceptVersions, Sections, updateSequence and AcceptFormats as OWS 1.1 §7.3 says', async function () {
      const root = (text: string) => parseXml(text);
      const base = { SERVICE: 'WMTS', REQUEST: 'GetCapabilities' };
      expect((await kvp({ ...base, AcceptVersions: '2.0.0,1.0.0' })).status).to.equal(200);
      const onlyContents = root(await (await kvp({ ...base, Sections: 'Contents' })).text());
      expect(elementChildren(onlyContents).map((e) => e.localName)).to.deep.equal(['Contents']);
      const two = root(await (await kvp({ ...base, Sections: 'ServiceIdentification,OperationsMetadata' })).text());
      expect(elementChildren(two).map((e) => e.localName)).to.deep.equal(['ServiceIdentification', 'OperationsMetadata']);
      const sequence = caps.getAttribute('updateSequence')!;
      expect(sequence).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const current = await (await kvp({ ...base, updateSequence: sequence })).text();
      expect(elementChildren(root(current))).to.have.length(0);
      expect(root(current).getAttribute('updateSequence')).to.equal(sequence);
      expect(elementChildren(root(await (await kvp({ ...base, updateSequence: '2000-01-01T00:00:00Z' })).text())).length).to.be.greaterThan(3);
      const xml = await kvp({ ...base, AcceptFormats: 'application/xml,text/xml' });
      expect(xml.headers.get('content-type')).to.match(/^application\/xml/);
      expect((await kvp({ ...base, AcceptFormats: 'application/pdf' })).headers.get('content-type')).to.match(/^text\/xml/);
      if (process.env['CI'] === 'true' || (await import('../helpers/services.js')).hasCommand('xmllint')) {
        for (const doc of [current, await (await kvp({ ...base, Sections: 'Contents' })).text()]) {
          expect(await xmllint(doc, WMTS_SCHEMA)).to.equal('');
          expect(await xmllint(doc, WMTS_CITE_SCHEMA)).to.equal('');
        }
      }
    });

    it('RESTful document: 406 for an Accept it cannot satisfy, the XML otherwise', async () => {
      expect((await get('/wmts/1.0.0/WMTSCapabilities.xml', { accept: 'image/png' })).status).to.equal(406);
      expect((await get('/wmts/1.0.0/WMTSCapabilities.xml', { accept: 'application/json' })).status).to.equal(406);
      const ok = await get('/wmts/1.0.0/WMTSCapabilities.xml', { accept: 'application/xml' });
      expect(ok.status).to.equal(200);
      expect(ok.headers.get('content-type')).to.match(/^application\/xml/);
      expect((await get('/wmts/1.0.0/WMTSCapabilities.xml', { accept: 'text/*' })).headers.get('content-type')).to.match(/^text\/xml/);
    });
  });

  describe('GetTile', () => {
    const cases: [string, string][] = [
      ['tci', 'WebMercatorQuad'], ['tci', 'WorldCRS84Quad'], ['tci', 'UTM34WGS84Quad'], ['image_171px', 'UTM07SWGS84Quad'],
      ['world', 'WorldCRS84Quad'], ['world', 'WorldEPSG4326Quad'], ['terrain', 'WebMercatorQuad'], [UNICODE_LAYER, UNICODE_TMS],
    ];
    for (const [layerId, tmsId] of cases) {
      it(`${layerId} in ${tmsId}: KVP and RESTful bodies are byte-identical to the XYZ route and show data`, async () => {
        const { z, row, col } = sampleTile(layerId, tmsId);
        for (const [format, ext] of [['image/png', 'png'], ['image/jpeg', 'jpg'], ['image/webp', 'webp']] as const) {
          const a = await tileKvp(layerId, tmsId, z, row, col, format);
          expect(a.status, `${format} KVP`).to.equal(200);
          expect(a.headers.get('content-type')).to.equal(format);
          const b = await get(`/wmts/1.0.0/${encodeURIComponent(layerId)}/default/${encodeURIComponent(tmsId)}/${z}/${row}/${col}.${ext}`);
          expect(b.status, `${format} REST`).to.equal(200);
          const xyz = await get(`/api/v1/collections/${encodeURIComponent(layerId)}/tiles/${encodeURIComponent(tmsId)}/${z}/${col}/${row}.${ext}`);
          const [ka, kb, kx] = [await bytes(a), await bytes(b), await bytes(xyz)];
          expect(ka.equals(kx), `${format}: KVP = XYZ`).to.equal(true);
          expect(kb.equals(kx), `${format}: REST = XYZ`).to.equal(true);
          if (format === 'image/png') {
            const { data } = await sharp(ka).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
            let opaque = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] === 255) opaque++;
            expect(opaque, 'pixels with data').to.be.greaterThan(1000);
          }
        }
      });
    }

    it('renders each set\'s tile as the engine does (decoded pixels of the WMTS tile equal the engine\'s render)', async () => {
      for (const [layerId, tmsId, file] of [['tci', 'UTM34WGS84Quad', TCI], ['world', 'WorldEPSG4326Quad', WORLD], ['image_171px', 'UTM07SWGS84Quad', SOUTH]] as const) {
        const { z, row, col } = sampleTile(layerId, tmsId);
        const wmts = await bytes(await tileKvp(layerId, tmsId, z, row, col));
        const collection = app.catalog.get(layerId);
        const direct = await engine.renderTile({ sources: [file], tileMatrixSet: registry.get(tmsId), tile: { tileMatrix: z, row, col }, resampling: collection.resampling, style: {}, format: 'png' });
        expect(direct.kind).to.equal('image');
        const decode = async (b: Uint8Array) => (await sharp(b).ensureAlpha().raw().toBuffer());
        expect((await decode(wmts)).equals(await decode((direct as { bytes: Uint8Array }).bytes)), `${layerId} ${tmsId}`).to.equal(true);
      }
    });

    it('parameter names are case-insensitive, values case-sensitive', async () => {
      const { z, row, col } = sampleTile('tci', 'WebMercatorQuad');
      const mixed = await get(`/wmts?service=WMTS&Request=GetTile&vErSiOn=1.0.0&layer=tci&STYLE=default&Format=image/png&tilematrixSET=WebMercatorQuad&TileMatrix=${z}&tilerow=${row}&TILECOL=${col}`);
      expect(mixed.status).to.equal(200);
      expect((await bytes(mixed)).equals(await bytes(await tileKvp('tci', 'WebMercatorQuad', z, row, col)))).to.equal(true);
      expect((await get(`/wmts?service=WMTS&request=GetTile&version=1.0.0&layer=TCI&style=default&format=image/png&tilematrixset=WebMercatorQuad&tilematrix=${z}&tilerow=${row}&tilecol=${col}`)).status).to.equal(400);
      expect((await get(`/wmts?service=WMTS&request=GetTile&version=1.0.0&layer=tci&style=default&format=IMAGE/PNG&tilematrixset=WebMercatorQuad&tilematrix=${z}&tilerow=${row}&tilecol=${col}`)).status).to.equal(400);
      // QGIS's DPI modes add vendor parameters: ignored, the tile is the same.
      const dpi = await get(`/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=tci&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=${z}&TILEROW=${row}&TILECOL=${col}&DPI=180&MAP_RESOLUTION=180&FORMAT_OPTIONS=dpi:180`);
      expect((await bytes(dpi)).equals(await bytes(await tileKvp('tci', 'WebMercatorQuad', z, row, col))), 'DPI vendor parameters ignored').to.equal(true);
      // An empty STYLE (sent by some clients) means the default style.
      expect((await get(`/wmts?service=WMTS&request=GetTile&version=1.0.0&layer=tci&style=&format=image/png&tilematrixset=WebMercatorQuad&tilematrix=${z}&tilerow=${row}&tilecol=${col}`)).status).to.equal(200);
    });
  });

  describe('GetFeatureInfo', () => {
    const info = (layerId: string, tmsId: string, t: { z: string; row: number; col: number }, i: number, j: number, infoFormat: string) => kvp({
      SERVICE: 'WMTS', REQUEST: 'GetFeatureInfo', VERSION: '1.0.0', LAYER: layerId, STYLE: 'default', FORMAT: 'image/png',
      TILEMATRIXSET: tmsId, TILEMATRIX: t.z, TILEROW: t.row, TILECOL: t.col, I: i, J: j, INFOFORMAT: infoFormat,
    });

    it('answers every band\'s raw value at I/J: the nearest-neighbour warp of the tile\'s own grid at that pixel', async () => {
      for (const [layerId, tmsId, file] of [['tci', 'UTM34WGS84Quad', TCI], ['terrain', 'WebMercatorQuad', DEM], ['world', 'WorldEPSG4326Quad', WORLD]] as const) {
        const t = sampleTile(layerId, tmsId);
        const tms: TileMatrixSet = registry.get(tmsId);
        const raster = (await engine.warp([file], tileGrid(tms, { tileMatrix: t.z, row: t.row, col: t.col }), 'nearest'))!;
        for (const [i, j] of [[0, 0], [17, 200], [128, 128], [255, 255], [201, 3]] as const) {
          const body = await (await info(layerId, tmsId, t, i, j, 'application/json')).json() as { features: { properties: Record<string, number> }[] };
          const k = j * 256 + i;
          if (raster.alpha[k] === 0) {
            expect(body.features, `${layerId} ${i},${j}`).to.have.length(0);
            continue;
          }
          const props = body.features[0]!.properties;
          raster.bands.forEach((band, b) => expect(props[`band${b + 1}`], `${layerId} ${tmsId} ${i},${j} band ${b + 1}`).to.equal(band[k]));
          expect(props['i']).to.equal(i);
        }
      }
    });

    it('in text/plain, text/html, application/json and application/xml, KVP and RESTful alike', async () => {
      const t = sampleTile('terrain', 'WebMercatorQuad');
      // A pixel with data: the first of a few candidates whose JSON answer has a feature.
      let i = 0, j = 0;
      for (const [ci, cj] of [[128, 128], [100, 120], [30, 30], [220, 220], [30, 220], [220, 30]] as const) {
        const probe = await (await info('terrain', 'WebMercatorQuad', t, ci, cj, 'application/json')).json() as { features: unknown[] };
        if (probe.features.length) { [i, j] = [ci, cj]; break; }
      }
      for (const [format, ext] of [['text/plain', 'txt'], ['text/html', 'html'], ['application/json', 'json'], ['application/xml', 'xml']] as const) {
        const a = await info('terrain', 'WebMercatorQuad', t, i, j, format);
        expect(a.status).to.equal(200);
        expect(a.headers.get('content-type')!.split(';')[0]).to.equal(format);
        const b = await get(`/wmts/1.0.0/terrain/default/WebMercatorQuad/${t.z}/${t.row}/${t.col}/${j}/${i}.${ext}`);
        expect(b.status).to.equal(200);
        const [ta, tb] = [await a.text(), await b.text()];
        expect(ta).to.equal(tb);
        expect(ta).to.match(/band1|<Band index="1">/);
        if (format === 'application/xml') expect(parseXml(ta).localName).to.equal('FeatureInfoResponse');
        if (format === 'application/xml') expect(ta).to.match(/<Band index="1">-?\d/);
        if (format === 'application/json') expect((JSON.parse(ta) as { type: string }).type).to.equal('FeatureCollection');
      }
      const html = await (await info(UNICODE_LAYER, UNICODE_TMS, sampleTile(UNICODE_LAYER, UNICODE_TMS), 10, 10, 'text/html')).text();
      expect(html).to.include('Zürich Höhe &amp; &lt;dem&gt;').and.not.include('<dem>');
    });

    it('a pixel without data answers an empty result; I or J outside the tile is PointIJOutOfRange', async () => {
      // Tile 10/0/0 is outside tci's limits: TileOutOfRange, as for GetTile.
      expect((await info('tci', 'WebMercatorQuad', { z: '10', row: 0, col: 0 }, 5, 5, 'application/json')).status).to.equal(400);
      const t = sampleTile('tci', 'WebMercatorQuad');
      const corner = await (await info('tci', 'WebMercatorQuad', { z: '2', row: 1, col: 2 }, 0, 0, 'application/json')).json() as { features: unknown[] };
      expect(corner.features).to.have.length(0);
      const outside = await info('tci', 'WebMercatorQuad', t, 256, 0, 'text/plain');
      expect(outside.status).to.equal(400);
      expect(await outside.text()).to.match(/exceptionCode="PointIJOutOfRange" locator="I"/);
    });
  });

  describe('exceptions', () => {
    const t = () => sampleTile('tci', 'WebMercatorQuad');
    const tile = () => ({ SERVICE: 'WMTS', REQUEST: 'GetTile', VERSION: '1.0.0', LAYER: 'tci', STYLE: 'default', FORMAT: 'image/png', TILEMATRIXSET: 'WebMercatorQuad', TILEMATRIX: t().z, TILEROW: t().row, TILECOL: t().col });
    const drop = (o: Record<string, string | number>, k: string) => Object.fromEntries(Object.entries(o).filter(([n]) => n !== k));
    const cases: [string, () => Promise<Response>, number, string, string | undefined][] = [
      ['no SERVICE', () => kvp({ REQUEST: 'GetCapabilities' }), 400, 'MissingParameterValue', 'service'],
      ['SERVICE=WMS', () => kvp({ SERVICE: 'WMS', REQUEST: 'GetCapabilities' }), 400, 'InvalidParameterValue', 'service'],
      ['no REQUEST', () => kvp({ SERVICE: 'WMTS' }), 400, 'MissingParameterValue', 'request'],
      ['REQUEST=GetMap', () => kvp({ SERVICE: 'WMTS', REQUEST: 'GetMap' }), 501, 'OperationNotSupported', 'request'],
      ['REQUEST=gettile (values are case-sensitive)', () => kvp({ ...tile(), REQUEST: 'gettile' }), 501, 'OperationNotSupported', 'request'],
      ['AcceptVersions=2.0.0', () => kvp({ SERVICE: 'WMTS', REQUEST: 'GetCapabilities', AcceptVersions: '2.0.0' }), 400, 'VersionNegotiationFailed', 'AcceptVersions'],
      ['Sections=Layers', () => kvp({ SERVICE: 'WMTS', REQUEST: 'GetCapabilities', Sections: 'Layers' }), 400, 'InvalidParameterValue', 'Sections'],
      ['updateSequence in the future', () => kvp({ SERVICE: 'WMTS', REQUEST: 'GetCapabilities', updateSequence: '2999-01-01T00:00:00Z' }), 400, 'InvalidUpdateSequence', 'updateSequence'],
      ['GetTile without VERSION', () => kvp(drop(tile(), 'VERSION')), 400, 'MissingParameterValue', 'Version'],
      ['GetTile VERSION=1.1.0', () => kvp({ ...tile(), VERSION: '1.1.0' }), 400, 'InvalidParameterValue', 'Version'],
      ['GetTile without TILEROW', () => kvp(drop(tile(), 'TILEROW')), 400, 'MissingParameterValue', 'TileRow'],
      ['GetTile without STYLE', () => kvp(drop(tile(), 'STYLE')), 400, 'MissingParameterValue', 'Style'],
      ['unknown LAYER', () => kvp({ ...tile(), LAYER: 'nope' }), 400, 'InvalidParameterValue', 'Layer'],
      ['unknown STYLE', () => kvp({ ...tile(), STYLE: 'fancy' }), 400, 'InvalidParameterValue', 'Style'],
      ['FORMAT=image/gif', () => kvp({ ...tile(), FORMAT: 'image/gif' }), 400, 'InvalidParameterValue', 'Format'],
      ['unknown TILEMATRIXSET', () => kvp({ ...tile(), TILEMATRIXSET: 'UTM35WGS84Quad' }), 400, 'InvalidParameterValue', 'TileMatrixSet'],
      ['unknown TILEMATRIX', () => kvp({ ...tile(), TILEMATRIX: '25' }), 400, 'InvalidParameterValue', 'TileMatrix'],
      ['TILEROW=abc', () => kvp({ ...tile(), TILEROW: 'abc' }), 400, 'InvalidParameterValue', 'TileRow'],
      ['TILEROW outside the matrix', () => kvp({ ...tile(), TILEROW: 2 ** Number(t().z) }), 400, 'TileOutOfRange', 'TileRow'],
      ['TILEROW=-1', () => kvp({ ...tile(), TILEROW: -1 }), 400, 'TileOutOfRange', 'TileRow'],
      ['TILECOL outside the layer\'s limits', () => kvp({ ...tile(), TILECOL: 0 }), 400, 'TileOutOfRange', 'TileCol'],
      ['LAYER given twice, differently', () => get(`/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&layer=a&LAYER=b`), 400, 'InvalidParameterValue', 'LAYER'],
      ['GetFeatureInfo InfoFormat=text/csv', () => kvp({ ...tile(), REQUEST: 'GetFeatureInfo', I: 1, J: 1, INFOFORMAT: 'text/csv' }), 400, 'InvalidParameterValue', 'InfoFormat'],
      ['GetFeatureInfo without J', () => kvp({ ...tile(), REQUEST: 'GetFeatureInfo', I: 1, INFOFORMAT: 'text/plain' }), 400, 'MissingParameterValue', 'J'],
      ['GetFeatureInfo J=-3', () => kvp({ ...tile(), REQUEST: 'GetFeatureInfo', I: 1, J: -3, INFOFORMAT: 'text/plain' }), 400, 'PointIJOutOfRange', 'J'],
      ['RESTful unknown layer', () => get('/wmts/1.0.0/nope/default/WebMercatorQuad/0/0/0.png'), 404, 'InvalidParameterValue', 'Layer'],
      ['RESTful tile outside the matrix', () => get('/wmts/1.0.0/tci/default/WebMercatorQuad/2/9/0.png'), 404, 'TileOutOfRange', 'TileRow'],
      ['RESTful .gif', () => get(`/wmts/1.0.0/tci/default/WebMercatorQuad/${t().z}/${t().row}/${t().col}.gif`), 404, 'InvalidParameterValue', 'Format'],
      ['RESTful unknown style', () => get(`/wmts/1.0.0/tci/fancy/WebMercatorQuad/${t().z}/${t().row}/${t().col}.png`), 404, 'InvalidParameterValue', 'Style'],
      ['RESTful FeatureInfo I outside', () => get(`/wmts/1.0.0/tci/default/WebMercatorQuad/${t().z}/${t().row}/${t().col}/0/300.json`), 404, 'PointIJOutOfRange', 'I'],
      ['RESTful unknown resource', () => get('/wmts/1.0.0/tci'), 404, 'InvalidParameterValue', undefined],
    ];
    for (const [name, request, status, code, locator] of cases) {
      it(`${name} → ${status} ${code}${locator ? ` (${locator})` : ''}, a schema-valid ExceptionReport`, async function () {
        const res = await request();
        expect(res.status).to.equal(status);
        expect(res.headers.get('content-type')).to.match(/^text\/xml/);
        const text = await res.text();
        const root = parseXml(text);
        expect([root.namespaceURI, root.localName, root.getAttribute('version')]).to.deep.equal([OWS, 'ExceptionReport', '1.0.0']);
        const ex = child(root, OWS, 'Exception')!;
        expect(ex.getAttribute('exceptionCode')).to.equal(code);
        expect(ex.getAttribute('locator') ?? undefined).to.equal(locator);
        expect(childText(ex, OWS, 'ExceptionText')).to.be.a('string').and.not.match(/at .*\.js:\d+/);
        if (process.env['CI'] === 'true' || (await import('../helpers/services.js')).hasCommand('xmllint')) {
          expect(await xmllint(text, OWS_EXCEPTION_SCHEMA)).to.equal('');
        }
      });
    }

    it('the XYZ routes keep their JSON errors (one table per protocol)', async () => {
      const res = await get('/api/v1/collections/tci/tiles/WebMercatorQuad/3/0/8.png');
      expect(res.status).to.equal(404);
      expect((await res.json() as { code: string }).code).to.equal('TileOutOfRange');
    });
  });

  describe('identifiers with spaces and non-ASCII letters', () => {
    it('are XML-escaped in the document and percent-encoded in the ResourceURL templates', () => {
      expect(capsText).to.include('<ows:Identifier>Zürich Höhe &amp; &lt;dem&gt;</ows:Identifier>');
      expect(capsText).to.include(`<ows:Identifier>${UNICODE_TMS}</ows:Identifier>`);
      const template = children(layer(UNICODE_LAYER), WMTS, 'ResourceURL')[0]!.getAttribute('template')!;
      expect(template).to.equal(`${app.url}/wmts/1.0.0/Z%C3%BCrich%20H%C3%B6he%20%26%20%3Cdem%3E/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png`);
    });

    it('a TileMatrixSet substituted raw (OpenLayers, QGIS) or percent-encoded reaches the same tile', async () => {
      const { z, row, col } = sampleTile(UNICODE_LAYER, UNICODE_TMS);
      const layerPart = encodeURIComponent(UNICODE_LAYER);
      const encoded = await get(`/wmts/1.0.0/${layerPart}/default/${encodeURIComponent(UNICODE_TMS)}/${z}/${row}/${col}.png`);
      // What fetch() makes of a raw substitution: spaces and parentheses as the URL parser encodes them.
      const raw = await fetch(new URL(`${app.url}/wmts/1.0.0/${layerPart}/default/${UNICODE_TMS}/${z}/${row}/${col}.png`));
      expect([encoded.status, raw.status]).to.deep.equal([200, 200]);
      expect((await bytes(encoded)).equals(await bytes(raw))).to.equal(true);
    });
  });

  it('malformed WMTS requests never answer 5xx', async () => {
    const bad = ['/wmts', '/wmts?', '/wmts?SERVICE=', '/wmts?SERVICE=WMTS&REQUEST=', '/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=%00',
      '/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=tci&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=..&TILEROW=1e3&TILECOL=0x1',
      '/wmts/1.0.0/', '/wmts/1.0.0/%2e%2e/default/WebMercatorQuad/0/0/0.png', '/wmts/1.0.0/tci/default/WebMercatorQuad/0/0/0', '/wmts/1.0.0/tci/default/WebMercatorQuad/0/0/0.png.png',
      '/wmts/1.0.0/tci/default/WebMercatorQuad/99999999999/0/0.png', '/wmts/1.0.0/tci/default/WebMercatorQuad/10/415/579/x/y.json', '/wmts/1.0.0/tci/default/WebMercatorQuad/10/415/579/1/1.csv'];
    for (const path of bad) {
      const res = await get(path);
      expect(res.status, path).to.be.within(400, 499);
    }
  });
});
