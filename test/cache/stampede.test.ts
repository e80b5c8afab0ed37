import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { CORPUS, needTool } from '../helpers/services.js';
import { TestRedis } from '../helpers/redis.js';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;

/** A `tilewright serve` child process; resolves with its URL once it listens. */
function serve(redisUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'serve', CORPUS + 'TCI.tif', '--port', '0'], {
    env: { ...process.env, TILEWRIGHT_REDIS_URL: redisUrl, TILEWRIGHT_WORKERS: '1' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m) { clearTimeout(timer); resolve({ url: m[1]!, child }); }
    });
  });
}

function get(url: string, agent: http.Agent): Promise<{ status: number; etag: string; body: Buffer; timing: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: String(res.headers.etag), body: Buffer.concat(chunks), timing: String(res.headers['server-timing']) }));
    }).on('error', reject);
  });
}

const metric = (text: string, name: string) => [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'gm'))].reduce((s, m) => s + Number(m[1]), 0);

describe('cache: stampede protection across two server processes sharing Redis', function () {
  this.timeout(120_000);
  let redis: TestRedis;
  const nodes: { url: string; child: ChildProcess }[] = [];
  before(async function () {
    needTool(this, 'redis-server');
    redis = await TestRedis.create();
    nodes.push(await serve(redis.url), await serve(redis.url));
  });
  after(async () => {
    for (const n of nodes) { n.child.kill('SIGTERM'); await new Promise((r) => n.child.once('exit', r)); }
    await redis?.stop();
  });

  it('100 concurrent requests for one cold tile, split over both processes: exactly one render', async () => {
    // A heavy tile (512 px, Lanczos, reprojected) so that the requests really overlap.
    const path = '/api/v1/collections/tci/tiles/WebMercatorQuad/9/289/207@2x.png?resampling=lanczos';
    const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => get(nodes[i % 2]!.url + path, agent)));
    agent.destroy();
    expect(answers.every((a) => a.status === 200)).to.equal(true);
    expect(new Set(answers.map((a) => a.etag)).size).to.equal(1);
    expect(answers.every((a) => a.body.equals(answers[0]!.body))).to.equal(true);
    const metrics = await Promise.all(nodes.map(async (n) => (await fetch(`${n.url}/metrics`)).text()));
    const renders = metrics.map((m) => metric(m, 'tilewright_cache_renders_total'));
    const tiers = answers.map((a) => /desc=(\w+)/.exec(a.timing)![1]!);
    console.log(`      renders per process: ${renders.join(' + ')}; answers by tier: ${JSON.stringify(tiers.reduce<Record<string, number>>((o, t) => ({ ...o, [t]: (o[t] ?? 0) + 1 }), {}))}`);
    expect(renders.reduce((a, b) => a + b, 0)).to.equal(1);
    // The other process waited for the lease holder's tile (or found it in Redis).
    const waitedOrL2 = metrics.map((m) => metric(m, 'tilewright_cache_waits_total') + metric(m, 'tilewright_cache_hits_total'));
    expect(Math.min(...waitedOrL2)).to.be.greaterThan(0);
  });
});
