/**
 * Coordinate reference systems: identifiers, proj4 definitions and transforms.
 *
 * Convention used everywhere in Tilewright: coordinates inside the engine are ALWAYS
 * in "x = east/longitude, y = north/latitude" order, whatever the CRS's official axis
 * order is. The official order (`axisOrder`) is only applied at the edges where a
 * standard demands it (WMTS TopLeftCorner, TMS 2.0 pointOfOrigin, bbox-crs parameters).
 *
 * Sub-modules: ids (names, URIs, URNs), epsg (offline EPSG lookup), datum-shifts (PROJ's choice of datum
 * shift, NTv2 grids), geokeys (GeoTIFF GeoKeys -> Crs), transform (per-point transformers), ortho (ellipsoidal
 * orthographic for proj4js), epsg-data (generated from PROJ's proj.db).
 */
export type { AxisOrder, Crs, DatumShift, Transformer } from './types.js';
export { UnknownCrsError, UnsupportedCrsError } from './types.js';
export { canonicalCrsId, crsUri } from './ids.js';
export { getTransformer } from './transform.js';
export { registerGrid, isGridRegistered } from './datum-shifts.js';
export { crsFromGeoKeys, type GeoKeys } from './geokeys.js';
export { getCrs, tryGetCrs } from './registry.js';
