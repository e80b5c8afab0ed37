/**
 * The built-in tile matrix sets, generated from their defining formulas (OGC 17-083r4
 * Annex D "Common TileMatrixSet definitions" and the OGC TMS register), at full double
 * precision. The registry's JSON files store ~15 significant digits (some far fewer, e.g.
 * UPS cell sizes at level 24 have 7), so copying them would lose precision that WMTS
 * capabilities and tile bounds need.
 *
 * Everything here is a function: building happens when a registry is created, not on import.
 */
import type { AxisOrder } from '../crs/index.js';
import { toCrsAxisOrder } from './axes.js';
import { polarStereographicRadius, quarterMeridian, WGS84_SEMI_MAJOR_AXIS } from './geodesy.js';
import type { CornerOfOrigin, TileMatrix, TileMatrixSet, VariableMatrixWidth } from './model.js';
import { METRES_PER_DEGREE, scaleDenominatorForCellSize } from './scale.js';

const OGC_TMS = 'http://www.opengis.net/def/tilematrixset/OGC/1.0/';
const OGC_WKSS = 'http://www.opengis.net/def/wkss/OGC/1.0/';
const epsg = (code: number): string => `http://www.opengis.net/def/crs/EPSG/0/${code}`;

interface GridSpec {
  /** Top-left corner in engine order (x = east, y = north). */
  readonly originX: number;
  readonly originY: number;
  readonly axisOrder: AxisOrder;
  readonly metresPerUnit: number;
  readonly cornerOfOrigin?: CornerOfOrigin;
}

interface QuadSpec extends GridSpec {
  /** Cell size of the first matrix, in CRS units. */
  readonly cellSize0: number;
  /** Tiles across and down in the first matrix; each following matrix doubles both. */
  readonly matrixWidth0: number;
  readonly matrixHeight0: number;
  readonly tileSize: number;
  /** Identifier (an integer) of the first matrix: 0, or 1 for the UTM sets. */
  readonly firstId: number;
  readonly count: number;
  readonly variableWidths?: (level: number, matrixHeight: number) => VariableMatrixWidth[];
}

function matrix(spec: GridSpec, id: string, cellSize: number, tileWidth: number, tileHeight: number,
  matrixWidth: number, matrixHeight: number, variableMatrixWidths?: VariableMatrixWidth[]): TileMatrix {
  return {
    id,
    scaleDenominator: scaleDenominatorForCellSize(cellSize, spec.metresPerUnit),
    cellSize,
    ...(spec.cornerOfOrigin ? { cornerOfOrigin: spec.cornerOfOrigin } : {}),
    pointOfOrigin: toCrsAxisOrder(spec.originX, spec.originY, spec.axisOrder),
    tileWidth,
    tileHeight,
    matrixWidth,
    matrixHeight,
    ...(variableMatrixWidths && variableMatrixWidths.length > 0 ? { variableMatrixWidths } : {}),
  };
}

/** A quadtree: each matrix halves the cell size and doubles the matrix in both directions. */
function quadMatrices(spec: QuadSpec): TileMatrix[] {
  const out: TileMatrix[] = [];
  for (let level = 0; level < spec.count; level++) {
    const scale = 2 ** level;
    const matrixHeight = spec.matrixHeight0 * scale;
    out.push(matrix(spec, String(spec.firstId + level), spec.cellSize0 / scale, spec.tileSize, spec.tileSize,
      spec.matrixWidth0 * scale, matrixHeight, spec.variableWidths?.(level, matrixHeight)));
  }
  return out;
}

/**
 * WebMercatorQuad (Annex D.1): EPSG:3857 on the sphere of radius a = 6 378 137 m; the square
 * ±π·a in both axes is one 256-pixel tile at level 0 (cellSize 2π·a/256 = 156 543.03 m).
 */
export function webMercatorQuad(): TileMatrixSet {
  const half = Math.PI * WGS84_SEMI_MAJOR_AXIS;
  return {
    id: 'WebMercatorQuad',
    title: 'Google Maps Compatible for the World',
    uri: `${OGC_TMS}WebMercatorQuad`,
    crs: epsg(3857),
    orderedAxes: ['X', 'Y'],
    wellKnownScaleSet: `${OGC_WKSS}GoogleMapsCompatible`,
    tileMatrices: quadMatrices({
      originX: -half, originY: half, axisOrder: 'xy', metresPerUnit: 1,
      cellSize0: (2 * half) / 256, matrixWidth0: 1, matrixHeight0: 1, tileSize: 256, firstId: 0, count: 25,
    }),
  };
}

/**
 * WorldMercatorWGS84Quad (Annex D.3): the ellipsoidal World Mercator EPSG:3395 with the same
 * numbers as WebMercatorQuad (x = a·λ on the equator), so it reaches ±85.084° instead of ±85.051°.
 */
export function worldMercatorWgs84Quad(): TileMatrixSet {
  const half = Math.PI * WGS84_SEMI_MAJOR_AXIS;
  return {
    id: 'WorldMercatorWGS84Quad',
    title: 'World Mercator WGS84 (ellipsoid)',
    uri: `${OGC_TMS}WorldMercatorWGS84Quad`,
    crs: epsg(3395),
    orderedAxes: ['E', 'N'],
    wellKnownScaleSet: `${OGC_WKSS}WorldMercatorWGS84`,
    tileMatrices: quadMatrices({
      originX: -half, originY: half, axisOrder: 'xy', metresPerUnit: 1,
      cellSize0: (2 * half) / 256, matrixWidth0: 1, matrixHeight0: 1, tileSize: 256, firstId: 0, count: 25,
    }),
  };
}

/**
 * WorldCRS84Quad (Annex D.2): plate carrée in OGC:CRS84 (lon, lat order); level 0 is two
 * 256-pixel tiles of 180° (cellSize 180/256 = 0.703125°).
 */
export function worldCrs84Quad(): TileMatrixSet {
  return {
    id: 'WorldCRS84Quad',
    title: 'CRS84 for the World',
    uri: `${OGC_TMS}WorldCRS84Quad`,
    crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84',
    orderedAxes: ['Lon', 'Lat'],
    wellKnownScaleSet: `${OGC_WKSS}GoogleCRS84Quad`,
    tileMatrices: quadMatrices({
      originX: -180, originY: 90, axisOrder: 'xy', metresPerUnit: METRES_PER_DEGREE,
      cellSize0: 180 / 256, matrixWidth0: 2, matrixHeight0: 1, tileSize: 256, firstId: 0, count: 24,
    }),
  };
}

export type Hemisphere = 'north' | 'south';

/**
 * UTM##WGS84Quad (Annex D.4), zone 1..60, on EPSG:326## (north, registered) or EPSG:327##
 * (south, a Tilewright twin named UTM##SWGS84Quad).
 *
 * Northern sets: with Q the WGS 84 quarter meridian (`quarterMeridian()`), the top-left corner
 * is (500 000 − Q, 2Q) and level "1" is 1 × 2 tiles of 2Q (cellSize 2Q/256 = 78 140.357 m),
 * i.e. northings −2Q..2Q and eastings 500 000 ± Q, about 65° either side of the central
 * meridian. Identifiers start at "1".
 *
 * Southern twins: EPSG:327## is EPSG:326## with a false northing of 10 000 000 m and nothing
 * else changed, so N(327##) = N(326##) + 10 000 000 exactly. Shifting the origin by the same
 * amount, (500 000 − Q, 2Q + 10 000 000), gives the very same grid on the ground: every tile
 * has the same row, column, footprint and pixels as in the northern set. Data stored in a
 * southern UTM CRS (most Sentinel-2 and Landsat scenes south of the equator) can then be
 * served without reprojection, only a translation.
 */
export function utmWgs84Quad(zone: number, hemisphere: Hemisphere = 'north'): TileMatrixSet {
  if (!Number.isInteger(zone) || zone < 1 || zone > 60) throw new RangeError(`UTM zone must be 1..60, got ${zone}`);
  const zz = String(zone).padStart(2, '0');
  const q = quarterMeridian();
  const south = hemisphere === 'south';
  const matrices = quadMatrices({
    originX: 500000 - q, originY: 2 * q + (south ? 10000000 : 0), axisOrder: 'xy', metresPerUnit: 1,
    cellSize0: (2 * q) / 256, matrixWidth0: 1, matrixHeight0: 2, tileSize: 256, firstId: 1, count: 24,
  });
  if (!south) {
    return {
      id: `UTM${zz}WGS84Quad`,
      title: `Universal Transverse Mercator Zone ${zz} WGS84 Quad`,
      uri: `${OGC_TMS}UTM${zz}WGS84Quad`,
      crs: epsg(32600 + zone),
      orderedAxes: ['E', 'N'],
      tileMatrices: matrices,
    };
  }
  return {
    id: `UTM${zz}SWGS84Quad`,
    title: `Universal Transverse Mercator Zone ${zz} South WGS84 Quad`,
    description: `Not in the OGC register: the grid of UTM${zz}WGS84Quad expressed in EPSG:${32700 + zone} `
      + '(origin northing + 10 000 000 m, the southern false northing); tiles are identical on the ground.',
    crs: epsg(32700 + zone),
    orderedAxes: ['E', 'N'],
    tileMatrices: matrices,
  };
}

export type Pole = 'arctic' | 'antarctic';

/**
 * UPSArcticWGS84Quad / UPSAntarcticWGS84Quad (Annex D.5, D.6) on EPSG:5041 / EPSG:5042
 * (UPS North/South, E,N axes, k0 = 0.994, pole at (2 000 000, 2 000 000)). Level 0 is one
 * tile reaching 15° into the opposite hemisphere: half-width ρ(−15°) = 16 440 759.350 252 m
 * (`polarStereographicRadius`), so the corner is (2 000 000 − ρ, 2 000 000 + ρ) and
 * cellSize0 = 2ρ/256 = 128 443.432 4 m. The Antarctic set is the same grid in the south CRS.
 */
export function upsWgs84Quad(pole: Pole): TileMatrixSet {
  const rho = polarStereographicRadius(-15, 0.994);
  const arctic = pole === 'arctic';
  return {
    id: arctic ? 'UPSArcticWGS84Quad' : 'UPSAntarcticWGS84Quad',
    title: `Universal Polar Stereographic WGS 84 Quad for ${arctic ? 'Arctic' : 'Antarctic'}`,
    uri: `${OGC_TMS}${arctic ? 'UPSArcticWGS84Quad' : 'UPSAntarcticWGS84Quad'}`,
    crs: epsg(arctic ? 5041 : 5042),
    orderedAxes: ['E', 'N'],
    tileMatrices: quadMatrices({
      originX: 2000000 - rho, originY: 2000000 + rho, axisOrder: 'xy', metresPerUnit: 1,
      cellSize0: (2 * rho) / 256, matrixWidth0: 1, matrixHeight0: 1, tileSize: 256, firstId: 0, count: 25,
    }),
  };
}

/**
 * EuropeanETRS89_LAEAQuad (Annex D.7) on EPSG:3035, whose axes are northing first (Y, X):
 * the square E 2 000 000..6 500 000, N 1 000 000..5 500 000 is one tile at level 0
 * (cellSize 4 500 000/256 = 17 578.125 m); pointOfOrigin is therefore (N 5 500 000, E 2 000 000).
 */
export function europeanEtrs89LaeaQuad(): TileMatrixSet {
  return {
    id: 'EuropeanETRS89_LAEAQuad',
    title: 'Lambert Azimuthal Equal Area ETRS89 for Europe',
    uri: `${OGC_TMS}EuropeanETRS89_LAEAQuad`,
    crs: epsg(3035),
    orderedAxes: ['Y', 'X'],
    tileMatrices: quadMatrices({
      originX: 2000000, originY: 5500000, axisOrder: 'yx', metresPerUnit: 1,
      cellSize0: 4500000 / 256, matrixWidth0: 1, matrixHeight0: 1, tileSize: 256, firstId: 0, count: 16,
    }),
  };
}

/**
 * NRCan's cartographic scale series behind CanadianNAD83_LCC (Annex D.8): World, Atlas,
 * NTDB 250K/50K and GeoBase products. It repeats a 13-step cycle per factor 1000
 * (145, 85, 50, 30, 17.5, 10, 6, 3.5, 2, 1.2, 0.7, 0.42, 0.25 — roughly ×0.6 per step), so it
 * is not a quadtree and cannot be derived from a single ratio: it is listed.
 */
const CANADA_SCALE_CYCLE = [145000000, 85000000, 50000000, 30000000, 17500000, 10000000, 6000000, 3500000,
  2000000, 1200000, 700000, 420000, 250000] as const;

/** Annex D.8 bounding box of CanadianNAD83_LCC in EPSG:3978 (E, N), metres. */
const CANADA_BBOX = { minX: -7786476.885838887, minY: -5153821.09213678, maxX: 7148753.233541353, maxY: 7928343.534071138 };

/**
 * CanadianNAD83_LCC (Annex D.8) on EPSG:3978. Two things differ from the other sets, both
 * kept because they are the registered definition:
 * - the scale denominators are the nominal product scales (145 000 000 …) and the cell size
 *   is derived from them at 96 dpi with the US survey inch (1 m = 39.37 in), the ArcGIS
 *   convention NRCan's services use: cellSize = scaleDenominator / (96 × 39.37). So
 *   scaleDenominator is not cellSize/0.28 mm here (it is 1.0583 times larger);
 * - the corner (−34 655 800, 39 310 000) lies far outside Canada and the matrix sizes are
 *   the number of tiles from that corner needed to cover the Annex D bounding box:
 *   matrixWidth = ⌈(maxX − x0)/(256·cellSize)⌉, matrixHeight = ⌈(y0 − minY)/(256·cellSize)⌉.
 */
export function canadianNad83Lcc(): TileMatrixSet {
  const originX = -34655800;
  const originY = 39310000;
  const scales = [...CANADA_SCALE_CYCLE, ...CANADA_SCALE_CYCLE.map((s) => s / 1000)];
  return {
    id: 'CanadianNAD83_LCC',
    title: 'Lambert conformal conic NAD83 for Canada',
    uri: `${OGC_TMS}CanadianNAD83_LCC`,
    crs: epsg(3978),
    orderedAxes: ['E', 'N'],
    tileMatrices: scales.map((scaleDenominator, level): TileMatrix => {
      const cellSize = scaleDenominator / (96 * 39.37);
      const span = 256 * cellSize;
      return {
        id: String(level),
        scaleDenominator,
        cellSize,
        pointOfOrigin: [originX, originY],
        tileWidth: 256,
        tileHeight: 256,
        matrixWidth: Math.ceil((CANADA_BBOX.maxX - originX) / span),
        matrixHeight: Math.ceil((originY - CANADA_BBOX.minY) / span),
      };
    }),
  };
}

/**
 * Mirror rows of the northern hemisphere into the southern one: a band of rows `min..max`
 * counted from the top corresponds to `H−1−max..H−1−min`. Output is sorted by row, as the
 * register lists them.
 */
function mirrored(north: VariableMatrixWidth[], matrixHeight: number): VariableMatrixWidth[] {
  const south = north.map((v) => ({ coalesce: v.coalesce, minTileRow: matrixHeight - 1 - v.maxTileRow, maxTileRow: matrixHeight - 1 - v.minTileRow }));
  return [...north, ...south.reverse()];
}

/**
 * GNOSISGlobalGrid (OGC register; Ecere's GNOSIS global grid): EPSG:4326 (lat, lon), level 0
 * is 4 × 2 tiles of 90° (cellSize 90/256), a quadtree to level 28, with variable widths so
 * that every row touching a pole has 4 tiles. At level z (matrixHeight 2^(z+1)) the northern
 * hemisphere coalesces
 *   row 0:                      2^z tiles into one,
 *   rows 2^(k−1) .. 2^k − 1:    2^(z−k) tiles into one, for k = 1 .. z−1,
 * (so a row's tile count doubles each time the distance to the pole doubles), mirrored south.
 */
export function gnosisGlobalGrid(): TileMatrixSet {
  return {
    id: 'GNOSISGlobalGrid',
    title: 'GNOSIS Global Grid',
    uri: `${OGC_TMS}GNOSISGlobalGrid`,
    crs: epsg(4326),
    orderedAxes: ['Lat', 'Lon'],
    wellKnownScaleSet: `${OGC_WKSS}GoogleCRS84Quad`,
    tileMatrices: quadMatrices({
      originX: -180, originY: 90, axisOrder: 'yx', metresPerUnit: METRES_PER_DEGREE, cornerOfOrigin: 'topLeft',
      cellSize0: 90 / 256, matrixWidth0: 4, matrixHeight0: 2, tileSize: 256, firstId: 0, count: 29,
      variableWidths: (z, matrixHeight) => {
        const north: VariableMatrixWidth[] = [];
        for (let k = 0; k < z; k++) {
          north.push({ coalesce: 2 ** (z - k), minTileRow: k === 0 ? 0 : 2 ** (k - 1), maxTileRow: 2 ** k - 1 });
        }
        return mirrored(north, matrixHeight);
      },
    }),
  };
}

/**
 * OGC CDB 1.x latitude zones (CDB Core, OGC 15-113, the zone table of its tiling scheme):
 * poleward of 50° a tile spans 2, 3, 4, 6 and finally 12 degrees of longitude.
 */
const CDB_ZONES = [
  { coalesce: 12, fromLat: 89, toLat: 90 },
  { coalesce: 6, fromLat: 80, toLat: 89 },
  { coalesce: 4, fromLat: 75, toLat: 80 },
  { coalesce: 3, fromLat: 70, toLat: 75 },
  { coalesce: 2, fromLat: 50, toLat: 70 },
] as const;

/**
 * CDB1GlobalGrid (OGC register): EPSG:4326 (lat, lon) in 1° tiles at levels −10..0, where
 * only the pixel count grows (tileWidth = 2^(10+L): 1 pixel at −10, 1024 at 0), then a
 * quadtree of 1024-pixel tiles to level 21. cellSize = 2^−(L+10) degrees at every level.
 * Rows per degree are 2^max(L,0); the CDB zones above give the coalesced row bands.
 */
export function cdb1GlobalGrid(): TileMatrixSet {
  const spec: GridSpec = { originX: -180, originY: 90, axisOrder: 'yx', metresPerUnit: METRES_PER_DEGREE, cornerOfOrigin: 'topLeft' };
  const tileMatrices: TileMatrix[] = [];
  for (let level = -10; level <= 21; level++) {
    const perDegree = 2 ** Math.max(level, 0);
    const tileSize = level < 0 ? 2 ** (10 + level) : 1024;
    const matrixHeight = 180 * perDegree;
    const north = CDB_ZONES.map((zone) => ({
      coalesce: zone.coalesce,
      minTileRow: (90 - zone.toLat) * perDegree,
      maxTileRow: (90 - zone.fromLat) * perDegree - 1,
    }));
    tileMatrices.push(matrix(spec, String(level), 2 ** -(level + 10), tileSize, tileSize, 360 * perDegree, matrixHeight,
      mirrored(north, matrixHeight)));
  }
  return {
    id: 'CDB1GlobalGrid',
    title: 'CDB 1 Global Grid',
    uri: `${OGC_TMS}CDB1GlobalGrid`,
    crs: epsg(4326),
    orderedAxes: ['Lat', 'Lon'],
    tileMatrices,
  };
}

/** Every built-in set, registered ones first in register order, then the southern UTM twins. */
export function builtInTileMatrixSets(): TileMatrixSet[] {
  const zones = Array.from({ length: 60 }, (_, i) => i + 1);
  return [
    webMercatorQuad(),
    worldCrs84Quad(),
    worldMercatorWgs84Quad(),
    europeanEtrs89LaeaQuad(),
    canadianNad83Lcc(),
    upsWgs84Quad('arctic'),
    upsWgs84Quad('antarctic'),
    cdb1GlobalGrid(),
    gnosisGlobalGrid(),
    ...zones.map((z) => utmWgs84Quad(z, 'north')),
    ...zones.map((z) => utmWgs84Quad(z, 'south')),
  ];
}
