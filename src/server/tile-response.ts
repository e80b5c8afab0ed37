import type Koa from 'koa';
import type { Collection } from '../catalog/types.js';
import type { TileRequest, TileResponse } from '../tiling/service.js';
import type { AppDeps, RequestState } from './context.js';

/**
 * Renders (or serves from the cache) one tile for any face and answers with the HTTP caching
 * headers every tile carries: a strong ETag known before any pixel is read (a matching
 * If-None-Match is 304 without touching the COGs), Last-Modified from the sources,
 * Cache-Control from the collection, and Server-Timing naming the cache tier.
 */
export async function sendTile(ctx: Koa.ParameterizedContext<RequestState>, deps: AppDeps, collection: Collection, request: TileRequest): Promise<void> {
  const started = process.hrtime.bigint();
  const conditional = { ifNoneMatch: ctx.get('if-none-match') || undefined };
  // A hit answers without waiting (no promise, no signal); anything else takes the full path.
  const result = deps.tiles.peek(request, conditional) ?? await deps.tiles.render(request, ctx.state.signal, conditional);
  const answer = tileAnswer(deps, collection, result, Number(process.hrtime.bigint() - started) / 1e9);
  for (let i = 0; i < answer.headers.length; i += 2) ctx.set(answer.headers[i]!, answer.headers[i + 1]!);
  ctx.status = answer.status;
  if (answer.body) {
    ctx.type = answer.contentType!;
    ctx.body = answer.body;
  }
}

/** A tile's HTTP answer, shared by the routes (through Koa) and the hit lane (src/server/hit-lane.ts). */
export interface TileAnswer {
  status: 200 | 204 | 304;
  /** Header names and values, alternating (the caching headers; not Content-Type/Length). */
  headers: string[];
  contentType?: string;
  body?: Buffer;
}

/** The status, caching headers and body of a tile result; counts it in the tile metrics. */
export function tileAnswer(deps: AppDeps, collection: Collection, result: TileResponse, seconds: number): TileAnswer {
  const tier = result.kind === 'not-modified' ? 'none' : result.tier;
  const headers = ['ETag', `"${result.etag}"`];
  if (result.lastModified !== undefined) headers.push('Last-Modified', httpDate(result.lastModified));
  headers.push('Cache-Control', cacheControl(collection.cacheControl), 'Server-Timing', serverTiming(tier, seconds));
  deps.metrics.tileResponse(collection.id, tier);
  if (result.kind === 'not-modified') return { status: 304, headers };
  if (result.tier === 'render') {
    deps.metrics.renderTime.observe({ collection: collection.id }, seconds);
    deps.metrics.tiles.inc({ collection: collection.id, format: result.format, outcome: result.kind === 'image' && !result.empty ? 'image' : 'empty' });
  }
  if (result.kind === 'no-content') return { status: 204, headers };
  return { status: 200, headers, contentType: result.contentType, body: bodyOf(result.bytes) };
}

/** The Server-Timing value of a tile: where it came from and the time the server spent on it. */
export function serverTiming(tier: string, seconds: number): string {
  return `cache;desc=${tier}, tile;dur=${(seconds * 1000).toFixed(2)}`;
}

/** A tile's bytes as a Buffer for node:http (the same memory, no copy). */
export function bodyOf(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const ccStrings = new WeakMap<Collection['cacheControl'], string>();

/** The Cache-Control value of a collection's policy (made once per policy object). */
function cacheControl(cc: Collection['cacheControl']): string {
  let value = ccStrings.get(cc);
  if (value === undefined) {
    value = `public, max-age=${cc.maxAge}, s-maxage=${cc.sMaxAge}, stale-while-revalidate=${cc.staleWhileRevalidate}`;
    ccStrings.set(cc, value);
  }
  return value;
}

let lastDate: { ms: number; text: string } = { ms: Number.NaN, text: '' };

/** An HTTP date (RFC 9110 IMF-fixdate); the last one is remembered, as most tiles share their sources' time. */
function httpDate(ms: number): string {
  if (ms !== lastDate.ms) lastDate = { ms, text: new Date(ms).toUTCString() };
  return lastDate.text;
}
