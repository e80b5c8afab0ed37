import { Redis } from 'ioredis';
import { PurgeRegistry } from '../cache/purge.js';
import { loadConfig } from '../config.js';
import { parsePurgeQuery } from '../ogc/common/purge.js';
import { parse, UsageError } from './args.js';

/**
 * `tilewright purge COLLECTION [--zoom MIN-MAX] [--bbox W,S,E,N] [--config FILE]`: records a
 * purge in Redis; every server sharing it gives the covered tiles new keys at once.
 */
export async function purgeCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, { zoom: { type: 'string' }, bbox: { type: 'string' }, config: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('purge needs exactly one COLLECTION id');
  let range;
  try {
    range = parsePurgeQuery({ ...(values.zoom ? { zoom: values.zoom } : {}), ...(values.bbox ? { bbox: values.bbox } : {}) });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const config = loadConfig(values.config ? { file: values.config } : {});
  const url = config.cache.redis.url;
  if (!url) throw new UsageError('purge works through the shared cache: set cache.redis.url or TILEWRIGHT_REDIS_URL (a server without Redis is purged with its admin endpoint or a restart)');
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 3000 });
  try {
    const record = await new PurgeRegistry(redis, config.cache.redis.keyPrefix).add({ collectionId: positionals[0]!, ...range });
    process.stdout.write(`${JSON.stringify(record)}\n`);
  } finally {
    redis.disconnect();
  }
}
