/**
 * TileMatrixSetLimits of dataset footprints: against tilebelt for WebMercatorQuad, across the
 * antimeridian, from UTM (north and south), and around a pole. Footprints of real files in
 * ../shared/data/cog are given as `gdalinfo` reports them (corner coordinates).
 */
import { pointToTile } from '@mapbox/tilebelt';
import { expect } from 'chai';
import { getCrs, getTransformer } from '../../src/crs/index.js';
import {
  createDefaultRegistry, isValidTile, mergeTileMatrixSetLimits, tileForLonLat, tileMatrixSetLimits, tilesInLimits,
  type Bounds, type TileMatrixSetLimits,
} from '../../src/tilematrixsets/index.js';
import { seededRandom } from './official.js';

const registry = createDefaultRegistry();
const webMercator = registry.get('WebMercatorQuad');

/** Expected limits from tilebelt: the tiles of the NW and SE corners of a lon/lat box. */
function tilebeltLimits(b: Bounds, z: number): TileMatrixSetLimits {
  const [minCol, minRow] = pointToTile(b.minX, b.maxY, z);
  const [maxCol, maxRow] = pointToTile(b.maxX, b.minY, z);
  return { tileMatrix: String(z), minTileRow: minRow, maxTileRow: maxRow, minTileCol: minCol, maxTileCol: maxCol };
}

/**
 * Independent expectation for a footprint in a projected CRS: sample a dense grid INSIDE the
 * footprint (not just its boundary), transform each point to lon/lat, and take the min/max of
 * tilebelt's tiles.
 */
function sampledLimits(b: Bounds, crs: string, z: number, n = 60): TileMatrixSetLimits {
  const toLonLat = getTransformer(getCrs(crs), getCrs('OGC:CRS84'));
  let minRow = Infinity, maxRow = -Infinity, minCol = Infinity, maxCol = -Infinity;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= n; j++) {
      const [lon, lat] = toLonLat.forward(b.minX + ((b.maxX - b.minX) * i) / n, b.minY + ((b.maxY - b.minY) * j) / n);
      const [col, row] = pointToTile(lon, lat, z);
      minRow = Math.min(minRow, row); maxRow = Math.max(maxRow, row);
      minCol = Math.min(minCol, col); maxCol = Math.max(maxCol, col);
    }
  }
  return { tileMatrix: String(z), minTileRow: minRow, maxTileRow: maxRow, minTileCol: minCol, maxTileCol: maxCol };
}

describe('tilematrixsets: tileMatrixSetLimits', () => {
  const random = seededRandom(7);
  const footprints: Bounds[] = [
    { minX: 5.95, minY: 45.82, maxX: 10.49, maxY: 47.81 },
    { minX: -123.2, minY: 37.1, maxX: -121.7, maxY: 38.3 },
    { minX: -0.51, minY: 51.28, maxX: 0.33, maxY: 51.69 },
    ...Array.from({ length: 5 }, () => {
      const w = -170 + 330 * random();
      const s = -80 + 150 * random();
      return { minX: w, minY: s, maxX: w + 10 * random() + 0.01, maxY: s + 8 * random() + 0.01 };
    }),
  ];
  for (const b of footprints) {
    it(`lon/lat footprint ${[b.minX, b.minY, b.maxX, b.maxY].map((v) => v.toFixed(3)).join(',')} in WebMercatorQuad z=0..24 matches tilebelt`, () => {
      const limits = tileMatrixSetLimits(webMercator, b, 'OGC:CRS84');
      expect(limits.map((l) => l.tileMatrix)).to.deep.equal(Array.from({ length: 25 }, (_, z) => String(z)));
      limits.forEach((l, z) => expect(l, `z=${z}`).to.deep.equal(tilebeltLimits(b, z)));
    });
  }

  it('honours minZoom/maxZoom (inclusive, on the numeric matrix id)', () => {
    const limits = tileMatrixSetLimits(webMercator, footprints[0]!, 'EPSG:4326', { minZoom: 3, maxZoom: 6 });
    expect(limits.map((l) => l.tileMatrix)).to.deep.equal(['3', '4', '5', '6']);
    const utm = tileMatrixSetLimits(registry.get('UTM32WGS84Quad'), footprints[0]!, 'EPSG:4326', { maxZoom: 2 });
    expect(utm.map((l) => l.tileMatrix)).to.deep.equal(['1', '2']);
  });

  it('the whole world, poles included, covers every matrix completely', () => {
    const world: Bounds = { minX: -180, minY: -90, maxX: 180, maxY: 90 };
    for (const id of ['WebMercatorQuad', 'WorldCRS84Quad', 'WorldMercatorWGS84Quad', 'GNOSISGlobalGrid']) {
      const tms = registry.get(id);
      const limits = tileMatrixSetLimits(tms, world, 'OGC:CRS84', { maxZoom: 6 });
      const expected = tms.tileMatrices.slice(0, 7).map((m) => ({ tileMatrix: m.id, minTileRow: 0, maxTileRow: m.matrixHeight - 1, minTileCol: 0, maxTileCol: m.matrixWidth - 1 }));
      expect(limits, id).to.deep.equal(expected);
    }
  });

  it('a footprint outside the matrix has no limits', () => {
    // Antarctica below the Web Mercator square.
    expect(tileMatrixSetLimits(webMercator, { minX: -10, minY: -89, maxX: 10, maxY: -86 }, 'OGC:CRS84')).to.deep.equal([]);
  });

  it('an edge exactly on a tile boundary does not pull in the neighbour', () => {
    // 0°..90°E, 0°..66.51°N is exactly tile z=2 (row 1, col 2) in lon; its top is row 1's top.
    const top = (Math.atan(Math.sinh(Math.PI / 2)) * 180) / Math.PI;
    const limits = tileMatrixSetLimits(webMercator, { minX: 0, minY: 0, maxX: 90, maxY: top }, 'OGC:CRS84', { minZoom: 2, maxZoom: 3 });
    expect(limits).to.deep.equal([
      { tileMatrix: '2', minTileRow: 1, maxTileRow: 1, minTileCol: 2, maxTileCol: 2 },
      { tileMatrix: '3', minTileRow: 2, maxTileRow: 3, minTileCol: 4, maxTileCol: 5 },
    ]);
  });

  describe('antimeridian', () => {
    // RFC 7946 box from 170°E to 170°W.
    const crossing: Bounds = { minX: 170, minY: -20, maxX: -170, maxY: 10 };

    it('WebMercatorQuad: two column ranges per matrix once they separate, merged while they touch', () => {
      const limits = tileMatrixSetLimits(webMercator, crossing, 'OGC:CRS84', { maxZoom: 5 });
      const byMatrix = (id: string) => limits.filter((l) => l.tileMatrix === id);
      expect(byMatrix('0')).to.deep.equal([{ tileMatrix: '0', minTileRow: 0, maxTileRow: 0, minTileCol: 0, maxTileCol: 0 }]);
      expect(byMatrix('1')).to.deep.equal([{ tileMatrix: '1', minTileRow: 0, maxTileRow: 1, minTileCol: 0, maxTileCol: 1 }]);
      for (const z of [3, 4, 5]) {
        const west = tilebeltLimits({ minX: -180, minY: crossing.minY, maxX: crossing.maxX, maxY: crossing.maxY }, z);
        const east = tilebeltLimits({ minX: crossing.minX, minY: crossing.minY, maxX: 179.999999, maxY: crossing.maxY }, z);
        expect(byMatrix(String(z)), `z=${z}`).to.deep.equal([west, east]);
      }
      expect(mergeTileMatrixSetLimits(byMatrix('5'))).to.deep.equal([{ tileMatrix: '5', minTileRow: 15, maxTileRow: 17, minTileCol: 0, maxTileCol: 31 }]);
    });

    it('the same box written with maxX > 180 gives the same limits', () => {
      const a = tileMatrixSetLimits(webMercator, crossing, 'OGC:CRS84', { maxZoom: 8 });
      const b = tileMatrixSetLimits(webMercator, { ...crossing, maxX: 190 }, 'OGC:CRS84', { maxZoom: 8 });
      expect(b).to.deep.equal(a);
    });

    it('WorldCRS84Quad: split columns at the antimeridian', () => {
      const limits = tileMatrixSetLimits(registry.get('WorldCRS84Quad'), crossing, 'OGC:CRS84', { minZoom: 4, maxZoom: 4 });
      // Level 4: 32 × 16 tiles of 11.25°.
      expect(limits).to.deep.equal([
        { tileMatrix: '4', minTileRow: 7, maxTileRow: 9, minTileCol: 0, maxTileCol: 0 },
        { tileMatrix: '4', minTileRow: 7, maxTileRow: 9, minTileCol: 31, maxTileCol: 31 },
      ]);
    });

    // cog_dateline.tif: EPSG:32660, 570585..803115 E, 5612085..5847615 N
    // (gdalinfo: 177°59'55"E..178°30'50"W, 50°35'N..52°46'N).
    const dateline: Bounds = { minX: 570585, minY: 5612085, maxX: 803115, maxY: 5847615 };

    it('a UTM 60N footprint straddling 180° splits in WebMercatorQuad, and matches a dense sampling', () => {
      const limits = tileMatrixSetLimits(webMercator, dateline, 'EPSG:32660', { minZoom: 4, maxZoom: 14 });
      for (let z = 4; z <= 14; z++) {
        const ours = limits.filter((l) => l.tileMatrix === String(z));
        expect(ours, `z=${z}`).to.have.length(2);
        const [west, east] = ours as [TileMatrixSetLimits, TileMatrixSetLimits];
        expect(west.minTileCol, 'west part starts at col 0').to.equal(0);
        expect(east.maxTileCol, 'east part ends at the last col').to.equal(2 ** z - 1);
        const sampled = sampledLimits(dateline, 'EPSG:32660', z);
        expect([west.minTileRow, west.maxTileRow], `rows z=${z}`).to.deep.equal([sampled.minTileRow, sampled.maxTileRow]);
        // Sampled columns run 0..k (west of 180°) and m..2^z−1 (east of it).
        const toLonLat = getTransformer(getCrs('EPSG:32660'), getCrs('OGC:CRS84'));
        const [westLon] = toLonLat.forward(dateline.minX, dateline.minY);
        const [eastLon] = toLonLat.forward(dateline.maxX, dateline.maxY);
        expect(east.minTileCol).to.equal(pointToTile(westLon!, 51, z)[0]);
        expect(west.maxTileCol).to.equal(pointToTile(eastLon!, 51, z)[0]);
      }
    });

    it('the same footprint in WorldCRS84Quad', () => {
      const limits = tileMatrixSetLimits(registry.get('WorldCRS84Quad'), dateline, 'EPSG:32660', { minZoom: 6, maxZoom: 6 });
      // Level 6: 128 × 64 tiles of 2.8125°: 177.998°E is col ⌊357.998/2.8125⌋ = 127, 178.514°W is
      // col ⌊1.486/2.8125⌋ = 0; 52.77°N..50.58°N are rows ⌊37.23/2.8125⌋ = 13 ..⌊39.42/2.8125⌋ = 14.
      expect(limits).to.deep.equal([
        { tileMatrix: '6', minTileRow: 13, maxTileRow: 14, minTileCol: 0, maxTileCol: 0 },
        { tileMatrix: '6', minTileRow: 13, maxTileRow: 14, minTileCol: 127, maxTileCol: 127 },
      ]);
    });
  });

  describe('projected footprints', () => {
    // TCI.tif-like Sentinel-2 granule in UTM 31N (a 109.8 km square).
    const utm31: Bounds = { minX: 399960, minY: 4890240, maxX: 509760, maxY: 5000040 };

    it('a UTM 31N footprint projected into WebMercatorQuad matches a dense sampling (z=0..16)', () => {
      const limits = tileMatrixSetLimits(webMercator, utm31, 'EPSG:32631', { maxZoom: 16 });
      expect(limits).to.have.length(17);
      limits.forEach((l, z) => expect(l, `z=${z}`).to.deep.equal(sampledLimits(utm31, 'EPSG:32631', z)));
    });

    it('the same footprint in its own UTM set is just its tile range', () => {
      const limits = tileMatrixSetLimits(registry.get('UTM31WGS84Quad'), utm31, 'EPSG:32631', { minZoom: 8, maxZoom: 8 });
      // Level 8: tile span 2Q/128 = 156 281.0 m from (500 000 − Q, 2Q).
      const q = 10001965.729312722;
      const span = (2 * q) / 128;
      expect(limits).to.deep.equal([{
        tileMatrix: '8',
        minTileRow: Math.floor((2 * q - utm31.maxY) / span), maxTileRow: Math.floor((2 * q - utm31.minY) / span),
        minTileCol: Math.floor((utm31.minX - 500000 + q) / span), maxTileCol: Math.floor((utm31.maxX - 500000 + q) / span),
      }]);
    });

    // image_171px.tif: EPSG:32707, 600000..709760 E, 6990260..7100020 N (gdalinfo).
    const south: Bounds = { minX: 600000, minY: 6990260, maxX: 709760, maxY: 7100020 };

    it('a southern UTM footprint in its southern twin has the rows of the northern set', () => {
      const twin = tileMatrixSetLimits(registry.get('UTM07SWGS84Quad'), south, 'EPSG:32707', { minZoom: 10, maxZoom: 12 });
      const north = tileMatrixSetLimits(registry.get('UTM07WGS84Quad'), south, 'EPSG:32707', { minZoom: 10, maxZoom: 12 });
      expect(twin).to.have.length(3);
      expect(twin.map((l) => ({ ...l }))).to.deep.equal(north);
      for (const l of twin) for (const t of tilesInLimits(registry.get('UTM07SWGS84Quad'), l)) expect(isValidTile(registry.get('UTM07SWGS84Quad'), t)).to.equal(true);
      // The centre (139°26'35"W, 26°42'23"S) is inside.
      const centre = tileForLonLat(registry.get('UTM07SWGS84Quad'), '12', -139.443, -26.706)!;
      expect(centre.row).to.be.within(twin[2]!.minTileRow, twin[2]!.maxTileRow);
      expect(centre.col).to.be.within(twin[2]!.minTileCol, twin[2]!.maxTileCol);
    });

    it('a southern UTM footprint in WebMercatorQuad matches a dense sampling', () => {
      const limits = tileMatrixSetLimits(webMercator, south, 'EPSG:32707', { maxZoom: 15 });
      limits.forEach((l, z) => expect(l, `z=${z}`).to.deep.equal(sampledLimits(south, 'EPSG:32707', z)));
    });

    // bremen_sea_ice_conc_2022_9_9.tif: EPSG:3031, −3 950 000..3 950 000 E, −3 943 750..4 350 000 N:
    // the South Pole (0, 0) is inside.
    const antarctic: Bounds = { minX: -3950000, minY: -3943750, maxX: 3950000, maxY: 4350000 };

    it('a footprint around the South Pole covers every column and reaches the bottom row', () => {
      for (const [id, z] of [['WebMercatorQuad', 4], ['WorldCRS84Quad', 3]] as const) {
        const tms = registry.get(id);
        const [l] = tileMatrixSetLimits(tms, antarctic, 'EPSG:3031', { minZoom: z, maxZoom: z });
        const m = tms.tileMatrices.find((t) => t.id === String(z))!;
        expect(l!.minTileCol, id).to.equal(0);
        expect(l!.maxTileCol, id).to.equal(m.matrixWidth - 1);
        expect(l!.maxTileRow, id).to.equal(m.matrixHeight - 1);
        // The footprint's northern edge reaches ~39°S: rows north of it are excluded.
        expect(l!.minTileRow, id).to.be.greaterThan(m.matrixHeight / 2);
      }
    });

    it('the same footprint in UPSAntarcticWGS84Quad is a box around the pole', () => {
      const tms = registry.get('UPSAntarcticWGS84Quad');
      const [l] = tileMatrixSetLimits(tms, antarctic, 'EPSG:3031', { minZoom: 3, maxZoom: 3 });
      const pole = tileForLonLat(tms, '3', 0, -90)!;
      expect(pole.row).to.be.within(l!.minTileRow, l!.maxTileRow);
      expect(pole.col).to.be.within(l!.minTileCol, l!.maxTileCol);
      expect(l!.maxTileCol - l!.minTileCol).to.be.lessThan(4);
    });
  });
});
