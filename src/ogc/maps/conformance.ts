/**
 * OGC API - Maps - Part 1: Core 1.0 (OGC 20-058) conformance classes implemented by this face
 * (src/ogc/maps with src/server/routes/ogcapi-maps.ts): the core map operation and response
 * (/req/core/map-op, /req/core/map-response: Content-Crs and Content-Bbox headers), the map of
 * each collection (collection-map), output CRS selection (crs), the `bbox`/`bbox-crs`
 * subset (spatial-subsetting's bbox requirements), `width`/`height` (scaling), PNG and JPEG.
 */
const MAPS = 'http://www.opengis.net/spec/ogcapi-maps-1/1.0/conf/';

export const MAPS_CONFORMANCE = [
  `${MAPS}core`,
  `${MAPS}collection-map`,
  `${MAPS}crs`,
  `${MAPS}scaling`,
  `${MAPS}png`,
  `${MAPS}jpeg`,
] as const;
