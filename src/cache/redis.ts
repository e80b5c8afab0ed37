import { createHash, randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { CachedTile } from '../tiling/tile-cache.js';

export interface RedisTierOptions {
  url: string;
  keyPrefix: string;
  ttlSeconds: number;
  commandTimeoutMs: number;
}

/**
 * L2: tiles shared by every node, in Redis. Content-addressed: `t:{key}` holds the SHA-256 of
 * the body, `b:{sha}` the body itself, so identical bodies (blank tiles, uniform areas, the
 * same tile under several styles that render alike) are stored once. Empty tiles store only a
 * marker (`e:{contentType}`), since every node can make the blank image itself.
 *
 * Failure is not an outage: no offline queue and a short command timeout, so a missing or
 * slow Redis costs at most `commandTimeoutMs` per request; ioredis reconnects by itself.
 */
export class RedisTier {
  readonly client: Redis;
  readonly #ttl: number;
  readonly #prefix: string;
  /** Bytes a naive store (one body per key) would hold minus what this one writes: the saving. */
  dedupSavedBytes = 0;
  writtenBodyBytes = 0;

  constructor(options: RedisTierOptions, extra: RedisOptions = {}) {
    this.#prefix = options.keyPrefix;
    this.#ttl = options.ttlSeconds;
    this.client = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: Math.max(1000, options.commandTimeoutMs * 4),
      // Reconnect for ever, backing off to 2 s between attempts.
      retryStrategy: (times) => Math.min(2000, 50 * times),
      lazyConnect: false,
      ...extra,
    });
    // Errors surface on the commands; the connection's own errors only mean "down for now".
    this.client.on('error', () => undefined);
    this.client.defineCommand('getTile', {
      numberOfKeys: 1,
      // One round trip: the key's body hash (or marker), then the body.
      lua: `local h = redis.call('GET', KEYS[1])
if not h then return nil end
if string.sub(h, 1, 2) == 'e:' then return { h } end
return { h, redis.call('GET', ARGV[1] .. h) }`,
    });
    this.client.defineCommand('releaseLease', {
      numberOfKeys: 1,
      lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
    });
  }

  get ready(): boolean {
    return this.client.status === 'ready';
  }

  async get(key: string): Promise<CachedTile | undefined> {
    const r = await (this.client as unknown as { getTileBuffer(k: string, prefix: string): Promise<Buffer[] | null> })
      .getTileBuffer(`${this.#prefix}t:${key}`, `${this.#prefix}b:`);
    if (!r) return undefined;
    const head = r[0]!.toString('latin1');
    if (head.startsWith('e:')) {
      const [, kind, contentType] = /^e:([^:]+):(.*)$/.exec(head) ?? [];
      return { kind: kind === 'no-content' ? 'no-content' : 'empty', contentType: contentType ?? 'application/octet-stream' };
    }
    const body = r[1];
    if (!body) return undefined; // body expired before its pointer: a miss
    const sep = body.indexOf(0);
    return { kind: 'image', contentType: body.subarray(0, sep).toString('latin1'), bytes: new Uint8Array(body.buffer, body.byteOffset + sep + 1, body.length - sep - 1) };
  }

  async set(key: string, tile: CachedTile): Promise<void> {
    const tkey = `${this.#prefix}t:${key}`;
    if (tile.kind !== 'image') {
      await this.client.set(tkey, `e:${tile.kind}:${tile.contentType}`, 'EX', this.#ttl);
      return;
    }
    const bytes = tile.bytes!;
    const sha = createHash('sha256').update(bytes).digest('base64url');
    const bkey = `${this.#prefix}b:${sha}`;
    // Store the body only if no other key holds it yet; refresh its lifetime either way.
    const stored = await this.client.pipeline()
      .set(bkey, Buffer.concat([Buffer.from(tile.contentType + '\u0000', 'latin1'), bytes]), 'EX', this.#ttl, 'NX')
      .expire(bkey, this.#ttl)
      .set(tkey, sha, 'EX', this.#ttl)
      .exec();
    if (stored?.[0]?.[1] === 'OK') this.writtenBodyBytes += bytes.byteLength;
    else this.dedupSavedBytes += bytes.byteLength;
  }

  /** Tries to take the right to render `key` for `ms`; returns the lease token, or undefined if another node holds it. */
  async lease(key: string, ms: number): Promise<string | undefined> {
    const token = randomUUID();
    const ok = await this.client.set(`${this.#prefix}l:${key}`, token, 'PX', ms, 'NX');
    return ok === 'OK' ? token : undefined;
  }

  async release(key: string, token: string): Promise<void> {
    await (this.client as unknown as { releaseLease(k: string, t: string): Promise<number> }).releaseLease(`${this.#prefix}l:${key}`, token);
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
