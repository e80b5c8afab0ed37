/**
 * Axis order: pointOfOrigin is in CRS axis order (lat first for EPSG:4326, northing first for
 * EPSG:3035), everything computed is in engine order (x = east, y = north).
 */
import { expect } from 'chai';
import {
  axisDirection, axisOrderFromOrderedAxes, createDefaultRegistry, tileCrsBounds, tileForCrsPoint, tileForLonLat,
  tileLonLatBounds, tileMatrixCrsBounds, tileMatrixSetAxisOrder, tileMatrixSetCrs, type Bounds,
} from '../../src/tilematrixsets/index.js';

const registry = createDefaultRegistry();

describe('tilematrixsets: axis order', () => {
  const directions: Array<[string, 'east' | 'north' | undefined]> = [
    ['E', 'east'], ['X', 'east'], ['Lon', 'east'], ['long', 'east'], ['Easting', 'east'],
    ['N', 'north'], ['Y', 'north'], ['Lat', 'north'], ['latitude', 'north'], ['Northing', 'north'],
    ['h', undefined], ['', undefined],
  ];
  for (const [abbreviation, direction] of directions) {
    it(`axis ${JSON.stringify(abbreviation)} points ${direction ?? 'nowhere known'}`, () => {
      expect(axisDirection(abbreviation)).to.equal(direction);
    });
  }

  const orders: Array<[string[], 'xy' | 'yx' | undefined]> = [
    [['X', 'Y'], 'xy'], [['E', 'N'], 'xy'], [['Lon', 'Lat'], 'xy'], [['Lat', 'Lon'], 'yx'], [['Y', 'X'], 'yx'],
    [['E', 'E'], undefined], [['E'], undefined],
  ];
  for (const [axes, order] of orders) {
    it(`orderedAxes ${JSON.stringify(axes)} → ${order}`, () => {
      expect(axisOrderFromOrderedAxes(axes)).to.equal(order);
    });
  }

  const sets: Array<[string, 'xy' | 'yx']> = [
    ['WebMercatorQuad', 'xy'], ['WorldCRS84Quad', 'xy'], ['GNOSISGlobalGrid', 'yx'], ['CDB1GlobalGrid', 'yx'],
    ['EuropeanETRS89_LAEAQuad', 'yx'], ['UTM31WGS84Quad', 'xy'], ['UPSArcticWGS84Quad', 'xy'],
  ];
  for (const [id, order] of sets) {
    it(`${id} stores pointOfOrigin in ${order} order`, () => {
      expect(tileMatrixSetAxisOrder(registry.get(id))).to.equal(order);
    });
  }

  it('the orderedAxes of every built-in set agree with its CRS\'s official axis order', () => {
    for (const tms of registry.list()) {
      expect(tileMatrixSetAxisOrder(tms), tms.id).to.equal(tileMatrixSetCrs(tms).axisOrder);
    }
  });

  // WorldCRS84Quad (CRS84, lon/lat) and GNOSISGlobalGrid (EPSG:4326, lat/lon) share the same
  // level-0 cell size (GNOSIS level 0 = WorldCRS84Quad level 1), so their tiles must coincide.
  const sameTiles: Array<{ crs84: [string, number, number]; gnosis: [string, number, number]; bounds: Bounds }> = [
    { crs84: ['1', 0, 0], gnosis: ['0', 0, 0], bounds: { minX: -180, minY: 0, maxX: -90, maxY: 90 } },
    { crs84: ['1', 1, 3], gnosis: ['0', 1, 3], bounds: { minX: 90, minY: -90, maxX: 180, maxY: 0 } },
    { crs84: ['3', 2, 9], gnosis: ['2', 2, 9], bounds: { minX: 22.5, minY: 22.5, maxX: 45, maxY: 45 } },
  ];
  for (const { crs84, gnosis, bounds } of sameTiles) {
    it(`WorldCRS84Quad ${crs84.join('/')} and GNOSISGlobalGrid ${gnosis.join('/')} have the same engine-order bounds`, () => {
      const a = tileCrsBounds(registry.get('WorldCRS84Quad'), { tileMatrix: crs84[0], row: crs84[1], col: crs84[2] });
      const b = tileCrsBounds(registry.get('GNOSISGlobalGrid'), { tileMatrix: gnosis[0], row: gnosis[1], col: gnosis[2] });
      expect(a).to.deep.equal(bounds);
      expect(b).to.deep.equal(bounds);
      expect(tileLonLatBounds(registry.get('GNOSISGlobalGrid'), { tileMatrix: gnosis[0], row: gnosis[1], col: gnosis[2] })).to.deep.equal(bounds);
    });
  }

  it('a lon/lat point picks the same tile in WorldCRS84Quad and GNOSISGlobalGrid (outside coalesced rows)', () => {
    // Below 45° of latitude: GNOSIS coalesces rows poleward of it.
    const cases: Array<[number, number]> = [[31.2, 30.0], [-74.0, 40.7], [151.2, -33.9], [-0.1, 0.1], [-78.5, -0.2]];
    for (const [lon, lat] of cases) {
      for (let z = 1; z <= 10; z++) {
        const a = tileForLonLat(registry.get('WorldCRS84Quad'), String(z), lon, lat);
        const b = tileForLonLat(registry.get('GNOSISGlobalGrid'), String(z - 1), lon, lat);
        expect(b, `${lon},${lat} z=${z}`).to.deep.equal({ ...a, tileMatrix: String(z - 1) });
        expect(tileForCrsPoint(registry.get('GNOSISGlobalGrid'), String(z - 1), lon, lat), 'x is the longitude').to.deep.equal(b);
      }
    }
  });

  it('EuropeanETRS89_LAEAQuad: pointOfOrigin (N 5 500 000, E 2 000 000) becomes x = 2 000 000, y = 5 500 000', () => {
    const tms = registry.get('EuropeanETRS89_LAEAQuad');
    expect(tms.tileMatrices[0]!.pointOfOrigin).to.deep.equal([5500000, 2000000]);
    expect(tileMatrixCrsBounds(tms, '0')).to.deep.equal({ minX: 2000000, minY: 1000000, maxX: 6500000, maxY: 5500000 });
    expect(tileCrsBounds(tms, { tileMatrix: '1', row: 0, col: 1 })).to.deep.equal({ minX: 4250000, minY: 3250000, maxX: 6500000, maxY: 5500000 });
    // Berlin (13.4°E, 52.5°N) is east of the 10°E centre and north of 52°N: the top-right tile at level 1.
    expect(tileForLonLat(tms, '1', 13.4, 52.5)).to.deep.equal({ tileMatrix: '1', row: 0, col: 1 });
    // Lisbon is south-west of the centre of the grid's square.
    expect(tileForLonLat(tms, '1', -9.14, 38.72)).to.deep.equal({ tileMatrix: '1', row: 1, col: 0 });
  });

  it('CDB1GlobalGrid (lat, lon) bounds are (lon, lat) in engine order', () => {
    const tms = registry.get('CDB1GlobalGrid');
    expect(tileCrsBounds(tms, { tileMatrix: '0', row: 40, col: 10 })).to.deep.equal({ minX: -170, minY: 49, maxX: -169, maxY: 50 });
    // Row 0 (89°N..90°N) coalesces 12 one-degree tiles.
    expect(tileCrsBounds(tms, { tileMatrix: '0', row: 0, col: 12 })).to.deep.equal({ minX: -168, minY: 89, maxX: -156, maxY: 90 });
  });
});
