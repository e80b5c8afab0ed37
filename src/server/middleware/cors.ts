import type Koa from 'koa';
import type { RequestState } from '../context.js';

/** What scripts of other origins may read of an answer (also sent by the hit lane). */
export const EXPOSED_HEADERS = 'ETag, X-Request-Id, Content-Length, Content-Crs, Content-Bbox, Server-Timing';
const METHODS = 'GET, HEAD, OPTIONS';

/**
 * CORS for a public read-only service: every answer may be read by any origin
 * (`Access-Control-Allow-Origin: *`, no credentials), and preflights are answered here.
 *
 * Written by hand instead of @koa/cors on purpose: with a fixed `*` policy the answer does
 * not depend on the request's Origin, yet @koa/cors adds `Vary: Origin` to every response,
 * which splits a CDN's or browser's cache per calling site; and the policy is three headers
 * (about 10 µs per request less on the cache-hit path, measured with --cpu-prof).
 */
export function publicCors(): Koa.Middleware<RequestState> {
  return async (ctx, next) => {
    ctx.set('Access-Control-Allow-Origin', '*');
    if (ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method')) {
      // A preflight (Fetch standard §3.2.2): which methods and request headers are allowed, for a day.
      ctx.set('Access-Control-Allow-Methods', METHODS);
      const asked = ctx.get('Access-Control-Request-Headers');
      if (asked) ctx.set('Access-Control-Allow-Headers', asked);
      ctx.set('Access-Control-Max-Age', '86400');
      ctx.status = 204;
      return;
    }
    ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    await next();
  };
}
