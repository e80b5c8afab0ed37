/**
 * Every built-in set, generated from formulas, against the registered OGC definition in
 * ../shared/tilematrixsets (the OGC TMS register, opengeospatial/2D-Tile-Matrix-Set).
 */
import { expect } from 'chai';
import {
  createDefaultRegistry, isValidTile, tileCrsBounds, tileForLonLat, type TileMatrix, type TileMatrixSet,
} from '../../src/tilematrixsets/index.js';
import { closeToOfficial, officialIds, readOfficial, type OfficialMatrix, type OfficialSet } from './official.js';

const registry = createDefaultRegistry();
const ids = officialIds();
let checkedByDigits = 0;

function expectClose(actual: number, official: number, what: string): void {
  const r = closeToOfficial(actual, official);
  expect(r.ok, `${what}: ${actual} vs registered ${official} (tolerance ${r.tolerance})`).to.equal(true);
  if (r.byDigits && Math.abs(actual - official) > 1e-9 * Math.abs(official)) checkedByDigits++;
}

function compareMatrix(ours: TileMatrix, official: OfficialMatrix, where: string): void {
  expect(Object.keys(ours).sort(), `${where} members`).to.deep.equal(Object.keys(official).sort());
  expect(ours.id).to.equal(official.id);
  expectClose(ours.scaleDenominator, official.scaleDenominator, `${where}.scaleDenominator`);
  expectClose(ours.cellSize, official.cellSize, `${where}.cellSize`);
  expect(ours.cornerOfOrigin ?? 'topLeft', `${where}.cornerOfOrigin`).to.equal(official.cornerOfOrigin ?? 'topLeft');
  // The register stores pointOfOrigin with ~15 significant digits (e.g. -9501965.72931276):
  // 1e-6 absolute is the precision of those numbers, not of ours.
  expect(ours.pointOfOrigin[0], `${where}.pointOfOrigin[0]`).to.be.closeTo(official.pointOfOrigin[0], 1e-6);
  expect(ours.pointOfOrigin[1], `${where}.pointOfOrigin[1]`).to.be.closeTo(official.pointOfOrigin[1], 1e-6);
  expect([ours.tileWidth, ours.tileHeight, ours.matrixWidth, ours.matrixHeight], `${where} sizes`)
    .to.deep.equal([official.tileWidth, official.tileHeight, official.matrixWidth, official.matrixHeight]);
  expect(ours.variableMatrixWidths ?? [], `${where}.variableMatrixWidths`).to.deep.equal(official.variableMatrixWidths ?? []);
}

function compareSet(ours: TileMatrixSet, official: OfficialSet): void {
  expect(Object.keys(ours).sort(), 'top-level members').to.deep.equal(Object.keys(official).sort());
  expect(ours.id).to.equal(official.id);
  expect(ours.title).to.equal(official.title);
  expect(ours.uri).to.equal(official.uri);
  expect(ours.crs).to.equal(official.crs);
  expect(ours.orderedAxes).to.deep.equal(official.orderedAxes);
  expect(ours.wellKnownScaleSet).to.equal(official.wellKnownScaleSet);
  expect(ours.tileMatrices.length, 'number of tile matrices').to.equal(official.tileMatrices.length);
  official.tileMatrices.forEach((m, i) => compareMatrix(ours.tileMatrices[i]!, m, `${official.id} tileMatrices[${i}] (id ${m.id})`));
}

describe('tilematrixsets: built-in sets equal the registered OGC definitions', () => {
  it('finds the 69 registered definitions', () => {
    expect(ids).to.have.length(69);
  });

  for (const id of ids) {
    it(`${id}`, () => compareSet(registry.get(id), readOfficial(id)));
  }

  it('needed the stored-digits tolerance only where the register stores few digits', () => {
    // UPS cell sizes (10 digits at level 0, 7 at level 24), CDB1GlobalGrid / GNOSISGlobalGrid
    // finest levels (4-5 digits, e.g. 9.313e-10). Everything else agrees to 1e-9 relative.
    expect(checkedByDigits).to.be.greaterThan(0);
  });

  it('holds exactly the registered sets plus the 60 southern UTM twins', () => {
    const listed = registry.list().map((t) => t.id);
    const twins = Array.from({ length: 60 }, (_, i) => `UTM${String(i + 1).padStart(2, '0')}SWGS84Quad`);
    expect([...listed].sort()).to.deep.equal([...ids, ...twins].sort());
  });
});

describe('tilematrixsets: southern UTM twins', () => {
  const zones = Array.from({ length: 60 }, (_, i) => i + 1);

  for (const zone of zones) {
    const zz = String(zone).padStart(2, '0');
    it(`UTM${zz}SWGS84Quad is UTM${zz}WGS84Quad shifted by the 10 000 000 m false northing`, () => {
      const south = registry.get(`UTM${zz}SWGS84Quad`);
      // Independent derivation: the registered northern definition, read from its file.
      const north = readOfficial(`UTM${zz}WGS84Quad`);
      expect(south.crs).to.equal(`http://www.opengis.net/def/crs/EPSG/0/${32700 + zone}`);
      expect(south.orderedAxes).to.deep.equal(['E', 'N']);
      expect(south.uri, 'not in the OGC register').to.equal(undefined);
      expect(south.tileMatrices.map((m) => m.id)).to.deep.equal(north.tileMatrices.map((m) => m.id));
      south.tileMatrices.forEach((m, i) => {
        const n = north.tileMatrices[i]!;
        expect(closeToOfficial(m.cellSize, n.cellSize).ok, `cellSize ${m.id}`).to.equal(true);
        expect(closeToOfficial(m.scaleDenominator, n.scaleDenominator).ok, `scaleDenominator ${m.id}`).to.equal(true);
        expect(m.pointOfOrigin[0]).to.be.closeTo(n.pointOfOrigin[0], 1e-6);
        expect(m.pointOfOrigin[1]).to.be.closeTo(n.pointOfOrigin[1] + 10_000_000, 1e-6);
        expect([m.tileWidth, m.tileHeight, m.matrixWidth, m.matrixHeight]).to.deep.equal([n.tileWidth, n.tileHeight, n.matrixWidth, n.matrixHeight]);
      });
    });
  }

  // Points in the southern hemisphere, on each zone's central meridian and 2° off it.
  const cases = zones.flatMap((zone) => {
    const cm = -183 + 6 * zone;
    return [{ zone, lon: cm, lat: -33.9 }, { zone, lon: cm + 2, lat: -71.3 }, { zone, lon: cm - 2.5, lat: -0.5 }];
  });
  for (const { zone, lon, lat } of cases) {
    const zz = String(zone).padStart(2, '0');
    it(`a point at ${lon}°, ${lat}° lands in the same valid tile of UTM${zz}SWGS84Quad and UTM${zz}WGS84Quad`, () => {
      const south = registry.get(`UTM${zz}SWGS84Quad`);
      const north = registry.get(`UTM${zz}WGS84Quad`);
      for (const level of ['1', '5', '12', '18', '24']) {
        const a = tileForLonLat(south, level, lon, lat);
        const b = tileForLonLat(north, level, lon, lat);
        expect(a, `level ${level}`).to.not.equal(undefined);
        expect(isValidTile(south, a!)).to.equal(true);
        expect(a).to.deep.equal(b);
        const sb = tileCrsBounds(south, a!);
        const nb = tileCrsBounds(north, b!);
        expect(sb.minX).to.equal(nb.minX);
        expect(sb.minY).to.be.closeTo(nb.minY + 10_000_000, 1e-6);
        expect(sb.maxY).to.be.closeTo(nb.maxY + 10_000_000, 1e-6);
      }
    });
  }
});
