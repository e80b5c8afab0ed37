/**
 * The OGC API - Maps 1.0 face (OGC 20-058, core with collection maps, crs, bbox/bbox-crs and
 * width/height): `GET /collections/{id}/map?bbox=…&bbox-crs=…&crs=…&width=…&height=…&f=png`.
 * The area (default: the whole collection) becomes a TargetGrid in the requested CRS (default
 * CRS84) and goes through the tile pipeline (TileService.renderMap: warp, style, encode).
 * The answer says what it is: Content-Crs and Content-Bbox (/req/core/map-response).
 */
import { Router } from '@koa/router';
import { PARAM, RESPONSE } from '../../ogc/common/openapi.js';
import { parseStyleQuery, single } from '../../ogc/common/params.js';
import { MAPS_CONFORMANCE } from '../../ogc/maps/conformance.js';
import { DEFAULT_MAP_SIDE, MAX_MAP_PIXELS, MAX_MAP_SIDE } from '../../ogc/maps/limits.js';
import { planMap } from '../../ogc/maps/params.js';
import { MAP_MEDIA, negotiateMapFormat } from '../../ogc/tiles/formats.js';
import type { AppDeps, RequestState } from '../context.js';
import { documentedGet } from './declare.js';
import type { OgcApiFace } from './ogcapi.js';
import { accepts, ogcapiFrame, query, type Ctx } from './ogcapi-respond.js';

export function ogcapiMapsRoutes(deps: AppDeps): OgcApiFace {
  const router = new Router<RequestState>();
  documentedGet(router, '/collections/:collectionId/map', {
    operationId: '.collection.map.getMap',
    summary: 'A map of a collection: any area, in any supported CRS, at any size within the limits.',
    description: `Without bbox the whole collection; without width and height the longer side is ${DEFAULT_MAP_SIDE} pixels and the aspect is kept. `
      + `Each side is limited to ${MAX_MAP_SIDE} pixels and the map to ${MAX_MAP_PIXELS} pixels (400 beyond).`,
    tags: ['Maps'],
    parameters: [
      PARAM.path('collectionId', 'Collection id.'),
      PARAM.query('bbox', 'minx,miny,maxx,maxy in the axis order of bbox-crs (CRS84: lon,lat; EPSG:4326: lat,lon).'),
      PARAM.query('bbox-crs', 'CRS of bbox (URI, or a safe CURIE such as [EPSG:3857]); default http://www.opengis.net/def/crs/OGC/1.3/CRS84.'),
      PARAM.query('crs', 'CRS of the map; default CRS84.'),
      PARAM.query('width', 'Width in pixels.', { type: 'integer', minimum: 1, maximum: MAX_MAP_SIDE }),
      PARAM.query('height', 'Height in pixels.', { type: 'integer', minimum: 1, maximum: MAX_MAP_SIDE }),
      PARAM.f(['png', 'jpeg', 'webp'], 'Map encoding; without it the Accept header decides.'),
      PARAM.query('bands', 'Band numbers from 1, comma-separated.'),
      PARAM.query('rescale', 'MIN,MAX per selected band (or once for all).'),
      PARAM.query('colormap', 'Colour map of a single band.'),
      PARAM.query('resampling', 'nearest, bilinear, cubic, lanczos or average.'),
    ],
    responses: {
      200: RESPONSE.binary('The map (headers Content-Crs and Content-Bbox).', Object.values(MAP_MEDIA)),
      400: RESPONSE.problem('A malformed parameter, an unknown CRS or a map beyond the size limits.'),
      404: RESPONSE.problem('No such collection.'),
      406: RESPONSE.problem('None of the offered media types is acceptable.'),
    },
  }, ogcapiFrame, async (ctx: Ctx) => {
    const c = deps.catalog.get(ctx.params['collectionId']!);
    const q = query(ctx);
    const plan = planMap(q, c.info.lonLatBounds);
    const f = single(q, 'f');
    if (f === undefined) ctx.vary('Accept');
    const format = negotiateMapFormat(f, c.formats, accepts(ctx), ctx.get('accept'));
    const { style, resampling } = parseStyleQuery(q);
    const started = process.hrtime.bigint();
    const result = await deps.tiles.renderMap({
      layers: [{ collectionId: c.id, style, ...(resampling ? { resampling } : {}) }], grid: plan.grid, format, emptyTile: 'blank',
    }, ctx.state.signal);
    deps.metrics.renderTime.observe({ collection: c.id }, Number(process.hrtime.bigint() - started) / 1e9);
    if (result.kind === 'no-content') throw new Error('a map is never empty');
    ctx.set('Content-Crs', plan.contentCrs);
    ctx.set('Content-Bbox', plan.contentBbox.join(','));
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.type = result.contentType;
    ctx.body = Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength);
  });
  return { router, conformance: MAPS_CONFORMANCE, landingLinks: () => [] };
}
