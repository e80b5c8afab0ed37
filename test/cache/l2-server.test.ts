import { expect } from 'chai';
import sharp from 'sharp';
import { CORPUS, needTool } from '../helpers/services.js';
import { TestRedis } from '../helpers/redis.js';
import { startTestServer } from '../helpers/server.js';

/**
 * The server on Redis alone (L1 off): what the first request renders, the next gets from L2 —
 * including empty tiles, which Redis keeps as a marker without bytes.
 */
describe('cache: a server with L1 disabled serves from Redis', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let app: Awaited<ReturnType<typeof startTestServer>>;
  before(async function () {
    needTool(this, 'redis-server');
    redis = await TestRedis.create();
    app = await startTestServer([], {
      cache: { memoryMB: 0, redis: { url: redis.url } },
      // TCI.tif (Libya) and cog_rgb_mask.tif (New Mexico): the Atlantic between them is inside
      // the collection's limits at low zooms but has no data.
      collections: [{ id: 'pair', sources: [CORPUS + 'TCI.tif', CORPUS + 'cog_rgb_mask.tif'] }],
    });
  });
  after(async () => {
    await app?.stop();
    await redis?.stop();
  });

  const tile = async (path: string) => {
    const r = await fetch(`${app.url}/api/v1/collections/pair/tiles/WebMercatorQuad/${path}.png`);
    return { status: r.status, tier: /cache;desc=(\w+)/.exec(r.headers.get('server-timing') ?? '')?.[1], etag: r.headers.get('etag'), body: Buffer.from(await r.arrayBuffer()) };
  };
  for (const [what, path] of [['an image tile', '10/579/415'], ['an empty tile (marker in Redis)', '5/12/13']] as const) {
    it(`${what}: rendered once, then an L2 hit with the same bytes`, async () => {
      const first = await tile(path);
      expect(first.status).to.equal(200);
      expect(first.tier).to.equal('render');
      let second = await tile(path);
      // The L2 write is off the response path: give it a moment.
      for (let i = 0; i < 50 && second.tier !== 'l2'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        second = await tile(path);
      }
      expect(second.status).to.equal(200);
      expect(second.tier).to.equal('l2');
      expect(second.etag).to.equal(first.etag);
      expect(second.body.equals(first.body)).to.equal(true);
      const { data, info } = await sharp(second.body).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect(info.width).to.equal(256);
      let opaque = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) opaque++;
      if (path === '5/12/13') expect(opaque, 'opaque pixels of the empty tile').to.equal(0);
      else expect(opaque).to.be.greaterThan(0);
    });
  }
});
