/**
 * Identifiers and official axis order. Axis order is checked against PROJ's own WKT2 (projinfo), the
 * geographic-longitude-first / projected-northing-first tables against proj.db itself.
 */
import { expect } from 'chai';
import { canonicalCrsId, crsFromGeoKeys, getCrs, isGridRegistered, tryGetCrs, UnknownCrsError, UnsupportedCrsError } from '../../src/crs/index.js';
import { requireProjinfo, run } from './gdal.js';

describe('crs: identifiers', () => {
  const table: Array<[string, string]> = [
    ['EPSG:3857', 'EPSG:3857'],
    ['epsg:3857', 'EPSG:3857'],
    ['3857', 'EPSG:3857'],
    ['http://www.opengis.net/def/crs/EPSG/0/4326', 'EPSG:4326'],
    ['https://www.opengis.net/def/crs/EPSG/0/4326', 'EPSG:4326'],
    ['urn:ogc:def:crs:EPSG::4326', 'EPSG:4326'],
    ['urn:ogc:def:crs:EPSG:6.6:4326', 'EPSG:4326'],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 'OGC:CRS84'],
    ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'OGC:CRS84'],
    ['CRS84', 'OGC:CRS84'],
  ];
  for (const [input, id] of table) it(`${input} -> ${id}`, () => expect(canonicalCrsId(input)).to.equal(id));

  it('getCrs accepts every form and returns the same object', () => {
    const a = getCrs('EPSG:4326');
    expect(getCrs('http://www.opengis.net/def/crs/EPSG/0/4326')).to.equal(a);
    expect(getCrs('urn:ogc:def:crs:EPSG::4326')).to.equal(a);
    expect(getCrs(4326)).to.equal(a);
    expect(a.uri).to.equal('http://www.opengis.net/def/crs/EPSG/0/4326');
    expect(getCrs('OGC:CRS84').axisOrder).to.equal('xy');
  });

  it('unknown codes: getCrs throws UnknownCrsError, tryGetCrs returns undefined', () => {
    expect(() => getCrs('EPSG:1')).to.throw(UnknownCrsError);
    expect(tryGetCrs('EPSG:1')).to.equal(undefined);
  });

  it('proj4 definitions carry no +axis and no +nadgrids except registered grids', () => {
    for (const code of [4326, 3857, 26711, 27700, 31467, 27200, 2017, 2200, 22521, 5524]) {
      const def = getCrs(code).proj4;
      expect(def, `EPSG:${code}`).to.not.match(/\+axis=/);
      const grid = /\+nadgrids=(\S+)/.exec(def)?.[1];
      if (grid && grid !== '@null') expect(isGridRegistered(grid), `EPSG:${code} uses ${grid}`).to.equal(true);
    }
  });

  it('geocentric and key-less GeoTIFFs throw UnsupportedCrsError', () => {
    expect(() => crsFromGeoKeys({ GTModelTypeGeoKey: 3, GeographicTypeGeoKey: 4978 })).to.throw(UnsupportedCrsError, /geocentric/);
    expect(() => crsFromGeoKeys({ GTRasterTypeGeoKey: 1 })).to.throw(UnsupportedCrsError);
    expect(() => crsFromGeoKeys({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32767, GeographicTypeGeoKey: 4326, ProjCoordTransGeoKey: 4 }))
      .to.throw(UnsupportedCrsError, /Laborde/);
  });

  it('custom ids are stable hashes of the proj4 definition', () => {
    const keys = { GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 32767, GeogGeodeticDatumGeoKey: 32767, GeogEllipsoidGeoKey: 7022, GeogTOWGS84GeoKey: [-87, -98, -121] };
    const a = crsFromGeoKeys(keys), b = crsFromGeoKeys({ ...keys });
    expect(a.id).to.match(/^CUSTOM:[0-9a-f]{12}$/).and.to.equal(b.id);
    expect(a.uri).to.equal('');
    expect(crsFromGeoKeys({ ...keys, GeogTOWGS84GeoKey: [-87, -98, -120] }).id).to.not.equal(a.id);
  });
});

describe('crs: official axis order against PROJ', function () {
  const codes = [4326, 4258, 4267, 4807, 3035, 2193, 3857, 27700, 31467, 3031, 3413, 2180, 32633, 32761, 5514, 2065, 28992, 2056, 3577, 26711, 21781, 2100];
  for (const code of codes) {
    it(`EPSG:${code}`, function () {
      requireProjinfo(this);
      const wkt = run('projinfo', ['-o', 'WKT2_2019', '-q', `EPSG:${code}`]);
      const first = /AXIS\["[^"]*",\s*(\w+)/.exec(wkt);
      expect(first, 'projinfo WKT2 has AXIS').to.not.equal(null);
      // A first axis pointing north or south (latitude, northing, southing) is 'yx'.
      const name = /AXIS\["([^"]*)"/.exec(wkt)![1]!;
      const expected = /^(north|south)$/i.test(first![1]!) && !/easting|westing|^\(E\)$|^\(W\)$/i.test(name) ? 'yx' : 'xy';
      expect(getCrs(code).axisOrder).to.equal(expected);
    });
  }
});
