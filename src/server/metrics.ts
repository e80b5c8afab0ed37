import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one server (own registry, so several servers in one process — tests —
 * do not share counters). Served at GET /metrics.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'tilewright_http_requests_total', help: 'HTTP requests by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const, registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'tilewright_http_request_duration_seconds', help: 'HTTP request latency by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const, registers: [this.registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  readonly tiles = new Counter({
    name: 'tilewright_tiles_rendered_total', help: 'Tiles rendered, by collection, format and outcome (image, empty)',
    labelNames: ['collection', 'format', 'outcome'] as const, registers: [this.registry],
  });
  readonly renderTime = new Histogram({
    name: 'tilewright_tile_render_duration_seconds', help: 'Time to render one tile (read, warp, style, encode)',
    labelNames: ['collection'] as const, registers: [this.registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'tilewright_' });
  }
}
