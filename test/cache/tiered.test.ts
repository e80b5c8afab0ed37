import { expect } from 'chai';
import { Redis } from 'ioredis';
import { MemoryTier } from '../../src/cache/memory.js';
import { RedisTier } from '../../src/cache/redis.js';
import { TieredTileCache, type CacheMetrics } from '../../src/cache/tiered.js';
import { AbortedError } from '../../src/errors.js';
import type { CachedTile } from '../../src/tiling/tile-cache.js';
import { rejection } from '../helpers/async.js';
import { TestRedis } from '../helpers/redis.js';
import { needTool } from '../helpers/services.js';

const png = (n: number): CachedTile => ({ kind: 'image', contentType: 'image/png', bytes: new Uint8Array(1000).fill(n) });

function countingMetrics() {
  const counts: Record<string, number> = {};
  const inc = (k: string) => { counts[k] = (counts[k] ?? 0) + 1; };
  const m: CacheMetrics = { hit: (t) => inc(`hit:${t}`), miss: () => inc('miss'), render: () => inc('render'), wait: (w) => inc(`wait:${w}`), redisError: (o) => inc(`error:${o}`) };
  return { m, counts };
}

describe('cache: memory tier and single-flight', () => {
  it('serves the second request from L1 and renders once for 100 concurrent requests', async () => {
    const { m, counts } = countingMetrics();
    const cache = new TieredTileCache({ memory: new MemoryTier(1 << 20), metrics: m });
    let renders = 0;
    const create = async () => { renders++; await new Promise((r) => setTimeout(r, 20)); return png(1); };
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.getOrCreate('k', create)));
    expect(renders).to.equal(1);
    expect(results.filter((r) => r.tier === 'render')).to.have.length(1);
    expect(results.filter((r) => r.tier === 'wait')).to.have.length(99);
    expect((await cache.getOrCreate('k', create)).tier).to.equal('l1');
    expect(counts).to.deep.include({ render: 1, miss: 1, 'wait:process': 99, 'hit:l1': 1 });
  });

  it('bounds L1 in bytes', async () => {
    const tier = new MemoryTier(10_000);
    for (let i = 0; i < 50; i++) tier.set(`k${i}`, png(i));
    expect(tier.bytes).to.be.at.most(10_000);
    expect(tier.get('k49')).to.not.equal(undefined);
    expect(tier.get('k0')).to.equal(undefined);
  });

  it('one caller giving up does not cancel the render for the others; all giving up cancels it', async () => {
    const cache = new TieredTileCache({ memory: new MemoryTier(1 << 20) });
    let sawAbort = false;
    const slow = (signal: AbortSignal) => new Promise<CachedTile>((resolve, reject) => {
      const t = setTimeout(() => resolve(png(2)), 50);
      signal.addEventListener('abort', () => { sawAbort = true; clearTimeout(t); reject(new AbortedError()); });
    });
    const a = new AbortController();
    const first = cache.getOrCreate('x', slow, a.signal);
    const second = cache.getOrCreate('x', slow);
    a.abort();
    expect(await rejection(first)).to.be.instanceOf(AbortedError);
    expect((await second).tile.bytes![0]).to.equal(2);
    expect(sawAbort).to.equal(false);
    const b = new AbortController(), c = new AbortController();
    const p1 = cache.getOrCreate('y', slow, b.signal), p2 = cache.getOrCreate('y', slow, c.signal);
    b.abort(); c.abort();
    await Promise.all([rejection(p1), rejection(p2)]);
    expect(sawAbort).to.equal(true);
  });

  it('a failed render is not cached', async () => {
    const cache = new TieredTileCache({ memory: new MemoryTier(1 << 20) });
    expect(await rejection(cache.getOrCreate('f', async () => { throw new Error('boom'); }))).to.match(/boom/);
    expect((await cache.getOrCreate('f', async () => png(3))).tier).to.equal('render');
  });
});

describe('cache: Redis tier (a real redis-server)', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  before(async function () {
    needTool(this, 'redis-server');
    redis = await TestRedis.create();
  });
  after(async () => { await redis?.stop(); });
  const tier = (prefix = 't1:') => new RedisTier({ url: redis.url, keyPrefix: prefix, ttlSeconds: 600, commandTimeoutMs: 200 });
  const waitReady = async (t: RedisTier) => { for (let i = 0; i < 100 && !t.ready; i++) await new Promise((r) => setTimeout(r, 20)); };

  it('round-trips images, empty and no-content markers; identical bodies are stored once, with a TTL', async () => {
    const t = tier('rt:');
    await waitReady(t);
    await t.set('a', png(7));
    await t.set('b', png(7));
    await t.set('c', png(8));
    await t.set('e', { kind: 'empty', contentType: 'image/webp' });
    await t.set('n', { kind: 'no-content', contentType: 'image/png' });
    const a = await t.get('a');
    expect(a?.kind).to.equal('image');
    expect(a?.contentType).to.equal('image/png');
    expect(Buffer.from(a!.bytes!).equals(Buffer.from(png(7).bytes!))).to.equal(true);
    expect(await t.get('e')).to.deep.equal({ kind: 'empty', contentType: 'image/webp' });
    expect(await t.get('n')).to.deep.equal({ kind: 'no-content', contentType: 'image/png' });
    expect(await t.get('missing')).to.equal(undefined);
    const raw = new Redis(redis.url);
    raw.on('error', () => undefined);
    const bodies = await raw.keys('rt:b:*');
    expect(bodies).to.have.length(2); // 'a' and 'b' share one body
    expect(await raw.ttl(bodies[0]!)).to.be.within(590, 600);
    expect(t.dedupSavedBytes).to.equal(1000);
    raw.disconnect();
    await t.close();
  });

  it('one node at a time holds the lease of a key', async () => {
    const t = tier('lease:');
    await waitReady(t);
    const token = await t.lease('k', 5000);
    expect(token).to.be.a('string');
    expect(await t.lease('k', 5000)).to.equal(undefined);
    await t.release('k', token!);
    expect(await t.lease('k', 5000)).to.be.a('string');
    await t.close();
  });

  it('two caches sharing Redis render a tile once: the second waits for the first\'s lease', async () => {
    const t1 = tier('share:'), t2 = tier('share:');
    await waitReady(t1); await waitReady(t2);
    const c1 = new TieredTileCache({ memory: new MemoryTier(1 << 20), redis: t1, pollMs: 10 });
    const c2 = new TieredTileCache({ memory: new MemoryTier(1 << 20), redis: t2, pollMs: 10 });
    let renders = 0;
    const create = async () => { renders++; await new Promise((r) => setTimeout(r, 100)); return png(9); };
    const [r1, r2] = await Promise.all([c1.getOrCreate('s', create), new Promise((r) => setTimeout(r, 20)).then(() => c2.getOrCreate('s', create))]);
    expect(renders).to.equal(1);
    expect([r1.tier, r2.tier].sort()).to.deep.equal(['render', 'wait']);
    const t3 = tier('share:');
    const c3 = new TieredTileCache({ memory: new MemoryTier(1 << 20), redis: t3 });
    await new Promise((r) => setTimeout(r, 50));
    expect((await c3.getOrCreate('s', create)).tier).to.equal('l2');
    await t1.close(); await t2.close(); await t3.close();
  });

  it('Redis stopped, slow or restarted: tiles are still served, errors are counted, L2 comes back by itself', async () => {
    const t = tier('outage:');
    await waitReady(t);
    const { m, counts } = countingMetrics();
    const cache = new TieredTileCache({ redis: t, metrics: m });
    let n = 0;
    const create = async () => png(++n % 200);
    expect((await cache.getOrCreate('before', create)).tier).to.equal('render');
    // Slow: Redis busy for 3 s; each command gives up after its 200 ms timeout, so the tile is
    // rendered and served while Redis is still asleep.
    const raw = new Redis(redis.url);
    raw.on('error', () => undefined);
    await raw.ping();
    let redisAwake = false;
    void raw.call('DEBUG', 'SLEEP', '3').then(() => { redisAwake = true; }, () => undefined);
    await new Promise((r) => setTimeout(r, 20));
    expect((await cache.getOrCreate('slow', create)).tier).to.equal('render');
    expect(redisAwake, 'served before Redis answered').to.equal(false);
    expect(counts['error:get'], 'timed-out gets').to.be.greaterThan(0);
    while (!redisAwake) await new Promise((r) => setTimeout(r, 50));
    raw.disconnect();
    await redis.stop();
    const errorsBefore = counts['error:get'] ?? 0;
    for (let i = 0; i < 20; i++) expect((await cache.getOrCreate(`down${i}`, create)).tier).to.equal('render');
    // Every lookup failed (counted) and every tile was still served.
    expect((counts['error:get'] ?? 0) - errorsBefore, 'get errors while down').to.equal(20);
    await redis.start();
    for (let i = 0; i < 100 && !t.ready; i++) await new Promise((r) => setTimeout(r, 50));
    expect(t.ready, 'reconnected').to.equal(true);
    await cache.getOrCreate('after', create);
    await new Promise((r) => setTimeout(r, 50));
    const again = new TieredTileCache({ redis: t });
    expect((await again.getOrCreate('after', create)).tier).to.equal('l2');
    await t.close();
  });
});
