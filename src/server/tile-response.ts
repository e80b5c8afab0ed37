import type Koa from 'koa';
import type { Collection } from '../catalog/types.js';
import type { TileRequest } from '../tiling/service.js';
import type { AppDeps, RequestState } from './context.js';

/**
 * Renders (or serves from the cache) one tile for any face and answers with the HTTP caching
 * headers every tile carries: a strong ETag known before any pixel is read (a matching
 * If-None-Match is 304 without touching the COGs), Last-Modified from the sources,
 * Cache-Control from the collection, and Server-Timing naming the cache tier.
 */
export async function sendTile(ctx: Koa.ParameterizedContext<RequestState>, deps: AppDeps, collection: Collection, request: TileRequest): Promise<void> {
  const started = process.hrtime.bigint();
  const result = await deps.tiles.render(request, ctx.state.signal, { ifNoneMatch: ctx.get('if-none-match') || undefined });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cc = collection.cacheControl;
  ctx.set('ETag', `"${result.etag}"`);
  if (result.lastModified !== undefined) ctx.set('Last-Modified', new Date(result.lastModified).toUTCString());
  ctx.set('Cache-Control', `public, max-age=${cc.maxAge}, s-maxage=${cc.sMaxAge}, stale-while-revalidate=${cc.staleWhileRevalidate}`);
  const tier = result.kind === 'not-modified' ? 'none' : result.tier;
  ctx.set('Server-Timing', `cache;desc=${tier}, tile;dur=${(seconds * 1000).toFixed(2)}`);
  deps.metrics.tileResponses.inc({ collection: collection.id, tier });
  if (result.kind === 'not-modified') {
    ctx.status = 304;
    return;
  }
  if (result.tier === 'render') {
    deps.metrics.renderTime.observe({ collection: collection.id }, seconds);
    deps.metrics.tiles.inc({ collection: collection.id, format: result.format, outcome: result.kind === 'image' && !result.empty ? 'image' : 'empty' });
  }
  if (result.kind === 'no-content') {
    ctx.status = 204;
    return;
  }
  ctx.type = result.contentType;
  ctx.body = Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength);
}
