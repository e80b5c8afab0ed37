/**
 * Where a tileset has tiles (OGC 20-057 /req/tileset/tmxslimits, TMS 2.0 clause 8
 * TileMatrixSetLimits), and so which tile requests are answered: outside them 404
 * (/req/core/tc-error), so what is advertised is exactly what is served.
 *
 * The levels are those of the collection's zoom range in which its footprint is at least two
 * pixels wide and high (nothing of the data would show in coarser ones). Each level's entry
 * covers the WHOLE matrix, not just the tiles the footprint touches: GDAL up to 3.6 builds
 * its per-level rasters from a tileset's limits with the full matrix height but the limited
 * rows' extent and numbers columns from 0 whatever minTileCol says, so narrower limits make
 * it request the wrong tiles. The footprint itself is the tileset's `boundingBox`; tiles
 * around it are served blank (or 204), as the XYZ and WMTS faces serve them.
 */
import type { Collection } from '../../catalog/types.js';
import { crsFootprint } from './extent.js';
import {
  mergeTileMatrixSetLimits, tileMatrixSetLimits, zoomOf, type TileAddress, type TileMatrixSet, type TileMatrixSetLimits,
} from '../../tilematrixsets/index.js';

const cache = new WeakMap<Collection, Map<string, readonly TileMatrixSetLimits[]>>();

/** The limits of a collection in a set it offers, coarsest matrix first. */
export function collectionLimits(collection: Collection, tms: TileMatrixSet): readonly TileMatrixSetLimits[] {
  let perSet = cache.get(collection);
  if (!perSet) cache.set(collection, (perSet = new Map()));
  let limits = perSet.get(tms.id);
  if (!limits) {
    const range = collection.info.tileMatrixSets.find((t) => t.tileMatrixSetId === tms.id);
    const [w, s, e, n] = collection.info.lonLatBounds;
    const all = range ? mergeTileMatrixSetLimits(tileMatrixSetLimits(tms, { minX: w, minY: s, maxX: e, maxY: n }, 'OGC:CRS84', {
      minZoom: zoomOf(tms, range.minTileMatrix), maxZoom: zoomOf(tms, range.maxTileMatrix),
    })) : [];
    const footprint = crsFootprint(collection.info.lonLatBounds, tms);
    const visible = footprint ? all.filter((l) => {
      const cell = tms.tileMatrices.find((m) => m.id === l.tileMatrix)!.cellSize;
      return footprint.maxX - footprint.minX >= 2 * cell && footprint.maxY - footprint.minY >= 2 * cell;
    }) : all;
    limits = (visible.length > 0 ? visible : all.slice(-1)).map((l) => {
      const m = tms.tileMatrices.find((x) => x.id === l.tileMatrix)!;
      return { tileMatrix: l.tileMatrix, minTileRow: 0, maxTileRow: m.matrixHeight - 1, minTileCol: 0, maxTileCol: m.matrixWidth - 1 };
    });
    perSet.set(tms.id, limits);
  }
  return limits;
}

/** The union of several tilesets' limits (dataset tilesets), in the set's matrix order. */
export function unionLimits(tms: TileMatrixSet, all: readonly (readonly TileMatrixSetLimits[])[]): TileMatrixSetLimits[] {
  const merged = mergeTileMatrixSetLimits(all.flat());
  const order = new Map(tms.tileMatrices.map((m, i) => [m.id, i]));
  return merged.sort((a, b) => order.get(a.tileMatrix)! - order.get(b.tileMatrix)!);
}

export function inLimits(limits: readonly TileMatrixSetLimits[], tile: TileAddress): boolean {
  return limits.some((l) => l.tileMatrix === tile.tileMatrix && tile.row >= l.minTileRow && tile.row <= l.maxTileRow && tile.col >= l.minTileCol && tile.col <= l.maxTileCol);
}
