import type { Logger } from 'pino';
import type { PurgeRegistry } from '../cache/purge.js';
import type { Catalog } from '../catalog/types.js';
import type { ServerConfig } from '../config.js';
import type { TileMatrixSetRegistry } from '../tilematrixsets/index.js';
import type { TileService } from '../tiling/service.js';
import type { ServerMetrics } from './metrics.js';
import type { ErrorMapper } from './middleware/request.js';

/** Everything the routes need, built by the composition root (src/main.ts). */
export interface AppDeps {
  config: ServerConfig;
  catalog: Catalog;
  tiles: TileService;
  /** Operator purges of cached tiles (shared through Redis when configured). */
  purges: PurgeRegistry;
  registry: TileMatrixSetRegistry;
  logger: Logger;
  metrics: ServerMetrics;
  /** The text of GET /metrics (of every server process when there are several). */
  metricsText(): Promise<string>;
  /** Folder of the built map viewer (index.html, viewer.js, viewer.css). */
  viewerDir: string;
  /** Readiness: false while starting and once shutdown has begun. */
  ready(): boolean;
  /** One error table per protocol (XYZ JSON, OGC API problem details, OWS for WMTS). */
  errorMappers: Record<RequestState['errorFormat'], ErrorMapper>;
}

/** Per-request state set by the middleware. */
export interface RequestState {
  requestId: string;
  log: Logger;
  /** Fires when the client goes away or the request times out. */
  signal: AbortSignal;
  /** Which error format the route speaks (JSON for the XYZ API, RFC 7807 problem details for OGC API, OWS XML for WMTS). */
  errorFormat: 'json' | 'ows' | 'ogcapi';
  /**
   * Set by the WMTS RESTful routes: a URL naming a resource that does not exist is 404
   * (07-057r7 §10.2), where the KVP binding answers 400 with the same OWS exception code.
   */
  restful?: boolean;
}
