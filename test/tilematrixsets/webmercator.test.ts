/**
 * WebMercatorQuad arithmetic against @mapbox/tilebelt (tiles as [x=col, y=row, z]) for z = 0..24.
 */
import { getChildren, getParent, pointToTile, tileToBBOX } from '@mapbox/tilebelt';
import { expect } from 'chai';
import {
  createDefaultRegistry, isQuadtree, tileChildren, tileCrsBounds, tileForCrsPoint, tileForLonLat, tileLonLatBounds,
  tileParent, type TileAddress,
} from '../../src/tilematrixsets/index.js';
import { seededRandom } from './official.js';

const tms = createDefaultRegistry().get('WebMercatorQuad');
const ZOOMS = Array.from({ length: 25 }, (_, z) => z);
/** Latitude limit of the square Web Mercator world: atan(sinh(π)). */
const MAX_LAT = (Math.atan(Math.sinh(Math.PI)) * 180) / Math.PI;

const random = seededRandom(20240501);
const points = Array.from({ length: 400 }, () => ({
  lon: -180 + 360 * random(),
  lat: -MAX_LAT + 2 * MAX_LAT * random(),
}));

const toTilebelt = (t: TileAddress): [number, number, number] => [t.col, t.row, Number(t.tileMatrix)];
const fromTilebelt = ([x, y, z]: number[]): TileAddress => ({ tileMatrix: String(z), row: y!, col: x! });

describe('tilematrixsets: WebMercatorQuad vs @mapbox/tilebelt', () => {
  it('is a quadtree', () => {
    expect(isQuadtree(tms)).to.equal(true);
  });

  for (const z of ZOOMS) {
    it(`z=${z}: tile for ${points.length} random lon/lat points`, () => {
      for (const { lon, lat } of points) {
        const ours = tileForLonLat(tms, String(z), lon, lat);
        expect(ours, `${lon},${lat}`).to.deep.equal(fromTilebelt(pointToTile(lon, lat, z)));
      }
    });

    it(`z=${z}: lon/lat bounds of the tiles of those points`, () => {
      for (const { lon, lat } of points.slice(0, 100)) {
        const tile = tileForLonLat(tms, String(z), lon, lat)!;
        const [w, s, e, n] = tileToBBOX(toTilebelt(tile)) as number[];
        const b = tileLonLatBounds(tms, tile);
        expect(b.minX).to.be.closeTo(w!, 1e-9);
        expect(b.minY).to.be.closeTo(s!, 1e-9);
        expect(b.maxX).to.be.closeTo(e!, 1e-9);
        expect(b.maxY).to.be.closeTo(n!, 1e-9);
      }
    });

    it(`z=${z}: parent and children`, () => {
      for (const { lon, lat } of points.slice(0, 50)) {
        const tile = tileForLonLat(tms, String(z), lon, lat)!;
        const parent = tileParent(tms, tile);
        if (z === 0) expect(parent).to.equal(undefined);
        else expect(parent).to.deep.equal(fromTilebelt(getParent(toTilebelt(tile))));
        const children = tileChildren(tms, tile);
        if (z === 24) {
          expect(children).to.deep.equal([]);
        } else {
          const expected = getChildren(toTilebelt(tile)).map(fromTilebelt);
          expect(children).to.have.deep.members(expected);
          expect(children).to.have.length(4);
          for (const child of children) expect(tileParent(tms, child)).to.deep.equal(tile);
        }
      }
    });
  }

  it('tile corners map back to their own tile (no off-by-one from rounding)', () => {
    for (const z of ZOOMS) {
      for (const { lon, lat } of points.slice(0, 40)) {
        const tile = tileForLonLat(tms, String(z), lon, lat)!;
        const b = tileCrsBounds(tms, tile);
        // The top-left corner belongs to the tile (half-open tiles, WMTS Annex H).
        expect(tileForCrsPoint(tms, String(z), b.minX, b.maxY)).to.deep.equal(tile);
      }
    }
  });

  const edges: Array<{ lon: number; lat: number; z: number; expected: TileAddress | undefined; why: string }> = [
    { lon: 180, lat: 0, z: 3, expected: { tileMatrix: '3', row: 4, col: 7 }, why: 'the east edge is closed (tilebelt wraps it to col 0)' },
    { lon: -180, lat: 0, z: 3, expected: { tileMatrix: '3', row: 4, col: 0 }, why: 'the west edge' },
    { lon: 0, lat: 0, z: 1, expected: { tileMatrix: '1', row: 1, col: 1 }, why: 'the origin belongs to the tile to its south-east' },
    { lon: 0, lat: 89, z: 2, expected: undefined, why: 'north of ±85.0511° is outside the matrix' },
    { lon: 10, lat: 90, z: 2, expected: undefined, why: 'the pole has no image in EPSG:3857' },
  ];
  for (const { lon, lat, z, expected, why } of edges) {
    it(`tile for ${lon}, ${lat} at z=${z}: ${why}`, () => {
      expect(tileForLonLat(tms, String(z), lon, lat)).to.deep.equal(expected);
    });
  }
});
