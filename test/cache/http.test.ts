import { expect } from 'chai';
import { copyFileSync, mkdtempSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

const TCI_TILE = 'WebMercatorQuad/10/579/415.png'; // inside TCI.tif (Libya)
const MASK_TILE = 'WebMercatorQuad/15/6847/12528.png'; // inside cog_rgb_mask.tif (New Mexico)

describe('cache: HTTP validators, tiers and exact invalidation', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'tw-cache-'));
  const tci = join(dir, 'tci.tif'), mask = join(dir, 'mask.tif');
  copyFileSync(CORPUS + 'TCI.tif', tci);
  copyFileSync(CORPUS + 'cog_rgb_mask.tif', mask);
  let app: Awaited<ReturnType<typeof startTestServer>>;
  before(async () => {
    app = await startTestServer([], {
      engine: { workers: 1, sourceRevalidateSeconds: 0 },
      server: { adminToken: 'a-very-secret-admin-token' },
      collections: [
        { id: 'pair', sources: [tci, mask] },
        { id: 'cdn', sources: [CORPUS + 'cogeo.tif'], cacheControl: { maxAge: 5, sMaxAge: 600, staleWhileRevalidate: 30 } },
      ],
    });
  });
  after(() => app.stop());
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${app.url}/api/v1/collections/${path}`, { headers, method });

  it('a tile carries a strong ETag, Last-Modified, Cache-Control and Server-Timing; the second answer comes from L1', async () => {
    const a = await get(`pair/tiles/${TCI_TILE}`);
    expect(a.status).to.equal(200);
    const etag = a.headers.get('etag')!;
    expect(etag).to.match(/^"[A-Za-z0-9_-]{32}"$/);
    // The mtime of the one source this tile touches (the copy made above), to the second.
    expect(new Date(a.headers.get('last-modified')!).getTime()).to.equal(Math.floor(statSync(tci).mtimeMs / 1000) * 1000);
    expect(a.headers.get('cache-control')).to.equal('public, max-age=60, s-maxage=86400, stale-while-revalidate=300');
    expect(a.headers.get('server-timing')).to.match(/^cache;desc=render, tile;dur=[\d.]+$/);
    const b = await get(`pair/tiles/${TCI_TILE}`);
    expect(b.headers.get('etag')).to.equal(etag);
    expect(b.headers.get('server-timing')).to.match(/^cache;desc=l1/);
    expect(Buffer.from(await a.arrayBuffer()).equals(Buffer.from(await b.arrayBuffer()))).to.equal(true);
    const c = await get('cdn/tiles/WebMercatorQuad/16/25335/17480.png');
    expect(c.headers.get('cache-control')).to.equal('public, max-age=5, s-maxage=600, stale-while-revalidate=30');
  });

  it('If-None-Match answers 304 with the ETag, as does HEAD with its headers', async () => {
    const etag = (await get(`pair/tiles/${TCI_TILE}`)).headers.get('etag')!;
    const n = await get(`pair/tiles/${TCI_TILE}`, { 'if-none-match': `W/"nope", ${etag}` });
    expect(n.status).to.equal(304);
    expect(n.headers.get('etag')).to.equal(etag);
    expect(n.headers.get('server-timing')).to.match(/cache;desc=none/);
    expect((await n.arrayBuffer()).byteLength).to.equal(0);
    const h = await get(`pair/tiles/${TCI_TILE}`, {}, 'HEAD');
    expect(h.status).to.equal(200);
    expect(h.headers.get('etag')).to.equal(etag);
    expect(Number(h.headers.get('content-length'))).to.be.greaterThan(1000);
  });

  it('a negotiated format varies on Accept and has its own ETag', async () => {
    const png = await get('pair/tiles/WebMercatorQuad/10/579/415', { accept: 'image/png' });
    const webp = await get('pair/tiles/WebMercatorQuad/10/579/415', { accept: 'image/webp' });
    expect(png.headers.get('vary')).to.match(/Accept/);
    expect(png.headers.get('etag')).to.not.equal(webp.headers.get('etag'));
  });

  it('when one source changes, exactly the tiles it touches get new ETags', async () => {
    const before = { tci: (await get(`pair/tiles/${TCI_TILE}`)).headers.get('etag'), mask: (await get(`pair/tiles/${MASK_TILE}`)).headers.get('etag') };
    const t = new Date(Date.now() + 60_000);
    utimesSync(tci, t, t); // a new version (mtime) of tci.tif only
    const after = { tci: await get(`pair/tiles/${TCI_TILE}`), mask: await get(`pair/tiles/${MASK_TILE}`) };
    expect(after.tci.headers.get('etag')).to.not.equal(before.tci);
    expect(after.tci.headers.get('server-timing')).to.match(/cache;desc=render/);
    expect(after.mask.headers.get('etag')).to.equal(before.mask);
    expect(after.mask.headers.get('server-timing')).to.match(/cache;desc=l1/);
  });

  it('the purge endpoint needs the admin token and renews exactly the tiles in its zoom range and box', async () => {
    const z10 = (await get(`pair/tiles/${TCI_TILE}`)).headers.get('etag');
    const z15 = (await get(`pair/tiles/${MASK_TILE}`)).headers.get('etag');
    const purge = (q: string, token?: string) => fetch(`${app.url}/api/v1/collections/pair/cache/purge?${q}`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await purge('zoom=10')).status).to.equal(401);
    expect((await purge('zoom=10', 'wrong-token-of-same-size!')).status).to.equal(401);
    const bad = await purge('bbox=1,2,3', 'a-very-secret-admin-token');
    expect(bad.status).to.equal(400);
    expect(await bad.json()).to.include({ parameter: 'bbox' });
    // Zoom 10, but a box far from Libya: nothing covered.
    expect((await purge('zoom=10&bbox=-10,40,0,50', 'a-very-secret-admin-token')).status).to.equal(202);
    expect((await get(`pair/tiles/${TCI_TILE}`)).headers.get('etag')).to.equal(z10);
    // Zoom 5-12 around Libya: the z10 tile is renewed, the z15 one is not.
    const ok = await purge('zoom=5-12&bbox=20,30,26,34', 'a-very-secret-admin-token');
    expect(ok.status).to.equal(202);
    expect(await ok.json()).to.include({ collectionId: 'pair', minZoom: 5, maxZoom: 12 });
    expect((await get(`pair/tiles/${TCI_TILE}`)).headers.get('etag')).to.not.equal(z10);
    expect((await get(`pair/tiles/${MASK_TILE}`)).headers.get('etag')).to.equal(z15);
  });

  it('the purge endpoint does not exist without an admin token', async () => {
    const plain = await startTestServer([CORPUS + 'cogeo.tif']);
    try {
      expect((await fetch(`${plain.url}/api/v1/collections/cogeo/cache/purge`, { method: 'POST' })).status).to.be.oneOf([404, 405]);
    } finally {
      await plain.stop();
    }
  });
});

describe('cache: a conditional request reads nothing from the source', function () {
  this.timeout(60_000);
  let source: Server;
  let dataRequests = 0;
  let app: Awaited<ReturnType<typeof startTestServer>>;
  const bytes = readFileSync(CORPUS + 'TCI.tif');
  before(async () => {
    source = createServer((req, res) => {
      const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '')!;
      const a = Number(m[1]), b = Math.min(Number(m[2]), bytes.length - 1);
      if (a >= 65536) dataRequests++; // beyond the header chunk: tile data
      res.writeHead(206, { 'content-range': `bytes ${a}-${b}/${bytes.length}`, etag: '"v1"' }).end(bytes.subarray(a, b + 1));
    });
    await new Promise<void>((r) => source.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(source.address() as AddressInfo).port}/TCI.tif`;
    app = await startTestServer([], { collections: [{ id: 'remote', sources: [url] }], engine: { workers: 1, sourceRevalidateSeconds: 3600 }, cache: { memoryMB: 0 } });
  });
  after(async () => { await app.stop(); source.closeAllConnections(); source.close(); });

  it('If-None-Match with the current ETag: 304, and not one byte of tile data fetched', async () => {
    const first = await fetch(`${app.url}/api/v1/collections/remote/tiles/${TCI_TILE}`);
    expect(first.status).to.equal(200);
    expect(dataRequests).to.be.greaterThan(0);
    const before = dataRequests;
    const again = await fetch(`${app.url}/api/v1/collections/remote/tiles/${TCI_TILE}`, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(again.status).to.equal(304);
    expect(dataRequests).to.equal(before);
  });
});
