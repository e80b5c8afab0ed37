/**
 * The hit lane: tile requests whose answer is already in memory are answered here, on the
 * raw node:http request, before Koa builds a context and the routers match. A cache hit is
 * most of a tile server's traffic and costs little work of its own, so the framework was most
 * of its cost (measured with --cpu-prof on a 132 KB tile: 205 µs per hit through Koa and the
 * routers; see bench/serve and the README for figures).
 *
 * The lane never decides anything: it parses with the faces' own parsers, asks the
 * TileService's `peek` (the same call the routes make first) and answers with the same
 * headers (`tileAnswer`, the CORS policy, the request id), metrics and log line as the route
 * would. Whatever it does not fully handle (a query string, no extension, a parse error, a
 * miss, any other method) goes to Koa untouched, so errors keep each protocol's format.
 * `server.hitLane: false` turns it off (same answers, slower).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Collection } from '../catalog/types.js';
import { parseXyzRequest } from '../ogc/xyz/tiles.js';
import { parseRestTile } from '../ogc/wmts/rest.js';
import { resolveTile } from '../ogc/wmts/tiles.js';
import type { TileRequest } from '../tiling/service.js';
import type { AppDeps } from './context.js';
import { EXPOSED_HEADERS } from './middleware/cors.js';
import { requestDone, requestIdOf } from './middleware/request.js';
import { tileAnswer } from './tile-response.js';

interface LaneRoute {
  /** The route pattern as the router names it (the `route` label of the HTTP metrics). */
  route: string;
  path: RegExp;
  /** The tile request of the decoded path segments; throws what the route would. */
  request(segments: string[]): { collection: Collection; request: TileRequest };
}

/** Returns a handler that answers a request and returns true, or returns false and leaves it alone. */
export function hitLane(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const wmts = { catalog: deps.catalog, registry: deps.registry };
  const routes: LaneRoute[] = [
    {
      // The XYZ face (src/server/routes/api.ts), with an extension: no content negotiation.
      route: '/api/v1/collections/:id/tiles/:tms/:z/:x/:y',
      path: /^\/api\/v1\/collections\/([^/]+)\/tiles\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+\.[A-Za-z]+)$/,
      request: ([id, tms, z, x, y]) => ({
        collection: deps.catalog.get(id!),
        request: parseXyzRequest({ collectionId: id!, tileMatrixSetId: tms!, z: z!, x: x!, y: y! }, {}, undefined),
      }),
    },
    {
      // WMTS RESTful GetTile (src/server/routes/wmts.ts).
      route: '/wmts/1.0.0/:layer/:style/:tileMatrixSet/:tileMatrix/:tileRow/:last',
      path: /^\/wmts\/1\.0\.0\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)$/,
      request: ([layer, style, tileMatrixSet, tileMatrix, tileRow, last]) => resolveTile(parseRestTile({
        layer: layer!, style: style!, tileMatrixSet: tileMatrixSet!, tileMatrix: tileMatrix!, tileRow: tileRow!, last: last!,
      }), wmts),
    },
  ];
  const cors = deps.config.cors;

  return (req, res) => {
    const started = process.hrtime.bigint();
    const method = req.method;
    const url = req.url;
    if ((method !== 'GET' && method !== 'HEAD') || url === undefined || url.includes('?')) return false;
    for (const lane of routes) {
      const m = lane.path.exec(url);
      if (!m) continue;
      let answer;
      try {
        const { collection, request } = lane.request(m.slice(1).map(decodeURIComponent));
        const inm = req.headers['if-none-match'];
        const result = deps.tiles.peek(request, { ifNoneMatch: inm || undefined });
        if (!result) return false;
        answer = tileAnswer(deps, collection, result, Number(process.hrtime.bigint() - started) / 1e9);
      } catch {
        return false; // the route answers, in its protocol's error format
      }
      const id = req.headers['x-request-id'];
      const requestId = requestIdOf(typeof id === 'string' ? id : undefined);
      const headers = ['X-Request-Id', requestId];
      if (cors) headers.push('Access-Control-Allow-Origin', '*', 'Access-Control-Expose-Headers', EXPOSED_HEADERS);
      headers.push(...answer.headers);
      if (answer.body) headers.push('Content-Type', answer.contentType!, 'Content-Length', String(answer.body.byteLength));
      res.writeHead(answer.status, headers);
      res.end(method === 'HEAD' ? undefined : answer.body);
      deps.metrics.laneAnswers.inc();
      requestDone(deps, requestId, method, url, lane.route, answer.status, started);
      return true;
    }
    return false;
  };
}
