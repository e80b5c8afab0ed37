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
 *
 * Per path it remembers what parsing gave (route, collection, tile request) and the header
 * list of its last answer, reused while the tile's ETag, length and type are the same, with
 * the request id and Server-Timing written per request; the metric series it updates are kept
 * with it too. That halved the lane's own JavaScript per hit (10.5 → 5.5 µs with the log
 * line, measured by calling the handler in a loop). The collection is checked against the
 * catalog on every hit, and the tile itself always comes from `peek`, which re-checks sources.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Collection } from '../catalog/types.js';
import { parseXyzRequest } from '../ogc/xyz/tiles.js';
import { parseRestTile } from '../ogc/wmts/rest.js';
import { resolveTile } from '../ogc/wmts/tiles.js';
import type { TileRequest, TileResponse } from '../tiling/service.js';
import type { AppDeps } from './context.js';
import type { CounterSeries } from './metric-series.js';
import type { RequestSeries } from './metrics.js';
import { EXPOSED_HEADERS } from './middleware/cors.js';
import { requestDone, requestIdOf } from './middleware/request.js';
import { bodyOf, serverTiming, tileAnswer, type TileAnswer } from './tile-response.js';

interface LaneRoute {
  /** The route pattern as the router names it (the `route` label of the HTTP metrics). */
  route: string;
  path: RegExp;
  /** The tile request of the decoded path segments; throws what the route would. */
  request(segments: string[]): { collection: Collection; request: TileRequest };
}

/** A path the lane has parsed before: its route, collection and tile request. */
interface Prepared {
  route: string;
  collection: Collection;
  request: TileRequest;
  /**
   * The header list of the last 200 this path answered from memory, reused while the tile's
   * ETag, length and type stay the same; slots REQUEST_ID and TIMING are written per request.
   * Strings only: a tile's bytes stay owned by the cache and its byte bound.
   */
  last?: { etag: string; length: number; contentType: string; headers: string[]; getSeries?: LaneSeries };
}

/** The metric series a GET answered from the reused headers updates. */
interface LaneSeries extends RequestSeries {
  tile: CounterSeries;
}

/** Paths remembered; past this the memo starts afresh (a tile server's hot set is far smaller). */
const PREPARED_LIMIT = 10_000;
/** Indexes of the values written per request in a reused header list. */
const REQUEST_ID = 1;
const TIMING = 3;

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
  const prepared = new Map<string, Prepared>();

  /** The path parsed by the faces' own parsers, or undefined when no lane route takes it (throws what the route would). */
  const prepare = (url: string): Prepared | undefined => {
    for (const lane of routes) {
      const m = lane.path.exec(url);
      if (!m) continue;
      const { collection, request } = lane.request(m.slice(1).map(decodeURIComponent));
      if (prepared.size >= PREPARED_LIMIT) prepared.clear();
      const p = { route: lane.route, collection, request };
      prepared.set(url, p);
      return p;
    }
    return undefined;
  };

  /** The lane's header list: the request id and Server-Timing first (the slots a reused list rewrites), then the rest. */
  const laneHeaders = (requestId: string, answer: TileAnswer): string[] => {
    const headers = ['X-Request-Id', requestId, 'Server-Timing', ''];
    for (let i = 0; i < answer.headers.length; i += 2) {
      if (answer.headers[i] === 'Server-Timing') headers[TIMING] = answer.headers[i + 1]!;
      else headers.push(answer.headers[i]!, answer.headers[i + 1]!);
    }
    if (cors) headers.push('Access-Control-Allow-Origin', '*', 'Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (answer.body) headers.push('Content-Type', answer.contentType!, 'Content-Length', String(answer.body.byteLength));
    return headers;
  };

  return (req, res) => {
    const started = process.hrtime.bigint();
    const method = req.method;
    const url = req.url;
    if ((method !== 'GET' && method !== 'HEAD') || url === undefined || url.includes('?')) return false;
    let p: Prepared | undefined;
    let result: TileResponse | undefined;
    try {
      p = prepared.get(url);
      // A collection replaced in the catalog (or removed) takes the path through the faces again.
      if (p !== undefined && deps.catalog.tryGet(p.collection.id) !== p.collection) p = undefined;
      p ??= prepare(url);
      if (p === undefined) return false;
      const inm = req.headers['if-none-match'];
      result = deps.tiles.peek(p.request, { ifNoneMatch: inm || undefined });
    } catch {
      return false; // the route answers, in its protocol's error format
    }
    if (!result) return false;
    const id = req.headers['x-request-id'];
    const requestId = requestIdOf(typeof id === 'string' ? id : undefined);
    const last = p.last;
    let headers: string[];
    let status: number;
    let body: Buffer | undefined;
    let series: LaneSeries | undefined;
    if (result.kind === 'image' && last !== undefined && last.etag === result.etag && last.length === result.bytes.byteLength && last.contentType === result.contentType) {
      // The same tile as last time on this path: the same headers, but this request's id and time.
      if (method === 'GET') {
        series = last.getSeries ??= { ...deps.metrics.requestSeries(p.route, method, 200), tile: deps.metrics.tileResponses.series(p.collection.id, result.tier) };
        series.tile.inc();
      } else {
        deps.metrics.tileResponse(p.collection.id, result.tier);
      }
      headers = last.headers;
      headers[REQUEST_ID] = requestId;
      headers[TIMING] = serverTiming(result.tier, Number(process.hrtime.bigint() - started) / 1e9);
      status = 200;
      body = bodyOf(result.bytes);
    } else {
      const answer = tileAnswer(deps, p.collection, result, Number(process.hrtime.bigint() - started) / 1e9);
      headers = laneHeaders(requestId, answer);
      status = answer.status;
      body = answer.body;
      if (result.kind === 'image') p.last = { etag: result.etag, length: result.bytes.byteLength, contentType: result.contentType, headers };
    }
    res.writeHead(status, headers);
    res.end(method === 'HEAD' ? undefined : body);
    deps.metrics.laneAnswers.inc();
    requestDone(deps, requestId, method, url, p.route, status, started, series);
    return true;
  };
}
