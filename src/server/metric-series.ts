import type { Registry } from 'prom-client';

/**
 * Counters and histograms for the per-request path, kept as plain numbers per label set and
 * exposed through a prom-client Registry, so /metrics, its text format and the cluster
 * aggregation (src/server/cluster.ts) stay prom-client's.
 *
 * Why not prom-client's own: its inc/observe hash the label object and allocate on every
 * call, even through a labelled child. Measured with --cpu-prof on L1 hits, the five metric
 * updates of a hit were half of the hit lane's own JavaScript. Here the caller keeps the
 * series it updates (`series(...)`, made once per label values) and an update is a field
 * increment.
 */
abstract class SeriesMetric<S> {
  readonly aggregator = 'sum';
  readonly #series = new Map<string, { labels: Record<string, string>; series: S }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** The series of these label values (in `labelNames` order), made on first use. */
  series(...values: string[]): S {
    const key = values.join('\u0000');
    let entry = this.#series.get(key);
    if (entry === undefined) {
      if (values.length !== this.labelNames.length) throw new Error(`${this.name}: ${this.labelNames.length} label values expected, got ${values.length}`);
      entry = { labels: Object.fromEntries(this.labelNames.map((n, i) => [n, values[i]!])), series: this.make() };
      this.#series.set(key, entry);
    }
    return entry.series;
  }

  protected abstract make(): S;
  protected abstract values(labels: Record<string, string>, series: S): MetricValue[];

  /** The metric as prom-client's Registry reads it (`getMetricsAsJSON`, `metrics`). */
  async get() {
    const values: MetricValue[] = [];
    for (const { labels, series } of this.#series.values()) values.push(...this.values(labels, series));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** Registry.resetMetrics(); subclasses call it last in their constructor. */
  reset(): void {
    this.#series.clear();
    // A metric without labels has its one series from the start (reads 0, as prom-client's does).
    if (this.labelNames.length === 0) this.series();
  }
}

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
  /** prom-client's histogram buckets carry one (null without exemplars); kept for an identical JSON. */
  exemplar?: null;
}

export class CounterSeries {
  value = 0;
  inc(by = 1): void {
    this.value += by;
  }
}

export class SeriesCounter extends SeriesMetric<CounterSeries> {
  constructor(options: { name: string; help: string; labelNames?: readonly string[]; registry: Registry }) {
    super(options.name, options.help, 'counter', options.labelNames ?? [], options.registry);
    this.reset();
  }

  protected make() {
    return new CounterSeries();
  }

  protected values(labels: Record<string, string>, s: CounterSeries): MetricValue[] {
    return [{ labels, value: s.value }];
  }
}

export class HistogramSeries {
  /** Observations per bucket (not cumulative), the last one past the largest bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

export class SeriesHistogram extends SeriesMetric<HistogramSeries> {
  readonly buckets: readonly number[];

  constructor(options: { name: string; help: string; labelNames?: readonly string[]; buckets: readonly number[]; registry: Registry }) {
    super(options.name, options.help, 'histogram', options.labelNames ?? [], options.registry);
    this.buckets = [...options.buckets].sort((a, b) => a - b);
    this.reset();
  }

  protected make() {
    return new HistogramSeries(this.buckets);
  }

  protected values(labels: Record<string, string>, s: HistogramSeries): MetricValue[] {
    const out: MetricValue[] = [];
    let cumulative = 0;
    this.buckets.forEach((le, i) => {
      cumulative += s.counts[i]!;
      out.push({ labels: { le, ...labels }, value: cumulative, metricName: `${this.name}_bucket`, exemplar: null });
    });
    out.push(
      { labels: { le: '+Inf', ...labels }, value: s.count, metricName: `${this.name}_bucket`, exemplar: null },
      { labels, value: s.sum, metricName: `${this.name}_sum` },
      { labels, value: s.count, metricName: `${this.name}_count` },
    );
    return out;
  }
}
