/**
 * bench/serve: the tile cache under load, Tilewright beside the peers of ../shared/bench/peers
 * (bare Node server, MapCache with a seeded disk cache, nginx static) in the same run, all on
 * loopback with wrk. Prints figures; never asserts.
 *
 *   npm run bench:serve                  (as root: the peer scripts run nginx/Apache)
 *   BENCH_DURATION=10s BENCH_SKIP_PEERS=1 npm run bench:serve
 *
 * Source: RGB.byte.tif (the peers' reference file). Tilewright runs as `tilewright serve` (the
 * real server: routing, logging at info level to a file, metrics, ETags) with its own Redis.
 *
 *   pre-render  every WebMercatorQuad tile of z8–13 over the file's extent, once, c=8: fills L1
 *               and L2; then Redis is scanned for the bytes content addressing saved (issue #6.5)
 *   (a) L1 hits: one tile (the same bytes the Node baseline serves) and the whole hot list,
 *               beside the bare Node server, c=64
 *   (b) L2 hits: a second server with L1 disabled (cache.memoryMB 0) on the same Redis, c=64
 *   (c) the expected mix at 1,000 connections: 4 of 5 requests from the hot list, 1 of 5 a tile
 *               never asked before (z14–16 inside the data), (c1) closed loop (every connection
 *               sends its next request as soon as the last one is answered: render demand is
 *               unbounded) and (c2) paced, each connection waiting a random think time so that
 *               renders arrive at about half of the measured render capacity
 *   (d) MapCache's cache hits (seeded z8–13, same list) beside Tilewright's L1 hits, c=64 and
 *               c=1000, with nginx static as the C reference; then again with Tilewright's
 *               tiles written into MapCache's cache, so both send the same bytes
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { blankTile } from '../src/tiling/encode.js';
import { coldFetch, cpuBusy, readTileList, run, stopProcess, tileUrl } from './lib.js';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const PEERS = `${SHARED}bench/peers/`;
const COG = `${SHARED}data/cog/RGB.byte.tif`;
const WORK = '/tmp/tilewright-bench/serve';
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const DURATION = process.env['BENCH_DURATION'] ?? '15s';
const PEER_PORT = 8170;
const OUR_PORT = 8180;
const OUR_L2_PORT = 8181;
const OUR_X2_PORT = 8183;
const BASELINE_X2_PORT = 8185;
const REDIS_PORT = 8190;
const HOT_ZOOMS = process.env['BENCH_HOT_ZOOMS'] ?? '8-13';
const COLLECTION = 'rgb.byte'; // ids from file names are lower case
const TEMPLATE = (port: number) => `http://127.0.0.1:${port}/api/v1/collections/${COLLECTION}/tiles/WebMercatorQuad/{z}/{x}/{y}.png`;

interface Wrk { rps: number; p50: number; p90: number; p99: number; max: number; errors: number; non2xx: string; avgBody: number; requests: number; cpuUs?: number }

/**
 * CPU time (user + system, all threads) a process and its child processes (the server
 * processes of `server.processes`) have used, in µs; undefined when unknown.
 */
function cpuTime(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    let us = (Number(fields[11]) + Number(fields[12])) * 10_000; // clock ticks of 10 ms
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) us += cpuTime(Number(child)) ?? 0;
    }
    return us;
  } catch {
    return undefined;
  }
}

function parseResult(out: string): Wrk {
  const line = out.split('\n').reverse().find((l) => l.startsWith('RESULT'));
  if (!line) throw new Error(`no RESULT line in:\n${out.slice(-3000)}`);
  const v = (k: string) => new RegExp(` ${k}=([^ ]+)`).exec(` ${line}`)?.[1] ?? 'NaN';
  const num = (k: string) => Number(v(k));
  return {
    rps: num('rps'), p50: num('p50_ms'), p90: num('p90_ms'), p99: num('p99_ms'), max: num('max_ms'), requests: num('requests'),
    errors: num('status_ge_400') + num('err_connect') + num('err_read') + num('err_write') + num('err_timeout'),
    non2xx: v('non2xx'), avgBody: num('avg_body_bytes'),
  };
}

/**
 * Warm mode of the peers' bench.sh (wrk cycling a list). Not its STRICT mode: that hands every
 * response to Lua, which on this 2-core machine makes wrk the bottleneck and charges servers
 * for their header count (measured: a bare node:http server serving the same 132 KB body drops
 * from 6989 to 4644 req/s with 8 extra 50-byte headers). wrk's own count of statuses >= 400 is
 * the error figure; nothing here expects 3xx.
 */
async function wrkList(template: string, list: string, connections: number, pid?: number, duration = DURATION): Promise<Wrk> {
  const before = cpuTime(pid);
  const out = await run(`${PEERS}bench.sh`, [template, list, String(connections), duration], { STRICT: '0', PREFLIGHT: '0' });
  const after = cpuTime(pid);
  const r = parseResult(out);
  return before !== undefined && after !== undefined ? { ...r, cpuUs: (after - before) / r.requests } : r;
}

/** A server measured against others: its URL template, tile list and (when ours) pid. */
interface Contender { template: string; list: string; pid?: number }

const TURNS = 3;

/**
 * The contenders load in turns: TURNS rounds of DURATION / TURNS each, in a rotating order, so
 * that a slow spell of the (shared, virtual) machine falls on all of them alike. Per
 * contender: req/s over all its rounds, p50 the median of the rounds', p99 and max the worst
 * round's, errors and CPU summed.
 */
async function wrkTurns(contenders: readonly Contender[], connections: number): Promise<Wrk[]> {
  const slice = `${Math.max(1, Math.round(Number(DURATION.replace(/s$/, '')) / TURNS))}s`;
  const runs: Wrk[][] = contenders.map(() => []);
  for (let r = 0; r < TURNS; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + r) % contenders.length;
      const c = contenders[i]!;
      runs[i]!.push(await wrkList(c.template, c.list, connections, c.pid, slice));
    }
  }
  return runs.map((rs) => {
    const requests = rs.reduce((a, w) => a + w.requests, 0);
    const seconds = rs.reduce((a, w) => a + w.requests / w.rps, 0);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const cpu = rs.every((w) => w.cpuUs !== undefined) ? rs.reduce((a, w) => a + w.cpuUs! * w.requests, 0) / requests : undefined;
    return {
      rps: requests / seconds, p50: median(rs.map((w) => w.p50)), p90: median(rs.map((w) => w.p90)),
      p99: Math.max(...rs.map((w) => w.p99)), max: Math.max(...rs.map((w) => w.max)), errors: rs.reduce((a, w) => a + w.errors, 0),
      non2xx: rs.map((w) => w.non2xx).join('+'), avgBody: rs.reduce((a, w) => a + w.avgBody * w.requests, 0) / requests, requests,
      ...(cpu !== undefined ? { cpuUs: cpu } : {}),
    };
  });
}

/** (c): our own wrk script mixing hot and never-seen tiles; `thinkMs` > 0 paces each connection. */
async function wrkMix(port: number, hot: string, cold: string, connections: number, thinkMs: number): Promise<Wrk & { coldSent: number; coldWrapped: boolean }> {
  const script = `${WORK}/mix.lua`;
  writeFileSync(script, `
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
local function load(file, template)
  local t = {}
  for line in io.lines(file) do
    local z, x, y = line:match("^%s*(%d+)/(%d+)/(%d+)")
    if z then t[#t + 1] = template:gsub("{z}", z):gsub("{x}", x):gsub("{y}", y) end
  end
  return t
end
function init(args)
  local template = args[1]
  hot = load(args[2], template)
  cold = load(args[3], template)
  nthreads = tonumber(args[4])
  think = tonumber(args[5])
  hi = math.floor(((tid - 1) * 0.6180339887 % 1) * #hot)
  ci = tid - nthreads   -- this thread takes cold tiles tid, tid + n, tid + 2n, ...
  warm = tonumber(args[6])
  n = 0
  coldSent = 0
  wrapped = 0
  math.randomseed(tid * 7919)
end
function request()
  n = n + 1
  -- Each connection's first request is sent at once when it connects: those are all hot, so
  -- the run does not open with a burst of connections/5 renders queued at the same instant.
  if n > warm and n % 5 == 0 then
    ci = ci + nthreads
    if ci > #cold then ci = tid; wrapped = 1 end
    coldSent = coldSent + 1
    return wrk.format("GET", cold[ci])
  end
  hi = hi % #hot + 1
  return wrk.format("GET", hot[hi])
end
function delay()
  if think <= 0 then return 0 end
  return math.random(0, 2 * think)
end
function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local cs, wr = 0, 0
  for _, t in ipairs(threads) do
    cs = cs + (t:get("coldSent") or 0)
    wr = math.max(wr, t:get("wrapped") or 0)
  end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f avg_body_bytes=%.0f status_ge_400=%d err_connect=%d err_read=%d err_write=%d err_timeout=%d cold_sent=%d cold_wrapped=%d\\n",
    summary.requests, summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests > 0 and summary.bytes / summary.requests or 0, e.status, e.connect, e.read, e.write, e.timeout, cs, wr))
end
`);
  const threads = 2;
  // The path template as written (new URL() would percent-encode the braces).
  const path = `/api/v1/collections/${COLLECTION}/tiles/WebMercatorQuad/{z}/{x}/{y}.png`;
  const secs = Number(DURATION.replace(/s$/, ''));
  const out = await run('bash', ['-c', `ulimit -n $(ulimit -Hn); timeout ${secs + 60} wrk -t${threads} -c${connections} -d${DURATION} --timeout 10s --latency -s "$0" http://127.0.0.1:${port} -- "$1" "$2" "$3" ${threads} ${thinkMs} ${Math.ceil(connections / threads)}`,
    script, path, hot, cold]);
  const r = parseResult(out);
  const line = out.split('\n').find((l) => l.startsWith('RESULT'))!;
  return { ...r, coldSent: Number(/cold_sent=(\d+)/.exec(line)?.[1]), coldWrapped: /cold_wrapped=1/.test(line) };
}

async function startRedis(): Promise<ChildProcess | undefined> {
  if (!(await run('bash', ['-c', 'command -v redis-server']).then(() => true, () => false))) return undefined;
  const p = spawn('redis-server', ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxclients', '10000'], { stdio: 'ignore' });
  const client = new Redis(REDIS_PORT, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  for (let i = 0; i < 100; i++) {
    if (await client.connect().then(() => true, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await client.flushall();
  client.disconnect();
  return p;
}

/** Starts `tilewright serve` with a config; logs (JSON, info level) go to a file. */
async function startServer(name: string, port: number, config: { server?: object; cache?: object }, file = COG): Promise<ChildProcess> {
  const cfg = `${WORK}/${name}.json`;
  writeFileSync(cfg, JSON.stringify({ ...config, server: { port, host: '127.0.0.1', ...config.server } }, null, 2));
  const log = openSync(`${WORK}/${name}.log`, 'w');
  const p = spawn('bash', ['-c', `ulimit -n $(ulimit -Hn); exec node "$0" serve "$1" --config "$2"`, CLI, file, cfg], { stdio: ['ignore', log, log] });
  for (let i = 0; i < 300; i++) {
    if (p.exitCode !== null) throw new Error(`tilewright exited ${p.exitCode}; see ${WORK}/${name}.log`);
    if (await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.ok, () => false)) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tilewright did not become ready; see ${WORK}/${name}.log`);
}

/**
 * Writes Tilewright's tile over every tile file of MapCache's disk cache ("default" layout:
 * tileset/grid/zz/xxx/xxx/xxx/yyy/yyy/yyy.png, y counted from the bottom), then asks MapCache for
 * a sample of them and counts those it answers with exactly Tilewright's bytes.
 */
async function mapcacheWithOurBytes(cacheDir: string, ours: string, mapcache: string): Promise<{ files: number; checked: string }> {
  const files: Array<{ path: string; z: number; x: number; y: number }> = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.png')) {
        const m = /\/(\d+)\/(\d+)\/(\d+)\/(\d+)\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(path);
        if (!m) continue;
        const [z, x1, x2, x3, y1, y2, y3] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
        files.push({ path, z, x: x1 * 1e6 + x2 * 1e3 + x3, y: 2 ** z - 1 - (y1 * 1e6 + y2 * 1e3 + y3) });
      }
    }
  };
  walk(cacheDir);
  const bytes = new Map<string, Buffer>();
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < files.length) {
      const f = files[next++]!;
      const body = Buffer.from(await (await fetch(tileUrl(ours, f))).arrayBuffer());
      bytes.set(f.path, body);
      // Rewritten in place (rm + link would drop the owner MapCache expects).
      writeFileSync(f.path, body);
    }
  }));
  const sample = files.filter((_, i) => i % Math.max(1, Math.floor(files.length / 50)) === 0);
  let same = 0;
  for (const f of sample) {
    const got = Buffer.from(await (await fetch(tileUrl(mapcache, f))).arrayBuffer());
    if (got.equals(bytes.get(f.path)!)) same++;
  }
  return { files: files.length, checked: `${same} of ${sample.length}` };
}

/** Tile responses by tier from /metrics. */
async function tiers(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^tilewright_tile_responses_total\{[^}]*tier="([^"]+)"[^}]*\} (\d+)/gm)) out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
  return out;
}
const delta = (a: Record<string, number>, b: Record<string, number>) =>
  Object.entries(b).map(([k, v]) => [k, v - (a[k] ?? 0)] as const).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', ');

/** What content addressing saved: every tile key against the bodies Redis really holds. */
async function redisStorage(blankBytes: number, prefix = 'bench:'): Promise<string> {
  const r = new Redis(REDIS_PORT, '127.0.0.1');
  try {
    let cursor = '0';
    const tileKeys: string[] = [];
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}t:*`, 'COUNT', 1000);
      cursor = next;
      tileKeys.push(...keys);
    } while (cursor !== '0');
    const pointers = await r.mget(tileKeys);
    const bodyLength = new Map<string, number>();
    let naive = 0, empty = 0, pointerBytes = 0;
    for (const p of pointers) {
      if (p === null) continue;
      pointerBytes += Buffer.byteLength(p);
      if (p.startsWith('e:')) { empty++; naive += blankBytes; continue; }
      if (!bodyLength.has(p)) bodyLength.set(p, await r.strlen(`${prefix}b:${p}`));
      naive += bodyLength.get(p)!;
    }
    const stored = [...bodyLength.values()].reduce((s, n) => s + n, 0) + pointerBytes;
    const images = tileKeys.length - empty;
    const mb = (n: number) => (n / 1048576).toFixed(2);
    return `${tileKeys.length} tile keys: ${images} images with ${bodyLength.size} distinct bodies, ${empty} empty tiles stored as a marker (no body).\n`
      + `One body per key would hold ${mb(naive)} MiB (an empty tile as a ${blankBytes}-byte blank PNG); Redis holds ${mb(stored)} MiB `
      + `(bodies + pointers): **${(100 * (1 - stored / naive)).toFixed(1)}% saved** (${mb(naive - stored)} MiB).`;
  } finally {
    r.disconnect();
  }
}

const fmt = (w: Wrk) => `${w.rps.toFixed(0)} | ${w.p50.toFixed(2)} | ${w.p99.toFixed(2)} | ${w.max.toFixed(0)} | ${w.errors} | ${(w.avgBody / 1024).toFixed(1)} | ${w.cpuUs !== undefined ? w.cpuUs.toFixed(0) : '–'}`;
const HEAD = '| run | req/s | p50 ms | p99 ms | max ms | errors | avg kB | server CPU µs/request |\n|---|---|---|---|---|---|---|---|';

async function peersUsable(): Promise<string | undefined> {
  if (process.env['BENCH_SKIP_PEERS'] === '1') return 'skipped (BENCH_SKIP_PEERS=1)';
  if (process.getuid?.() !== 0) return 'skipped (the peer scripts must run as root)';
  if (!existsSync('/usr/lib/cgi-bin/mapserv')) return 'skipped (Debian packages cgi-mapserver, apache2, libapache2-mod-mapcache not installed)';
  return undefined;
}

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  // Measured before any work (the load average at the end is this benchmark's own).
  const busyBefore = await cpuBusy(1000);
  console.log(`# bench/serve — ${new Date().toISOString()}, ${availableParallelism()} cores, load ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  console.log(`wrk with 2 threads on the same machine; ${DURATION} per run; source ${COG}\n`);
  const hotList = `${WORK}/hot.txt`, oneList = `${WORK}/one.txt`;
  writeFileSync(hotList, await run(`${PEERS}tiles.py`, [COG, '--zooms', HOT_ZOOMS, '--all']));
  // Never-seen tiles for (c): three disjoint thirds of one list, so no run finds another's
  // renders in the cache. tiles.py --footprint data takes minutes for 40,000 tiles: the list
  // is kept between runs (it depends only on the file and these arguments).
  const coldAll = `${WORK}/cold-RGB.byte-z14-16-40000-seed2.txt`;
  if (!existsSync(coldAll)) writeFileSync(coldAll, await run(`${PEERS}tiles.py`, [COG, '--zooms', '14-16', '--count', '40000', '--seed', '2', '--footprint', 'data']));
  const coldLines = readFileSync(coldAll, 'utf8').split('\n').filter((l) => /^\d+\/\d+\/\d+/.test(l));
  const coldLists = [0, 1, 2].map((k) => {
    const file = `${WORK}/cold${k + 1}.txt`;
    writeFileSync(file, coldLines.filter((_, i) => i % 3 === k).join('\n') + '\n');
    return file;
  });
  const hot = readTileList(readFileSync(hotList, 'utf8'));
  console.log(`hot list: ${hot.length} tiles (z${HOT_ZOOMS}, the file's extent); cold lists: 3 x ${Math.floor(coldLines.length / 3)} distinct tiles z14–16 inside the data\n`);

  // L2, content addressing and the multi-process server all need it.
  const redis = await startRedis();
  if (!redis) throw new Error('bench/serve needs redis-server (Debian package redis-server)');
  const redisConfig = { url: `redis://127.0.0.1:${REDIS_PORT}`, keyPrefix: 'bench:' };
  const procs: ChildProcess[] = [];
  const skipPeers = await peersUsable();
  const peerEnv = { PEERS_RUN_DIR: `${WORK}/peers` };
  let peersStarted = false;
  try {
    const ours = await startServer('l1', OUR_PORT, { cache: { memoryMB: 1024, redis: redisConfig } });
    procs.push(ours);

    // Pre-render: every hot tile once.
    const pre = await coldFetch(TEMPLATE(OUR_PORT), hot, 8);
    console.log(`## pre-render z${HOT_ZOOMS}: ${pre.tiles} tiles in ${(pre.tiles / pre.tilesPerSecond).toFixed(1)} s, ${pre.tilesPerSecond.toFixed(1)} tiles/s (c=8, 2 render workers), p50 ${pre.p50.toFixed(1)} ms, errors ${pre.errors}`);
    console.log(`tiers: ${delta({}, await tiers(OUR_PORT))}`);
    // An empty tile's body as the server sends it: what a cache without markers would store.
    const blankBytes = (await blankTile('png', 256, 256)).byteLength;
    await new Promise((r) => setTimeout(r, 500)); // L2 writes are off the response path
    console.log(`\n### Redis storage after the pre-render (issue #6.5)\n${await redisStorage(blankBytes)}\n`);

    // A second, realistic case for content addressing: a land/sea mask of the whole world
    // (every all-land tile has the same body, every all-sea tile is empty).
    const world = `${SHARED}data/cog/cog_world.tif`;
    const worldList = `${WORK}/world.txt`;
    writeFileSync(worldList, await run(`${PEERS}tiles.py`, [world, '--zooms', '0-6', '--all']));
    const ws = await startServer('world', OUR_L2_PORT + 1, { cache: { memoryMB: 64, redis: { ...redisConfig, keyPrefix: 'world:' } } }, world);
    try {
      const wt = readTileList(readFileSync(worldList, 'utf8'));
      const wpre = await coldFetch(`http://127.0.0.1:${OUR_L2_PORT + 1}/api/v1/collections/cog_world/tiles/WebMercatorQuad/{z}/{x}/{y}.png`, wt, 8);
      await new Promise((r) => setTimeout(r, 500));
      console.log(`### Redis storage, land/sea mask cog_world.tif (36000x18000), pre-render z0–6: ${wpre.tiles} tiles, ${wpre.tilesPerSecond.toFixed(1)} tiles/s, errors ${wpre.errors}\n${await redisStorage(blankBytes, 'world:')}\n`);
    } finally {
      await stopProcess(ws);
    }

    // The tile the Node baseline will serve: ours, from the middle of the file.
    const center = { z: 10, x: 290, y: 439 };
    writeFileSync(oneList, `${center.z}/${center.x}/${center.y}\n`);
    const centerPng = `${WORK}/center.png`;
    writeFileSync(centerPng, Buffer.from(await (await fetch(tileUrl(TEMPLATE(OUR_PORT), center))).arrayBuffer()));

    let baselinePid: number | undefined;
    let baselineUrl: string | undefined, mapcacheUrl: string | undefined, nginxUrl: string | undefined;
    if (skipPeers) {
      console.log(`MapCache/MapServer peers: ${skipPeers}; the Node baseline runs alone`);
      const base = spawn('node', [`${PEERS}baseline-server.mjs`, '--file', centerPng, '--port', String(PEER_PORT + 2)], { stdio: 'ignore' });
      procs.push(base);
      baselinePid = base.pid;
      await new Promise((r) => setTimeout(r, 500));
      baselineUrl = `http://127.0.0.1:${PEER_PORT + 2}/{z}/{x}/{y}.png`;
    } else {
      await run(`${PEERS}stop.sh`, [String(PEER_PORT)], peerEnv).catch(() => undefined);
      await run(`${PEERS}start.sh`, [COG, String(PEER_PORT)], { ...peerEnv, BASELINE_PNG: centerPng });
      peersStarted = true;
      const env = Object.fromEntries([...readFileSync(`${WORK}/peers/peers.env`, 'utf8').matchAll(/^(\w+)='([^']*)'/gm)].map((m) => [m[1]!, m[2]!]));
      baselineUrl = env['NODE_BASELINE_XYZ'];
      mapcacheUrl = env['MAPCACHE_XYZ'];
      nginxUrl = env['NGINX_STATIC_XYZ'];
      baselinePid = Number(readFileSync(`${WORK}/peers/pids/node.pid`, 'utf8').trim()) || undefined;
    }

    // The same server as 2 processes on one port (server.processes; they share Redis): hits on two event loops.
    const x2 = await startServer('l1x2', OUR_X2_PORT, { server: { processes: 2 }, cache: { memoryMB: 1024, redis: redisConfig } });
    procs.push(x2);
    // Each process fills its own L1 (from L2): a connection sticks to one process, so a few passes.
    for (let k = 0; k < 4; k++) await coldFetch(TEMPLATE(OUR_X2_PORT), hot, 8);
    const baseX2 = spawn('node', [`${PEERS}baseline-server.mjs`, '--file', centerPng, '--port', String(BASELINE_X2_PORT), '--workers', '2'], { stdio: 'ignore' });
    procs.push(baseX2);
    await new Promise((r) => setTimeout(r, 1000));
    const baseX2Url = `http://127.0.0.1:${BASELINE_X2_PORT}/{z}/{x}/{y}.png`;

    console.log('\n## (a) L1 hits against the bare Node server (same bytes), c=64\n');
    console.log(HEAD);
    let t0 = await tiers(OUR_PORT);
    const [base64, one64] = await wrkTurns([
      { template: baselineUrl!, list: oneList, pid: baselinePid },
      { template: TEMPLATE(OUR_PORT), list: oneList, pid: ours.pid },
    ], 64) as [Wrk, Wrk];
    console.log(`| Node baseline (node:http, one buffer, no routing) | ${fmt(base64)} |`);
    console.log(`| Tilewright L1, the same tile | ${fmt(one64)} |`);
    const [baseTwo, oneTwo] = await wrkTurns([
      { template: baseX2Url, list: oneList, pid: baseX2.pid },
      { template: TEMPLATE(OUR_X2_PORT), list: oneList, pid: x2.pid },
    ], 64) as [Wrk, Wrk];
    console.log(`| Node baseline, 2 processes (node:cluster) | ${fmt(baseTwo)} |`);
    console.log(`| Tilewright L1, 2 processes (server.processes), the same tile | ${fmt(oneTwo)} |`);
    const hot64 = await wrkList(TEMPLATE(OUR_PORT), hotList, 64, ours.pid);
    console.log(`| Tilewright L1, ${hot.length} tiles cycled | ${fmt(hot64)} |`);
    console.log(`\ntiers during (a): ${delta(t0, await tiers(OUR_PORT))}`);
    console.log(`ratio L1 (same tile) / Node baseline: **${(one64.rps / base64.rps).toFixed(2)}x** in req/s (goal ≥ 0.8x)`
      + (one64.cpuUs && base64.cpuUs ? `, ${(base64.cpuUs / one64.cpuUs).toFixed(2)}x in requests per CPU second` : '')
      + `; hot list / baseline: ${(hot64.rps / base64.rps).toFixed(2)}x (smaller tiles, not the same bytes)`
      + `; 2 processes each: ${(oneTwo.rps / baseTwo.rps).toFixed(2)}x`);

    const l2 = await startServer('l2', OUR_L2_PORT, { cache: { memoryMB: 0, redis: redisConfig } });
    procs.push(l2);
    console.log('\n## (b) L2 hits (L1 disabled, Redis on loopback), c=64\n');
    console.log(HEAD);
    t0 = await tiers(OUR_L2_PORT);
    const l2hot = await wrkList(TEMPLATE(OUR_L2_PORT), hotList, 64, l2.pid);
    console.log(`| Tilewright L2 only, ${hot.length} tiles cycled | ${fmt(l2hot)} |`);
    console.log(`\ntiers during (b): ${delta(t0, await tiers(OUR_L2_PORT))}; L2 / L1 (hot list): ${(l2hot.rps / hot64.rps).toFixed(2)}x`);
    await stopProcess(l2);

    console.log('\n## (c) the expected mix: 80% hits (hot list, L1) / 20% never-seen tiles (z14–16), 1,000 connections\n');
    const MIXHEAD = '| run | req/s | p50 ms | p99 ms | max ms | errors | avg kB | server CPU µs/request | never-seen tiles asked |\n|---|---|---|---|---|---|---|---|---|';
    console.log(MIXHEAD);
    t0 = await tiers(OUR_PORT);
    let cpu0 = cpuTime(ours.pid);
    const closed = await wrkMix(OUR_PORT, hotList, coldLists[0]!, 1000, 0);
    closed.cpuUs = (cpuTime(ours.pid)! - cpu0!) / closed.requests;
    console.log(`| (c1) closed loop: every connection asks again as soon as it is answered | ${fmt(closed)} | ${closed.coldSent}${closed.coldWrapped ? ' (list wrapped)' : ''} |`);
    console.log(`\ntiers during (c1): ${delta(t0, await tiers(OUR_PORT))}\n`);
    // (c2), (c3): each connection waits a random think time, so that never-seen tiles arrive at a
    // quarter and at half of the render capacity the pre-render measured.
    console.log(MIXHEAD);
    for (const [k, share] of [[1, 0.25], [2, 0.5]] as const) {
      const coldRate = pre.tilesPerSecond * share, totalRate = coldRate * 5;
      const think = Math.round((1000 / totalRate) * 1000);
      t0 = await tiers(OUR_PORT);
      cpu0 = cpuTime(ours.pid);
      const paced = await wrkMix(OUR_PORT, hotList, coldLists[k]!, 1000, think);
      paced.cpuUs = (cpuTime(ours.pid)! - cpu0!) / paced.requests;
      console.log(`| (c${k + 1}) paced at ${share * 100}% of render capacity: think 0–${2 * think} ms (target ${totalRate.toFixed(0)} req/s, ${coldRate.toFixed(0)} renders/s) | ${fmt(paced)} | ${paced.coldSent}${paced.coldWrapped ? ' (list wrapped)' : ''} |`);
      console.log(`\ntiers during (c${k + 1}): ${delta(t0, await tiers(OUR_PORT))}\n`);
      if (k === 1) console.log(MIXHEAD);
    }

    console.log('\n## (d) cache hits: MapCache (seeded disk cache) beside Tilewright L1, same list\n');
    if (!mapcacheUrl) {
      console.log(`MapCache: ${skipPeers}`);
    } else {
      const seed = await run(`${PEERS}seed.sh`, [HOT_ZOOMS, String(PEER_PORT), '2'], peerEnv);
      console.log(seed.split('\n').filter((l) => /done in/.test(l)).join('\n'));
      console.log(`\n${HEAD}`);
      for (const c of [64, 1000]) {
        const [mc, tw, tw2, bl, ng] = await wrkTurns([
          { template: mapcacheUrl, list: hotList },
          { template: TEMPLATE(OUR_PORT), list: hotList, pid: ours.pid },
          { template: TEMPLATE(OUR_X2_PORT), list: hotList, pid: x2.pid },
          { template: baselineUrl!, list: hotList, pid: baselinePid },
          { template: nginxUrl!, list: hotList },
        ], c) as [Wrk, Wrk, Wrk, Wrk, Wrk];
        console.log(`| MapCache 1.14 (Apache event MPM), c=${c} | ${fmt(mc)} |`);
        console.log(`| Tilewright L1, c=${c} | ${fmt(tw)} |`);
        console.log(`| Tilewright L1, 2 processes, c=${c} | ${fmt(tw2)} |`);
        console.log(`| Node baseline, c=${c} | ${fmt(bl)} |`);
        console.log(`| nginx static (C reference), c=${c} | ${fmt(ng)} |`);
        console.log(`| ratio Tilewright / MapCache, c=${c} | **${(tw.rps / mc.rps).toFixed(2)}x** (2 processes: **${(tw2.rps / mc.rps).toFixed(2)}x**) | | | | | |`);
      }
      // MapCache's PNGs are bigger than ours (another encoder): the same comparison again with
      // Tilewright's bytes in every file of MapCache's disk cache, so both send the same answers.
      const replaced = await mapcacheWithOurBytes(`${WORK}/peers/mapcache-cache`, TEMPLATE(OUR_PORT), mapcacheUrl);
      console.log(`\nMapCache's ${replaced.files} cached files replaced by Tilewright's tiles for the same z/x/y (checked through MapCache: ${replaced.checked} identical)\n\n${HEAD}`);
      for (const c of [64, 1000]) {
        const [mc, tw] = await wrkTurns([
          { template: mapcacheUrl, list: hotList },
          { template: TEMPLATE(OUR_PORT), list: hotList, pid: ours.pid },
        ], c) as [Wrk, Wrk];
        console.log(`| MapCache 1.14 serving Tilewright's tiles (same bytes), c=${c} | ${fmt(mc)} |`);
        console.log(`| Tilewright L1, c=${c} | ${fmt(tw)} |`);
        console.log(`| ratio Tilewright / MapCache, same bytes, c=${c} | **${(tw.rps / mc.rps).toFixed(2)}x** | | | | | |`);
      }
    }
    if (busyBefore > 0.1) console.log(`\nnote: ${(busyBefore * 100).toFixed(0)}% of the CPU was busy with other work before the run; figures may be low.`);
  } finally {
    for (const p of procs) await stopProcess(p);
    if (peersStarted) await run(`${PEERS}stop.sh`, [String(PEER_PORT)], peerEnv).catch(() => undefined);
    await stopProcess(redis);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
