import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SeriesCounter, SeriesHistogram, type CounterSeries, type HistogramSeries } from './metric-series.js';

/** The HTTP series of one route, method and status, for callers that keep them (the hit lane). */
export interface RequestSeries {
  count: CounterSeries;
  latency: HistogramSeries;
}

/**
 * Prometheus metrics of one server (own registry, so several servers in one process — tests —
 * do not share counters). Served at GET /metrics.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  // The metrics every request or cache hit updates are SeriesCounter/SeriesHistogram (plain
  // numbers; see src/server/metric-series.ts), the others prom-client's own.
  readonly requests = new SeriesCounter({
    name: 'tilewright_http_requests_total', help: 'HTTP requests by route pattern, method and status',
    labelNames: ['route', 'method', 'status'], registry: this.registry,
  });
  readonly latency = new SeriesHistogram({
    name: 'tilewright_http_request_duration_seconds', help: 'HTTP request latency by route pattern, method and status',
    labelNames: ['route', 'method', 'status'], registry: this.registry,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  readonly tiles = new Counter({
    name: 'tilewright_tiles_rendered_total', help: 'Tiles rendered, by collection, format and outcome (image, empty)',
    labelNames: ['collection', 'format', 'outcome'] as const, registers: [this.registry],
  });
  readonly tileResponses = new SeriesCounter({
    name: 'tilewright_tile_responses_total', help: 'Tile answers by collection and where the tile came from (l1, l2, render, wait: another request rendered it, none: 304)',
    labelNames: ['collection', 'tier'], registry: this.registry,
  });
  readonly laneAnswers = new SeriesCounter({
    name: 'tilewright_hit_lane_answers_total', help: 'Tile requests answered from memory by the hit lane, before the framework (they are also in the other counters)',
    registry: this.registry,
  }).series();
  readonly renderTime = new Histogram({
    name: 'tilewright_tile_render_duration_seconds', help: 'Time to render one tile (read, warp, style, encode)',
    labelNames: ['collection'] as const, registers: [this.registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });

  readonly cacheHits = new SeriesCounter({
    name: 'tilewright_cache_hits_total', help: 'Tile cache hits by tier (l1: memory, l2: Redis)',
    labelNames: ['tier'], registry: this.registry,
  });
  readonly #l1Hits = this.cacheHits.series('l1');
  readonly #l2Hits = this.cacheHits.series('l2');
  readonly cacheMisses = new Counter({ name: 'tilewright_cache_misses_total', help: 'Tile cache misses (neither tier had the tile)', registers: [this.registry] });
  readonly cacheRenders = new Counter({ name: 'tilewright_cache_renders_total', help: 'Tiles rendered because of a cache miss', registers: [this.registry] });
  readonly cacheWaits = new Counter({
    name: 'tilewright_cache_waits_total', help: 'Requests that waited for a render started elsewhere (process: single-flight; cluster: another node\'s lease)',
    labelNames: ['where'] as const, registers: [this.registry],
  });
  readonly redisErrors = new Counter({
    name: 'tilewright_redis_errors_total', help: 'Failed Redis operations (each served without L2)',
    labelNames: ['operation'] as const, registers: [this.registry],
  });

  /** The HTTP series of a route, method and status (route patterns, methods and statuses are few). */
  requestSeries(route: string, method: string, status: number): RequestSeries {
    const s = String(status);
    return { count: this.requests.series(route, method, s), latency: this.latency.series(route, method, s) };
  }

  /** One tile answer in tilewright_tile_responses_total. */
  tileResponse(collection: string, tier: string): void {
    this.tileResponses.series(collection, tier).inc();
  }

  /** The cache's view of these counters. */
  get cache() {
    return {
      hit: (tier: 'l1' | 'l2') => (tier === 'l1' ? this.#l1Hits : this.#l2Hits).inc(),
      miss: () => this.cacheMisses.inc(),
      render: () => this.cacheRenders.inc(),
      wait: (where: 'process' | 'cluster') => this.cacheWaits.inc({ where }),
      redisError: (operation: string) => this.redisErrors.inc({ operation }),
    };
  }

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'tilewright_' });
  }
}
