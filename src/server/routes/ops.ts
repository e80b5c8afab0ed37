import Router from '@koa/router';
import type { AppDeps, RequestState } from '../context.js';

/** Liveness, readiness and Prometheus metrics. */
export function opsRoutes(deps: AppDeps): Router<RequestState> {
  const router = new Router<RequestState>();
  // Liveness: the process answers.
  router.get('/health', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  // Readiness: the catalog is loaded and the renderer runs; false again once shutdown begins.
  router.get('/ready', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const ready = deps.ready();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable' };
  });
  router.get('/metrics', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metricsText();
  });
  return router;
}
