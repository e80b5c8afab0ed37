import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gdal } from '../helpers/gdal.js';
import { CORPUS, needTool } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

/**
 * A real HTTP cache in front of the server: nginx with proxy_cache (Debian's nginx), as a CDN
 * would sit. Shows hits served by the proxy, 304 revalidation, and new bytes after a source
 * image changes.
 */
describe('cache: behind a real HTTP cache (nginx proxy_cache)', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'tw-nginx-'));
  const source = join(dir, 'scene.tif'), darker = join(dir, 'scene-darker.tif');
  let app: Awaited<ReturnType<typeof startTestServer>>;
  let nginx: ChildProcess;
  let proxy = '';
  let upstreamTileRequests = 0;

  before(async function () {
    needTool(this, 'nginx');
    needTool(this, 'gdal_translate');
    copyFileSync(CORPUS + 'TCI.tif', source);
    await gdal('gdal_translate', ['-q', '-scale', '0', '255', '0', '128', '-co', 'TILED=YES', CORPUS + 'TCI.tif', darker]);
    app = await startTestServer([], {
      engine: { workers: 1, sourceRevalidateSeconds: 0 },
      collections: [{ id: 'scene', sources: [source], cacheControl: { maxAge: 1, sMaxAge: 1, staleWhileRevalidate: 0 } }],
    });
    const port = await freePort();
    mkdirSync(join(dir, 'cache'));
    mkdirSync(join(dir, 'tmp'));
    writeFileSync(join(dir, 'nginx.conf'), `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/tmp/body; proxy_temp_path ${dir}/tmp/proxy; fastcgi_temp_path ${dir}/tmp/fcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi; scgi_temp_path ${dir}/tmp/scgi;
  proxy_cache_path ${dir}/cache levels=1:2 keys_zone=tiles:10m max_size=100m inactive=10m use_temp_path=off;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass ${app.url};
      proxy_cache tiles;
      proxy_cache_revalidate on;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
}`);
    nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    proxy = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if (await fetch(`${proxy}/health`).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  after(async () => {
    nginx?.kill('SIGTERM');
    await app?.stop();
  });

  const tileRequestsSeen = async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    return [...text.matchAll(/^tilewright_tile_responses_total\{collection="scene",tier="[^"]+"\} (\d+)/gm)].reduce((s, m) => s + Number(m[1]), 0);
  };
  const TILE = '/api/v1/collections/scene/tiles/WebMercatorQuad/10/579/415.png';
  /** nginx keeps validity in whole seconds, so a max-age=1 entry lives 1–2 s: poll until it is stale. */
  const fetchUntilNotHit = async () => {
    let r = await fetch(proxy + TILE);
    for (let i = 0; i < 20 && r.headers.get('x-cache-status') === 'HIT'; i++) {
      await r.arrayBuffer();
      await new Promise((done) => setTimeout(done, 250));
      r = await fetch(proxy + TILE);
    }
    return r;
  };

  it('the first request is a proxy MISS, the second a HIT that never reaches the server', async () => {
    const a = await fetch(proxy + TILE);
    expect(a.status).to.equal(200);
    expect(a.headers.get('x-cache-status')).to.equal('MISS');
    upstreamTileRequests = await tileRequestsSeen();
    const b = await fetch(proxy + TILE);
    expect(b.headers.get('x-cache-status')).to.equal('HIT');
    expect(await tileRequestsSeen()).to.equal(upstreamTileRequests);
    expect(Buffer.from(await a.arrayBuffer()).equals(Buffer.from(await b.arrayBuffer()))).to.equal(true);
  });

  it('a client holding the ETag gets 304 from the proxy; an expired entry is revalidated with the server (304 upstream)', async () => {
    const fresh = await fetch(proxy + TILE);
    const etag = fresh.headers.get('etag')!;
    const n = await fetch(proxy + TILE, { headers: { 'if-none-match': etag } });
    expect(n.status).to.equal(304);
    const seen = await tileRequestsSeen();
    const r = await fetchUntilNotHit();
    expect(r.status).to.equal(200);
    expect(r.headers.get('x-cache-status')).to.equal('REVALIDATED');
    expect(r.headers.get('etag')).to.equal(etag);
    // The server answered the proxy's conditional request without rendering: a 304 (tier none).
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(await tileRequestsSeen()).to.equal(seen + 1);
    expect(text).to.match(/tilewright_tile_responses_total\{collection="scene",tier="none"\} [1-9]/);
  });

  it('after the source image changes, the proxy serves the new bytes', async () => {
    const old = await fetch(proxy + TILE);
    const oldBody = Buffer.from(await old.arrayBuffer());
    copyFileSync(darker, source);
    const updated = await fetchUntilNotHit();
    expect(updated.status).to.equal(200);
    expect(updated.headers.get('x-cache-status')).to.be.oneOf(['EXPIRED', 'MISS']);
    expect(updated.headers.get('etag')).to.not.equal(old.headers.get('etag'));
    expect(Buffer.from(await updated.arrayBuffer()).equals(oldBody)).to.equal(false);
    expect((await fetch(proxy + TILE)).headers.get('x-cache-status')).to.equal('HIT');
  });
});
