/**
 * Operator purges shared between nodes through a real Redis (src/cache/purge.ts): a record
 * made on one node reaches the others, including a node that started while Redis was still
 * connecting or down (BUG, fixed: its start-up load failed on the client's disabled offline
 * queue and it never subscribed, so purges never reached it), and records published while a
 * node was disconnected arrive when it reconnects.
 */
import { expect } from 'chai';
import { PurgeRegistry } from '../../src/cache/purge.js';
import { RedisTier } from '../../src/cache/redis.js';
import { TestRedis } from '../helpers/redis.js';
import { needTool } from '../helpers/services.js';

async function until(what: string, ok: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('cache: purge records shared between nodes through Redis', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  const open: { tier: RedisTier; purges: PurgeRegistry }[] = [];
  /** A node's view: its own Redis client (as src/main.ts makes it) and purge registry, started. */
  const node = async () => {
    const tier = new RedisTier({ url: redis.url, keyPrefix: 'purge-test:', ttlSeconds: 60, commandTimeoutMs: 250 });
    const purges = new PurgeRegistry(tier.client, 'purge-test:');
    open.push({ tier, purges });
    await purges.start();
    return purges;
  };

  before(async function () {
    needTool(this, 'redis-server');
    redis = await TestRedis.create();
  });
  afterEach(async () => {
    for (const n of open.splice(0)) {
      await n.purges.close();
      n.tier.client.disconnect();
    }
  });
  after(async () => { await redis?.stop(); });

  it('a record made on one node reaches another started at the same moment (client still connecting)', async () => {
    const [a, b] = await Promise.all([node(), node()]);
    const record = await a.add({ collectionId: 'c1', minZoom: 3, maxZoom: 3 });
    await until('the record on the other node', () => b.records.some((r) => r.seq === record.seq));
    expect(b.generation).to.equal(a.generation);
  });

  it('a node that started while Redis was down loads the records and follows new ones once it is back', async () => {
    await redis.stop();
    const started = Date.now();
    const late = await node();
    expect(Date.now() - started, 'start-up does not wait for Redis for long').to.be.below(5000);
    await redis.start();
    const other = await node();
    const before = await other.add({ collectionId: 'c2', minZoom: 5, maxZoom: 6 });
    // The earlier records (the list, loaded on connection) and the new one (pub/sub) both arrive.
    await until('records on the late node', () => late.records.some((r) => r.seq === before.seq));
    const after = await other.add({ collectionId: 'c2', bbox: [0, 0, 10, 10] });
    await until('the next record on the late node', () => late.records.some((r) => r.seq === after.seq));
  });

  it('records published while a node was disconnected arrive when it reconnects', async () => {
    const a = await node(), b = await node();
    await redis.stop();
    await redis.start();
    // Only b's connection is back for this record's publication if b reconnects first; either way a
    // gets it from the list on reconnection even if the publication came before its subscription.
    await until('b reconnected', () => open[1]!.tier.client.status === 'ready');
    const record = await b.add({ collectionId: 'c3' });
    await until('the record on a', () => a.records.some((r) => r.seq === record.seq));
  });

  it('after Redis lost its counter, a purge from a client that knows no records (tilewright purge) still gets a new number', async () => {
    const a = await node();
    const known = (await a.add({ collectionId: 'c4' })).seq;
    await redis.stop();
    await redis.start(); // no persistence: the counter and the list are gone
    await until('a reconnected and restored the counter', () => open[0]!.tier.client.status === 'ready');
    const cli = new RedisTier({ url: redis.url, keyPrefix: 'purge-test:', ttlSeconds: 60, commandTimeoutMs: 1000 });
    open.push({ tier: cli, purges: new PurgeRegistry(cli.client, 'purge-test:') });
    for (let i = 0; ; i++) {
      // The counter is restored by a's reconnection; until then a CLI number could collide, so the test waits for it.
      await new Promise((r) => setTimeout(r, 200));
      if (Number(await cli.client.get('purge-test:purges:seq')) >= known || i > 40) break;
    }
    const record = await open[1]!.purges.add({ collectionId: 'c4', minZoom: 1 });
    expect(record.seq).to.be.greaterThan(known);
    await until('the CLI record on a', () => a.records.some((r) => r.seq === record.seq));
  });
});
