import { expect } from 'chai';
import http from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CORPUS } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

/** A seeded PRNG so a failing request can be reproduced from the printed seed and index. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BAD_NUMBERS = ['-1', 'NaN', 'Infinity', '-Infinity', '1e309', '99999999999999999999', '0x10', '1.5', '', ' ', '%00', '%FF', '..', '%2e%2e', '-0.0', '1e3', '٣', '𝟙', 'null', '[]', '{}', "'", '"', '<script>', 'x'.repeat(3000)];
const BAD_QUERIES = [
  'bands=0', 'bands=-1', 'bands=1,2', 'bands=a', 'bands=1,,3', 'bands=NaN', 'bands=1e99', 'bands=4,5,6',
  'rescale=NaN,1', 'rescale=1', 'rescale=1,2,3', 'rescale=5,5', 'rescale=Infinity,0', 'rescale=;', 'rescale=a,b',
  'colormap=nope', 'colormap=%FF%FE', 'colormap=', 'resampling=magic', 'resampling=', 'resampling=NEAREST',
  'f=gif', 'f=', 'bands=1&bands=1', 'resampling=cubic&resampling=nearest', 'f=png&f=jpeg',
];

describe('server: fuzzing with malformed requests', function () {
  this.timeout(180_000);
  let app: Awaited<ReturnType<typeof startTestServer>>;
  before(async () => { app = await startTestServer([CORPUS + 'TCI.tif', CORPUS + 'dem.tif']); });
  after(async () => { await app.stop(); });

  /** Each request breaks a valid tile URL in at least one place (path segment, query or both). */
  function malformed(rnd: () => number): string {
    const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
    const seg = { id: 'tci', tms: 'WebMercatorQuad', z: '10', x: '579', y: '415', ext: '.png' };
    const mutate = Math.floor(rnd() * 8);
    const bad = () => encodeURIComponent(pick(BAD_NUMBERS)).replace(/%25/g, '%');
    let query = '';
    switch (mutate) {
      case 0: seg.z = bad() || 'z'; break;
      case 1: seg.x = bad() || 'x'; break;
      case 2: seg.y = bad() || 'y'; break;
      case 3: seg.id = pick(['nope', '..', '%2e%2e', 'tci%00', 'TCI', bad() || 'q']); break;
      case 4: seg.tms = pick(['webmercatorquad', 'WebMercatorQuad%00', 'UTM99WGS84Quad', '..', bad() || 'q']); break;
      case 5: seg.ext = pick(['.gif', '.PNG.exe', '.', '.png.png', '@0x.png', '@9x.png', '@2x@2x.png', '.jpg%00']); break;
      case 6: seg.z = pick(['25', '30', '-1', '999']); break;
      default: query = '?' + Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(BAD_QUERIES)).join('&'); break;
    }
    if (mutate < 7 && rnd() < 0.3) query = '?' + pick(BAD_QUERIES);
    return `/api/v1/collections/${seg.id}/tiles/${seg.tms}/${seg.z}/${seg.x}/${seg.y}${seg.ext}${query}`;
  }

  async function blast(count: number, seed: number) {
    const rnd = prng(seed);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    let next = 0;
    const paths = Array.from({ length: count }, () => malformed(rnd));
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < paths.length) {
        const i = next++;
        const path = paths[i]!;
        const { status, type, body } = await request(agent, app.url + path);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status < 400 || status >= 500) problems.push(`#${i} (seed ${seed}) ${path.slice(0, 200)} → ${status}`);
        else if (status !== 431 && status !== 414) {
          // Our own answers: JSON with a code and a message that names what was wrong, no stack.
          let parsed: { code?: string; description?: string } = {};
          try { parsed = JSON.parse(body) as typeof parsed; } catch { /* reported below */ }
          if (!/^application\/json/.test(type) || !parsed.code || !parsed.description || /\.js:\d+|\n\s+at /.test(body)) {
            problems.push(`#${i} ${path.slice(0, 200)} → ${status} ${type} ${body.slice(0, 200)}`);
          }
        }
      }
    }));
    agent.destroy();
    return { statuses, problems };
  }

  it('answers thousands of malformed tile requests with 4xx JSON errors, keeps serving, and memory stays flat', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    await blast(500, 1); // warm-up: JIT, caches, pools
    gc();
    const before = process.memoryUsage().heapUsed;
    const { statuses, problems } = await blast(3000, 2);
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    console.log(`      statuses: ${JSON.stringify(Object.fromEntries(statuses))}; heap growth after 3000 requests: ${(growth / 1024 / 1024).toFixed(2)} MB`);
    expect(problems.slice(0, 10), `${problems.length} bad answers`).to.deep.equal([]);
    expect(growth, 'heap growth (bytes)').to.be.lessThan(8 * 1024 * 1024);
    const ok = await fetch(app.url + '/api/v1/collections/tci/tiles/WebMercatorQuad/10/579/415.png');
    expect(ok.status).to.equal(200);
    expect((await ok.arrayBuffer()).byteLength).to.be.greaterThan(1000);
  });

  it('a huge URL is refused by the HTTP parser with 414/431, and the server keeps serving', async () => {
    const agent = new http.Agent({ keepAlive: false });
    const { status } = await request(agent, `${app.url}/api/v1/collections/${'a'.repeat(70_000)}`);
    expect([414, 431, 400]).to.include(status);
    expect((await fetch(app.url + '/health')).status).to.equal(200);
  });
});

function request(agent: http.Agent, url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', (err) => resolve({ status: 0, type: '', body: String(err) }));
  });
}
