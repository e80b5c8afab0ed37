import { expect } from 'chai';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { start, type Tilewright } from '../../src/main.js';
import { gdal } from '../helpers/gdal.js';
import { startTestServer } from '../helpers/server.js';
import { CORPUS, needTool } from '../helpers/services.js';

const TCI = CORPUS + 'TCI.tif';

/** A server with the hit lane on or off, its log lines captured. */
async function server(hitLane: boolean): Promise<{ app: Tilewright; url: string; logs: Record<string, unknown>[] }> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { for (const l of String(chunk).split('\n')) if (l) logs.push(JSON.parse(l)); cb(); } });
  const config = loadConfig({ env: {}, overrides: { server: { port: 0, host: '127.0.0.1', hitLane }, engine: { workers: 1 }, demo: { enabled: false } } });
  const app = await start(config, [TCI], pino({ level: 'info' }, sink));
  return { app, url: app.server.url, logs };
}

async function laneAnswers(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^tilewright_hit_lane_answers_total (\d+)/m.exec(text)?.[1] ?? NaN);
}

/** Headers that must agree between the two paths (Date, the request id and the measured time differ by nature). */
function comparable(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (k === 'date' || k === 'x-request-id') return;
    out[k] = k === 'server-timing' ? v.replace(/dur=[\d.]+/, 'dur=*') : v;
  });
  return out;
}

describe('server: the hit lane answers in-memory tiles before Koa, exactly as the routes do', function () {
  this.timeout(60_000);
  let on: Awaited<ReturnType<typeof server>>, off: Awaited<ReturnType<typeof server>>;
  before(async () => { [on, off] = await Promise.all([server(true), server(false)]); });
  after(async () => { await Promise.all([on?.app.stop(), off?.app.stop()]); });

  const paths = [
    '/api/v1/collections/tci/tiles/WebMercatorQuad/10/579/415.png',
    '/api/v1/collections/tci/tiles/WebMercatorQuad/10/579/415.webp',
    '/api/v1/collections/tci/tiles/WebMercatorQuad/10/579/415@2x.jpg',
    '/wmts/1.0.0/tci/default/WebMercatorQuad/10/416/579.png',
    '/wmts/1.0.0/tci/default/UTM34WGS84Quad/6/26/16.jpg',
  ];

  it('a first request (a miss) goes through the routes; the next ones are answered by the lane with the same status, headers and bytes', async () => {
    for (const path of paths) {
      const before = await laneAnswers(on.url);
      const miss = await fetch(on.url + path);
      expect(miss.status, path).to.equal(200);
      expect(miss.headers.get('server-timing'), path).to.match(/desc=render/);
      await miss.arrayBuffer();
      expect(await laneAnswers(on.url), `${path}: a miss is not the lane's`).to.equal(before);

      const viaLane = await fetch(on.url + path);
      expect(await laneAnswers(on.url), `${path}: the hit is the lane's`).to.equal(before + 1);
      await (await fetch(off.url + path)).arrayBuffer(); // fill the other server's cache
      const viaKoa = await fetch(off.url + path);
      expect(viaLane.status).to.equal(200);
      expect(viaLane.headers.get('server-timing'), path).to.match(/desc=l1/);
      expect(comparable(viaLane), path).to.deep.equal(comparable(viaKoa));
      expect(Buffer.from(await viaLane.arrayBuffer()).equals(Buffer.from(await viaKoa.arrayBuffer())), `${path} bytes`).to.equal(true);
    }
    expect(await laneAnswers(off.url), 'the lane is off').to.equal(0);
  });

  it('answers If-None-Match with the same 304 and HEAD with the same headers and no body', async () => {
    const path = paths[0]!;
    const etag = (await fetch(on.url + path)).headers.get('etag')!;
    const before = await laneAnswers(on.url);
    const [a, b] = await Promise.all([on.url, off.url].map((u) => fetch(u + path, { headers: { 'If-None-Match': etag } })));
    expect(a!.status).to.equal(304);
    expect(comparable(a!)).to.deep.equal(comparable(b!));
    const [h1, h2] = await Promise.all([on.url, off.url].map((u) => fetch(u + path, { method: 'HEAD' })));
    expect(h1!.status).to.equal(200);
    expect(comparable(h1!)).to.deep.equal(comparable(h2!));
    expect((await h1!.arrayBuffer()).byteLength).to.equal(0);
    expect(await laneAnswers(on.url)).to.equal(before + 2);
  });

  it('echoes a sane X-Request-Id and logs one line per request, with the route pattern, as the frame does', async () => {
    const res = await fetch(on.url + paths[0], { headers: { 'X-Request-Id': 'lane-test-42' } });
    expect(res.headers.get('x-request-id')).to.equal('lane-test-42');
    await new Promise((r) => setTimeout(r, 50)); // async log destination
    const line = on.logs.find((l) => l['reqId'] === 'lane-test-42');
    expect(line).to.deep.include({ msg: 'request', method: 'GET', status: 200, route: '/api/v1/collections/:id/tiles/:tms/:z/:x/:y', url: paths[0] });
    const fresh = await fetch(on.url + paths[0], { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(fresh.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    const text = await (await fetch(`${on.url}/metrics`)).text();
    expect(text).to.match(/tilewright_http_requests_total\{route="\/wmts\/1\.0\.0\/:layer\/:style\/:tileMatrixSet\/:tileMatrix\/:tileRow\/:last",method="GET",status="200"\} \d+/);
  });

  it('leaves to the routes what it does not fully handle: queries, negotiation, errors in each protocol\'s format', async () => {
    const before = await laneAnswers(on.url);
    const q = await fetch(`${on.url}${paths[0]}?resampling=nearest`);
    expect(q.status).to.equal(200);
    const nego = await fetch(`${on.url}/api/v1/collections/tci/tiles/WebMercatorQuad/10/579/415`, { headers: { Accept: 'image/webp' } });
    expect(nego.headers.get('content-type')).to.equal('image/webp');
    expect(nego.headers.get('vary')).to.match(/Accept/);
    const out = await fetch(`${on.url}/api/v1/collections/tci/tiles/WebMercatorQuad/10/5000/0.png`);
    expect(out.status).to.equal(404);
    expect((await out.json() as { code: string }).code).to.be.a('string');
    const ows = await fetch(`${on.url}/wmts/1.0.0/tci/default/WebMercatorQuad/10/0/0.png`);
    expect(ows.status, 'RESTful: a tile outside the layer is a resource that does not exist').to.equal(404);
    expect(await ows.text()).to.match(/ExceptionReport[\s\S]*TileOutOfRange/);
    const bad = await fetch(`${on.url}/api/v1/collections/%E0%A4%A/tiles/WebMercatorQuad/10/579/415.png`);
    expect(bad.status).to.be.within(400, 404);
    const post = await fetch(on.url + paths[0], { method: 'POST' });
    expect(post.status).to.equal(405);
    expect(await laneAnswers(on.url), 'none of these were the lane\'s').to.equal(before);
  });
});

describe('server: CORS for a public read-only service', function () {
  this.timeout(60_000);
  let s: Awaited<ReturnType<typeof server>>;
  before(async () => { s = await server(true); });
  after(async () => { await s?.app.stop(); });

  it('lets any origin read answers and their caching headers, without splitting caches by Origin', async () => {
    for (const path of ['/api/v1/collections', '/api/v1/collections/tci/tiles/WebMercatorQuad/10/579/415.png', '/api/v1/collections/nope']) {
      const res = await fetch(s.url + path, { headers: { Origin: 'https://maps.example.org' } });
      expect(res.headers.get('access-control-allow-origin'), path).to.equal('*');
      expect(res.headers.get('access-control-expose-headers'), path).to.match(/ETag/).and.match(/Server-Timing/);
      expect(res.headers.get('vary') ?? '', path).not.to.match(/Origin/i);
      await res.arrayBuffer();
    }
  });

  it('answers preflights with 204, the read methods and the asked headers', async () => {
    const res = await fetch(`${s.url}/api/v1/collections/tci/tiles/WebMercatorQuad/10/579/415.png`, {
      method: 'OPTIONS', headers: { Origin: 'https://maps.example.org', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization, if-none-match' },
    });
    expect(res.status).to.equal(204);
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    expect(res.headers.get('access-control-allow-methods')).to.match(/GET/).and.match(/HEAD/);
    expect(res.headers.get('access-control-allow-headers')).to.equal('authorization, if-none-match');
    expect(Number(res.headers.get('access-control-max-age'))).to.be.greaterThan(0);
    // A plain OPTIONS (not a preflight) is the router's: 200/204 with Allow.
    const plain = await fetch(`${s.url}/api/v1/collections`, { method: 'OPTIONS' });
    expect(plain.headers.get('allow')).to.match(/GET/);
  });
});

describe('server: the hit lane reuses a path\'s answer only while the tile is the same', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'tw-lane-'));
  const source = join(dir, 'scene.tif'), darker = join(dir, 'scene-darker.tif');
  const TILE = '/api/v1/collections/scene/tiles/WebMercatorQuad/10/579/415.png';
  let app: Awaited<ReturnType<typeof startTestServer>>;

  before(async function () {
    needTool(this, 'gdal_translate');
    copyFileSync(TCI, source);
    await gdal('gdal_translate', ['-q', '-scale', '0', '255', '0', '128', '-co', 'TILED=YES', TCI, darker]);
    app = await startTestServer([], { engine: { workers: 1, sourceRevalidateSeconds: 1 }, collections: [{ id: 'scene', sources: [source] }] });
  });
  after(async () => { await app?.stop(); });

  const counters = async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const n = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
    return {
      lane: n(/^tilewright_hit_lane_answers_total (\d+)/m),
      l1: n(/^tilewright_tile_responses_total\{collection="scene",tier="l1"\} (\d+)/m),
      get200: n(/^tilewright_http_requests_total\{route="\/api\/v1\/collections\/:id\/tiles\/:tms\/:z\/:x\/:y",method="GET",status="200"\} (\d+)/m),
      head200: n(/^tilewright_http_requests_total\{route="\/api\/v1\/collections\/:id\/tiles\/:tms\/:z\/:x\/:y",method="HEAD",status="200"\} (\d+)/m),
    };
  };

  it('every reused answer has its own request id and time, and is counted; after the source changes, the new ETag, length and bytes', async () => {
    const first = await fetch(app.url + TILE);
    const firstBody = Buffer.from(await first.arrayBuffer());
    const before = await counters();
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await fetch(app.url + TILE, i === 3 ? { method: 'HEAD' } : {}));
    const after = await counters();
    expect(after.lane - before.lane, 'all four from the lane').to.equal(4);
    expect(after.l1 - before.l1).to.equal(4);
    expect(after.get200 - before.get200).to.equal(3);
    expect(after.head200 - before.head200).to.equal(1);
    const ids = new Set(hits.map((h) => h.headers.get('x-request-id')));
    expect(ids.size, 'a request id per answer').to.equal(4);
    for (const h of hits) {
      expect(h.headers.get('etag')).to.equal(first.headers.get('etag'));
      expect(h.headers.get('content-length')).to.equal(String(firstBody.length));
      expect(h.headers.get('server-timing')).to.match(/^cache;desc=l1, tile;dur=\d+\.\d\d$/);
    }
    expect(Buffer.from(await hits[0]!.arrayBuffer()).equals(firstBody)).to.equal(true);

    copyFileSync(darker, source);
    // Past the revalidation interval the next request re-checks the file (the lane never serves from unchecked headers).
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const changed = await fetch(app.url + TILE);
    const changedBody = Buffer.from(await changed.arrayBuffer());
    expect(changed.headers.get('etag')).to.not.equal(first.headers.get('etag'));
    expect(changedBody.equals(firstBody)).to.equal(false);
    const laneBefore = (await counters()).lane;
    const again = await fetch(app.url + TILE);
    expect((await counters()).lane, 'the changed tile is a hit again').to.equal(laneBefore + 1);
    expect(again.headers.get('etag')).to.equal(changed.headers.get('etag'));
    expect(again.headers.get('content-length')).to.equal(String(changedBody.length));
    expect(Buffer.from(await again.arrayBuffer()).equals(changedBody)).to.equal(true);
  });
});
