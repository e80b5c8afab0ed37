/**
 * Footprints in a tile matrix set's CRS: a tileset's `boundingBox` (TMS 2.0 `2DBoundingBox`,
 * corners in the CRS axis order) from the collections' lon/lat bounds.
 */
import { getCrs } from '../../crs/index.js';
import {
  tileMatrixCrsBounds, tileMatrixSetAxisOrder, tileMatrixSetCrs, toCrsAxisOrder, transformBounds, type Bounds, type TileMatrixSet,
} from '../../tilematrixsets/index.js';

/** The lon/lat box [w, s, e, n] in the set's CRS (engine order), clipped to the set's extent; undefined outside it. */
export function crsFootprint(lonLatBounds: readonly [number, number, number, number], tms: TileMatrixSet): Bounds | undefined {
  const [w, s, e, n] = lonLatBounds;
  const parts = transformBounds({ minX: w, minY: s, maxX: e, maxY: n }, getCrs('OGC:CRS84'), tileMatrixSetCrs(tms));
  if (parts.length === 0) return undefined;
  const world = tileMatrixCrsBounds(tms, tms.tileMatrices[0]!.id);
  const b = {
    minX: Math.max(world.minX, Math.min(...parts.map((p) => p.minX))),
    minY: Math.max(world.minY, Math.min(...parts.map((p) => p.minY))),
    maxX: Math.min(world.maxX, Math.max(...parts.map((p) => p.maxX))),
    maxY: Math.min(world.maxY, Math.max(...parts.map((p) => p.maxY))),
  };
  return b.minX < b.maxX && b.minY < b.maxY ? b : undefined;
}

/** `2DBoundingBox.json`: lowerLeft/upperRight in the CRS axis order of `crs`. */
export function tmsBoundingBox(b: Bounds, tms: TileMatrixSet) {
  const order = tileMatrixSetAxisOrder(tms);
  return {
    lowerLeft: toCrsAxisOrder(b.minX, b.minY, order),
    upperRight: toCrsAxisOrder(b.maxX, b.maxY, order),
    crs: tms.crs,
    ...(tms.orderedAxes ? { orderedAxes: [tms.orderedAxes[0]!, tms.orderedAxes[1]!] } : {}),
  };
}

/** Union of lon/lat boxes (a box across the antimeridian makes the union span every longitude). */
export function unionLonLat(all: readonly (readonly [number, number, number, number])[]): [number, number, number, number] {
  const crossing = all.some((b) => b[0] > b[2]);
  return [
    crossing ? -180 : Math.min(...all.map((b) => b[0])), Math.min(...all.map((b) => b[1])),
    crossing ? 180 : Math.max(...all.map((b) => b[2])), Math.max(...all.map((b) => b[3])),
  ];
}
