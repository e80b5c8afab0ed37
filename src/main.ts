/**
 * Composition root: configuration → engine (worker pool) → tile matrix sets → catalog (with
 * demo data when there is nothing else) → tile service → Koa app → listening server. The only
 * place that picks concrete adapters.
 */
import { kernelImplementation } from './tiling/native.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MemoryTier } from './cache/memory.js';
import { PurgeRegistry } from './cache/purge.js';
import { RedisTier } from './cache/redis.js';
import { TieredTileCache } from './cache/tiered.js';
import { pino, type Logger } from 'pino';
import { buildCatalog } from './catalog/load.js';
import type { Catalog } from './catalog/types.js';
import { readTileMatrixSetFiles, type Config } from './config.js';
import { ensureDemoData } from './demo/generate.js';
import { createHandler } from './server/app.js';
import { clusterMetrics, isServerProcess } from './server/cluster.js';
import { LineWriter } from './server/log-writer.js';
import { ServerMetrics } from './server/metrics.js';
import { jsonErrors, ogcapiErrors, owsErrors } from './server/middleware/request.js';
import { listen, type RunningServer } from './server/start.js';
import { createDefaultRegistry, type TileMatrixSetRegistry } from './tilematrixsets/index.js';
import { Engine, type EngineOptions } from './tiling/engine.js';
import { PooledRenderer } from './tiling/pooled.js';
import type { TileRenderer } from './tiling/renderer.js';
import { TileService } from './tiling/service.js';

export interface Tilewright {
  server: RunningServer;
  catalog: Catalog;
  registry: TileMatrixSetRegistry;
  logger: Logger;
  /** Graceful shutdown: not ready, drain requests, stop workers. */
  stop(): Promise<void>;
}

export function engineOptions(config: Config): EngineOptions {
  return {
    maxError: config.engine.warpErrorThreshold,
    blockCacheBytes: config.engine.blockCacheMB * 1024 * 1024,
    chunkCacheBytes: config.engine.chunkCacheMB * 1024 * 1024,
    revalidateMs: config.engine.sourceRevalidateSeconds * 1000,
    nativeKernels: config.engine.nativeKernels,
    sourceOptions: { http: config.sources.http, s3: config.sources.s3 },
    encode: { png: config.engine.pngEncoder, quality: config.engine.jpegQuality },
  };
}

export function createRegistry(config: Config): TileMatrixSetRegistry {
  const registry = createDefaultRegistry();
  for (const doc of readTileMatrixSetFiles(config)) registry.fromJson(doc.text);
  return registry;
}

/** Starts the whole server for `paths` (files and folders to serve) and the configuration. */
export async function start(config: Config, paths: readonly string[], logger: Logger = createLogger(config)): Promise<Tilewright> {
  let ready = false;
  const registry = createRegistry(config);
  const options = engineOptions(config);
  // The main thread opens files for the catalog; tiles render in the worker pool.
  const inline = new Engine(options);
  const renderer: TileRenderer = config.engine.workers > 0 ? new PooledRenderer(config.engine.workers, options) : inline;
  let collections = config.collections;
  if (paths.length === 0 && collections.length === 0 && config.demo.enabled) {
    collections = await ensureDemoData(config.demo.directory!, logger);
  }
  const catalog = await buildCatalog({
    collections, paths, defaultResampling: config.engine.defaultResampling, cacheControl: config.cache.http,
    ...(config.defaultCollection ? { defaultCollection: config.defaultCollection } : {}),
  }, { open: async (s) => (await inline.open(s)).cog, registry });
  const metrics = new ServerMetrics();
  const metricsText = isServerProcess(config.server.processes) ? clusterMetrics(metrics.registry) : () => metrics.registry.metrics();
  const cache = await createCache(config, metrics, logger);
  const handler = createHandler({
    config: config.server, catalog, registry, logger, metrics, metricsText,
    tiles: new TileService(catalog, registry, renderer, inline, {
      cache: cache.tiles, renderFingerprint: renderFingerprint(config),
      purgeSeq: (id, tms, tile) => cache.purges.seqFor(id, tms, tile),
      purgeGeneration: () => cache.purges.generation,
    }),
    purges: cache.purges,
    viewerDir: fileURLToPath(new URL('../viewer/', import.meta.url)),
    ready: () => ready,
    errorMappers: { json: jsonErrors, ows: owsErrors, ogcapi: ogcapiErrors },
  });
  const server = await listen(handler, config.server);
  ready = true;
  logger.info({
    url: server.url, collections: catalog.list().map((c) => c.id), workers: config.engine.workers, kernels: kernelImplementation(),
    ...(isServerProcess(config.server.processes) ? { pid: process.pid } : {}),
  }, 'tilewright listening');
  let stopping: Promise<void> | undefined;
  return {
    server, catalog, registry, logger,
    stop() {
      stopping ??= (async () => {
        ready = false;
        await server.close();
        await renderer.close();
        if (renderer !== inline) await inline.close();
        await cache.close();
      })();
      return stopping;
    },
  };
}

/** Engine settings that change a tile's bytes: part of every cache key, so changing them invalidates. */
export function renderFingerprint(config: Config): string {
  const e = config.engine;
  const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return createHash('sha256').update(JSON.stringify([version, e.warpErrorThreshold, e.pngEncoder, e.jpegQuality, e.webpQuality])).digest('base64url').slice(0, 12);
}

/** L1 (memory) and, with `cache.redis.url`, L2 (Redis) plus the shared purge records. */
export async function createCache(config: Config, metrics: ServerMetrics, logger: Logger) {
  const c = config.cache;
  const redis = c.redis.url ? new RedisTier({ url: c.redis.url, keyPrefix: c.redis.keyPrefix, ttlSeconds: c.redis.ttlSeconds, commandTimeoutMs: c.redis.commandTimeoutMs }) : undefined;
  let lastWarning = 0;
  const tiles = new TieredTileCache({
    ...(c.memoryMB > 0 ? { memory: new MemoryTier(c.memoryMB * 1024 * 1024) } : {}),
    ...(redis ? { redis } : {}),
    metrics: metrics.cache,
    leaseMs: c.redis.leaseMs,
    leaseWaitMs: c.redis.leaseWaitMs,
    onRedisError: (err, operation) => {
      // One warning per 10 s: a Redis outage must not flood the log.
      if (Date.now() - lastWarning > 10_000) {
        lastWarning = Date.now();
        logger.warn({ err: (err as Error).message, operation }, 'redis unavailable: serving without the shared cache tier');
      }
    },
  });
  const purges = new PurgeRegistry(redis?.client, c.redis.keyPrefix);
  await purges.start();
  return {
    tiles, purges,
    async close() {
      await purges.close();
      await redis?.close();
    },
  };
}

/**
 * JSON lines on stdout, written asynchronously in batches (src/server/log-writer.ts): a line
 * per request written synchronously cost a write(2) on the response path (measured: about
 * 30 µs of a cache hit), and small asynchronous writes a thread-pool round trip each. One
 * server process writes batches of up to 64 KiB; several processes on one stdout write whole
 * lines in batches of at most 4 KiB, which a pipe writes whole (PIPE_BUF), so their lines do
 * not interleave. A line waits at most LOG_FLUSH_MS; what is left is written at exit.
 */
export function createLogger(config: Config): Logger {
  const service = 'tilewright';
  return pino({ level: config.server.logLevel, base: { service } }, new LineWriter(1, {
    batchBytes: config.server.processes > 1 ? 4096 : 65_536,
    flushMs: LOG_FLUSH_MS,
    maxQueuedBytes: 32 * 1024 * 1024,
    dropNotice: (dropped) => `${JSON.stringify({ level: 40, time: Date.now(), service, dropped, msg: 'log lines dropped: the output did not keep up' })}\n`,
  }));
}

/** The longest a log line waits in a batch before it is written. */
const LOG_FLUSH_MS = 200;
