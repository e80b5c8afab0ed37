/**
 * Tile matrix sets (OGC 17-083r4, TMS 2.0): model, built-in sets, registry and pure tile
 * arithmetic. No I/O; nothing runs on import.
 */
export type {
  Bounds, CornerOfOrigin, CrsAxisOrderPoint, CrsReference, TileAddress, TileMatrix, TileMatrixSet,
  TileMatrixSetLimits, TmsBoundingBox, VariableMatrixWidth,
} from './model.js';
export {
  DuplicateTileMatrixSet, InvalidTileMatrixSet, TileMatricesNotNested, UnknownTileMatrix, UnknownTileMatrixSet,
  type TileMatrixSetIssue,
} from './errors.js';
export {
  axisDirection, axisOrderFromOrderedAxes, crsReferenceId, tileMatrixSetAxisOrder, tileMatrixSetCrs, toCrsAxisOrder,
  toEngineOrder, type AxisDirection,
} from './axes.js';
export {
  builtInTileMatrixSets, canadianNad83Lcc, cdb1GlobalGrid, europeanEtrs89LaeaQuad, gnosisGlobalGrid, upsWgs84Quad,
  utmWgs84Quad, webMercatorQuad, worldCrs84Quad, worldMercatorWgs84Quad, type Hemisphere, type Pole,
} from './builtins.js';
export { TileMatrixSetRegistry, createDefaultRegistry } from './registry.js';
export { parseTileMatrixSet } from './validate.js';
export {
  METRES_PER_DEGREE, STANDARDIZED_RENDERING_PIXEL_SIZE, cellSizeForScaleDenominator, metresPerUnit,
  scaleDenominatorForCellSize,
} from './scale.js';
export { DEFAULT_POINTS_PER_EDGE, densifyBoundary, transformBounds, wrappingWorldX, type WorldX } from './reproject.js';
export {
  EDGE_EPSILON, assertValidTile, canonicalTile, closestZoomForResolution, coalesceAt, getTileMatrix, isQuadtree,
  isValidTile, mergeTileMatrixSetLimits, refinementFactor, tileChildren, tileCrsBounds, tileForCrsPoint, tileForLonLat,
  tileLonLatBounds, tileMatrixCrsBounds, tileMatrixIndex, tileMatrixSetLimits, tileParent, tileRangeForCrsBounds,
  tilesInLimits, tryGetTileMatrix, zoomForResolution, zoomOf, type LimitsOptions,
} from './math.js';
