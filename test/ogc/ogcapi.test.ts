import { expect } from 'chai';
import { getCrs } from '../../src/crs/index.js';
import { InvalidParameterError } from '../../src/errors.js';
import { NotAcceptableError } from '../../src/ogc/common/negotiate.js';
import { openApiDocument, PARAM, RESPONSE } from '../../src/ogc/common/openapi.js';
import { problemResponse } from '../../src/ogc/common/problem.js';
import { planMap } from '../../src/ogc/maps/params.js';
import { parseCollectionsParam } from '../../src/ogc/tiles/tiles.js';
import { tileMatrixSet10 } from '../../src/ogc/tiles/tms10.js';
import { createDefaultRegistry } from '../../src/tilematrixsets/index.js';
import { openCog } from '../../src/tiling/cog/open.js';
import { memoryRaster, writeCogToMemory } from '../../src/tiling/cog/write/index.js';
import { CachedSource, ChunkCache } from '../../src/tiling/source/cached.js';
import { MemorySource } from '../../src/tiling/source/memory.js';
import { compositeOver } from '../../src/tiling/style/composite.js';

describe('ogc: OGC API pieces (pure)', () => {
  describe('planMap: bbox, bbox-crs, crs, width, height', () => {
    const EXTENT = [7, 46, 8, 47] as const;
    const table: [string, Record<string, string>, { crs: string; bounds: number[]; size: [number, number]; contentBbox: number[] }][] = [
      ['defaults: the extent in CRS84, 1024 on the longer side', {}, { crs: 'OGC:CRS84', bounds: [7, 46, 8, 47], size: [1024, 1024], contentBbox: [7, 46, 8, 47] }],
      ['CRS84 bbox is lon,lat', { bbox: '7,46,7.5,46.25', width: '200' }, { crs: 'OGC:CRS84', bounds: [7, 46, 7.5, 46.25], size: [200, 100], contentBbox: [7, 46, 7.5, 46.25] }],
      ['EPSG:4326 URI bbox is lat,lon', { bbox: '46,7,46.25,7.5', 'bbox-crs': 'http://www.opengis.net/def/crs/EPSG/0/4326', height: '50' }, { crs: 'OGC:CRS84', bounds: [7, 46, 7.5, 46.25], size: [100, 50], contentBbox: [7, 46, 7.5, 46.25] }],
      ['crs=EPSG:4326: Content-Bbox lat,lon', { bbox: '7,46,7.5,46.25', crs: 'EPSG:4326', width: '20', height: '10' }, { crs: 'EPSG:4326', bounds: [7, 46, 7.5, 46.25], size: [20, 10], contentBbox: [46, 7, 46.25, 7.5] }],
      ['safe CURIE', { bbox: '7,46,7.5,46.25', 'bbox-crs': '[OGC:CRS84]', width: '20', height: '10' }, { crs: 'OGC:CRS84', bounds: [7, 46, 7.5, 46.25], size: [20, 10], contentBbox: [7, 46, 7.5, 46.25] }],
    ];
    for (const [title, query, want] of table) {
      it(title, () => {
        const plan = planMap(query, EXTENT);
        expect(plan.grid.crs.id).to.equal(want.crs);
        plan.grid.crsBounds.forEach((v, i) => expect(v).to.be.closeTo(want.bounds[i]!, 1e-9));
        expect([plan.grid.width, plan.grid.height]).to.deep.equal(want.size);
        plan.contentBbox.forEach((v, i) => expect(v).to.be.closeTo(want.contentBbox[i]!, 1e-9));
      });
    }
    it('crs=EPSG:3857 reprojects the bbox; limits and bad values are InvalidParameterError naming the parameter', () => {
      const plan = planMap({ bbox: '7,46,8,47', crs: 'http://www.opengis.net/def/crs/EPSG/0/3857', width: '100' }, EXTENT);
      expect(plan.contentCrs).to.equal(getCrs('EPSG:3857').uri);
      expect(plan.grid.crsBounds[0]).to.be.closeTo(779236.4, 1);
      for (const [q, parameter] of [[{ width: '8193' }, 'width'], [{ width: '8000', height: '8000' }, 'width'], [{ bbox: '8,46,7,47' }, 'bbox'], [{ bbox: '7,46,8' }, 'bbox'],
        [{ crs: 'EPSG:0' }, 'crs'], [{ 'bbox-crs': 'EPSG:4326' }, 'bbox-crs'], [{ bbox: '46,7,47,8', 'bbox-crs': 'EPSG:4326', width: 'x' }, 'width'], [{ bbox: '0,-91,1,0' }, 'bbox']] as const) {
        expect(() => planMap(q as Record<string, string>, EXTENT), JSON.stringify(q)).to.throw(InvalidParameterError).with.property('parameter', parameter);
      }
    });
  });

  it('collections=: comma-separated, each id percent-encoded; unknown or empty ids are 400', () => {
    const known = (id: string) => ['a,b', 'c', 'Höhe'].includes(id);
    expect(parseCollectionsParam('a%2Cb,c,H%C3%B6he', known)).to.deep.equal(['a,b', 'c', 'Höhe']);
    expect(parseCollectionsParam(undefined, known)).to.equal(undefined);
    for (const bad of ['', 'c,,c', 'nope', '%E0%A4%A']) expect(() => parseCollectionsParam(bad, known), bad).to.throw(InvalidParameterError);
  });

  it('compositeOver: Porter–Duff over with straight alpha', () => {
    const bottom = Uint8Array.from([0, 0, 255, 255, 10, 20, 30, 255, 200, 0, 0, 128, 1, 2, 3, 0]);
    const top = Uint8Array.from([255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 200, 128, 9, 9, 9, 100]);
    expect([...compositeOver(top, bottom)]).to.deep.equal([0, 0, 255, 255, 255, 255, 255, 255, 66, 0, 134, 192, 9, 9, 9, 100]);
  });

  it('TMS 1.0 encoding: identifier, supportedCRS, topLeftCorner in CRS axis order; none for bottom-left sets', () => {
    const registry = createDefaultRegistry();
    const v1 = tileMatrixSet10(registry.get('EuropeanETRS89_LAEAQuad'))!;
    expect(v1).to.include({ type: 'TileMatrixSetType', identifier: 'EuropeanETRS89_LAEAQuad', supportedCRS: 'http://www.opengis.net/def/crs/EPSG/0/3035' });
    expect(v1.tileMatrix[0]!.topLeftCorner).to.deep.equal([...registry.get('EuropeanETRS89_LAEAQuad').tileMatrices[0]!.pointOfOrigin]);
    const bottomLeft = { ...registry.get('WebMercatorQuad'), tileMatrices: registry.get('WebMercatorQuad').tileMatrices.map((m) => ({ ...m, cornerOfOrigin: 'bottomLeft' as const })) };
    expect(tileMatrixSet10(bottomLeft)).to.equal(undefined);
  });

  it('problem details: RFC 7807 members plus the JSON faces\' code; 406 for failed negotiation; 5xx without internals', () => {
    expect(problemResponse(new InvalidParameterError('f', 'bad f')).body).to.deep.equal({ type: 'about:blank', title: 'Bad Request', status: 400, detail: 'bad f', code: 'InvalidParameterValue', parameter: 'f' });
    expect(problemResponse(new NotAcceptableError('no')).status).to.equal(406);
    const internal = problemResponse(new Error('secret path /etc'));
    expect(internal).to.deep.include({ status: 500, internal: true });
    expect(internal.body.detail).to.not.include('secret');
  });

  it('the OpenAPI generator refuses undeclared path parameters and duplicate operation ids', () => {
    const ok = { operationId: 'a', summary: 's', tags: ['t'], parameters: [PARAM.path('id', 'id')], responses: { 200: RESPONSE.empty('ok') } };
    expect(openApiDocument({ title: 't', version: '1', description: 'd' }, 'http://x', [{ method: 'get', path: '/c/{id}', doc: ok }]).paths['/c/{id}']).to.have.key('get');
    expect(() => openApiDocument({ title: 't', version: '1', description: 'd' }, 'http://x', [{ method: 'get', path: '/c/{id}/{z}', doc: ok }])).to.throw(/z is not declared/);
    expect(() => openApiDocument({ title: 't', version: '1', description: 'd' }, 'http://x', [{ method: 'get', path: '/c/{id}', doc: ok }, { method: 'get', path: '/d/{id}', doc: ok }])).to.throw(/twice/);
  });

  it('writeCogToMemory: a float32 raster with nodata, read back by our own reader', async () => {
    const values = Float32Array.from({ length: 64 * 48 }, (_, i) => (i % 7 === 0 ? -9999 : i / 10));
    const { bytes, result } = await writeCogToMemory(memoryRaster({
      width: 64, height: 48, bands: [values], crs: getCrs('EPSG:32633'), geoTransform: [500000, 10, 0, 5200000, 0, -10], nodata: -9999,
    }), { blockSize: 64, overviewCount: 0 });
    expect(result.levels).to.deep.equal([{ width: 64, height: 48 }]);
    expect(bytes.length).to.equal(result.bytes);
    const mem = new MemorySource('mem://t.tif', bytes);
    const cog = await openCog(new CachedSource(mem, await mem.stat(), new ChunkCache(1 << 20)));
    expect([cog.width, cog.height, cog.dataType, cog.nodata, cog.crs.id]).to.deep.equal([64, 48, 'float32', -9999, 'EPSG:32633']);
  });
});
