/**
 * Composition root: configuration → engine (worker pool) → tile matrix sets → catalog (with
 * demo data when there is nothing else) → tile service → Koa app → listening server. The only
 * place that picks concrete adapters.
 */
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { buildCatalog } from './catalog/load.js';
import type { Catalog } from './catalog/types.js';
import { readTileMatrixSetFiles, type Config } from './config.js';
import { ensureDemoData } from './demo/generate.js';
import { createApp } from './server/app.js';
import { ServerMetrics } from './server/metrics.js';
import { jsonErrors, owsErrors } from './server/middleware/request.js';
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
    collections, paths, defaultResampling: config.engine.defaultResampling,
    ...(config.defaultCollection ? { defaultCollection: config.defaultCollection } : {}),
  }, { open: async (s) => (await inline.open(s)).cog, registry });
  const metrics = new ServerMetrics();
  const app = createApp({
    config: config.server, catalog, registry, logger, metrics,
    tiles: new TileService(catalog, registry, renderer),
    viewerDir: fileURLToPath(new URL('../viewer/', import.meta.url)),
    ready: () => ready,
    errorMappers: { json: jsonErrors, ows: owsErrors },
  });
  const server = await listen(app as never, config.server);
  ready = true;
  logger.info({ url: server.url, collections: catalog.list().map((c) => c.id), workers: config.engine.workers }, 'tilewright listening');
  let stopping: Promise<void> | undefined;
  return {
    server, catalog, registry, logger,
    stop() {
      stopping ??= (async () => {
        ready = false;
        await server.close();
        await renderer.close();
        if (renderer !== inline) await inline.close();
      })();
      return stopping;
    },
  };
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.server.logLevel, base: { service: 'tilewright' } });
}
