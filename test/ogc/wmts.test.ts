import { expect } from 'chai';
import type { Collection } from '../../src/catalog/types.js';
import { UnknownCrsError } from '../../src/crs/index.js';
import { AbortedError, InvalidParameterError, NotFoundError, PixelOutOfRangeError, SourceReadError, TileOutOfRangeError } from '../../src/errors.js';
import {
  crsUrn, exceptionReportXml, formatFeatureInfo, isGoogleMapsCompatible, isWmtsCompatible, layerExtent, negotiateCapabilities,
  owsErrorResponse, OwsException, parseKvpRequest, parseRestFeatureInfo, parseRestTile, wmtsTileMatrixSet, type FeatureInfoParams,
} from '../../src/ogc/wmts/index.js';
import { tmsRowOfWmtsRow, topLeftCorner } from '../../src/ogc/wmts/tilematrixset.js';
import { createDefaultRegistry, parseTileMatrixSet, tileMatrixSetCrs, type TileMatrixSet } from '../../src/tilematrixsets/index.js';

const registry = createDefaultRegistry();

/** The OwsException a function throws, as [code, locator]. */
function owsError(f: () => unknown): [string, string | undefined] {
  try {
    f();
  } catch (err) {
    if (err instanceof OwsException) return [err.exceptionCode, err.locator];
    throw err;
  }
  throw new Error('did not throw');
}

const TILE = {
  SERVICE: 'WMTS', REQUEST: 'GetTile', VERSION: '1.0.0', LAYER: 'tci', STYLE: 'default', FORMAT: 'image/png',
  TILEMATRIXSET: 'WebMercatorQuad', TILEMATRIX: '10', TILEROW: '415', TILECOL: '579',
};

describe('ogc/wmts: KVP requests (07-057r7 §8; names case-insensitive, values case-sensitive)', () => {
  it('parses GetTile with names in any case', () => {
    const lower = Object.fromEntries(Object.entries(TILE).map(([k, v]) => [k.toLowerCase(), v]));
    const expected = { operation: 'GetTile', params: { layer: 'tci', style: 'default', format: 'image/png', tileMatrixSet: 'WebMercatorQuad', tileMatrix: '10', tileRow: 415, tileCol: 579 } };
    expect(parseKvpRequest(TILE)).to.deep.equal(expected);
    expect(parseKvpRequest(lower)).to.deep.equal(expected);
    expect(parseKvpRequest({ ...TILE, service: 'WMTS' })).to.deep.equal(expected);
  });

  it('parses GetFeatureInfo and GetCapabilities parameters', () => {
    expect(parseKvpRequest({ ...TILE, REQUEST: 'GetFeatureInfo', I: '3', j: '4', infoformat: 'text/plain' })).to.deep.include({ operation: 'GetFeatureInfo' });
    const r = parseKvpRequest({ service: 'WMTS', request: 'GetCapabilities', acceptversions: '1.0.0, 2.0.0', SECTIONS: 'Contents', UPDATESEQUENCE: 'x', acceptFormats: 'text/xml' });
    expect(r).to.deep.equal({ operation: 'GetCapabilities', params: { acceptVersions: ['1.0.0', '2.0.0'], sections: ['Contents'], updateSequence: 'x', acceptFormats: ['text/xml'] } });
  });

  const drop = (k: string) => Object.fromEntries(Object.entries(TILE).filter(([n]) => n !== k));
  for (const [name, query, code, locator] of [
    ['no SERVICE', { REQUEST: 'GetCapabilities' }, 'MissingParameterValue', 'service'],
    ['SERVICE=wmts', { SERVICE: 'wmts', REQUEST: 'GetCapabilities' }, 'InvalidParameterValue', 'service'],
    ['no REQUEST', { SERVICE: 'WMTS' }, 'MissingParameterValue', 'request'],
    ['REQUEST=getCapabilities', { SERVICE: 'WMTS', REQUEST: 'getCapabilities' }, 'OperationNotSupported', 'request'],
    ['no VERSION', drop('VERSION'), 'MissingParameterValue', 'Version'],
    ['VERSION=1.0', { ...TILE, VERSION: '1.0' }, 'InvalidParameterValue', 'Version'],
    ['no LAYER', drop('LAYER'), 'MissingParameterValue', 'Layer'],
    ['no STYLE', drop('STYLE'), 'MissingParameterValue', 'Style'],
    ['empty FORMAT', { ...TILE, FORMAT: '' }, 'MissingParameterValue', 'Format'],
    ['TILECOL=1.5', { ...TILE, TILECOL: '1.5' }, 'InvalidParameterValue', 'TileCol'],
    ['TILEROW twice, differently', { ...TILE, TILEROW: ['1', '2'] }, 'InvalidParameterValue', 'TILEROW'],
    ['GetFeatureInfo without I', { ...TILE, REQUEST: 'GetFeatureInfo', J: '1', INFOFORMAT: 'text/plain' }, 'MissingParameterValue', 'I'],
  ] as const) {
    it(`${name} → ${code} (${locator})`, () => {
      expect(owsError(() => parseKvpRequest(query as Record<string, string | string[]>))).to.deep.equal([code, locator]);
    });
  }

  it('the same value given twice is one parameter; an empty STYLE is kept for the default style', () => {
    expect(parseKvpRequest({ ...TILE, TILEROW: ['415', '415'], STYLE: '' })).to.deep.nested.include({ 'params.tileRow': 415, 'params.style': '' });
  });
});

describe('ogc/wmts: RESTful paths (07-057r7 §10.2)', () => {
  it('reads the format from the extension and numbers from the segments', () => {
    const base = { layer: 'Zürich Nord', style: 'default', tileMatrixSet: 'WebMercatorQuad', tileMatrix: '3', tileRow: '2' };
    expect(parseRestTile({ ...base, last: '5.jpg' })).to.deep.include({ layer: 'Zürich Nord', format: 'image/jpeg', tileRow: 2, tileCol: 5 });
    expect(parseRestTile({ ...base, last: '5.jpeg' }).format).to.equal('image/jpeg');
    expect(owsError(() => parseRestTile({ ...base, last: '5.gif' }))).to.deep.equal(['InvalidParameterValue', 'Format']);
    expect(owsError(() => parseRestTile({ ...base, last: '5' }))).to.deep.equal(['InvalidParameterValue', 'TileCol']);
    expect(parseRestFeatureInfo({ ...base, tileCol: '5', j: '7', last: '9.html' }, 'image/png')).to.deep.include({ i: 9, j: 7, infoFormat: 'text/html', format: 'image/png' });
    expect(owsError(() => parseRestFeatureInfo({ ...base, tileCol: '5', j: '7', last: '9.csv' }, 'image/png'))).to.deep.equal(['InvalidParameterValue', 'InfoFormat']);
  });
});

describe('ogc/wmts: GetCapabilities negotiation (06-121r3 §7.3)', () => {
  const seq = '2026-01-02T03:04:05Z';
  for (const [name, params, expected] of [
    ['nothing: the whole document as text/xml', {}, { kind: 'document', size: 5, contentType: 'text/xml' }],
    ['AcceptVersions=2.0.0,1.0.0', { acceptVersions: ['2.0.0', '1.0.0'] }, { kind: 'document', size: 5, contentType: 'text/xml' }],
    ['Sections=All', { sections: ['All'] }, { kind: 'document', size: 5, contentType: 'text/xml' }],
    ['Sections= (empty)', { sections: [] }, { kind: 'document', size: 5, contentType: 'text/xml' }],
    ['Sections=Contents,ServiceProvider', { sections: ['Contents', 'ServiceProvider'] }, { kind: 'document', size: 2, contentType: 'text/xml' }],
    ['updateSequence equal: "current"', { updateSequence: seq }, { kind: 'current', contentType: 'text/xml' }],
    ['updateSequence lower: the document', { updateSequence: '2025-12-31T00:00:00Z' }, { kind: 'document', size: 5, contentType: 'text/xml' }],
    ['AcceptFormats=application/xml,text/xml', { acceptFormats: ['application/xml', 'text/xml'] }, { kind: 'document', size: 5, contentType: 'application/xml' }],
    ['AcceptFormats=text/html (unsupported: text/xml)', { acceptFormats: ['text/html'] }, { kind: 'document', size: 5, contentType: 'text/xml' }],
  ] as const) {
    it(name, () => {
      const plan = negotiateCapabilities(params as never, seq);
      expect({ kind: plan.kind, contentType: plan.contentType, ...(plan.kind === 'document' ? { size: plan.sections.size } : {}) }).to.deep.equal(expected);
    });
  }
  for (const [name, params, code, locator] of [
    ['AcceptVersions=1.1.0', { acceptVersions: ['1.1.0'] }, 'VersionNegotiationFailed', 'AcceptVersions'],
    ['Sections=Layers', { sections: ['Layers'] }, 'InvalidParameterValue', 'Sections'],
    ['Sections=contents (names are values: case-sensitive)', { sections: ['contents'] }, 'InvalidParameterValue', 'Sections'],
    ['updateSequence higher', { updateSequence: '2027-01-01T00:00:00Z' }, 'InvalidUpdateSequence', 'updateSequence'],
  ] as const) {
    it(`${name} → ${code}`, () => {
      expect(owsError(() => negotiateCapabilities(params as never, seq))).to.deep.equal([code, locator]);
    });
  }
});

describe('ogc/wmts: the OWS exception table', () => {
  const opts = { restful: false, requestId: 'req-1' };
  for (const [name, err, status, code, locator] of [
    ['OwsException', new OwsException('OperationNotSupported', 'request', 'x'), 501, 'OperationNotSupported', 'request'],
    ['PixelOutOfRangeError', new PixelOutOfRangeError('J', 'x'), 400, 'PointIJOutOfRange', 'J'],
    ['TileOutOfRangeError on TileRow', new TileOutOfRangeError('TileRow', 'x'), 400, 'TileOutOfRange', 'TileRow'],
    ['TileOutOfRangeError on TileMatrix (unknown matrix)', new TileOutOfRangeError('TileMatrix', 'x'), 400, 'InvalidParameterValue', 'TileMatrix'],
    ['InvalidParameterError', new InvalidParameterError('format', 'x'), 400, 'InvalidParameterValue', 'Format'],
    ['NotFoundError of a collection', new NotFoundError('collection', 'x'), 400, 'InvalidParameterValue', 'Layer'],
    ['UnknownCrsError', new UnknownCrsError('EPSG:1'), 400, 'InvalidParameterValue', undefined],
    ['AbortedError', new AbortedError(), 503, 'NoApplicableCode', undefined],
    ['SourceReadError', new SourceReadError('s3://secret-bucket/key failed'), 502, 'NoApplicableCode', undefined],
    ['a bug', new TypeError('cannot read x of undefined at /srv/tilewright/dist/secret.js:12'), 500, 'NoApplicableCode', undefined],
  ] as const) {
    it(`${name} → ${status} ${code}`, () => {
      const r = owsErrorResponse(err, opts);
      expect([r.status, r.exceptionCode, r.locator]).to.deep.equal([status, code, locator]);
      if (code === 'NoApplicableCode') {
        expect(r.internal).to.equal(true);
        expect(r.text).to.not.match(/secret|srv|undefined/);
        expect(r.text).to.include('req-1');
      }
    });
  }

  it('RESTful: client errors are 404 (no such resource), server errors keep their status', () => {
    expect(owsErrorResponse(new TileOutOfRangeError('TileCol', 'x'), { restful: true, requestId: 'r' }).status).to.equal(404);
    expect(owsErrorResponse(new Error('x'), { restful: true, requestId: 'r' }).status).to.equal(500);
  });

  it('the report escapes text and has no locator for NoApplicableCode', () => {
    const xml = exceptionReportXml({ exceptionCode: 'InvalidParameterValue', locator: 'Layer', text: 'no layer "a<b&c"' });
    expect(xml).to.include('exceptionCode="InvalidParameterValue" locator="Layer"').and.include('no layer "a&lt;b&amp;c"');
    expect(exceptionReportXml({ exceptionCode: 'NoApplicableCode', locator: 'x', text: 't' })).to.not.include('locator=');
  });
});

describe('ogc/wmts: tile matrix sets as WMTS 1.0 describes them', () => {
  it('SupportedCRS as URNs', () => {
    expect(crsUrn(tileMatrixSetCrs(registry.get('WebMercatorQuad')))).to.equal('urn:ogc:def:crs:EPSG::3857');
    expect(crsUrn(tileMatrixSetCrs(registry.get('WorldCRS84Quad')))).to.equal('urn:ogc:def:crs:OGC:1.3:CRS84');
    expect(crsUrn(tileMatrixSetCrs(registry.get('UTM07SWGS84Quad')))).to.equal('urn:ogc:def:crs:EPSG::32707');
  });

  it('scale denominators recomputed from cellSize, TopLeftCorner in CRS axis order', () => {
    const wm = wmtsTileMatrixSet(registry.get('WebMercatorQuad'));
    expect(wm.tileMatrices[0]!.scaleDenominator).to.be.closeTo(559082264.0287178, 1e-6);
    expect(wm.tileMatrices[0]!.topLeftCorner).to.deep.equal([-20037508.342789244, 20037508.342789244]);
    expect(wm.wellKnownScaleSet).to.equal('urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible');
    const crs84 = wmtsTileMatrixSet(registry.get('WorldCRS84Quad'));
    expect(crs84.tileMatrices[0]!.topLeftCorner).to.deep.equal([-180, 90]);
    expect(crs84.tileMatrices[0]!.scaleDenominator).to.be.closeTo(279541132.0143589, 1e-6);
    expect(wmtsTileMatrixSet(registry.get('EuropeanETRS89_LAEAQuad')).tileMatrices[0]!.topLeftCorner, 'northing first').to.deep.equal([5500000, 2000000]);
  });

  it('GoogleMapsCompatible by shape: WebMercatorQuad and a renamed copy yes, others no', () => {
    const wm = registry.get('WebMercatorQuad');
    expect(isGoogleMapsCompatible(wm)).to.equal(true);
    expect(isGoogleMapsCompatible({ ...wm, id: 'Copy', tileMatrices: wm.tileMatrices.slice(0, 19) })).to.equal(true);
    expect(isGoogleMapsCompatible({ ...wm, id: 'From1', tileMatrices: wm.tileMatrices.slice(1) })).to.equal(false);
    for (const id of ['WorldCRS84Quad', 'WorldMercatorWGS84Quad', 'UTM34WGS84Quad']) expect(isGoogleMapsCompatible(registry.get(id)), id).to.equal(false);
  });

  it('sets with variable matrix widths cannot be WMTS 1.0 sets', () => {
    expect(isWmtsCompatible(registry.get('GNOSISGlobalGrid'))).to.equal(false);
    expect(isWmtsCompatible(registry.get('CDB1GlobalGrid'))).to.equal(false);
    expect(isWmtsCompatible(registry.get('UPSArcticWGS84Quad'))).to.equal(true);
  });

  it('a bottomLeft matrix: TopLeftCorner is its top-left corner and rows count from the top', () => {
    const wm = registry.get('WebMercatorQuad');
    const half = 20037508.342789244;
    const tms: TileMatrixSet = parseTileMatrixSet({
      id: 'BottomUp', crs: 'http://www.opengis.net/def/crs/EPSG/0/3857', orderedAxes: ['X', 'Y'],
      tileMatrices: wm.tileMatrices.slice(0, 3).map((m) => ({ ...m, cornerOfOrigin: 'bottomLeft', pointOfOrigin: [-half, -half] })),
    });
    const m2 = tms.tileMatrices[2]!;
    expect(topLeftCorner(tms, m2)).to.deep.equal([-half, half]);
    expect([tmsRowOfWmtsRow(m2, 0), tmsRowOfWmtsRow(m2, 3)]).to.deep.equal([3, 0]);
  });
});

describe('ogc/wmts: a layer\'s extent and TileMatrixSetLimits', () => {
  const fake = (lonLatBounds: [number, number, number, number], tmsId: string, maxTileMatrix: string) => ({
    id: 'x', title: 'x', description: '', attribution: undefined, sources: [], style: {}, resampling: 'nearest', formats: ['png'], emptyTile: 'blank', cacheControl: { maxAge: 60, sMaxAge: 86400, staleWhileRevalidate: 300 },
    info: { lonLatBounds, crs: { id: 'EPSG:4326', name: '', uri: '' }, resolution: [1, 1], bandCount: 1, dataType: 'uint8', nodata: undefined, tileMatrixSets: [{ tileMatrixSetId: tmsId, minTileMatrix: '0', maxTileMatrix }] },
  }) as Collection;

  it('widens 0..0 ranges to 0..1 and leaves single-row/column matrices out of what is advertised', () => {
    const tms = registry.get('WebMercatorQuad');
    const e = layerExtent(fake([1, 1, 2, 2], 'WebMercatorQuad', '5'), tms);
    expect(e.limits.get('0')).to.deep.equal({ tileMatrix: '0', minTileRow: 0, maxTileRow: 0, minTileCol: 0, maxTileCol: 0 });
    expect(e.limits.get('1')).to.deep.equal({ tileMatrix: '1', minTileRow: 0, maxTileRow: 1, minTileCol: 1, maxTileCol: 1 });
    expect(e.advertised.map((l) => l.tileMatrix)).to.deep.equal(['1', '2', '3', '4', '5']);
    expect(e.advertised.every((l) => l.maxTileRow > 0 && l.maxTileCol > 0)).to.equal(true);
    expect(e.limits.get('20'), 'deeper than advertised: still checked').to.not.equal(undefined);
  });

  it('one entry per matrix across the antimeridian, and the footprint in the set\'s CRS', () => {
    const e = layerExtent(fake([178, 50, -178, 52], 'WorldCRS84Quad', '6'), registry.get('WorldCRS84Quad'));
    const l6 = e.limits.get('6')!;
    expect([l6.minTileCol, l6.maxTileCol], '128 columns at level 6').to.deep.equal([0, 127]);
    expect(e.crsBounds).to.deep.include({ minX: -180, maxX: 180 });
  });
});

describe('ogc/wmts: feature info formats', () => {
  const request: FeatureInfoParams = { layer: 'a<b', style: 'default', format: 'image/png', tileMatrixSet: 'WebMercatorQuad', tileMatrix: '3', tileRow: 1, tileCol: 2, i: 4, j: 5, infoFormat: 'text/plain' };
  const where = { crsPoint: [10, 20] as [number, number], crs: 'EPSG:3857', lonLat: [0.1, 0.2] as [number, number], dataType: 'float32' };
  it('text, HTML (escaped), GeoJSON and XML, with NaN as no value', () => {
    const info = { layer: 'a<b', request, pixel: { ...where, kind: 'values' as const, values: [1.5, Number.NaN], alpha: 255 } };
    expect(formatFeatureInfo(info, 'text/plain').body).to.include('band1 = 1.5\nband2 = nodata\n');
    expect(formatFeatureInfo(info, 'text/html').body).to.include('<td>a&lt;b</td>');
    const json = JSON.parse(formatFeatureInfo(info, 'application/json').body);
    expect(json.features[0].geometry).to.deep.equal({ type: 'Point', coordinates: [0.1, 0.2] });
    expect(json.features[0].properties).to.deep.include({ band1: 1.5, band2: null, i: 4, j: 5 });
    const xml = formatFeatureInfo(info, 'application/xml');
    expect(xml.contentType).to.equal('application/xml; charset=utf-8');
    expect(xml.body).to.include('<Band index="1">1.5</Band>').and.include('<Band index="2">NaN</Band>').and.include('<layer>a&lt;b</layer>');
  });
  it('an empty answer where there is no data', () => {
    const info = { layer: 'a', request, pixel: { ...where, kind: 'empty' as const } };
    expect(JSON.parse(formatFeatureInfo(info, 'application/json').body).features).to.deep.equal([]);
    expect(formatFeatureInfo(info, 'application/xml').body).to.include('hasData="false"');
    expect(formatFeatureInfo(info, 'text/plain').body).to.include('no data at this pixel');
  });
});
