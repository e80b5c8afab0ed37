/**
 * Registry and loading of custom OGC TMS 2.0 JSON documents.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { NotFoundError } from '../../src/errors.js';
import {
  DuplicateTileMatrixSet, InvalidTileMatrixSet, TileMatrixSetRegistry, UnknownTileMatrixSet, createDefaultRegistry,
  parseTileMatrixSet, webMercatorQuad,
} from '../../src/tilematrixsets/index.js';
import { readOfficialText } from './official.js';

/** A small custom set in a local CRS, bottomLeft origin (TMS 1.0 / "tms" style). */
function customDoc(): Record<string, unknown> {
  return {
    id: 'SwissQuadBL',
    title: 'Swiss LV95, bottom-left origin',
    description: 'A custom set for the tests',
    keywords: ['switzerland'],
    uri: 'https://example.org/tms/SwissQuadBL',
    crs: 'http://www.opengis.net/def/crs/EPSG/0/2056',
    orderedAxes: ['E', 'N'],
    boundingBox: { lowerLeft: [2420000, 1030000], upperRight: [2900000, 1350000] },
    tileMatrices: [
      { id: 'a', scaleDenominator: 14285714.285714287, cellSize: 4000, cornerOfOrigin: 'bottomLeft', pointOfOrigin: [2420000, 1030000], tileWidth: 256, tileHeight: 256, matrixWidth: 1, matrixHeight: 1 },
      { id: 'b', scaleDenominator: 7142857.142857143, cellSize: 2000, cornerOfOrigin: 'bottomLeft', pointOfOrigin: [2420000, 1030000], tileWidth: 256, tileHeight: 256, matrixWidth: 1, matrixHeight: 1 },
    ],
    links: [{ href: 'https://example.org', rel: 'about' }],
  };
}

function errorOf(fn: () => unknown): InvalidTileMatrixSet {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(InvalidTileMatrixSet);
    return e as InvalidTileMatrixSet;
  }
  throw new Error('expected InvalidTileMatrixSet');
}

/** Applies `edit` to a fresh copy of the custom document. */
function edited(edit: (doc: any) => void): Record<string, unknown> {
  const doc = structuredClone(customDoc());
  edit(doc);
  return doc;
}

describe('tilematrixsets: registry', () => {
  it('get() throws UnknownTileMatrixSet (a NotFoundError), tryGet() returns undefined', () => {
    const registry = createDefaultRegistry();
    expect(() => registry.get('NoSuchSet')).to.throw(UnknownTileMatrixSet, /NoSuchSet/);
    expect(() => registry.get('NoSuchSet')).to.throw(NotFoundError);
    expect(registry.tryGet('NoSuchSet')).to.equal(undefined);
    expect(registry.tryGet('WebMercatorQuad')?.id).to.equal('WebMercatorQuad');
  });

  it('ids are case-sensitive', () => {
    expect(createDefaultRegistry().tryGet('webmercatorquad')).to.equal(undefined);
  });

  it('list() keeps registration order and returns frozen sets', () => {
    const registry = new TileMatrixSetRegistry();
    registry.fromJson(customDoc());
    registry.register(webMercatorQuad());
    expect(registry.list().map((t) => t.id)).to.deep.equal(['SwissQuadBL', 'WebMercatorQuad']);
    const tms = registry.get('WebMercatorQuad');
    expect(Object.isFrozen(tms)).to.equal(true);
    expect(Object.isFrozen(tms.tileMatrices[3]!.pointOfOrigin)).to.equal(true);
  });

  it('rejects a duplicate id with DuplicateTileMatrixSet naming the field', () => {
    const registry = createDefaultRegistry();
    expect(() => registry.fromJson(readOfficialText('WebMercatorQuad'))).to.throw(DuplicateTileMatrixSet, /^invalid tile matrix set "WebMercatorQuad": id: .*already registered/);
    expect(() => registry.register(webMercatorQuad())).to.throw(DuplicateTileMatrixSet);
  });
});

describe('tilematrixsets: loading TMS 2.0 JSON', () => {
  it('a valid document round-trips (unknown members such as links dropped)', () => {
    const registry = new TileMatrixSetRegistry();
    const tms = registry.fromJson(customDoc());
    const expected = customDoc();
    delete expected.links;
    expect(JSON.parse(JSON.stringify(tms))).to.deep.equal(expected);
    expect(parseTileMatrixSet(JSON.stringify(tms))).to.deep.equal(tms);
  });

  it('loads JSON text as well as parsed documents, e.g. an official example file', () => {
    const path = fileURLToPath(new URL('../../../../shared/schemas/ogcapi-tiles/tms-2.0-json/examples/tilematrixset/WGS1984Quad.json', import.meta.url));
    const text = readFileSync(path, 'utf8');
    const registry = new TileMatrixSetRegistry();
    // The official example is "WorldCRS84Quad" on EPSG:4326 (lat, lon), not the registered CRS84 one.
    const tms = registry.fromJson(text);
    expect(tms.id).to.equal('WorldCRS84Quad');
    expect(tms.orderedAxes).to.deep.equal(['Lat', 'Lon']);
    expect(tms.tileMatrices[0]!.pointOfOrigin).to.deep.equal([90, -180]);
  });

  const invalid: Array<{ name: string; doc: unknown; field: RegExp }> = [
    { name: 'not JSON', doc: '{"id": ', field: /not valid JSON/ },
    { name: 'not an object', doc: [1, 2], field: /must be a JSON object/ },
    { name: 'missing id', doc: edited((d) => delete d.id), field: /id: required/ },
    { name: 'id with a slash', doc: edited((d) => { d.id = 'a/b'; }), field: /id: must be a non-empty string of letters/ },
    { name: 'missing crs', doc: edited((d) => delete d.crs), field: /crs: required/ },
    { name: 'unknown crs', doc: edited((d) => { d.crs = 'http://www.opengis.net/def/crs/EPSG/0/999999'; }), field: /crs: unknown coordinate reference system/ },
    { name: 'crs as WKT', doc: edited((d) => { d.crs = { wkt: { type: 'ProjectedCRS' } }; }), field: /crs: embedded CRS definitions/ },
    { name: 'crs of the wrong type', doc: edited((d) => { d.crs = 3857; }), field: /crs: must be a CRS URI string/ },
    { name: 'title not a string', doc: edited((d) => { d.title = 5; }), field: /title: must be a string, got 5/ },
    { name: 'orderedAxes not understood', doc: edited((d) => { d.orderedAxes = ['A', 'B']; }), field: /orderedAxes: cannot tell the east and the north axis/ },
    { name: 'boundingBox corners swapped', doc: edited((d) => { d.boundingBox = { lowerLeft: [10, 10], upperRight: [0, 0] }; }), field: /boundingBox: lowerLeft/ },
    { name: 'missing tileMatrices', doc: edited((d) => delete d.tileMatrices), field: /tileMatrices: required/ },
    { name: 'TMS 1.0 tileMatrix', doc: edited((d) => { d.tileMatrix = d.tileMatrices; delete d.tileMatrices; }), field: /tileMatrices: required \(found tileMatrix/ },
    { name: 'empty tileMatrices', doc: edited((d) => { d.tileMatrices = []; }), field: /tileMatrices: must be a non-empty array/ },
    { name: 'matrixWidth 0', doc: edited((d) => { d.tileMatrices[1].matrixWidth = 0; }), field: /tileMatrices\[1\]\.matrixWidth: must be an integer >= 1, got 0/ },
    { name: 'matrixHeight not an integer', doc: edited((d) => { d.tileMatrices[0].matrixHeight = 1.5; }), field: /tileMatrices\[0\]\.matrixHeight: must be an integer >= 1, got 1\.5/ },
    { name: 'tileWidth a string', doc: edited((d) => { d.tileMatrices[0].tileWidth = '256'; }), field: /tileMatrices\[0\]\.tileWidth: must be an integer >= 1, got "256"/ },
    { name: 'missing cellSize', doc: edited((d) => delete d.tileMatrices[1].cellSize), field: /tileMatrices\[1\]\.cellSize: required/ },
    { name: 'negative scaleDenominator', doc: edited((d) => { d.tileMatrices[0].scaleDenominator = -1; }), field: /tileMatrices\[0\]\.scaleDenominator: must be a finite number > 0, got -1/ },
    { name: 'pointOfOrigin with 3 numbers', doc: edited((d) => { d.tileMatrices[0].pointOfOrigin = [1, 2, 3]; }), field: /tileMatrices\[0\]\.pointOfOrigin: must be an array of 2 finite numbers/ },
    { name: 'WMTS topLeftCorner', doc: edited((d) => { d.tileMatrices[0].topLeftCorner = d.tileMatrices[0].pointOfOrigin; delete d.tileMatrices[0].pointOfOrigin; }), field: /tileMatrices\[0\]\.pointOfOrigin: required \(found topLeftCorner/ },
    { name: 'bad cornerOfOrigin', doc: edited((d) => { d.tileMatrices[0].cornerOfOrigin = 'bottomRight'; }), field: /tileMatrices\[0\]\.cornerOfOrigin: must be "topLeft" or "bottomLeft"/ },
    { name: 'duplicate matrix id', doc: edited((d) => { d.tileMatrices[1].id = 'a'; }), field: /tileMatrices\[1\]\.id: duplicate tile matrix id "a" \(also tileMatrices\[0\]\)/ },
    { name: 'duplicate scaleDenominator', doc: edited((d) => { d.tileMatrices[1].scaleDenominator = d.tileMatrices[0].scaleDenominator; }), field: /tileMatrices\[1\]\.scaleDenominator: duplicate/ },
    { name: 'finer before coarser', doc: edited((d) => { d.tileMatrices.reverse(); }), field: /tileMatrices\[1\]\.cellSize: tile matrices must go from the coarsest to the finest/ },
    { name: 'coalesce 1', doc: edited((d) => { d.tileMatrices[1].variableMatrixWidths = [{ coalesce: 1, minTileRow: 0, maxTileRow: 0 }]; }), field: /tileMatrices\[1\]\.variableMatrixWidths\[0\]\.coalesce: must be an integer >= 2, got 1/ },
    { name: 'coalesced rows beyond the matrix', doc: edited((d) => { d.tileMatrices[1].variableMatrixWidths = [{ coalesce: 2, minTileRow: 0, maxTileRow: 1 }]; }), field: /variableMatrixWidths\[0\]\.maxTileRow: must be < matrixHeight \(1\), got 1/ },
    { name: 'overlapping coalesced rows', doc: edited((d) => { d.tileMatrices[1].matrixHeight = 8; d.tileMatrices[1].variableMatrixWidths = [{ coalesce: 2, minTileRow: 0, maxTileRow: 3 }, { coalesce: 4, minTileRow: 3, maxTileRow: 3 }]; }), field: /variableMatrixWidths\[1\]: rows 3\.\.3 overlap/ },
  ];
  for (const { name, doc, field } of invalid) {
    it(`rejects ${name}`, () => {
      const err = errorOf(() => new TileMatrixSetRegistry().fromJson(doc));
      expect(err.message).to.match(field);
      expect(err.issues.length).to.be.greaterThan(0);
    });
  }

  it('reports every problem at once, each with its path', () => {
    const err = errorOf(() => parseTileMatrixSet(edited((d) => {
      d.tileMatrices[0].matrixWidth = 0;
      d.tileMatrices[1].tileHeight = -3;
      delete d.crs;
    })));
    expect(err.issues.map((i) => i.path)).to.deep.equal(['crs', 'tileMatrices[0].matrixWidth', 'tileMatrices[1].tileHeight']);
    expect(err.tileMatrixSetId).to.equal('SwissQuadBL');
  });

  it('register() validates typed objects the same way', () => {
    const bad = { ...webMercatorQuad(), id: 'Broken', tileMatrices: [{ ...webMercatorQuad().tileMatrices[0]!, matrixWidth: 0 }] };
    expect(() => new TileMatrixSetRegistry().register(bad)).to.throw(InvalidTileMatrixSet, /tileMatrices\[0\]\.matrixWidth/);
  });
});
