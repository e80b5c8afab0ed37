/**
 * OGC Two Dimensional Tile Matrix Set 2.0 (OGC 17-083r4) data model, JSON encoding.
 *
 * Field names and optionality follow the JSON schemas `tileMatrixSet.json`, `tileMatrix.json`,
 * `variableMatrixWidth.json`, `tileMatrixLimits.json` and `2DBoundingBox.json` of the standard,
 * so a value of these types serialises to a conformant document with `JSON.stringify`.
 * Two deliberate tightenings, both checked by `parseTileMatrixSet`:
 * - `id` is required (the schema makes it optional): the registry keys sets by it and every
 *   protocol addresses a set by it (WMTS `TileMatrixSet`, OGC API `{tileMatrixSetId}`).
 * - `crs` must be a reference we can resolve (a URI/URN/`EPSG:` string or `{uri}`); the
 *   schema's embedded `{wkt}` and `{referenceSystem}` forms are typed but rejected on load.
 *
 * Coordinates in `pointOfOrigin` and `boundingBox` are in the CRS AXIS ORDER (clause 6,
 * TileMatrix table note b): latitude first for EPSG:4326, northing first for EPSG:3035.
 * Everything the engine computes is in engine order instead (`x` = east/longitude,
 * `y` = north/latitude, see `src/crs/index.ts`); `axes.ts` converts between the two.
 */

/** CRS as TMS 2.0 `crs.json` allows it: a URI string or an object with one of three members. */
export type CrsReference =
  | string
  | { readonly uri: string }
  | { readonly wkt: unknown }
  | { readonly referenceSystem: unknown };

/** `cornerOfOrigin` (clause 6, CornerOfOriginCode): `topLeft` is the default and WMTS 1.0's only choice. */
export type CornerOfOrigin = 'topLeft' | 'bottomLeft';

/** A 2D point in the CRS axis order of the enclosing document (`2DPoint.json`). */
export type CrsAxisOrderPoint = readonly [number, number];

/** `2DBoundingBox.json`: corners in the CRS axis order of `crs` (or of the set's CRS). */
export interface TmsBoundingBox {
  readonly lowerLeft: CrsAxisOrderPoint;
  readonly upperRight: CrsAxisOrderPoint;
  readonly crs?: CrsReference;
  readonly orderedAxes?: readonly [string, string];
}

/**
 * `variableMatrixWidth.json`: rows `minTileRow..maxTileRow` (inclusive) where `coalesce`
 * horizontally adjacent tiles are merged into one (clause 6, "Variable width tile matrices").
 * Only rows with a factor above 1 are listed.
 */
export interface VariableMatrixWidth {
  readonly coalesce: number;
  readonly minTileRow: number;
  readonly maxTileRow: number;
}

/** `tileMatrix.json`: one scale level of a tile matrix set. */
export interface TileMatrix {
  readonly id: string;
  readonly title?: string;
  readonly description?: string;
  readonly keywords?: readonly string[];
  readonly scaleDenominator: number;
  /** Size of one cell (pixel) in CRS units. */
  readonly cellSize: number;
  /** Absent means `topLeft`. */
  readonly cornerOfOrigin?: CornerOfOrigin;
  /** The corner of origin, in CRS axis order. */
  readonly pointOfOrigin: CrsAxisOrderPoint;
  readonly tileWidth: number;
  readonly tileHeight: number;
  readonly matrixWidth: number;
  readonly matrixHeight: number;
  readonly variableMatrixWidths?: readonly VariableMatrixWidth[];
}

/** `tileMatrixSet.json`. */
export interface TileMatrixSet {
  readonly id: string;
  readonly title?: string;
  readonly description?: string;
  readonly keywords?: readonly string[];
  /** Official source, e.g. `http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad`. */
  readonly uri?: string;
  readonly crs: CrsReference;
  /** Axis abbreviations in CRS order, e.g. `["Lat","Lon"]` for EPSG:4326, `["Y","X"]` for EPSG:3035. */
  readonly orderedAxes?: readonly string[];
  readonly wellKnownScaleSet?: string;
  readonly boundingBox?: TmsBoundingBox;
  /** Ordered from the coarsest to the finest matrix (checked on load). */
  readonly tileMatrices: readonly TileMatrix[];
}

/**
 * `tileMatrixLimits.json` (clause 8, TileMatrixSetLimits): the inclusive rectangle of tile
 * indices of one tile matrix where a tileset has tiles.
 */
export interface TileMatrixSetLimits {
  readonly tileMatrix: string;
  readonly minTileRow: number;
  readonly maxTileRow: number;
  readonly minTileCol: number;
  readonly maxTileCol: number;
}

/**
 * A tile: WMTS `TileMatrix`/`TileRow`/`TileCol`. With the default `topLeft` corner of origin,
 * row 0 is the top row and rows grow southwards; with `bottomLeft` row 0 is the bottom row.
 */
export interface TileAddress {
  readonly tileMatrix: string;
  readonly row: number;
  readonly col: number;
}

/**
 * An axis-aligned rectangle in ENGINE order (`x` = east/longitude, `y` = north/latitude),
 * never in CRS axis order. The variable or function name says which CRS it is in
 * (`crsBounds` = the tile matrix set's CRS, `lonLatBounds` = OGC:CRS84 degrees).
 * In lon/lat, `minX > maxX` means the rectangle crosses the antimeridian (RFC 7946 §5.2).
 */
export interface Bounds {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}
