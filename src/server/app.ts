import type { Router } from '@koa/router';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import { hitLane } from './hit-lane.js';
import type { AppDeps, RequestState } from './context.js';
import { publicCors } from './middleware/cors.js';
import { requestFrame } from './middleware/request.js';
import { adminRoutes } from './routes/admin.js';
import { apiRoutes } from './routes/api.js';
import { ogcapiRoutes } from './routes/ogcapi.js';
import { ogcapiMapsRoutes } from './routes/ogcapi-maps.js';
import { ogcapiTilesRoutes } from './routes/ogcapi-tiles.js';
import { opsRoutes } from './routes/ops.js';
import { viewerRoutes } from './routes/viewer.js';
import { wmtsRoutes } from './routes/wmts.js';

/**
 * The request handler of the HTTP server: the hit lane (in-memory tile hits, answered before
 * the framework) in front of the Koa application, which handles everything else.
 */
export function createHandler(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const koa = createApp(deps).callback();
  if (!deps.config.hitLane) return koa;
  const lane = hitLane(deps);
  return (req, res) => {
    if (!lane(req, res)) void koa(req, res);
  };
}

/**
 * The Koa application (the only module tree that imports Koa): request frame (id, abort,
 * errors, logs, metrics), CORS, then the routes. Unknown paths are 404 JSON.
 */
export function createApp(deps: AppDeps): Koa<RequestState> {
  const app = new Koa<RequestState>();
  app.use(requestFrame(deps));
  if (deps.config.cors) {
    app.use(publicCors());
  }
  // OGC API routes live at the root, as the standards place them (/collections, /conformance,
  // /api, /tileMatrixSets, /map/tiles); none clashes with /api/v1, /wmts, the operations
  // routes or the viewer. The OGC API router comes before the viewer's: GET / is the landing
  // page for JSON clients and falls through to the viewer for browsers.
  const faces = [ogcapiTilesRoutes(deps), ogcapiMapsRoutes(deps)];
  const routers: Router<RequestState>[] = [];
  const common = ogcapiRoutes(deps, { faces, routers: () => routers });
  routers.push(opsRoutes(deps), apiRoutes(deps), adminRoutes(deps), wmtsRoutes(deps), common, ...faces.map((f) => f.router), viewerRoutes(deps));
  for (const router of routers) {
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
