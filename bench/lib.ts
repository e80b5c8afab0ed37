/** Small helpers shared by the benchmarks: a cold HTTP client, percentiles, process control. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';

export interface TileXYZ { z: number; x: number; y: number }

/** A tile URL from a `{z}/{x}/{y}` template. */
export function tileUrl(template: string, t: TileXYZ): string {
  return template.replace('{z}', String(t.z)).replace('{x}', String(t.x)).replace('{y}', String(t.y));
}

export function readTileList(text: string): TileXYZ[] {
  return text.split('\n').map((l) => /^(\d+)\/(\d+)\/(\d+)/.exec(l.trim())).filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ z: Number(m[1]), x: Number(m[2]), y: Number(m[3]) }));
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface RunFigures {
  tiles: number;
  tilesPerSecond: number;
  p50: number;
  p95: number;
  errors: number;
  avgBytes: number;
}

export function figures(latencies: number[], wallMs: number, errors: number, bytes: number): RunFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    tiles: latencies.length,
    tilesPerSecond: (latencies.length / wallMs) * 1000,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    errors,
    avgBytes: bytes / Math.max(1, latencies.length - errors),
  };
}

/** The raw outcome of a run: per-request latencies (ms), wall time, errors and body bytes. */
export interface RawRun { latencies: number[]; wallMs: number; errors: number; bytes: number }

/** Figures of several runs taken as one (their latencies pooled, their wall times added). */
export function combine(runs: readonly RawRun[]): RunFigures {
  return figures(runs.flatMap((r) => r.latencies), runs.reduce((s, r) => s + r.wallMs, 0),
    runs.reduce((s, r) => s + r.errors, 0), runs.reduce((s, r) => s + r.bytes, 0));
}

/** Requests every tile once with `concurrency` keep-alive connections (the same client for every server). */
export async function coldFetch(template: string, tiles: TileXYZ[], concurrency: number): Promise<RunFigures> {
  return combine([await coldFetchRaw(template, tiles, concurrency)]);
}

export async function coldFetchRaw(template: string, tiles: TileXYZ[], concurrency: number): Promise<RawRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const lat: number[] = [];
  let errors = 0, bytes = 0, next = 0;
  const url = (t: TileXYZ) => tileUrl(template, t);
  const get = (u: string) => new Promise<{ status: number; size: number }>((resolve) => {
    const req = http.get(u, { agent }, (res) => {
      let size = 0;
      res.on('data', (d: Buffer) => { size += d.length; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, size }));
    });
    req.on('error', () => resolve({ status: 0, size: 0 }));
  });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < tiles.length) {
      const t = tiles[next++]!;
      const s = performance.now();
      const r = await get(url(t));
      lat.push(performance.now() - s);
      if (r.status < 200 || r.status >= 300) errors++;
      else bytes += r.size;
    }
  }));
  const wall = performance.now() - t0;
  agent.destroy();
  return { latencies: lat, wallMs: wall, errors, bytes };
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`))));
  });
}

/** Starts a long-running process and resolves once `ready` matches its stdout. */
export function startProcess(cmd: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => { p.kill(); reject(new Error(`${cmd} did not become ready`)); }, 30_000);
    p.stdout!.on('data', (d) => {
      out += d;
      if (ready.test(out)) { clearTimeout(timer); resolve(p); }
    });
    p.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${cmd} exited ${code} before it was ready`)); });
  });
}

export function stopProcess(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null) return resolve();
    p.removeAllListeners('exit');
    p.on('exit', () => resolve());
    p.kill('SIGTERM');
  });
}

/** Share of all cores' time spent busy over `ms` (from /proc/stat; 0 where it is not readable). */
export async function cpuBusy(ms: number): Promise<number> {
  const read = () => {
    try {
      const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
      // user nice system idle iowait irq softirq steal (guest time is already in user/nice)
      return { idle: f[3]! + (f[4] ?? 0), total: f.reduce((a, b) => a + b, 0) };
    } catch {
      return undefined;
    }
  };
  const a = read();
  await new Promise((r) => setTimeout(r, ms));
  const b = read();
  if (!a || !b || b.total === a.total) return 0;
  return 1 - (b.idle - a.idle) / (b.total - a.total);
}
