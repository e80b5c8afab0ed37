/**
 * `server.processes`: several server processes on one port (src/server/cluster.ts), sharing a
 * real Redis: both listen and answer, GET /metrics on either counts every process, a purge
 * made through one reaches all, SIGTERM stops them all with exit code 0; without Redis the
 * configuration is refused.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestRedis } from '../helpers/redis.js';
import { CORPUS, needTool } from '../helpers/services.js';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;
const TOKEN = 'processes-test-admin-token';
const TILE = '/api/v1/collections/tci/tiles/WebMercatorQuad/9/289/207.png';

/** GET on a new connection each time, so the kernel spreads the requests over the processes. */
function get(url: string): Promise<{ status: number; etag: string; timing: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: String(res.headers.etag), timing: String(res.headers['server-timing']) }));
    }).on('error', reject);
  });
}

const metric = (text: string, name: string, labels = '') =>
  [...text.matchAll(new RegExp(`^${name}(?:\\{([^}\\n]*)\\})? (\\d+)$`, 'gm'))].filter((m) => (m[1] ?? '').includes(labels)).reduce((s, m) => s + Number(m[2]), 0);

interface Lines { out: string; lines(): Record<string, unknown>[] }

function collect(child: ChildProcess): Lines {
  const l: Lines = { out: '', lines: () => l.out.split('\n').filter((x) => x.startsWith('{')).map((x) => JSON.parse(x) as Record<string, unknown>) };
  child.stdout!.on('data', (d) => { l.out += d; });
  return l;
}

describe('server: several processes on one port (server.processes)', function () {
  this.timeout(120_000);
  let redis: TestRedis | undefined;
  let dir: string;
  let child: ChildProcess;
  let log: Lines;
  let url: string;
  const exited = () => child.exitCode !== null || child.signalCode !== null;

  before(async function () {
    needTool(this, 'redis-server');
    redis = await TestRedis.create();
    dir = mkdtempSync(join(tmpdir(), 'tilewright-processes-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({
      server: { port: 0, host: '127.0.0.1', processes: 2, adminToken: TOKEN }, engine: { workers: 2 },
      cache: { redis: { url: redis.url, keyPrefix: 'processes-test:' } }, demo: { enabled: false },
    }));
    child = spawn(process.execPath, [CLI, 'serve', CORPUS + 'TCI.tif', '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
    log = collect(child);
    const deadline = Date.now() + 30_000;
    while (log.lines().filter((l) => l['msg'] === 'tilewright listening').length < 2) {
      if (exited() || Date.now() > deadline) throw new Error(`the processes did not start: ${log.out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    url = String(log.lines().find((l) => l['msg'] === 'tilewright listening')!['url']);
  });

  after(async () => {
    if (child && !exited()) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('two processes listen on the same port, each with its own pid and half of the render workers', () => {
    const listening = log.lines().filter((l) => l['msg'] === 'tilewright listening');
    expect(listening).to.have.length(2);
    expect(new Set(listening.map((l) => l['pid'])).size).to.equal(2);
    expect(new Set(listening.map((l) => l['url'])).size).to.equal(1);
    expect(listening.map((l) => l['workers'])).to.deep.equal([1, 1]);
    expect(log.lines().find((l) => l['msg'] === 'starting the server processes')).to.include({ processes: 2 });
  });

  it('both processes answer, the tile is rendered once, and GET /metrics counts the requests of every process', async () => {
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await get(url + TILE));
    expect(answers.every((a) => a.status === 200)).to.equal(true);
    expect(new Set(answers.map((a) => a.etag)).size).to.equal(1);
    const tiers = answers.map((a) => /desc=(\w+)/.exec(a.timing)![1]);
    // One process rendered; the other found the tile in Redis (L2): both answered.
    expect(tiers.filter((t) => t === 'render')).to.have.length(1);
    expect(tiers.filter((t) => t === 'l2')).to.have.length(1);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(metric(text, 'tilewright_tile_responses_total', 'collection="tci"')).to.equal(20);
    expect(metric(text, 'tilewright_cache_renders_total')).to.equal(1);
  });

  it('a purge made through one process gives the tile a new ETag on every process', async () => {
    const before = (await get(url + TILE)).etag;
    const res = await fetch(`${url}/api/v1/collections/tci/cache/purge?zoom=9`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).to.equal(202);
    // Each process learns of the purge through Redis (pub/sub); give it a moment, then every answer is new.
    const deadline = Date.now() + 5_000;
    let etags: string[] = [];
    do {
      await new Promise((r) => setTimeout(r, 100));
      etags = [];
      for (let i = 0; i < 10; i++) etags.push((await get(url + TILE)).etag);
    } while (etags.includes(before) && Date.now() < deadline);
    expect(etags).to.not.include(before);
    expect(new Set(etags).size).to.equal(1);
  });

  it('SIGTERM stops every process; the exit code is 0', async () => {
    const pids = log.lines().filter((l) => l['msg'] === 'tilewright listening').map((l) => Number(l['pid']));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).to.equal(0);
    for (const pid of pids) expect(() => process.kill(pid, 0), `process ${pid}`).to.throw(/ESRCH/);
    expect(log.lines().filter((l) => l['msg'] === 'stopped')).to.have.length(2);
  });

  it('without Redis, more than one process is refused with a clear error', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TILEWRIGHT_PROCESSES: '2' };
    delete env['TILEWRIGHT_REDIS_URL'];
    const p = spawn(process.execPath, [CLI, 'serve', CORPUS + 'TCI.tif', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr!.on('data', (d) => { err += d; });
    p.stdout!.resume();
    const code = await new Promise<number | null>((r) => p.once('exit', r));
    expect(code).to.equal(1);
    expect(err).to.match(/server\.processes: 2 processes need cache\.redis\.url/);
  });
});
