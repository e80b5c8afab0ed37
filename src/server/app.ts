import cors from '@koa/cors';
import Koa from 'koa';
import type { AppDeps, RequestState } from './context.js';
import { requestFrame } from './middleware/request.js';
import { apiRoutes } from './routes/api.js';
import { opsRoutes } from './routes/ops.js';
import { viewerRoutes } from './routes/viewer.js';
import { wmtsRoutes } from './routes/wmts.js';

/**
 * The Koa application (the only module tree that imports Koa): request frame (id, abort,
 * errors, logs, metrics), CORS for GET, then the routes. Unknown paths are 404 JSON.
 */
export function createApp(deps: AppDeps): Koa<RequestState> {
  const app = new Koa<RequestState>();
  app.use(requestFrame(deps));
  if (deps.config.cors) {
    app.use(cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['ETag', 'X-Request-Id', 'Content-Length'] }));
  }
  for (const router of [opsRoutes(deps), apiRoutes(deps), wmtsRoutes(deps), viewerRoutes(deps)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  app.use((ctx) => {
    if (ctx.status === 404 && ctx.body === undefined) {
      ctx.status = 404;
      ctx.body = { code: 'NotFound', description: `no resource at ${ctx.path}` };
    }
  });
  return app;
}
