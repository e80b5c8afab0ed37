/**
 * bench/render: cold tile rendering throughput, Tilewright beside MapServer 8 (GDAL on the
 * fly), measured in the same run on the same tile lists. Prints figures; never asserts.
 *
 *   npm run bench:render            (as root: the MapServer peer runs nginx/spawn-fcgi)
 *   BENCH_TILES=500 BENCH_SCENARIOS=ab BENCH_SKIP_PEERS=1 npm run bench:render
 *
 * Scenarios (issue #2 point 10): (a) an EPSG:3857 COG served as WebMercatorQuad, (b) a UTM
 * source reprojected, (c) a float32 DEM with rescale + colormap. For each: 300 random tiles
 * from the peers' tiles.py (data footprint, fixed seed); every tile requested once ("cold":
 * no tile cache anywhere; both servers keep their source block caches, as GDAL does).
 * Before measuring, every server renders the same warm-up list (another seed, none of the
 * measured tiles; the next zoom when the range has too few tiles): a server that has been
 * up for a while has its code compiled (V8's JIT) and its file headers open; start-up is
 * not a per-tile cost. MapServer gets the same warm-up.
 *
 * Rows: Tilewright in-process on one thread (engine cost per tile, no HTTP); Tilewright
 * with its worker pool behind a bare HTTP front (bench/render-server.ts), 8 concurrent
 * clients, with native and with TypeScript kernels; MapServer with 2 FastCGI workers behind
 * nginx, 8 and 1 concurrent clients. The c=8 servers run up side by side and take turns
 * on thirds of the list (measureInTurns).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createDefaultRegistry } from '../src/tilematrixsets/index.js';
import { Engine } from '../src/tiling/engine.js';
import { kernelImplementation, nativeKernels } from '../src/tiling/native.js';
import type { StyleParams } from '../src/tiling/style/style.js';
import { coldFetch, coldFetchRaw, combine, cpuBusy, figures, readTileList, run, startProcess, stopProcess, type RawRun, type RunFigures, type TileXYZ } from './lib.js';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const PEERS = `${SHARED}bench/peers/`;
const CORPUS = `${SHARED}data/cog/`;
const WORK = '/tmp/tilewright-bench';
const COUNT = Number(process.env['BENCH_TILES'] ?? 300);
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? availableParallelism());
const CONCURRENCY = 8;
const PEER_PORT = 8150;
const OUR_PORT = 8160;

interface Scenario {
  key: string;
  title: string;
  file: () => Promise<string>;
  zooms: string;
  style: StyleParams;
  msProcessing?: string;
}

const scenarios: Scenario[] = [
  {
    key: 'a', title: 'EPSG:3857 COG as WebMercatorQuad (no reprojection)', zooms: '9-15', style: {},
    // TCI.tif (Sentinel-2, UTM 34N) warped once by GDAL into a 3857 COG with overviews.
    file: async () => {
      const out = `${WORK}/tci-3857.tif`;
      if (!existsSync(out)) {
        await run('gdalwarp', ['-q', '-t_srs', 'EPSG:3857', '-r', 'bilinear', '-of', 'COG', '-co', 'COMPRESS=DEFLATE', '-co', 'BLOCKSIZE=512', `${CORPUS}TCI.tif`, out]);
      }
      return out;
    },
  },
  {
    key: 'b', title: 'UTM 18N source reprojected (RGB.byte.tif, the peers\' reference file)', zooms: '8-14', style: {},
    file: async () => `${CORPUS}RGB.byte.tif`,
  },
  {
    // dem.tif is 1 km square (400 px at 2.5 m): z13-18 hold only 162 tiles, so the list
    // reaches z19 (overzoomed, as map users zoom past a DEM's resolution) to make 300.
    // MapServer's peer config can only scale (grey): it does less work than our colour map.
    key: 'c', title: 'float32 DEM (EPSG:2056) with rescale + colormap', zooms: '13-19',
    style: { rescale: [[1600, 2020]], colormap: 'terrain' }, msProcessing: 'SCALE=1600,2020',
    file: async () => `${CORPUS}dem.tif`,
  },
];

async function tileList(file: string, zooms: string, count = COUNT, seed = 1): Promise<TileXYZ[]> {
  const out = await run(`${PEERS}tiles.py`, [file, '--zooms', zooms, '--count', String(count), '--seed', String(seed), '--footprint', 'data']);
  return readTileList(out);
}

const WARM_COUNT = 200;
const ROUNDS = 3;

/** Tiles for MapServer's one-client run: a third seed, none of the other lists' tiles. */
async function c1List(file: string, zooms: string, used: TileXYZ[]): Promise<TileXYZ[]> {
  const seen = new Set(used.map((t) => `${t.z}/${t.x}/${t.y}`));
  const fresh = (await tileList(file, zooms, 150, 3)).filter((t) => !seen.has(`${t.z}/${t.x}/${t.y}`));
  if (fresh.length >= 50) return fresh;
  const next = Number(zooms.split('-').pop()) + 2;
  return tileList(file, `${next}-${next}`, 150, 3);
}

/** Warm-up tiles: another seed, without the measured tiles; the next zoom if too few remain. */
async function warmList(file: string, zooms: string, measured: TileXYZ[]): Promise<TileXYZ[]> {
  const seen = new Set(measured.map((t) => `${t.z}/${t.x}/${t.y}`));
  let warm = (await tileList(file, zooms, WARM_COUNT, 2)).filter((t) => !seen.has(`${t.z}/${t.x}/${t.y}`));
  if (warm.length < WARM_COUNT / 2) {
    const next = Number(zooms.split('-').pop()) + 1;
    warm = await tileList(file, `${next}-${next}`, WARM_COUNT, 2);
  }
  return warm;
}

/** Our engine on the calling thread, one tile at a time: the per-tile cost without HTTP or workers. */
async function inProcess(file: string, tiles: TileXYZ[], warm: TileXYZ[], style: StyleParams): Promise<RunFigures> {
  const engine = new Engine();
  const tms = createDefaultRegistry().get('WebMercatorQuad');
  for (const t of warm) {
    await engine.renderTile({ sources: [file], tileMatrixSet: tms, tile: { tileMatrix: String(t.z), row: t.y, col: t.x }, resampling: 'bilinear', style, format: 'png' });
  }
  const lat: number[] = [];
  let bytes = 0;
  const t0 = performance.now();
  for (const t of tiles) {
    const s = performance.now();
    const r = await engine.renderTile({ sources: [file], tileMatrixSet: tms, tile: { tileMatrix: String(t.z), row: t.y, col: t.x }, resampling: 'bilinear', style, format: 'png' });
    lat.push(performance.now() - s);
    bytes += r.kind === 'image' ? r.bytes.length : 0;
  }
  const result = figures(lat, performance.now() - t0, 0, bytes);
  await engine.close();
  return result;
}

/** A server under load: its tile URL template and how to stop it. */
interface Server { name: string; url: string; stop: () => Promise<void> }

async function startPool(file: string, style: StyleParams, native: boolean, port: number): Promise<Server> {
  const server = await startProcess('node', [fileURLToPath(new URL('./render-server.js', import.meta.url)),
    '--port', String(port), '--file', file, '--workers', String(WORKERS), '--style', JSON.stringify(style), '--native', native ? '1' : '0'], /listening/);
  const url = `http://127.0.0.1:${port}/{z}/{x}/{y}.png`;
  // Start-up: one world tile per worker loads the modules and the file header (MapServer's
  // start.sh likewise renders one tile before the run). It is not one of the measured tiles.
  await coldFetch(url, Array.from({ length: WORKERS }, () => ({ z: 0, x: 0, y: 0 })), WORKERS);
  const name = native ? `Tilewright, ${WORKERS} workers via HTTP` : `Tilewright, ${WORKERS} workers, TypeScript kernels only (engine.nativeKernels false)`;
  return { name, url, stop: () => stopProcess(server) };
}

async function startMapServer(file: string, processing: string | undefined): Promise<Server | string> {
  if (process.env['BENCH_SKIP_PEERS'] === '1') return 'skipped (BENCH_SKIP_PEERS=1)';
  if (process.getuid?.() !== 0) return 'skipped (the peer scripts must run as root)';
  if (!existsSync('/usr/lib/cgi-bin/mapserv')) return 'skipped (Debian package cgi-mapserver not installed)';
  const env = { PEERS_RUN_DIR: `${WORK}/peers`, ...(processing ? { MS_PROCESSING: processing } : {}) };
  await run(`${PEERS}stop.sh`, [String(PEER_PORT)], env).catch(() => undefined);
  await run(`${PEERS}start.sh`, [file, String(PEER_PORT)], env);
  return {
    name: 'MapServer 8, 2 FastCGI workers', url: `http://127.0.0.1:${PEER_PORT}/xyz/{z}/{x}/{y}.png`,
    stop: async () => { await run(`${PEERS}stop.sh`, [String(PEER_PORT)], env).catch(() => undefined); },
  };
}

/**
 * Every server renders the same list at c=8 in ROUNDS interleaved slices, taking turns in a
 * rotating order, so that a slow spell of the (shared, virtual) machine falls on all of them
 * alike; each server's figures pool its slices.
 */
async function measureInTurns(servers: readonly Server[], tiles: TileXYZ[]): Promise<Map<Server, RunFigures>> {
  const parts = new Map<Server, RawRun[]>(servers.map((s) => [s, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const slice = tiles.filter((_, i) => i % ROUNDS === r);
    for (let k = 0; k < servers.length; k++) {
      const s = servers[(k + r) % servers.length]!;
      parts.get(s)!.push(await coldFetchRaw(s.url, slice, CONCURRENCY));
    }
  }
  return new Map([...parts].map(([s, runs]) => [s, combine(runs)]));
}

function row(name: string, f: RunFigures): string {
  return `| ${name} | ${f.tilesPerSecond.toFixed(1)} | ${f.p50.toFixed(1)} | ${f.p95.toFixed(1)} | ${(f.avgBytes / 1024).toFixed(1)} | ${f.errors} |`;
}

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  // Measured before any work (the load average at the end is this benchmark's own).
  const busyBefore = await cpuBusy(1000);
  console.log(`# bench/render — ${new Date().toISOString()}, ${availableParallelism()} cores, load ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  console.log(`Kernels: ${kernelImplementation()}.`);
  console.log(`Tilewright worker pool: ${WORKERS} workers; clients: ${CONCURRENCY} keep-alive connections; ${COUNT} tiles per scenario; bilinear; PNG.\n`);
  const only = process.env['BENCH_SCENARIOS'];
  for (const s of scenarios.filter((x) => !only || only.includes(x.key))) {
    const file = await s.file();
    const tiles = await tileList(file, s.zooms);
    const warm = await warmList(file, s.zooms, tiles);
    console.log(`## (${s.key}) ${s.title}\n${file}, zooms ${s.zooms}, ${tiles.length} tiles (after ${warm.length} warm-up tiles)${Object.keys(s.style).length ? `, style ${JSON.stringify(s.style)}` : ''}\n`);
    console.log('| run | tiles/s | p50 ms | p95 ms | avg kB | errors |\n|---|---|---|---|---|---|');
    const single = await inProcess(file, tiles, warm, s.style);
    console.log(row('Tilewright, 1 thread in-process (sequential)', single));
    const servers: Server[] = [await startPool(file, s.style, true, OUR_PORT)];
    try {
      if (nativeKernels()) servers.push(await startPool(file, s.style, false, OUR_PORT + 1));
      const ms = await startMapServer(file, s.msProcessing);
      if (typeof ms !== 'string') servers.push(ms);
      for (const server of servers) await coldFetch(server.url, warm, CONCURRENCY);
      const results = await measureInTurns(servers, tiles);
      for (const server of servers) console.log(row(`${server.name}, c=${CONCURRENCY}`, results.get(server)!));
      if (typeof ms === 'string') {
        console.log(`| MapServer | ${ms} | | | | |\n`);
        continue;
      }
      // One client at a time: other tiles (a third list), since the measured ones are now in MapServer's block cache.
      const c1 = await coldFetch(ms.url, await c1List(file, s.zooms, [...tiles, ...warm]), 1);
      console.log(row(`${ms.name}, c=1 (${c1.tiles} other tiles)`, c1));
      const pool = results.get(servers[0]!)!, msc8 = results.get(ms)!;
      const ts = servers.length === 3 ? results.get(servers[1]!) : undefined;
      console.log(`\nratio Tilewright pool / MapServer c=${CONCURRENCY}: **${(pool.tilesPerSecond / msc8.tilesPerSecond).toFixed(2)}x** tiles/s; `
        + `1 thread / MapServer c=1: ${(single.tilesPerSecond / c1.tilesPerSecond).toFixed(2)}x`
        + (ts ? `; native kernels / TypeScript kernels (pool): ${(pool.tilesPerSecond / ts.tilesPerSecond).toFixed(2)}x` : '') + '\n');
    } finally {
      for (const server of servers) await server.stop();
    }
  }
  if (busyBefore > 0.1) console.log(`note: ${(busyBefore * 100).toFixed(0)}% of the CPU was busy with other work before the run; figures may be low.`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
