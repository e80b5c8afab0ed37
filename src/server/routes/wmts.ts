/**
 * The WMTS 1.0.0 face (OGC 07-057r7), a thin Koa layer over src/ogc/wmts and the TileService:
 *
 *   GET /wmts?SERVICE=WMTS&REQUEST=GetCapabilities|GetTile|GetFeatureInfo&…   KVP binding (§8)
 *   GET /wmts/1.0.0/WMTSCapabilities.xml                                       RESTful (§10.1)
 *   GET /wmts/1.0.0/{Layer}/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.{ext}
 *   GET /wmts/1.0.0/{Layer}/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}/{J}/{I}.{infoExt}
 *
 * Every error becomes an OWS ExceptionReport (ctx.state.errorFormat = 'ows'); the RESTful
 * routes also set `restful`, which turns "no such resource" into 404.
 */
import Router, { type RouterContext } from '@koa/router';
import {
  capabilitiesXml, currentCapabilitiesXml, formatFeatureInfo, IMAGE_MIME, infoFormatOfMime, layerOf, negotiateCapabilities,
  OwsException, parseKvpRequest, parseRestFeatureInfo, parseRestTile, resolveTile,
  type CapabilitiesParams, type FeatureInfoParams, type Section, type TileParams,
} from '../../ogc/wmts/index.js';
import type { AppDeps, RequestState } from '../context.js';
import { sendTile } from '../tile-response.js';
import { baseUrl } from '../url.js';

type Ctx = RouterContext<RequestState>;

/** The server's updateSequence (06-121r3 §7.3.4): when this process built its catalog, to the second (ISO 8601 UTC). */
function startTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function wmtsRoutes(deps: AppDeps): Router<RequestState> {
  const router = new Router<RequestState>();
  const updateSequence = startTimestamp();
  const wmts = { catalog: deps.catalog, registry: deps.registry };

  // The catalog does not change while the process runs: documents are built once per base URL
  // (it comes from the Host header unless server.publicUrl is set) and section selection.
  const documents = new Map<string, string>();
  const document = (base: string, sections: ReadonlySet<Section>) => {
    const key = `${base}\n${[...sections].join(',')}`;
    let doc = documents.get(key);
    if (doc === undefined) {
      doc = capabilitiesXml({ base, catalog: deps.catalog, registry: deps.registry, updateSequence }, sections);
      if (documents.size >= 32) documents.delete(documents.keys().next().value!);
      documents.set(key, doc);
    }
    return doc;
  };

  const capabilities = (ctx: Ctx, params: CapabilitiesParams) => {
    const plan = negotiateCapabilities(params, updateSequence);
    ctx.type = plan.contentType;
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = plan.kind === 'current' ? currentCapabilitiesXml(updateSequence) : document(baseUrl(ctx, deps.config), plan.sections);
  };

  const tile = async (ctx: Ctx, params: TileParams) => {
    const { collection, request } = resolveTile(params, wmts);
    await sendTile(ctx, deps, collection, request);
  };

  const featureInfo = async (ctx: Ctx, params: FeatureInfoParams) => {
    const { collection, request } = resolveTile(params, wmts);
    const format = infoFormatOfMime(params.infoFormat);
    if (!format) throw new OwsException('InvalidParameterValue', 'InfoFormat', `InfoFormat "${params.infoFormat}" is not offered (text/plain, text/html, application/json, application/xml)`);
    const pixel = await deps.tiles.pixelValues(request, { i: params.i, j: params.j }, ctx.state.signal);
    const answer = formatFeatureInfo({ layer: collection.id, request: params, pixel }, format);
    ctx.type = answer.contentType;
    ctx.body = answer.body;
  };

  router.get('/wmts', async (ctx) => {
    ctx.state.errorFormat = 'ows';
    const req = parseKvpRequest(ctx.query);
    if (req.operation === 'GetCapabilities') capabilities(ctx, req.params);
    else if (req.operation === 'GetTile') await tile(ctx, req.params);
    else await featureInfo(ctx, req.params);
  });

  router.get('/wmts/1.0.0/WMTSCapabilities.xml', (ctx) => {
    ctx.state.errorFormat = 'ows';
    ctx.state.restful = true;
    ctx.vary('Accept');
    const type = ctx.accepts('text/xml', 'application/xml');
    if (type === false) {
      ctx.status = 406;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `the capabilities document is available as text/xml or application/xml, not ${ctx.get('accept')}\n`;
      return;
    }
    capabilities(ctx, { acceptFormats: [type] });
  });

  router.get('/wmts/1.0.0/:layer/:style/:tileMatrixSet/:tileMatrix/:tileRow/:last', async (ctx) => {
    ctx.state.errorFormat = 'ows';
    ctx.state.restful = true;
    const p = ctx.params;
    await tile(ctx, parseRestTile({
      layer: p['layer']!, style: p['style']!, tileMatrixSet: p['tileMatrixSet']!, tileMatrix: p['tileMatrix']!, tileRow: p['tileRow']!, last: p['last']!,
    }));
  });

  router.get('/wmts/1.0.0/:layer/:style/:tileMatrixSet/:tileMatrix/:tileRow/:tileCol/:j/:last', async (ctx) => {
    ctx.state.errorFormat = 'ows';
    ctx.state.restful = true;
    const p = ctx.params;
    const collection = layerOf(p['layer']!, wmts);
    await featureInfo(ctx, parseRestFeatureInfo({
      layer: p['layer']!, style: p['style']!, tileMatrixSet: p['tileMatrixSet']!, tileMatrix: p['tileMatrix']!,
      tileRow: p['tileRow']!, tileCol: p['tileCol']!, j: p['j']!, last: p['last']!,
    }, IMAGE_MIME[collection.formats[0]!]));
  });

  // Any other URL under the RESTful root names no resource: 404 with an ExceptionReport.
  router.get('/wmts/{*rest}', (ctx) => {
    ctx.state.errorFormat = 'ows';
    ctx.state.restful = true;
    throw new OwsException('InvalidParameterValue', undefined, `no WMTS resource at ${ctx.path}`);
  });

  return router;
}
