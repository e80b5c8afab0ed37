import { expect } from 'chai';
import { AggregatorRegistry, Counter, Histogram, Registry } from 'prom-client';
import { SeriesCounter, SeriesHistogram } from '../../src/server/metric-series.js';

/**
 * prom-client is the oracle: the same observations fed to its Counter/Histogram and to the
 * series metrics must give the same /metrics text, the same JSON, and the same cluster sum.
 */
const BUCKETS = [0.001, 0.01, 0.1, 0.5, 1, 5];
const LABELS = ['route', 'status'];

/** A deterministic stream of (labels, value) with values on, between and past the bounds. */
function observations(seed: number): Array<[string, string, number]> {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: Array<[string, string, number]> = [];
  for (let i = 0; i < 500; i++) {
    const route = ['/a', '/b/:id', '/c'][Math.floor(next() * 3)]!;
    const status = ['200', '304', '404'][Math.floor(next() * 3)]!;
    const v = i % 7 === 0 ? BUCKETS[i % BUCKETS.length]! : next() ** 3 * 8; // exact bounds count in their bucket
    out.push([route, status, v]);
  }
  return out;
}

function pair(seed: number) {
  const oracle = new Registry(), ours = new Registry();
  const c1 = new Counter({ name: 't_requests_total', help: 'Requests', labelNames: LABELS, registers: [oracle] });
  const h1 = new Histogram({ name: 't_latency_seconds', help: 'Latency', labelNames: LABELS, buckets: BUCKETS, registers: [oracle] });
  const n1 = new Counter({ name: 't_plain_total', help: 'No labels', registers: [oracle] });
  const c2 = new SeriesCounter({ name: 't_requests_total', help: 'Requests', labelNames: LABELS, registry: ours });
  const h2 = new SeriesHistogram({ name: 't_latency_seconds', help: 'Latency', labelNames: LABELS, buckets: BUCKETS, registry: ours });
  const n2 = new SeriesCounter({ name: 't_plain_total', help: 'No labels', registry: ours });
  for (const [route, status, v] of observations(seed)) {
    c1.inc({ route, status });
    h1.observe({ route, status }, v);
    c2.series(route, status).inc();
    h2.series(route, status).observe(v);
    if (v > 1) { n1.inc(2); n2.series().inc(2); }
  }
  return { oracle, ours, n2 };
}

describe('server: metric series expose what prom-client would', function () {
  it('gives the same /metrics text and JSON as prom-client for the same observations', async () => {
    const { oracle, ours } = pair(7);
    expect(await ours.metrics()).to.equal(await oracle.metrics());
    // As JSON text, which is how the cluster sends it (prom-client also has keys set to undefined).
    const json = async (r: Registry) => JSON.parse(JSON.stringify(await r.getMetricsAsJSON()));
    expect(await json(ours)).to.deep.equal(await json(oracle));
  });

  it('sums across cluster workers as prom-client does', async () => {
    const a = pair(1), b = pair(2);
    const oracle = AggregatorRegistry.aggregate([await a.oracle.getMetricsAsJSON(), await b.oracle.getMetricsAsJSON()]);
    const ours = AggregatorRegistry.aggregate([await a.ours.getMetricsAsJSON(), await b.ours.getMetricsAsJSON()]);
    expect(await ours.metrics()).to.equal(await oracle.metrics());
  });

  it('reads 0 before any update and after a reset, like prom-client', async () => {
    const { oracle, ours } = pair(3);
    oracle.resetMetrics();
    ours.resetMetrics();
    expect(await ours.metrics()).to.equal(await oracle.metrics());
    expect(await ours.metrics()).to.match(/^t_plain_total 0$/m);
  });

  it('refuses label values that do not match the label names', () => {
    const c = new SeriesCounter({ name: 't_x_total', help: 'x', labelNames: LABELS, registry: new Registry() });
    expect(() => c.series('/a')).to.throw(/2 label values expected, got 1/);
  });
});
