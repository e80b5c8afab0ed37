/**
 * OGC API - Tiles - Part 1: Core 1.0 (OGC 20-057) conformance classes implemented by this face
 * (src/ogc/tiles with src/server/routes/ogcapi-tiles.ts): core (/req/core), tileset metadata,
 * tileset lists, collection (geodata) and dataset tilesets, the `collections` parameter on
 * dataset tiles (geodata-selection), PNG, JPEG and GeoTIFF (tiff) tiles, and the OpenAPI 3.0
 * definition.
 */
const TILES = 'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/';

export const TILES_CONFORMANCE = [
  `${TILES}core`,
  `${TILES}tileset`,
  `${TILES}tilesets-list`,
  `${TILES}geodata-tilesets`,
  `${TILES}dataset-tilesets`,
  `${TILES}geodata-selection`,
  `${TILES}png`,
  `${TILES}jpeg`,
  `${TILES}tiff`,
  `${TILES}oas30`,
] as const;
