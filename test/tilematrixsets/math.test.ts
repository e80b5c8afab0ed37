/**
 * Tile arithmetic beyond WebMercatorQuad: validity with variable widths, bounds, exact edges,
 * zoom for resolution, parents/children of non-trivial sets, poles and the antimeridian.
 */
import { expect } from 'chai';
import { TileOutOfRangeError } from '../../src/errors.js';
import {
  TileMatricesNotNested, TileMatrixSetRegistry, UnknownTileMatrix, assertValidTile, canonicalTile,
  closestZoomForResolution, coalesceAt, createDefaultRegistry, getTileMatrix, isQuadtree, isValidTile, tileChildren,
  tileCrsBounds, tileForCrsPoint, tileForLonLat, tileLonLatBounds, tileParent, tileRangeForCrsBounds, tilesInLimits,
  zoomForResolution, type TileAddress,
} from '../../src/tilematrixsets/index.js';

const registry = createDefaultRegistry();
const tile = (tileMatrix: string, row: number, col: number): TileAddress => ({ tileMatrix, row, col });

describe('tilematrixsets: isValidTile', () => {
  const cases: Array<[string, TileAddress, boolean, string]> = [
    ['WebMercatorQuad', tile('0', 0, 0), true, 'the only level-0 tile'],
    ['WebMercatorQuad', tile('0', 0, 1), false, 'col = matrixWidth'],
    ['WebMercatorQuad', tile('2', -1, 0), false, 'negative row'],
    ['WebMercatorQuad', tile('2', 1.5, 0), false, 'fractional row'],
    ['WebMercatorQuad', tile('25', 0, 0), false, 'no matrix 25'],
    ['UTM31WGS84Quad', tile('0', 0, 0), false, 'UTM matrices start at "1"'],
    ['UTM31WGS84Quad', tile('1', 1, 0), true, 'level 1 is 1 × 2 tiles'],
    ['WorldCRS84Quad', tile('0', 0, 1), true, 'level 0 is 2 × 1 tiles'],
    ['CDB1GlobalGrid', tile('-10', 179, 348), true, 'negative ids exist; row 179 coalesces 12, 348 = 29 × 12'],
    ['CDB1GlobalGrid', tile('-10', 179, 349), false, 'not a multiple of 12 in the polar row'],
    ['CDB1GlobalGrid', tile('3', 160, 6), true, 'rows 160..319 at level 3 are 50°S..70°S: coalesce 2'],
    ['CDB1GlobalGrid', tile('3', 160, 7), false, 'odd column in a coalesce-2 row'],
    ['CDB1GlobalGrid', tile('3', 720, 7), true, 'equatorial rows do not coalesce'],
    ['GNOSISGlobalGrid', tile('2', 0, 4), true, 'row 0 at level 2 coalesces 4: cols 0, 4, 8, 12'],
    ['GNOSISGlobalGrid', tile('2', 0, 2), false, '2 is not a multiple of 4'],
    ['GNOSISGlobalGrid', tile('2', 1, 2), true, 'row 1 coalesces 2'],
    ['GNOSISGlobalGrid', tile('2', 7, 12), true, 'the southernmost row mirrors the northernmost'],
    ['GNOSISGlobalGrid', tile('2', 7, 13), false, 'the southernmost row mirrors the northernmost (invalid col)'],
    ['GNOSISGlobalGrid', tile('2', 3, 13), true, 'rows next to the equator are not coalesced'],
  ];
  for (const [id, t, valid, why] of cases) {
    it(`${id} ${t.tileMatrix}/${t.row}/${t.col} is ${valid ? 'valid' : 'invalid'}: ${why}`, () => {
      expect(isValidTile(registry.get(id), t)).to.equal(valid);
    });
  }

  it('assertValidTile throws protocol-free errors naming the parameter', () => {
    const tms = registry.get('GNOSISGlobalGrid');
    expect(() => assertValidTile(tms, tile('99', 0, 0))).to.throw(UnknownTileMatrix).with.property('parameter', 'TileMatrix');
    expect(() => assertValidTile(tms, tile('2', 8, 0))).to.throw(TileOutOfRangeError).with.property('parameter', 'TileRow');
    expect(() => assertValidTile(tms, tile('2', 0, 16))).to.throw(TileOutOfRangeError).with.property('parameter', 'TileCol');
    expect(() => assertValidTile(tms, tile('2', 0, 2))).to.throw(TileOutOfRangeError, /multiple of 4/);
  });

  it('canonicalTile maps the aliases of a coalesced tile (TMS 2.0: cols 0..3 name the same tile)', () => {
    const tms = registry.get('GNOSISGlobalGrid');
    expect(canonicalTile(tms, tile('2', 0, 7))).to.deep.equal(tile('2', 0, 4));
    expect(canonicalTile(tms, tile('2', 3, 7))).to.deep.equal(tile('2', 3, 7));
  });
});

describe('tilematrixsets: bounds and points', () => {
  it('a coalesced tile spans coalesce columns', () => {
    const tms = registry.get('GNOSISGlobalGrid');
    expect(coalesceAt(getTileMatrix(tms, '2'), 0)).to.equal(4);
    expect(tileCrsBounds(tms, tile('2', 0, 4))).to.deep.equal({ minX: -90, minY: 67.5, maxX: 0, maxY: 90 });
    expect(tileForCrsPoint(tms, '2', -45, 80)).to.deep.equal(tile('2', 0, 4));
  });

  it('UTM31WGS84Quad level 1 spans 500 000 ± Q and ±2Q', () => {
    const tms = registry.get('UTM31WGS84Quad');
    const b = tileCrsBounds(tms, tile('1', 0, 0));
    expect(b.minX).to.be.closeTo(-9501965.72931276, 1e-6);
    expect(b.maxX).to.be.closeTo(10501965.7293128, 1e-6);
    expect(b.maxY).to.be.closeTo(20003931.4586255, 1e-6);
    expect(b.minY).to.be.closeTo(0, 1e-6);
  });

  it('a bottomLeft set counts rows from the south', () => {
    const tms = new TileMatrixSetRegistry().fromJson({
      id: 'BL', crs: 'EPSG:3857', orderedAxes: ['X', 'Y'],
      tileMatrices: [{ id: '0', scaleDenominator: 1e6, cellSize: 100, cornerOfOrigin: 'bottomLeft', pointOfOrigin: [0, 0], tileWidth: 10, tileHeight: 10, matrixWidth: 4, matrixHeight: 3 }],
    });
    expect(tileCrsBounds(tms, tile('0', 0, 0))).to.deep.equal({ minX: 0, minY: 0, maxX: 1000, maxY: 1000 });
    expect(tileCrsBounds(tms, tile('0', 2, 3))).to.deep.equal({ minX: 3000, minY: 2000, maxX: 4000, maxY: 3000 });
    expect(tileForCrsPoint(tms, '0', 3500, 2500)).to.deep.equal(tile('0', 2, 3));
    expect(tileForCrsPoint(tms, '0', 4000, 3000), 'far corner is closed').to.deep.equal(tile('0', 2, 3));
    expect(tileForCrsPoint(tms, '0', 4000.1, 3000)).to.equal(undefined);
    expect(tileRangeForCrsBounds(tms, '0', { minX: 1000, minY: 1000, maxX: 2000, maxY: 3000 }))
      .to.deep.equal({ tileMatrix: '0', minTileRow: 1, maxTileRow: 2, minTileCol: 1, maxTileCol: 1 });
  });

  const unknown = (): unknown => tileForCrsPoint(registry.get('WebMercatorQuad'), 'x', 0, 0);
  it('an unknown matrix id throws UnknownTileMatrix', () => {
    expect(unknown).to.throw(UnknownTileMatrix, /WebMercatorQuad has no tile matrix "x"/);
  });
});

describe('tilematrixsets: tile range of a bbox, exact edges', () => {
  const tms = registry.get('WebMercatorQuad');
  // Every tile of a few levels: its own bounds must give exactly that tile, and bounds
  // shrunk or grown by a hair must stay inside or reach the neighbours.
  for (const z of [1, 5, 12, 20, 24]) {
    it(`z=${z}: a bbox equal to a tile's bounds covers exactly that tile`, () => {
      const n = 2 ** z;
      for (const [row, col] of [[0, 0], [n - 1, n - 1], [Math.floor(n / 3), Math.floor(n / 5)], [Math.floor(n / 2), Math.floor(n / 2) - 1]] as const) {
        const b = tileCrsBounds(tms, tile(String(z), row, col));
        expect(tileRangeForCrsBounds(tms, String(z), b)).to.deep.equal({ tileMatrix: String(z), minTileRow: row, maxTileRow: row, minTileCol: col, maxTileCol: col });
        const span = b.maxX - b.minX;
        const grown = { minX: b.minX - span / 100, minY: b.minY - span / 100, maxX: b.maxX + span / 100, maxY: b.maxY + span / 100 };
        expect(tileRangeForCrsBounds(tms, String(z), grown)).to.deep.equal({
          tileMatrix: String(z), minTileRow: Math.max(0, row - 1), maxTileRow: Math.min(n - 1, row + 1), minTileCol: Math.max(0, col - 1), maxTileCol: Math.min(n - 1, col + 1),
        });
      }
    });
  }

  it('a 2 × 2 block of tiles gives exactly those 4 tiles, also one level down (4 × 4)', () => {
    const a = tileCrsBounds(tms, tile('7', 40, 90));
    const b = tileCrsBounds(tms, tile('7', 41, 91));
    const block = { minX: a.minX, minY: b.minY, maxX: b.maxX, maxY: a.maxY };
    expect(tileRangeForCrsBounds(tms, '7', block)).to.deep.equal({ tileMatrix: '7', minTileRow: 40, maxTileRow: 41, minTileCol: 90, maxTileCol: 91 });
    expect(tileRangeForCrsBounds(tms, '8', block)).to.deep.equal({ tileMatrix: '8', minTileRow: 80, maxTileRow: 83, minTileCol: 180, maxTileCol: 183 });
  });

  it('is clamped to the matrix and undefined outside it', () => {
    const world = 20037508.342789244;
    expect(tileRangeForCrsBounds(tms, '2', { minX: -1e9, minY: -1e9, maxX: 1e9, maxY: 1e9 })).to.deep.equal({ tileMatrix: '2', minTileRow: 0, maxTileRow: 3, minTileCol: 0, maxTileCol: 3 });
    expect(tileRangeForCrsBounds(tms, '2', { minX: -Infinity, minY: 0, maxX: Infinity, maxY: Infinity })).to.deep.equal({ tileMatrix: '2', minTileRow: 0, maxTileRow: 1, minTileCol: 0, maxTileCol: 3 });
    expect(tileRangeForCrsBounds(tms, '2', { minX: world, minY: 0, maxX: world + 10, maxY: 10 })).to.equal(undefined);
  });

  it('a zero-size bbox (a point) gives the tile containing it', () => {
    expect(tileRangeForCrsBounds(tms, '1', { minX: 0, minY: 0, maxX: 0, maxY: 0 })).to.deep.equal({ tileMatrix: '1', minTileRow: 1, maxTileRow: 1, minTileCol: 1, maxTileCol: 1 });
  });

  it('tilesInLimits enumerates coalesced tiles once, under their canonical column', () => {
    const gnosis = registry.get('GNOSISGlobalGrid');
    const tiles = [...tilesInLimits(gnosis, { tileMatrix: '2', minTileRow: 0, maxTileRow: 2, minTileCol: 3, maxTileCol: 9 })];
    expect(tiles).to.deep.equal([
      tile('2', 0, 0), tile('2', 0, 4), tile('2', 0, 8),
      tile('2', 1, 2), tile('2', 1, 4), tile('2', 1, 6), tile('2', 1, 8),
      tile('2', 2, 3), tile('2', 2, 4), tile('2', 2, 5), tile('2', 2, 6), tile('2', 2, 7), tile('2', 2, 8), tile('2', 2, 9),
    ]);
    for (const t of tiles) expect(isValidTile(gnosis, t)).to.equal(true);
  });
});

describe('tilematrixsets: zoom for a resolution', () => {
  const cases: Array<{ id: string; resolution: number; crs?: string; finest: string; closest: string; why: string }> = [
    { id: 'WebMercatorQuad', resolution: 10, finest: '13', closest: '14', why: '10 m: 19.11 m is the finest not finer; 9.55 m is closest' },
    { id: 'WebMercatorQuad', resolution: 9.554628535647032, finest: '14', closest: '14', why: 'exactly a cell size' },
    { id: 'WebMercatorQuad', resolution: 9.554628535647032 * (1 - 1e-12), finest: '14', closest: '14', why: 'a cell size up to rounding' },
    { id: 'WebMercatorQuad', resolution: 0.0001, crs: 'EPSG:4326', finest: '13', closest: '14', why: '0.0001° = 11.13 m at the equator' },
    { id: 'WebMercatorQuad', resolution: 1e6, finest: '0', closest: '0', why: 'coarser than every matrix' },
    { id: 'WebMercatorQuad', resolution: 0.001, finest: '24', closest: '24', why: 'finer than every matrix' },
    { id: 'WorldCRS84Quad', resolution: 30, crs: 'EPSG:32631', finest: '11', closest: '11', why: '30 m = 2.69e-4°: 3.43e-4° is ×1.27 away, 1.72e-4° ×1.57' },
    { id: 'CanadianNAD83_LCC', resolution: 100, finest: '11', closest: '11', why: 'non-quadtree scales: 111.1 m, then 66.1 m' },
  ];
  for (const { id, resolution, crs, finest, closest, why } of cases) {
    it(`${id}, ${resolution}${crs ? ` in ${crs}` : ''}: ${why}`, () => {
      const tms = registry.get(id);
      expect(zoomForResolution(tms, resolution, crs).id).to.equal(finest);
      expect(closestZoomForResolution(tms, resolution, crs).id).to.equal(closest);
    });
  }
  it('rejects a non-positive resolution', () => {
    expect(() => zoomForResolution(registry.get('WebMercatorQuad'), 0)).to.throw(RangeError);
  });
});

describe('tilematrixsets: parents and children beyond quadtrees', () => {
  it('knows which sets are quadtrees', () => {
    const expected: Record<string, boolean> = {
      WebMercatorQuad: true, WorldCRS84Quad: true, WorldMercatorWGS84Quad: true, UTM05WGS84Quad: true, UTM05SWGS84Quad: true,
      UPSArcticWGS84Quad: true, EuropeanETRS89_LAEAQuad: true, GNOSISGlobalGrid: true, CDB1GlobalGrid: false, CanadianNAD83_LCC: false,
    };
    for (const [id, quad] of Object.entries(expected)) expect(isQuadtree(registry.get(id)), id).to.equal(quad);
  });

  it('GNOSIS: a polar tile has 3 children (one coalesced, two halves), each with it as parent', () => {
    const tms = registry.get('GNOSISGlobalGrid');
    const children = tileChildren(tms, tile('1', 0, 2));
    expect(children).to.deep.equal([tile('2', 0, 4), tile('2', 1, 4), tile('2', 1, 6)]);
    for (const c of children) expect(tileParent(tms, c)).to.deep.equal(tile('1', 0, 2));
    expect(tileParent(tms, tile('2', 1, 6))).to.deep.equal(tile('1', 0, 2));
  });

  it('CDB1GlobalGrid: levels −10..0 refine pixels only (one child), then a quadtree', () => {
    const tms = registry.get('CDB1GlobalGrid');
    expect(tileChildren(tms, tile('-10', 100, 200))).to.deep.equal([tile('-9', 100, 200)]);
    expect(tileParent(tms, tile('-9', 100, 200))).to.deep.equal(tile('-10', 100, 200));
    expect(tileParent(tms, tile('-10', 100, 200))).to.equal(undefined);
    expect(tileChildren(tms, tile('0', 100, 200))).to.deep.equal([tile('1', 200, 400), tile('1', 200, 401), tile('1', 201, 400), tile('1', 201, 401)]);
    expect(tileChildren(tms, tile('21', 0, 0))).to.deep.equal([]);
  });

  it('CanadianNAD83_LCC: matrices do not nest, so parent/child throws', () => {
    const tms = registry.get('CanadianNAD83_LCC');
    expect(() => tileChildren(tms, tile('0', 0, 0))).to.throw(TileMatricesNotNested);
    expect(() => tileParent(tms, tile('1', 0, 0))).to.throw(TileMatricesNotNested);
  });
});

describe('tilematrixsets: lon/lat bounds at the poles and the antimeridian', () => {
  it('UPSArcticWGS84Quad: level 0 reaches 15°S at the edge midpoints; level-1 tiles touch the pole', () => {
    const tms = registry.get('UPSArcticWGS84Quad');
    // The level-0 edges are tangent to the 15°S circle; the corners are √2 farther (≈33°S).
    const whole = tileLonLatBounds(tms, tile('0', 0, 0));
    expect([whole.minX, whole.maxX, whole.maxY]).to.deep.equal([-180, 180, 90]);
    expect(whole.minY).to.be.lessThan(-30).and.greaterThan(-40);
    for (const [row, col] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
      const b = tileLonLatBounds(tms, tile('1', row, col));
      expect(b.maxY).to.equal(90);
      expect([b.minX, b.maxX]).to.deep.equal([-180, 180]);
      expect(b.minY).to.be.closeTo(whole.minY, 1e-9);
    }
  });

  it('UPSAntarcticWGS84Quad: a tile far from the pole is an ordinary box; the pole tile reaches 90°S', () => {
    const tms = registry.get('UPSAntarcticWGS84Quad');
    const pole = tileForLonLat(tms, '8', 0, -90)!;
    expect(tileLonLatBounds(tms, pole).minY).to.equal(-90);
    const far = tileForLonLat(tms, '8', 45, -70)!;
    const b = tileLonLatBounds(tms, far);
    expect(b.minX).to.be.lessThan(45);
    expect(b.maxX).to.be.greaterThan(45);
    expect(b.minY).to.be.lessThan(-70);
    expect(b.maxY).to.be.greaterThan(-70).and.lessThan(-60);
  });

  it('UTM60WGS84Quad: a tile east of the zone crossing 180° comes out with minX > maxX (RFC 7946)', () => {
    const tms = registry.get('UTM60WGS84Quad');
    // Zone 60's central meridian is 177°E; a level-8 tile containing 180°E at 50°N.
    const t = tileForLonLat(tms, '8', 179.999, 50)!;
    const b = tileLonLatBounds(tms, t);
    expect(b.minX).to.be.greaterThan(170).and.lessThan(180);
    expect(b.maxX).to.be.greaterThan(-180).and.lessThan(-170);
    expect(b.minY).to.be.lessThan(50);
    expect(b.maxY).to.be.greaterThan(50);
  });
});
