/**
 * Axis order of a tile matrix set: the one place where CRS axis order (what TMS 2.0
 * `pointOfOrigin`/`boundingBox` and WMTS `TopLeftCorner` use) meets engine order
 * (x = east/longitude, y = north/latitude).
 *
 * Why not trust `Crs.axisOrder` alone: EPSG:3035 (EuropeanETRS89_LAEAQuad) is projected yet
 * northing-first, so its `orderedAxes` is `["Y","X"]` and its pointOfOrigin is
 * `[5500000, 2000000]` (N, E). The set's own `orderedAxes` says what its numbers mean, so it
 * wins; the CRS's default order is only the fallback when a document omits `orderedAxes`.
 */
import { getCrs, type AxisOrder, type Crs } from '../crs/index.js';
import type { CrsAxisOrderPoint, CrsReference, TileMatrixSet } from './model.js';

export type AxisDirection = 'east' | 'north';

const EAST = new Set(['e', 'x', 'lon', 'long', 'longitude', 'easting', 'east', 'lng']);
const NORTH = new Set(['n', 'y', 'lat', 'latitude', 'northing', 'north']);

/**
 * Direction of an `orderedAxes` entry. TMS 2.0 gives no vocabulary; the registered sets use
 * EPSG axis abbreviations (`E`,`N`,`X`,`Y`,`Lat`,`Lon`), where `X` is easting and `Y`
 * northing (EPSG:3857 `X,Y`; EPSG:3035 `Y,X`). Case-insensitive; `undefined` when unknown.
 */
export function axisDirection(abbreviation: string): AxisDirection | undefined {
  const key = abbreviation.trim().toLowerCase();
  if (EAST.has(key)) return 'east';
  if (NORTH.has(key)) return 'north';
  return undefined;
}

/** `'yx'` when `orderedAxes` lists the north axis first, `'xy'` when east first, else undefined. */
export function axisOrderFromOrderedAxes(orderedAxes: readonly string[]): AxisOrder | undefined {
  if (orderedAxes.length !== 2) return undefined;
  const first = axisDirection(orderedAxes[0]!);
  const second = axisDirection(orderedAxes[1]!);
  if (first === 'east' && second === 'north') return 'xy';
  if (first === 'north' && second === 'east') return 'yx';
  return undefined;
}

/** The URI/identifier of a CRS reference, or undefined for embedded WKT / ISO 19115 forms. */
export function crsReferenceId(crs: CrsReference): string | undefined {
  if (typeof crs === 'string') return crs;
  if ('uri' in crs && typeof crs.uri === 'string') return crs.uri;
  return undefined;
}

/** The resolved CRS of a tile matrix set (sets in a registry always have a resolvable one). */
export function tileMatrixSetCrs(tms: TileMatrixSet): Crs {
  const id = crsReferenceId(tms.crs);
  if (id === undefined) throw new TypeError(`tile matrix set ${tms.id}: crs is not a URI reference`);
  return getCrs(id);
}

/** Axis order of `pointOfOrigin`/`boundingBox` numbers: from `orderedAxes`, else the CRS default. */
export function tileMatrixSetAxisOrder(tms: TileMatrixSet): AxisOrder {
  const fromAxes = tms.orderedAxes ? axisOrderFromOrderedAxes(tms.orderedAxes) : undefined;
  return fromAxes ?? tileMatrixSetCrs(tms).axisOrder;
}

/** CRS-axis-order point to engine order `[x(east), y(north)]`. */
export function toEngineOrder(point: CrsAxisOrderPoint, order: AxisOrder): [number, number] {
  return order === 'yx' ? [point[1], point[0]] : [point[0], point[1]];
}

/** Engine-order `[x, y]` to CRS axis order (the inverse of `toEngineOrder`). */
export function toCrsAxisOrder(x: number, y: number, order: AxisOrder): [number, number] {
  return order === 'yx' ? [y, x] : [x, y];
}
