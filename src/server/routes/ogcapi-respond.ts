/**
 * What every OGC API route does alike: speak RFC 7807 errors (errorFormat 'ogcapi'), choose
 * JSON or HTML for metadata (`f`, then Accept; /req/json and /req/html of OGC API - Common),
 * and answer with the document or its HTML page.
 */
import type { RouterContext, RouterMiddleware } from '@koa/router';
import { resourceHtml } from '../../ogc/common/html.js';
import { link, MEDIA, REL } from '../../ogc/common/links.js';
import { metadataFormat, type MetadataFormat } from '../../ogc/common/negotiate.js';
import { single, type Query } from '../../ogc/common/params.js';
import type { AppDeps, RequestState } from '../context.js';
import { baseUrl } from '../url.js';

export type Ctx = RouterContext<RequestState>;

/** First middleware of every OGC API route: errors become problem details. */
export const ogcapiFrame: RouterMiddleware<RequestState> = async (ctx, next) => {
  ctx.state.errorFormat = 'ogcapi';
  await next();
};

export function query(ctx: Ctx): Query {
  return ctx.query as Query;
}

export function base(ctx: Ctx, deps: AppDeps): string {
  return baseUrl(ctx, deps.config);
}

export function accepts(ctx: Ctx) {
  return (...types: string[]) => ctx.accepts(...types) as string | false;
}

/** JSON or HTML, by `f` or Accept. Varies by Accept. */
export function formatOf(ctx: Ctx): MetadataFormat {
  ctx.vary('Accept');
  return metadataFormat(single(query(ctx), 'f'), accepts(ctx), ctx.get('accept'));
}

/** Answers a metadata document as JSON or as its HTML page. */
export function sendMetadata(ctx: Ctx, deps: AppDeps, doc: Record<string, unknown>, format: MetadataFormat, title: string): void {
  ctx.set('Cache-Control', 'public, max-age=60');
  if (format === 'json') {
    ctx.type = MEDIA.json;
    ctx.body = doc;
    return;
  }
  const b = base(ctx, deps);
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = resourceHtml(doc, {
    title,
    nav: [
      link(REL.self, MEDIA.html, `${b}/ogcapi?f=html`, 'OGC API landing page'),
      link(REL.data, MEDIA.html, `${b}/collections?f=html`, 'Collections'),
      link(REL.tilingSchemes, MEDIA.html, `${b}/tileMatrixSets?f=html`, 'Tile matrix sets'),
      link(REL.serviceDoc, MEDIA.html, `${b}/api?f=html`, 'API'),
      link(REL.viewer, MEDIA.html, `${b}/`, 'Map viewer'),
    ],
  });
}
