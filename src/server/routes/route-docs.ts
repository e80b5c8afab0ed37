/**
 * OpenAPI descriptions of the routes whose modules predate self-describing routes (XYZ and
 * TileJSON in api.ts, WMTS in wmts.ts, health/readiness/metrics in ops.ts, the viewer), keyed
 * by method and router path exactly as the routers hold them. src/server/openapi.ts matches
 * them to the live routes; the test suite fails on a live route without a description here or
 * a description without a live route, so this table cannot drift either.
 */
import { PARAM, RESPONSE, type OperationDoc } from '../../ogc/common/openapi.js';

const STYLE_PARAMS = [
  PARAM.query('bands', 'Band numbers from 1, comma-separated: one (grey or colour map) or three (RGB).'),
  PARAM.query('rescale', 'MIN,MAX per selected band (or once for all), `;`-separated or repeated.'),
  PARAM.query('colormap', 'Colour map of a single band, e.g. viridis, terrain.'),
  PARAM.query('resampling', 'nearest, bilinear, cubic, lanczos or average.', { type: 'string', enum: ['nearest', 'bilinear', 'cubic', 'lanczos', 'average'] }),
];
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const XYZ_TILE_RESPONSES = {
  200: RESPONSE.binary('The tile.', IMAGE_TYPES),
  204: RESPONSE.empty('No data in this tile (collections configured with emptyTile "204").'),
  400: RESPONSE.error('A malformed parameter.'),
  404: RESPONSE.error('No such collection, tile matrix set or tile.'),
};
const OWS_XML = (description: string) => RESPONSE.text(description, 'text/xml');

export const ROUTE_DOCS: Readonly<Record<string, OperationDoc>> = {
  'GET /health': {
    operationId: 'getHealth', summary: 'Liveness: the process answers.', tags: ['Operations'],
    responses: { 200: RESPONSE.json('Alive.') },
  },
  'GET /ready': {
    operationId: 'getReady', summary: 'Readiness: the catalog is loaded and the renderer runs.', tags: ['Operations'],
    responses: { 200: RESPONSE.json('Ready.'), 503: RESPONSE.json('Starting or shutting down.') },
  },
  'GET /metrics': {
    operationId: 'getMetrics', summary: 'Prometheus metrics.', tags: ['Operations'],
    responses: { 200: RESPONSE.text('Metrics in the Prometheus text format.', 'text/plain') },
  },
  'GET /viewer/:file': {
    operationId: 'getViewerFile', summary: 'A file of the map viewer (script, styles, icon).', tags: ['Viewer'],
    parameters: [PARAM.path('file', 'File name, e.g. viewer.js.')],
    responses: { 200: RESPONSE.binary('The file.', ['text/javascript', 'text/css', 'image/svg+xml']), 404: RESPONSE.error('No such file.') },
  },
  'GET /api/v1/collections': {
    operationId: 'xyz.getCollections', summary: 'XYZ face: the collections with their TileJSON and tile URL templates.', tags: ['XYZ'],
    responses: { 200: RESPONSE.json('The collections.') },
  },
  'GET /api/v1/collections/:id': {
    operationId: 'xyz.getCollection', summary: 'XYZ face: one collection.', tags: ['XYZ'],
    parameters: [PARAM.path('id', 'Collection id.')],
    responses: { 200: RESPONSE.json('The collection.'), 404: RESPONSE.error('No such collection.') },
  },
  'GET /api/v1/collections/:id/tilejson.json': {
    operationId: 'xyz.getTileJson', summary: 'TileJSON 3.0.0 of a collection.', tags: ['XYZ'],
    parameters: [
      PARAM.path('id', 'Collection id.'),
      PARAM.query('tileMatrixSet', 'Tile matrix set with numeric levels (default WebMercatorQuad).'),
      PARAM.query('f', 'Tile format of the URL template: png, jpeg or webp.'),
    ],
    responses: { 200: RESPONSE.json('TileJSON.'), 400: RESPONSE.error('Bad parameter.'), 404: RESPONSE.error('No such collection or set.') },
  },
  'GET /api/v1/collections/:id/tiles/:tms/:z/:x/:y': {
    operationId: 'xyz.getTile', summary: 'XYZ tile: {z} tile matrix, {x} column, {y} row from the top, with optional @2x and extension.', tags: ['XYZ'],
    parameters: [
      PARAM.path('id', 'Collection id.'), PARAM.path('tms', 'Tile matrix set id.'), PARAM.path('z', 'Tile matrix (zoom level).'),
      PARAM.path('x', 'Tile column.'), PARAM.path('y', 'Tile row, e.g. 12, 12@2x or 12.png.'),
      PARAM.query('f', 'png, jpeg or webp (else the extension or Accept).'), ...STYLE_PARAMS,
    ],
    responses: XYZ_TILE_RESPONSES,
  },
  'GET /api/v1/tiles/:z/:x/:y': {
    operationId: 'xyz.getDefaultTile', summary: 'XYZ tile of the default collection in WebMercatorQuad.', tags: ['XYZ'],
    parameters: [
      PARAM.path('z', 'Zoom level.'), PARAM.path('x', 'Tile column.'), PARAM.path('y', 'Tile row from the top, optional @2x and extension.'),
      PARAM.query('f', 'png, jpeg or webp.'), ...STYLE_PARAMS,
    ],
    responses: XYZ_TILE_RESPONSES,
  },
  'POST /api/v1/collections/:id/cache/purge': {
    operationId: 'admin.purgeCache', summary: 'Purge the cached tiles of a collection (operators only: Authorization: Bearer <server.adminToken>).', tags: ['Administration'],
    parameters: [
      PARAM.path('id', 'Collection id.'),
      PARAM.query('zoom', 'Zoom levels, e.g. 0-12 (default all).'),
      PARAM.query('bbox', 'w,s,e,n in CRS84 (default everywhere).'),
    ],
    responses: { 202: RESPONSE.json('The purge record.'), 400: RESPONSE.error('Bad parameter.'), 401: RESPONSE.error('No valid admin token.'), 404: RESPONSE.error('No such collection.') },
  },
  'GET /wmts': {
    operationId: 'wmts.kvp', summary: 'WMTS 1.0.0 KVP binding: GetCapabilities, GetTile, GetFeatureInfo (OGC 07-057r7 §8).', tags: ['WMTS'],
    parameters: ['SERVICE', 'REQUEST', 'VERSION', 'LAYER', 'STYLE', 'FORMAT', 'TILEMATRIXSET', 'TILEMATRIX', 'TILEROW', 'TILECOL', 'I', 'J', 'INFOFORMAT', 'ACCEPTVERSIONS', 'SECTIONS', 'UPDATESEQUENCE', 'ACCEPTFORMATS']
      .map((n) => PARAM.query(n, `WMTS ${n} (case-insensitive name).`)),
    responses: {
      200: RESPONSE.binary('Capabilities (text/xml), a tile or feature information.', ['text/xml', ...IMAGE_TYPES, 'text/plain', 'text/html', 'application/json', 'application/xml']),
      400: OWS_XML('OWS ExceptionReport.'),
    },
  },
  'GET /wmts/1.0.0/WMTSCapabilities.xml': {
    operationId: 'wmts.rest.getCapabilities', summary: 'WMTS RESTful capabilities document (§10.1).', tags: ['WMTS'],
    responses: { 200: OWS_XML('The capabilities.'), 406: RESPONSE.text('Not acceptable.', 'text/plain') },
  },
  'GET /wmts/1.0.0/:layer/:style/:tileMatrixSet/:tileMatrix/:tileRow/:last': {
    operationId: 'wmts.rest.getTile', summary: 'WMTS RESTful tile (§10.2): {last} is the column with the format extension.', tags: ['WMTS'],
    parameters: ['layer', 'style', 'tileMatrixSet', 'tileMatrix', 'tileRow', 'last'].map((n) => PARAM.path(n, `WMTS ${n}.`)),
    responses: { 200: RESPONSE.binary('The tile.', IMAGE_TYPES), 400: OWS_XML('Bad parameter.'), 404: OWS_XML('No such resource.') },
  },
  'GET /wmts/1.0.0/:layer/:style/:tileMatrixSet/:tileMatrix/:tileRow/:tileCol/:j/:last': {
    operationId: 'wmts.rest.getFeatureInfo', summary: 'WMTS RESTful feature info (§10.2): {last} is I with the info format extension.', tags: ['WMTS'],
    parameters: ['layer', 'style', 'tileMatrixSet', 'tileMatrix', 'tileRow', 'tileCol', 'j', 'last'].map((n) => PARAM.path(n, `WMTS ${n}.`)),
    responses: { 200: RESPONSE.binary('Feature information.', ['text/plain', 'text/html', 'application/json', 'application/xml']), 400: OWS_XML('Bad parameter.'), 404: OWS_XML('No such resource.') },
  },
};
