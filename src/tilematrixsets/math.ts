/**
 * Tile matrix set arithmetic: pure functions over the TMS 2.0 model. Citations are to
 * OGC 17-083r4 (Two Dimensional Tile Matrix Set and Tile Set Metadata 2.0) and
 * OGC 07-057r7 (WMTS 1.0).
 *
 * All rectangles are `Bounds` in engine order (x = east/longitude, y = north/latitude); the
 * name says the CRS: `crsBounds` is in the set's CRS, `lonLatBounds` in OGC:CRS84 degrees.
 * A tile matrix's numbers (`pointOfOrigin`) are in CRS axis order and are converted once, in
 * `gridOf`, from `orderedAxes` (see `axes.ts`).
 */
import { getCrs, type Crs } from '../crs/index.js';
import { TileOutOfRangeError } from '../errors.js';
import { tileMatrixSetAxisOrder, tileMatrixSetCrs, toEngineOrder } from './axes.js';
import { TileMatricesNotNested, UnknownTileMatrix } from './errors.js';
import type { Bounds, TileAddress, TileMatrix, TileMatrixSet, TileMatrixSetLimits } from './model.js';
import { DEFAULT_POINTS_PER_EDGE, transformBounds, transformerBetween } from './reproject.js';
import { metresPerUnit } from './scale.js';

/**
 * Tolerance, in tiles, of the floor() that turns a bbox edge into a tile index: OGC 17-083r4
 * Annex I pseudocode (= WMTS 1.0 Annex H) uses epsilon = 1e-6, "added or subtracted in a
 * place that is not affected by CRS coordinate precision". 1e-6 of a 256-pixel tile is 1/4000
 * of a pixel; the float error of a tile boundary itself reaches ~1e-7 tiles at the deepest
 * CDB1GlobalGrid level (7.5e8 columns).
 */
export const EDGE_EPSILON = 1e-6;

/** Engine-order geometry of one tile matrix. */
interface Grid {
  readonly matrix: TileMatrix;
  /** Corner of origin in engine order. */
  readonly originX: number;
  readonly originY: number;
  readonly spanX: number;
  readonly spanY: number;
  /** +1 when rows grow northwards (bottomLeft), −1 when southwards (topLeft). */
  readonly rowDirection: 1 | -1;
}

function gridOf(tms: TileMatrixSet, matrix: TileMatrix): Grid {
  const [originX, originY] = toEngineOrder(matrix.pointOfOrigin, tileMatrixSetAxisOrder(tms));
  return {
    matrix,
    originX,
    originY,
    spanX: matrix.tileWidth * matrix.cellSize,
    spanY: matrix.tileHeight * matrix.cellSize,
    rowDirection: matrix.cornerOfOrigin === 'bottomLeft' ? 1 : -1,
  };
}

/** Fractional column of engine x. */
function colOf(g: Grid, x: number): number {
  return (x - g.originX) / g.spanX;
}

/** Fractional row of engine y, counted from the corner of origin. */
function rowOf(g: Grid, y: number): number {
  return ((y - g.originY) * g.rowDirection) / g.spanY;
}

// ---------------------------------------------------------------------------------------
// Lookup and validity

/** Index of the matrix with this id in `tileMatrices`, or −1. Ids are strings (TMS 2.0 clause 6, TileMatrix table note c). */
export function tileMatrixIndex(tms: TileMatrixSet, tileMatrixId: string): number {
  return tms.tileMatrices.findIndex((m) => m.id === tileMatrixId);
}

/** The matrix with this id, or `undefined`. */
export function tryGetTileMatrix(tms: TileMatrixSet, tileMatrixId: string): TileMatrix | undefined {
  return tms.tileMatrices.find((m) => m.id === tileMatrixId);
}

/** The matrix with this id; throws `UnknownTileMatrix` (a `TileOutOfRangeError` on TileMatrix). */
export function getTileMatrix(tms: TileMatrixSet, tileMatrixId: string): TileMatrix {
  const matrix = tryGetTileMatrix(tms, tileMatrixId);
  if (!matrix) throw new UnknownTileMatrix(tms.id, tileMatrixId);
  return matrix;
}

/**
 * Coalescence factor of a row: how many columns one tile of that row spans
 * (TMS 2.0 clause 6, "Variable width tile matrices"; 1 when the row is not listed).
 */
export function coalesceAt(matrix: TileMatrix, row: number): number {
  for (const v of matrix.variableMatrixWidths ?? []) {
    if (row >= v.minTileRow && row <= v.maxTileRow) return v.coalesce;
  }
  return 1;
}

/**
 * True when the tile exists: its matrix is defined, 0 ≤ row < matrixHeight,
 * 0 ≤ col < matrixWidth (else WMTS 1.0 GetTile answers TileOutOfRange) and, in a coalesced
 * row, col is a multiple of `coalesce` (TMS 2.0 clause 6, "Variable width tile matrices": a
 * coalesced tile is numbered by its first column). The standard lets cols 1..c−1 of such a
 * tile name the same tile; Tilewright keeps one canonical address per tile (one cache key,
 * one ETag) and offers `canonicalTile` to map the aliases.
 */
export function isValidTile(tms: TileMatrixSet, tile: TileAddress): boolean {
  const matrix = tryGetTileMatrix(tms, tile.tileMatrix);
  if (!matrix) return false;
  const { row, col } = tile;
  if (!Number.isSafeInteger(row) || !Number.isSafeInteger(col)) return false;
  if (row < 0 || row >= matrix.matrixHeight || col < 0 || col >= matrix.matrixWidth) return false;
  return col % coalesceAt(matrix, row) === 0;
}

/**
 * Like `isValidTile` but throws the protocol-free error a protocol maps to its
 * TileOutOfRange (WMTS 1.0 GetTile exception; the locator is the offending parameter). Returns the matrix.
 */
export function assertValidTile(tms: TileMatrixSet, tile: TileAddress): TileMatrix {
  const matrix = getTileMatrix(tms, tile.tileMatrix);
  const { row, col } = tile;
  if (!Number.isSafeInteger(row) || row < 0 || row >= matrix.matrixHeight) {
    throw new TileOutOfRangeError('TileRow', `TileRow ${row} is outside 0..${matrix.matrixHeight - 1} of tile matrix ${matrix.id} of ${tms.id}`);
  }
  if (!Number.isSafeInteger(col) || col < 0 || col >= matrix.matrixWidth) {
    throw new TileOutOfRangeError('TileCol', `TileCol ${col} is outside 0..${matrix.matrixWidth - 1} of tile matrix ${matrix.id} of ${tms.id}`);
  }
  const coalesce = coalesceAt(matrix, row);
  if (col % coalesce !== 0) {
    throw new TileOutOfRangeError('TileCol', `TileCol ${col} is not a multiple of ${coalesce}: row ${row} of tile matrix ${matrix.id} of ${tms.id} coalesces ${coalesce} columns per tile`);
  }
  return matrix;
}

/** The canonical address of a tile named by any of its columns in a coalesced row (col rounded down to a multiple of `coalesce`). */
export function canonicalTile(tms: TileMatrixSet, tile: TileAddress): TileAddress {
  const coalesce = coalesceAt(getTileMatrix(tms, tile.tileMatrix), tile.row);
  return coalesce === 1 ? tile : { tileMatrix: tile.tileMatrix, row: tile.row, col: tile.col - (tile.col % coalesce) };
}

// ---------------------------------------------------------------------------------------
// Bounds

/**
 * Extent of a whole tile matrix in the set's CRS, engine order (TMS 2.0 clause 6, "Tile matrix
 * in a two-dimensional space": tileMatrixMaxX = minX + tileSpanX × matrixWidth, and so on).
 */
export function tileMatrixCrsBounds(tms: TileMatrixSet, tileMatrixId: string): Bounds {
  const g = gridOf(tms, getTileMatrix(tms, tileMatrixId));
  const farY = g.originY + g.rowDirection * g.spanY * g.matrix.matrixHeight;
  return {
    minX: g.originX,
    minY: Math.min(g.originY, farY),
    maxX: g.originX + g.spanX * g.matrix.matrixWidth,
    maxY: Math.max(g.originY, farY),
  };
}

/**
 * Bounds of a tile in the set's CRS, engine order (OGC 17-083r4 Annex I pseudocode "from tile
 * indices to BBOX" = WMTS 1.0 Annex H: leftX = tileCol × tileSpanX + tileMatrixMinX,
 * upperY = tileMatrixMaxY − tileRow × tileSpanY, …), widened to `coalesce` columns in a
 * coalesced row. For EPSG:4326-based sets x is the longitude although `pointOfOrigin` is
 * lat-first. Throws for a tile that does not exist (`assertValidTile`).
 */
export function tileCrsBounds(tms: TileMatrixSet, tile: TileAddress): Bounds {
  const matrix = assertValidTile(tms, tile);
  const g = gridOf(tms, matrix);
  const lastCol = Math.min(tile.col + coalesceAt(matrix, tile.row), matrix.matrixWidth);
  const nearY = g.originY + g.rowDirection * g.spanY * tile.row;
  const farY = g.originY + g.rowDirection * g.spanY * (tile.row + 1);
  return {
    minX: g.originX + g.spanX * tile.col,
    minY: Math.min(nearY, farY),
    maxX: g.originX + g.spanX * lastCol,
    maxY: Math.max(nearY, farY),
  };
}

/**
 * Bounds of a tile in OGC:CRS84 longitude/latitude: the tile's boundary densified
 * (`pointsPerEdge` per edge) and transformed, widened to ±90° and every longitude when the tile
 * contains a pole (UPS sets). A tile crossing the antimeridian (far edges of UTM zones 1 and 60)
 * comes out with minX > maxX (RFC 7946 §5.2). Throws for a tile that does not exist.
 */
export function tileLonLatBounds(tms: TileMatrixSet, tile: TileAddress, pointsPerEdge = DEFAULT_POINTS_PER_EDGE): Bounds {
  const crsBounds = tileCrsBounds(tms, tile);
  const parts = transformBounds(crsBounds, tileMatrixSetCrs(tms), getCrs('OGC:CRS84'), pointsPerEdge);
  if (parts.length === 0) throw new RangeError(`tile ${tile.tileMatrix}/${tile.row}/${tile.col} of ${tms.id} has no image in longitude/latitude`);
  const clampLon = (x: number): number => Math.max(-180, Math.min(180, x));
  const clampLat = (y: number): number => Math.max(-90, Math.min(90, y));
  const minY = clampLat(Math.min(...parts.map((p) => p.minY)));
  const maxY = clampLat(Math.max(...parts.map((p) => p.maxY)));
  if (parts.length === 2) return { minX: clampLon(parts[0]!.minX), minY, maxX: clampLon(parts[1]!.maxX), maxY };
  return { minX: clampLon(parts[0]!.minX), minY, maxX: clampLon(parts[0]!.maxX), maxY };
}

// ---------------------------------------------------------------------------------------
// Points and rectangles to tiles

/**
 * The tile containing a point of the set's CRS (engine order x = east, y = north), or
 * `undefined` outside the matrix. Tiles are half-open: a point on a boundary belongs to the
 * tile whose left/top (for topLeft) edge it is, like WMTS 1.0 Annex H and tilebelt; the far
 * edges of the matrix are closed, so lon = 180° or the southern edge of the last row still
 * have a tile. The floor() tolerates a few ulps of the operands so that a tile's own corner,
 * computed by `tileCrsBounds`, maps back to that tile. In a coalesced row the column is the
 * coalesced tile's first one.
 */
export function tileForCrsPoint(tms: TileMatrixSet, tileMatrixId: string, x: number, y: number): TileAddress | undefined {
  const matrix = getTileMatrix(tms, tileMatrixId);
  const g = gridOf(tms, matrix);
  const col = cellIndex(colOf(g, x), (Math.abs(x) + Math.abs(g.originX)) / g.spanX, matrix.matrixWidth);
  const row = cellIndex(rowOf(g, y), (Math.abs(y) + Math.abs(g.originY)) / g.spanY, matrix.matrixHeight);
  if (col === undefined || row === undefined) return undefined;
  return { tileMatrix: matrix.id, row, col: col - (col % coalesceAt(matrix, row)) };
}

/** floor(f) with a rounding tolerance proportional to the magnitude of the operands; undefined outside 0..count−1 (far edge closed). */
function cellIndex(f: number, magnitude: number, count: number): number | undefined {
  if (!Number.isFinite(f)) return undefined;
  const tolerance = 8 * Number.EPSILON * Math.max(1, magnitude);
  const i = Math.floor(f + tolerance);
  if (i >= 0 && i < count) return i;
  if (i === count && f <= count + tolerance) return count - 1;
  return undefined;
}

/** The tile containing an OGC:CRS84 longitude/latitude, or `undefined` (outside the matrix, or no image in the set's CRS). */
export function tileForLonLat(tms: TileMatrixSet, tileMatrixId: string, lon: number, lat: number): TileAddress | undefined {
  const [x, y] = transformerBetween(getCrs('OGC:CRS84'), tileMatrixSetCrs(tms)).forward(lon, lat);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
  return tileForCrsPoint(tms, tileMatrixId, x, y);
}

/**
 * The tiles of one matrix covering a rectangle of the set's CRS (engine order), clamped to the
 * matrix; `undefined` when they do not intersect. OGC 17-083r4 Annex I pseudocode "from BBOX
 * to tile indices" (= WMTS 1.0 Annex H):
 *   tileMinCol = floor((bBoxMinX − tileMatrixMinX) / tileSpanX + ε)
 *   tileMaxCol = floor((bBoxMaxX − tileMatrixMinX) / tileSpanX − ε)      (rows alike)
 * so an edge exactly on a tile boundary does not pull in the neighbouring tile. A rectangle
 * thinner than 2ε tiles gets the tile containing its centre. Infinite edges (a pole in
 * Mercator) clamp to the matrix. Coalesced rows are not narrowed: the result is a rectangle of
 * uncoalesced indices, as TileMatrixSetLimits are (clause 6 note on variable widths);
 * `tilesInLimits` enumerates the actual tiles.
 */
export function tileRangeForCrsBounds(tms: TileMatrixSet, tileMatrixId: string, crsBounds: Bounds): TileMatrixSetLimits | undefined {
  const matrix = getTileMatrix(tms, tileMatrixId);
  const g = gridOf(tms, matrix);
  const cols = indexRange(colOf(g, crsBounds.minX), colOf(g, crsBounds.maxX), matrix.matrixWidth);
  const rowA = rowOf(g, crsBounds.minY);
  const rowB = rowOf(g, crsBounds.maxY);
  const rows = indexRange(Math.min(rowA, rowB), Math.max(rowA, rowB), matrix.matrixHeight);
  if (!cols || !rows) return undefined;
  return { tileMatrix: matrix.id, minTileRow: rows[0], maxTileRow: rows[1], minTileCol: cols[0], maxTileCol: cols[1] };
}

function indexRange(lo: number, hi: number, count: number): [number, number] | undefined {
  if (Number.isNaN(lo) || Number.isNaN(hi)) return undefined;
  let first = Math.floor(lo + EDGE_EPSILON);
  let last = Math.floor(hi - EDGE_EPSILON);
  if (last < first) {
    first = Math.floor((lo + hi) / 2);
    last = first;
  }
  if (last < 0 || first > count - 1) return undefined;
  return [Math.max(0, first), Math.min(count - 1, last)];
}

// ---------------------------------------------------------------------------------------
// Limits of a dataset

/**
 * Zoom number of a matrix for range filters: its id read as an integer when it is one (every
 * registered set: UTM starts at 1, CDB1GlobalGrid at −10), else its index in `tileMatrices`
 * (TMS 2.0 clause 6: "the index order … could still be used as a zoom level ordering").
 */
export function zoomOf(tms: TileMatrixSet, tileMatrixId: string): number {
  if (/^-?\d+$/.test(tileMatrixId)) return Number(tileMatrixId);
  const index = tileMatrixIndex(tms, tileMatrixId);
  if (index < 0) throw new UnknownTileMatrix(tms.id, tileMatrixId);
  return index;
}

export interface LimitsOptions {
  /** Inclusive lower bound on `zoomOf(matrix)`. */
  readonly minZoom?: number;
  /** Inclusive upper bound on `zoomOf(matrix)`. */
  readonly maxZoom?: number;
  /** Densification of the footprint's edges before reprojection. */
  readonly pointsPerEdge?: number;
}

/**
 * TileMatrixSetLimits (OGC 17-083r4 clause 8, TileMatrixSetLimits; WMTS 1.0 Capabilities TileMatrixSetLimits) of a
 * dataset whose footprint is `bounds` (engine order) in `crs`, for every matrix whose zoom is in
 * [minZoom, maxZoom]. The footprint's boundary is densified and transformed into the set's CRS
 * (`transformBounds`), then each matrix's range is taken as in `tileRangeForCrsBounds`.
 *
 * Antimeridian: when the footprint crosses ±180° in a set whose CRS wraps (WorldCRS84Quad,
 * WebMercatorQuad, GNOSIS…) — given as a lon/lat box with minX > maxX or maxX > 180, or found
 * by reprojection — a matrix gets TWO entries with the same `tileMatrix`, the eastern columns
 * (e.g. 250..255) and the western ones (0..5); they merge into one when they touch. Consumers
 * that need one entry per matrix can use `mergeTileMatrixSetLimits` (which then spans the
 * whole width). Matrices the footprint misses are left out.
 */
export function tileMatrixSetLimits(tms: TileMatrixSet, bounds: Bounds, crs: Crs | string, options: LimitsOptions = {}): TileMatrixSetLimits[] {
  const from = typeof crs === 'string' ? getCrs(crs) : crs;
  const parts = transformBounds(bounds, from, tileMatrixSetCrs(tms), options.pointsPerEdge ?? DEFAULT_POINTS_PER_EDGE);
  const out: TileMatrixSetLimits[] = [];
  for (const matrix of tms.tileMatrices) {
    const zoom = zoomOf(tms, matrix.id);
    if (options.minZoom !== undefined && zoom < options.minZoom) continue;
    if (options.maxZoom !== undefined && zoom > options.maxZoom) continue;
    const ranges = parts.map((p) => tileRangeForCrsBounds(tms, matrix.id, p)).filter((r): r is TileMatrixSetLimits => r !== undefined);
    out.push(...mergeTouching(ranges));
  }
  return out;
}

/** Merges ranges of one matrix whose column intervals overlap or touch. */
function mergeTouching(ranges: TileMatrixSetLimits[]): TileMatrixSetLimits[] {
  const sorted = [...ranges].sort((a, b) => a.minTileCol - b.minTileCol);
  const out: TileMatrixSetLimits[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.minTileCol <= last.maxTileCol + 1) {
      out[out.length - 1] = {
        tileMatrix: last.tileMatrix,
        minTileRow: Math.min(last.minTileRow, r.minTileRow),
        maxTileRow: Math.max(last.maxTileRow, r.maxTileRow),
        minTileCol: last.minTileCol,
        maxTileCol: Math.max(last.maxTileCol, r.maxTileCol),
      };
    } else {
      out.push(r);
    }
  }
  return out;
}

/** One entry per tile matrix: the smallest rectangle holding all entries of that matrix (order of first appearance). */
export function mergeTileMatrixSetLimits(limits: readonly TileMatrixSetLimits[]): TileMatrixSetLimits[] {
  const byMatrix = new Map<string, TileMatrixSetLimits>();
  for (const l of limits) {
    const seen = byMatrix.get(l.tileMatrix);
    byMatrix.set(l.tileMatrix, seen ? {
      tileMatrix: l.tileMatrix,
      minTileRow: Math.min(seen.minTileRow, l.minTileRow),
      maxTileRow: Math.max(seen.maxTileRow, l.maxTileRow),
      minTileCol: Math.min(seen.minTileCol, l.minTileCol),
      maxTileCol: Math.max(seen.maxTileCol, l.maxTileCol),
    } : l);
  }
  return [...byMatrix.values()];
}

/**
 * Every existing tile inside a limits rectangle, row by row. In a coalesced row a tile is
 * included when any of its columns is inside the rectangle, under its canonical column.
 */
export function* tilesInLimits(tms: TileMatrixSet, limits: TileMatrixSetLimits): Generator<TileAddress> {
  const matrix = getTileMatrix(tms, limits.tileMatrix);
  const lastRow = Math.min(limits.maxTileRow, matrix.matrixHeight - 1);
  const lastCol = Math.min(limits.maxTileCol, matrix.matrixWidth - 1);
  for (let row = Math.max(0, limits.minTileRow); row <= lastRow; row++) {
    const coalesce = coalesceAt(matrix, row);
    const first = Math.max(0, limits.minTileCol);
    for (let col = first - (first % coalesce); col <= lastCol; col += coalesce) {
      yield { tileMatrix: matrix.id, row, col };
    }
  }
}

// ---------------------------------------------------------------------------------------
// Resolution to zoom

function resolutionInSetUnits(tms: TileMatrixSet, resolution: number, crsOfResolution?: Crs | string): number {
  if (!(resolution > 0) || !Number.isFinite(resolution)) throw new RangeError(`resolution must be a finite number > 0, got ${resolution}`);
  if (crsOfResolution === undefined) return resolution;
  const from = typeof crsOfResolution === 'string' ? getCrs(crsOfResolution) : crsOfResolution;
  return (resolution * metresPerUnit(from)) / metresPerUnit(tileMatrixSetCrs(tms));
}

/** Relative tolerance for "cellSize equals the resolution" (registry values carry 15 digits). */
const SAME_RESOLUTION = 1e-9;

/**
 * The matrix to render data of `resolution` (cell size in units of `crsOfResolution`, by
 * default the set's CRS) without upsampling: the finest matrix whose cellSize is not finer than
 * the resolution, i.e. the smallest cellSize ≥ resolution (within 1e-9 relative). Data at 10 m
 * in WebMercatorQuad gives level 13 (19.11 m), not 14 (9.55 m). A resolution coarser than every
 * matrix gives the coarsest matrix. Units are converted with the TMS 2.0 metersPerUnit
 * convention (clause 6, TileMatrix table note f: degrees count 2π·a/360 metres), which is exact
 * on the equator and only nominal elsewhere.
 */
export function zoomForResolution(tms: TileMatrixSet, resolution: number, crsOfResolution?: Crs | string): TileMatrix {
  const r = resolutionInSetUnits(tms, resolution, crsOfResolution);
  let chosen = tms.tileMatrices[0]!;
  for (const m of tms.tileMatrices) {
    if (m.cellSize >= r * (1 - SAME_RESOLUTION) && m.cellSize < chosen.cellSize) chosen = m;
  }
  return chosen;
}

/**
 * The matrix whose cellSize is closest to `resolution` in ratio (log scale), GDAL's choice for
 * COG/gdal2tiles zoom levels (ZOOM_LEVEL_STRATEGY=AUTO): 10 m in WebMercatorQuad gives level 14
 * (9.55 m is ×1.05 away, 19.11 m ×1.91). A tie goes to the finer matrix.
 */
export function closestZoomForResolution(tms: TileMatrixSet, resolution: number, crsOfResolution?: Crs | string): TileMatrix {
  const r = resolutionInSetUnits(tms, resolution, crsOfResolution);
  let chosen = tms.tileMatrices[0]!;
  let best = Infinity;
  for (const m of tms.tileMatrices) {
    const distance = Math.abs(Math.log(m.cellSize / r));
    if (distance < best - 1e-12 || (Math.abs(distance - best) <= 1e-12 && m.cellSize < chosen.cellSize)) {
      best = distance;
      chosen = m;
    }
  }
  return chosen;
}

// ---------------------------------------------------------------------------------------
// Parents and children

/**
 * How many tiles of the finer matrix span one tile of the coarser one along each axis, when
 * the grids nest: same corner of origin, same origin point (within 1e-9 of a tile span) and a
 * tile span ratio that is a whole number k ≥ 1 in both axes. 2 for quadtrees, 1 for the
 * CDB1GlobalGrid levels −10..0 (same 1° tiles, more pixels). `undefined` otherwise.
 */
export function refinementFactor(tms: TileMatrixSet, coarser: TileMatrix, finer: TileMatrix): number | undefined {
  const c = gridOf(tms, coarser);
  const f = gridOf(tms, finer);
  if (c.rowDirection !== f.rowDirection) return undefined;
  if (Math.abs(c.originX - f.originX) > 1e-9 * f.spanX || Math.abs(c.originY - f.originY) > 1e-9 * f.spanY) return undefined;
  const kx = c.spanX / f.spanX;
  const ky = c.spanY / f.spanY;
  const k = Math.round(kx);
  if (k < 1 || Math.abs(kx - k) > 1e-9 * k || Math.abs(ky - k) > 1e-9 * k) return undefined;
  return k;
}

/** True when every matrix nests in the previous one with factor 2 (WebMercatorQuad, WorldCRS84Quad, UTM, UPS, GNOSIS…). */
export function isQuadtree(tms: TileMatrixSet): boolean {
  return tms.tileMatrices.every((m, i) => i === 0 || refinementFactor(tms, tms.tileMatrices[i - 1]!, m) === 2);
}

/**
 * The tile of the previous (coarser) matrix containing this one, or `undefined` for the first
 * matrix. Row and column divide by the refinement factor (2 in a quadtree, as tilebelt's
 * getParent), the column then snaps to the parent row's coalesced tile. Throws
 * `TileMatricesNotNested` when the two matrices do not nest (CanadianNAD83_LCC).
 */
export function tileParent(tms: TileMatrixSet, tile: TileAddress): TileAddress | undefined {
  const matrix = assertValidTile(tms, tile);
  const index = tileMatrixIndex(tms, matrix.id);
  if (index === 0) return undefined;
  const parent = tms.tileMatrices[index - 1]!;
  const k = refinementFactor(tms, parent, matrix);
  if (k === undefined) throw new TileMatricesNotNested(tms.id, parent.id, matrix.id);
  const row = Math.floor(tile.row / k);
  const col = Math.floor(tile.col / k);
  return { tileMatrix: parent.id, row, col: col - (col % coalesceAt(parent, row)) };
}

/**
 * The tiles of the next (finer) matrix inside this one, or `[]` for the last matrix: 4 in a
 * quadtree, listed row by row (top-left, top-right, bottom-left, bottom-right for topLeft sets;
 * tilebelt's getChildren returns the same four in another order). With variable widths the
 * count varies (a GNOSIS polar tile has 3 children: one coalesced tile and two halves).
 * Throws `TileMatricesNotNested` when the two matrices do not nest.
 */
export function tileChildren(tms: TileMatrixSet, tile: TileAddress): TileAddress[] {
  const matrix = assertValidTile(tms, tile);
  const index = tileMatrixIndex(tms, matrix.id);
  const child = tms.tileMatrices[index + 1];
  if (!child) return [];
  const k = refinementFactor(tms, matrix, child);
  if (k === undefined) throw new TileMatricesNotNested(tms.id, matrix.id, child.id);
  const firstCol = tile.col * k;
  const endCol = Math.min((tile.col + coalesceAt(matrix, tile.row)) * k, child.matrixWidth);
  const out: TileAddress[] = [];
  for (let row = tile.row * k; row < Math.min((tile.row + 1) * k, child.matrixHeight); row++) {
    const coalesce = coalesceAt(child, row);
    for (let col = firstCol - (firstCol % coalesce); col < endCol; col += coalesce) out.push({ tileMatrix: child.id, row, col });
  }
  return out;
}
