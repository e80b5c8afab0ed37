/**
 * OGC API - Common (OGC 19-072, and Part 2 for collections): the landing page at /ogcapi (and
 * at / for clients that ask for JSON — browsers keep getting the map viewer there), the
 * conformance declaration gathered from the mounted faces, the OpenAPI 3.0 definition
 * generated from the live routers, the collections, and the tile matrix sets (OGC API -
 * Tiles' /tileMatrixSets, TMS 2.0 JSON). Every resource is JSON or HTML (`f`, Accept).
 */
import { Router } from '@koa/router';
import type { Collection } from '../../catalog/types.js';
import { crsUri } from '../../crs/index.js';
import { NotFoundError } from '../../errors.js';
import { conformanceDocument, COMMON_CONFORMANCE } from '../../ogc/common/conformance.js';
import { landingPage } from '../../ogc/common/landing.js';
import { link, MEDIA, REL, selfAndAlternates, type Link } from '../../ogc/common/links.js';
import { metadataFormat } from '../../ogc/common/negotiate.js';
import { openApiDocument, PARAM, RESPONSE, type OperationDoc } from '../../ogc/common/openapi.js';
import { single } from '../../ogc/common/params.js';
import { collectionDocument, collectionsDocument, CRS84, scaleDenominatorOf } from '../../ogc/tiles/collections.js';
import { collectionLimits } from '../../ogc/tiles/limits.js';
import { tileMatrixSetsDocument } from '../../ogc/tiles/tilematrixsets.js';
import { tileMatrixSet10 } from '../../ogc/tiles/tms10.js';
import { crsReferenceId, tileMatrixSetCrs } from '../../tilematrixsets/index.js';
import type { AppDeps, RequestState } from '../context.js';
import { liveOperations } from '../openapi.js';
import { documentedGet } from './declare.js';
import { accepts, base, formatOf, ogcapiFrame, query, sendMetadata, type Ctx } from './ogcapi-respond.js';

/** A mounted OGC API face: its router, the conformance classes its modules declare, its landing page links. */
export interface OgcApiFace {
  router: Router<RequestState>;
  conformance: readonly string[];
  landingLinks(base: string): Link[];
}

export interface CommonInput {
  faces: readonly OgcApiFace[];
  /** Every router of the app, in mount order (read when /api is asked for). */
  routers: () => readonly Router<RequestState>[];
}

const F_METADATA = PARAM.f(['json', 'html']);
const ERRORS = { 400: RESPONSE.problem('A malformed parameter.'), 406: RESPONSE.problem('None of the offered media types is acceptable.') };

/** CRSs a collection's map can be drawn in (OGC API - Common Part 2 `crs`; Maps /req/crs): CRS84 first. */
export function mapCrsList(c: Collection, tmsCrs: (id: string) => string | undefined): string[] {
  const ids = ['OGC:CRS84', 'EPSG:4326', 'EPSG:3857', ...c.info.tileMatrixSets.map((t) => tmsCrs(t.tileMatrixSetId)).filter((x): x is string => !!x), c.info.crs.id];
  return [...new Set(ids.map((id) => crsUri(id)).filter((u) => u !== ''))];
}

export function ogcapiRoutes(deps: AppDeps, input: CommonInput): Router<RequestState> {
  const router = new Router<RequestState>();
  const { catalog, registry } = deps;
  const conformance = conformanceDocument([COMMON_CONFORMANCE, ...input.faces.map((f) => f.conformance)]);
  const tmsCrs = (id: string) => {
    const tms = registry.tryGet(id);
    return tms ? crsReferenceId(tms.crs) : undefined;
  };
  const crsOf = (c: Collection) => mapCrsList(c, tmsCrs);
  const scaleOf = (c: Collection) => {
    const geographic = c.info.tileMatrixSets.map((t) => registry.tryGet(t.tileMatrixSetId)).find((t) => t && tileMatrixSetCrs(t).isGeographic);
    const last = geographic ? collectionLimits(c, geographic).at(-1) : undefined;
    return scaleDenominatorOf(c, last ? geographic!.tileMatrices.find((m) => m.id === last.tileMatrix)!.scaleDenominator : undefined);
  };
  const get = (path: string, doc: OperationDoc, handler: (ctx: Ctx, next: () => Promise<unknown>) => unknown) => documentedGet(router, path, doc, ogcapiFrame, async (ctx, next) => { await handler(ctx, next); });

  const landing = (ctx: Ctx, format: 'json' | 'html') => {
    const b = base(ctx, deps);
    const doc = landingPage({
      base: b, path: '/ogcapi', format,
      title: 'Tilewright',
      description: 'Map and data tiles, maps by bounding box and tile matrix sets of Cloud-Optimized GeoTIFFs (OGC API - Tiles, OGC API - Maps).',
      links: [
        ...input.faces.flatMap((f) => f.landingLinks(b)),
        link(REL.viewer, MEDIA.html, `${b}/`, 'the map viewer'),
      ],
    });
    sendMetadata(ctx, deps, doc, format, 'Tilewright');
  };

  // GET / stays the map viewer (routes/viewer.ts) for browsers; a client that asks for JSON
  // (f=json, or Accept preferring application/json) gets the landing page, so that / is the
  // API root the OGC test suite and GDAL's OGCAPI driver expect (/req/landing-page/root-op).
  get('/', {
    operationId: 'getRoot', summary: 'The map viewer (HTML) or, for JSON clients, the OGC API landing page.', tags: ['Capabilities'],
    parameters: [F_METADATA],
    responses: { 200: RESPONSE.jsonOrHtml('The landing page (JSON) or the map viewer (HTML).'), ...ERRORS },
  }, async (ctx, next) => {
    ctx.vary('Accept');
    const f = single(query(ctx), 'f');
    const wantsJson = f !== undefined
      ? metadataFormat(f, accepts(ctx), ctx.get('accept')) === 'json'
      : ctx.get('accept').trim() !== '' && ctx.accepts('text/html', MEDIA.json) === MEDIA.json;
    if (!wantsJson) {
      // The viewer's router (mounted after this one, see app.ts) answers.
      ctx.state.errorFormat = 'json';
      return next();
    }
    landing(ctx, 'json');
  });

  get('/ogcapi', {
    operationId: 'getLandingPage', summary: 'The OGC API landing page.', tags: ['Capabilities'],
    parameters: [F_METADATA],
    responses: { 200: RESPONSE.jsonOrHtml('The landing page.'), ...ERRORS },
  }, (ctx) => landing(ctx, formatOf(ctx)));

  get('/conformance', {
    operationId: 'getConformance', summary: 'The conformance classes this server implements.', tags: ['Capabilities'],
    parameters: [F_METADATA],
    responses: { 200: RESPONSE.jsonOrHtml('The conformance declaration.', { type: 'object', required: ['conformsTo'], properties: { conformsTo: { type: 'array', items: { type: 'string' } } } }), ...ERRORS },
  }, (ctx) => {
    const format = formatOf(ctx);
    const b = base(ctx, deps);
    if (format === 'json') return sendMetadata(ctx, deps, conformance, format, 'Conformance');
    sendMetadata(ctx, deps, { title: 'Conformance', links: selfAndAlternates(`${b}/conformance`, 'html', 'conformance'), ...conformance }, format, 'Conformance');
  });

  const apiDocs = new Map<string, Record<string, unknown>>();
  get('/api', {
    operationId: 'getApi', summary: 'This API definition (OpenAPI 3.0), or its documentation as HTML.', tags: ['Capabilities'],
    parameters: [PARAM.f(['json', 'html'])],
    responses: { 200: { description: 'The API definition.', content: { [MEDIA.openapi]: { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } } }, ...ERRORS },
  }, (ctx) => {
    ctx.vary('Accept');
    const b = base(ctx, deps);
    const f = single(query(ctx), 'f');
    const wantsHtml = f !== undefined ? metadataFormat(f, accepts(ctx), ctx.get('accept')) === 'html'
      : ctx.get('accept').trim() !== '' && ctx.accepts(MEDIA.openapi, MEDIA.json, MEDIA.html) === MEDIA.html;
    let doc = apiDocs.get(b);
    if (!doc) {
      const { operations } = liveOperations(input.routers());
      doc = openApiDocument({
        title: 'Tilewright', version: '1.0.0',
        description: 'OGC API - Tiles 1.0, OGC API - Maps 1.0 (core), TMS 2.0 JSON, WMTS 1.0.0 and XYZ tiles of Cloud-Optimized GeoTIFFs.',
      }, b, operations);
      if (apiDocs.size >= 8) apiDocs.delete(apiDocs.keys().next().value!);
      apiDocs.set(b, doc);
    }
    if (!wantsHtml) {
      ctx.set('Cache-Control', 'public, max-age=60');
      ctx.type = MEDIA.openapi;
      ctx.body = JSON.stringify(doc);
      return;
    }
    const paths = doc['paths'] as Record<string, Record<string, { summary: string; operationId: string }>>;
    const operations = Object.entries(paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, operationId: op.operationId, summary: op.summary })));
    sendMetadata(ctx, deps, {
      title: 'Tilewright API',
      description: 'Every route of this server. The machine-readable OpenAPI 3.0 definition is linked below.',
      links: [link(REL.serviceDesc, MEDIA.openapi, `${b}/api?f=json`, 'OpenAPI 3.0 definition'), link(REL.self, MEDIA.html, `${b}/api?f=html`, 'this page')],
      operations,
    }, 'html', 'Tilewright API');
  });

  get('/collections', {
    operationId: 'getCollections', summary: 'The collections (geospatial data resources).', tags: ['Collections'],
    parameters: [F_METADATA],
    responses: { 200: RESPONSE.jsonOrHtml('The collections.'), ...ERRORS },
  }, (ctx) => {
    const format = formatOf(ctx);
    sendMetadata(ctx, deps, collectionsDocument(base(ctx, deps), catalog.list(), format, crsOf, scaleOf), format, 'Collections');
  });

  get('/collections/:collectionId', {
    operationId: 'getCollection', summary: 'One collection: extent, CRSs and links to its tilesets and map.', tags: ['Collections'],
    parameters: [PARAM.path('collectionId', 'Collection id.'), F_METADATA],
    responses: { 200: RESPONSE.jsonOrHtml('The collection.'), 404: RESPONSE.problem('No such collection.'), ...ERRORS },
  }, (ctx) => {
    const c = catalog.get(ctx.params['collectionId']!);
    const format = formatOf(ctx);
    sendMetadata(ctx, deps, collectionDocument(base(ctx, deps), c, format, crsOf(c), scaleOf(c)), format, c.title);
  });

  get('/tileMatrixSets', {
    operationId: 'getTileMatrixSetsList', summary: 'The tile matrix sets (tiling schemes) of this server.', tags: ['Tile matrix sets'],
    parameters: [F_METADATA],
    responses: { 200: RESPONSE.jsonOrHtml('The tile matrix sets.'), ...ERRORS },
  }, (ctx) => {
    const format = formatOf(ctx);
    sendMetadata(ctx, deps, tileMatrixSetsDocument(base(ctx, deps), registry, format), format, 'Tile matrix sets');
  });

  get('/tileMatrixSets/:tileMatrixSetId', {
    operationId: 'getTileMatrixSet', summary: 'A tile matrix set as OGC TMS 2.0 JSON.', tags: ['Tile matrix sets'],
    parameters: [PARAM.path('tileMatrixSetId', 'Tile matrix set id, e.g. WebMercatorQuad.'), F_METADATA],
    responses: { 200: RESPONSE.jsonOrHtml('The tile matrix set (TMS 2.0 JSON).'), 404: RESPONSE.problem('No such tile matrix set.'), ...ERRORS },
  }, (ctx) => {
    const id = ctx.params['tileMatrixSetId']!;
    const tms = registry.tryGet(id);
    if (!tms) throw new NotFoundError('tileMatrixSet', `no tile matrix set "${id}"`);
    const format = formatOf(ctx);
    if (format === 'json') return sendMetadata(ctx, deps, tms as unknown as Record<string, unknown>, format, tms.id);
    const b = base(ctx, deps);
    sendMetadata(ctx, deps, { title: tms.title ?? tms.id, description: tms.description, links: selfAndAlternates(`${b}/tileMatrixSets/${encodeURIComponent(tms.id)}`, 'html', tms.id), ...tms }, format, tms.id);
  });

  get('/tileMatrixSets/:tileMatrixSetId/tms-1.0', {
    operationId: 'getTileMatrixSet10', summary: 'A tile matrix set in the TMS 1.0 JSON encoding (OGC 17-083r2), for older clients.', tags: ['Tile matrix sets'],
    parameters: [PARAM.path('tileMatrixSetId', 'Tile matrix set id.')],
    responses: { 200: RESPONSE.json('The tile matrix set (TMS 1.0 JSON).'), 404: RESPONSE.problem('No such tile matrix set, or one TMS 1.0 cannot describe.') },
  }, (ctx) => {
    const id = ctx.params['tileMatrixSetId']!;
    const tms = registry.tryGet(id);
    const doc = tms ? tileMatrixSet10(tms) : undefined;
    if (!doc) throw new NotFoundError('tileMatrixSet', tms ? `tile matrix set "${id}" has a corner of origin TMS 1.0 cannot describe` : `no tile matrix set "${id}"`);
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.type = MEDIA.json;
    ctx.body = doc;
  });

  return router;
}

export { CRS84 };
