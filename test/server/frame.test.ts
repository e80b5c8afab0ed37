import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http, { createServer, type Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';
import { CORPUS, needTool } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

const tci = readFileSync(CORPUS + 'TCI.tif');

/**
 * A loopback HTTP server holding TCI.tif whose answers are delayed, or ('never') whose
 * answers for tile data never come while the header (first 64 KiB) is served normally.
 */
async function slowSource(delayMs: number | 'never'): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const answer = () => {
      const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
      const a = m ? Number(m[1]) : 0, b = m ? Math.min(Number(m[2]), tci.length - 1) : tci.length - 1;
      res.writeHead(m ? 206 : 200, { 'content-range': `bytes ${a}-${b}/${tci.length}`, etag: '"t"' }).end(tci.subarray(a, b + 1));
    };
    const start = Number(/bytes=(\d+)-/.exec(req.headers.range ?? '')?.[1] ?? 0);
    if (delayMs === 'never' && start >= 65536) return; // headers answer, tile data never does
    setTimeout(answer, delayMs === 'never' ? 0 : delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/TCI.tif`, server };
}

describe('server: production frame', function () {
  this.timeout(60_000);

  it('graceful shutdown: in-flight requests finish, then new connections are refused', async () => {
    const src = await slowSource(300);
    const app = await startTestServer([], { collections: [{ id: 'slow', sources: [src.url] }], engine: { workers: 1, blockCacheMB: 1 } });
    try {
      const inflight = fetch(`${app.url}/api/v1/collections/slow/tiles/WebMercatorQuad/12/2317/1663.png`);
      await new Promise((r) => setTimeout(r, 100));
      const stopping = app.stop();
      const res = await inflight;
      expect(res.status).to.equal(200);
      expect((await res.arrayBuffer()).byteLength).to.be.greaterThan(1000);
      await stopping;
      let refused = false;
      await fetch(`${app.url}/health`).catch(() => { refused = true; });
      expect(refused).to.equal(true);
    } finally {
      await app.stop();
      src.server.closeAllConnections();
      src.server.close();
    }
  });

  it('a stuck source cannot hold a request: source timeout → 502, request timeout → 503, both JSON', async () => {
    const src = await slowSource('never');
    const app = await startTestServer([], {
      collections: [{ id: 'stuck', sources: [src.url] }],
      sources: { http: { timeoutMs: 300 } },
    });
    const app2 = await startTestServer([], {
      collections: [{ id: 'stuck', sources: [src.url] }],
      sources: { http: { timeoutMs: 60_000 } }, server: { requestTimeoutMs: 400 },
    });
    try {
      const a = await fetch(`${app.url}/api/v1/collections/stuck/tiles/WebMercatorQuad/12/2317/1663.png`);
      expect(a.status).to.equal(502);
      expect(await a.json()).to.include({ code: 'SourceUnavailable' });
      // 503 Timeout (not 502 SourceUnavailable) shows the request timeout fired, not the 60 s source timeout.
      const b = await fetch(`${app2.url}/api/v1/collections/stuck/tiles/WebMercatorQuad/12/2317/1663.png`);
      expect(b.status).to.equal(503);
      const body = await b.json() as { code: string; requestId: string };
      expect(body.code).to.equal('Timeout');
      expect(body.requestId).to.match(/^[0-9a-f-]{36}$/);
      expect((await fetch(`${app2.url}/health`)).status).to.equal(200);
    } finally {
      await app.stop();
      await app2.stop();
      src.server.closeAllConnections();
      src.server.close();
    }
  });

  it('serves HTTPS from a certificate and key file', async function () {
    needTool(this, 'openssl');
    const dir = mkdtempSync(join(tmpdir(), 'tw-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const app = await startTestServer([CORPUS + 'cogeo.tif'], { server: { https: { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') } } });
    try {
      expect(app.url).to.match(/^https:/);
      const status = await new Promise<number>((resolve, reject) => {
        https.get(`${app.url}/health`, { rejectUnauthorized: false }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject);
      });
      expect(status).to.equal(200);
    } finally {
      await app.stop();
    }
  });

  it('configuration: unknown keys stop start-up with the key named; environment variables apply', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ server: { prot: 1 }, engine: { warpErrorTreshold: 0.1 } }));
    expect(() => loadConfig({ file, env: {} })).to.throw(ConfigError, /unknown key server\.prot/);
    expect(() => loadConfig({ file, env: {} })).to.throw(ConfigError, /unknown key engine\.warpErrorTreshold/);
    writeFileSync(file, JSON.stringify({ collections: [{ id: 'bad/id', sources: ['a.tif'] }] }));
    expect(() => loadConfig({ file, env: {} })).to.throw(ConfigError, /collections\.0\.id/);
    // Spaces and non-ASCII letters are fine (WMTS layer identifiers; faces percent-encode them).
    writeFileSync(file, JSON.stringify({ collections: [{ id: 'Zürich Nord', sources: ['a.tif'] }] }));
    expect(loadConfig({ file, env: {} }).collections[0]!.id).to.equal('Zürich Nord');
    const c = loadConfig({ env: { TILEWRIGHT_PORT: '9123', TILEWRIGHT_WORKERS: '3', XDG_CACHE_HOME: '/x' } });
    expect([c.server.port, c.engine.workers, c.demo.directory]).to.deep.equal([9123, 3, '/x/tilewright/demo']);
    expect(() => loadConfig({ env: { TILEWRIGHT_PORT: 'eighty' } })).to.throw(ConfigError, /TILEWRIGHT_PORT must be a number/);
    expect(loadConfig({ env: {} }).server.port).to.equal(8080);
  });

  it('`tilewright serve` logs JSON lines with request ids and exits cleanly on SIGTERM', async () => {
    const cli = new URL('../../src/cli/main.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [cli, 'serve', CORPUS + 'cogeo.tif', '--port', '0'], { env: { ...process.env, TILEWRIGHT_WORKERS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 20_000);
      child.stdout.on('data', () => {
        const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (m) { clearTimeout(timer); resolve(m[1]!); }
      });
    });
    const res = await new Promise<number>((resolve) => http.get(`${url}/api/v1/collections`, { headers: { 'x-request-id': 'req-42' } }, (r) => { r.resume(); r.on('end', () => resolve(r.statusCode ?? 0)); }));
    expect(res).to.equal(200);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).to.equal(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const req = lines.find((l) => l['reqId'] === 'req-42');
    expect(req).to.include({ method: 'GET', url: '/api/v1/collections', status: 200 });
    expect(lines.some((l) => l['msg'] === 'stopped')).to.equal(true);
  });
});
