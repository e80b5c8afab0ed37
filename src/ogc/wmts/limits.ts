/**
 * Where a layer has data in each tile matrix set: its bounding box in the set's CRS (07-057r7
 * Table 6, Layer `ows:BoundingBox`) and its TileMatrixSetLimits (Table 7, TileMatrixSetLink;
 * Table 10, TileMatrixLimits), computed from the collection's lon/lat footprint with
 * `tileMatrixSetLimits` (src/tilematrixsets). Cached per collection object and set.
 *
 * Schema constraint: the official wmtsGetCapabilities_response.xsd v1.0.2 types MaxTileRow and
 * MaxTileCol as xs:positiveInteger, so a legal single-row or single-column range at index 0
 * (every level-0 matrix) does not validate, while the copy in the OGC test suite
 * (nonNegativeInteger, per the WMTS errata) accepts it. To validate against both:
 *  - a range 0..0 in a matrix with two or more rows (columns) is widened to 0..1, one blank
 *    tile more than the data needs;
 *  - a matrix with a single row or column (WebMercatorQuad 0, WorldCRS84Quad 0, the UTM sets'
 *    first level) cannot be described and is left out of the advertised limits.
 * GetTile checks requests against the same widened ranges, so what is advertised is served.
 */
import type { Collection } from '../../catalog/types.js';
import { getCrs } from '../../crs/index.js';
import {
  getTileMatrix, mergeTileMatrixSetLimits, tileMatrixCrsBounds, tileMatrixSetCrs, tileMatrixSetLimits, transformBounds, zoomOf,
  type Bounds, type TileMatrixSet, type TileMatrixSetLimits,
} from '../../tilematrixsets/index.js';
import { wmtsRowOfTmsRow } from './tilematrixset.js';

export interface LayerExtent {
  /** The layer's footprint in the set's CRS, engine order, clipped to the set's extent. */
  crsBounds: Bounds | undefined;
  /** One entry per tile matrix the footprint touches (WMTS rows, from the top; widened as above), by matrix id. */
  limits: ReadonlyMap<string, TileMatrixSetLimits>;
  /** What TileMatrixSetLimits lists: the entries of the collection's zoom range that both schemas accept. */
  advertised: readonly TileMatrixSetLimits[];
}

const cache = new WeakMap<Collection, Map<string, LayerExtent>>();

export function layerExtent(collection: Collection, tms: TileMatrixSet): LayerExtent {
  let perSet = cache.get(collection);
  if (!perSet) cache.set(collection, (perSet = new Map()));
  let extent = perSet.get(tms.id);
  if (!extent) perSet.set(tms.id, (extent = computeExtent(collection, tms)));
  return extent;
}

function lonLatFootprint(c: Collection): Bounds {
  const [w, s, e, n] = c.info.lonLatBounds;
  return { minX: w, minY: s, maxX: e, maxY: n };
}

function computeExtent(collection: Collection, tms: TileMatrixSet): LayerExtent {
  const footprint = lonLatFootprint(collection);
  const all = mergeTileMatrixSetLimits(tileMatrixSetLimits(tms, footprint, 'OGC:CRS84'));
  const limits = new Map(all.map((l) => [l.tileMatrix, widened(tms, wmtsRows(tms, l))]));
  const range = collection.info.tileMatrixSets.find((t) => t.tileMatrixSetId === tms.id);
  const maxZoom = range ? zoomOf(tms, range.maxTileMatrix) : Infinity;
  const minZoom = range ? zoomOf(tms, range.minTileMatrix) : -Infinity;
  const advertised = [...limits.values()].filter((l) => {
    const zoom = zoomOf(tms, l.tileMatrix);
    return zoom >= minZoom && zoom <= maxZoom && l.maxTileRow > 0 && l.maxTileCol > 0;
  });
  return { crsBounds: crsFootprint(footprint, tms), limits, advertised };
}

/** Rows counted from the top, as WMTS counts them (only `bottomLeft` matrices change). */
function wmtsRows(tms: TileMatrixSet, l: TileMatrixSetLimits): TileMatrixSetLimits {
  const m = getTileMatrix(tms, l.tileMatrix);
  if (m.cornerOfOrigin !== 'bottomLeft') return l;
  return { ...l, minTileRow: wmtsRowOfTmsRow(m, l.maxTileRow), maxTileRow: wmtsRowOfTmsRow(m, l.minTileRow) };
}

function widened(tms: TileMatrixSet, l: TileMatrixSetLimits): TileMatrixSetLimits {
  const m = getTileMatrix(tms, l.tileMatrix);
  return {
    ...l,
    maxTileRow: l.maxTileRow === 0 && m.matrixHeight > 1 ? 1 : l.maxTileRow,
    maxTileCol: l.maxTileCol === 0 && m.matrixWidth > 1 ? 1 : l.maxTileCol,
  };
}

/** The footprint's image in the set's CRS (both pieces when it crosses a seam), clipped to the first matrix's extent. */
function crsFootprint(lonLat: Bounds, tms: TileMatrixSet): Bounds | undefined {
  const parts = transformBounds(lonLat, getCrs('OGC:CRS84'), tileMatrixSetCrs(tms));
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

/** True when the WMTS tile (row counted from the top) is inside the layer's limits. */
export function inLimits(extent: LayerExtent, tileMatrix: string, row: number, col: number): boolean {
  const l = extent.limits.get(tileMatrix);
  return l !== undefined && row >= l.minTileRow && row <= l.maxTileRow && col >= l.minTileCol && col <= l.maxTileCol;
}
