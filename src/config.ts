/**
 * The one typed configuration (DESIGN.md rule 9): a JSON file plus environment variables,
 * read once at start-up. This is the ONLY module that reads `process.env`. Unknown keys
 * stop start-up with a message naming the key path. Every key is documented in
 * config/default.json (keep the two in step).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

const Resampling = z.enum(['nearest', 'bilinear', 'cubic', 'lanczos', 'average']);
const Format = z.enum(['png', 'jpeg', 'webp']);

/** The style a collection applies when a request names none (same fields as the tile parameters). */
const Style = z.strictObject({
  bands: z.array(z.number().int().min(1)).min(1).max(3).optional(),
  rescale: z.array(z.tuple([z.number(), z.number()])).min(1).optional(),
  colormap: z.string().optional(),
});

/** HTTP caching of a collection's tiles (RFC 9111 Cache-Control; tiles also carry a strong ETag). */
const CacheControl = z.strictObject({
  /** Seconds browsers may reuse a tile without asking again. */
  maxAge: z.number().int().min(0).optional(),
  /** Seconds shared caches (CDNs, proxies) may reuse it. */
  sMaxAge: z.number().int().min(0).optional(),
  /** Seconds a cache may serve a stale tile while it revalidates in the background. */
  staleWhileRevalidate: z.number().int().min(0).optional(),
});

const Collection = z.strictObject({
  /**
   * Any Unicode text without '/', '\\', '{', '}' or control characters and without surrounding
   * spaces, e.g. "Zürich 2024": faces percent-encode it in URLs (a path segment each) and XML
   * escapes it; braces would clash with the {TileMatrix}-style variables of WMTS URL templates,
   * and "." or ".." would be normalised away as URL path segments.
   */
  id: z.string().regex(/^(?!\.\.?$)(?![\s])[^/\\{}\p{Cc}]+(?<![\s])$/u, 'no "/", "\\", "{", "}", control characters or surrounding spaces, and not "." or ".."'),
  title: z.string().optional(),
  description: z.string().optional(),
  attribution: z.string().optional(),
  /** GeoTIFF paths or URLs (file, http(s), s3), in priority order: the first wins where they overlap. */
  sources: z.array(z.string()).min(1),
  style: Style.optional(),
  resampling: Resampling.optional(),
  /** Formats offered; the first is the default. */
  formats: z.array(Format).min(1).optional(),
  /** Tile matrix sets offered (ids); default WebMercatorQuad, WorldCRS84Quad and the native UTM zone. */
  tileMatrixSets: z.array(z.string()).min(1).optional(),
  /** A tile without data: the blank image ('blank') or HTTP 204 ('204'). */
  emptyTile: z.enum(['blank', '204']).optional(),
  /** Overrides `cache.http` for this collection. */
  cacheControl: CacheControl.optional(),
});

export const ConfigSchema = z.strictObject({
  engine: z.strictObject({
    /** Max error of the approximate transformer, in source pixels. */
    warpErrorThreshold: z.number().min(0).max(1).default(0.01),
    /** Worker threads rendering tiles; 0 renders on the main thread (tests, CLI). */
    workers: z.number().int().min(0).max(256).default(Math.max(1, availableParallelism())),
    /** Decoded source blocks kept in memory (per process, split across workers). */
    blockCacheMB: z.number().min(1).default(256),
    /** Raw header/IFD bytes kept in memory (per process, split across workers). */
    chunkCacheMB: z.number().min(1).default(32),
    /** How long an opened file's version is trusted before it is checked again. */
    sourceRevalidateSeconds: z.number().min(0).default(5),
    defaultResampling: Resampling.default('bilinear'),
    /** PNG encoder: 'fast' (~1 ms per tile) or 'small' (libvips, adaptive filters, 5–10% smaller, 3–5x slower). */
    pngEncoder: z.enum(['fast', 'small']).default('fast'),
    jpegQuality: z.number().int().min(1).max(100).default(85),
    webpQuality: z.number().int().min(1).max(100).default(85),
    /** Per-pixel loops in the native addon when it is built (byte-identical to the TypeScript loops). */
    nativeKernels: z.boolean().default(true),
  }).prefault({}),
  sources: z.strictObject({
    http: z.strictObject({
      timeoutMs: z.number().int().min(100).default(15000),
    }).prefault({}),
    s3: z.strictObject({
      region: z.string().optional(),
      endpoint: z.string().url().optional(),
      accessKeyId: z.string().optional(),
      secretAccessKey: z.string().optional(),
      sessionToken: z.string().optional(),
      forcePathStyle: z.boolean().optional(),
    }).prefault({}),
  }).prefault({}),
  /** Extra OGC TMS 2.0 JSON files to register next to the built-in tile matrix sets. */
  tileMatrixSets: z.array(z.string()).default([]),
  server: z.strictObject({
    port: z.number().int().min(0).max(65535).default(8080),
    host: z.string().default('0.0.0.0'),
    /** Absolute base URL as clients see it (behind a proxy); default from the Host header. */
    publicUrl: z.string().url().optional(),
    /** HTTPS from a certificate and key file (PEM); plain HTTP when absent. */
    https: z.strictObject({ cert: z.string(), key: z.string() }).optional(),
    /** A tile request still running after this is cancelled (503), so a stuck source cannot hold a connection. */
    requestTimeoutMs: z.number().int().min(100).default(30000),
    /** On SIGTERM/SIGINT: stop accepting, finish in-flight requests for at most this long, then exit. */
    shutdownTimeoutMs: z.number().int().min(0).default(10000),
    cors: z.boolean().default(true),
    /** Answer in-memory tile hits before the framework (src/server/hit-lane.ts); false: everything through Koa (same answers, slower). */
    hitLane: z.boolean().default(true),
    /** Bearer token of the operator endpoints (cache purge); they are off without one. */
    adminToken: z.string().min(16).optional(),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    /**
     * Server processes sharing the port (node:cluster), each with its own event loop, L1 and a
     * share of `engine.workers`; more than one needs `cache.redis` (single-flight, L2 and purges).
     */
    processes: z.number().int().min(1).max(64).default(1),
  }).prefault({}),
  cache: z.strictObject({
    /** In-process tile cache (L1), bounded in bytes; 0 disables it. */
    memoryMB: z.number().min(0).default(256),
    redis: z.strictObject({
      /** redis://host:port/db — enables the shared tier (L2); env TILEWRIGHT_REDIS_URL. */
      url: z.string().optional(),
      keyPrefix: z.string().default('tilewright:'),
      /** How long tiles stay in Redis (refreshed when written again). */
      ttlSeconds: z.number().int().min(1).default(7 * 24 * 3600),
      /** A Redis command slower than this counts as a failure: the tile is served without L2. */
      commandTimeoutMs: z.number().int().min(10).default(250),
      /** How long a node may hold the right to render a tile before others stop waiting for it. */
      leaseMs: z.number().int().min(100).default(15000),
      /** How long a node waits for another node's render before rendering itself. */
      leaseWaitMs: z.number().int().min(0).default(10000),
    }).prefault({}),
    /** Default Cache-Control of tiles (per collection: `collections[].cacheControl`). */
    http: z.strictObject({
      maxAge: z.number().int().min(0).default(60),
      sMaxAge: z.number().int().min(0).default(86400),
      staleWhileRevalidate: z.number().int().min(0).default(300),
    }).prefault({}),
  }).prefault({}),
  /** Collections; files given to `tilewright serve` that no collection names become collections of their own. */
  collections: z.array(Collection).default([]),
  /** Id of the collection behind /api/v1/tiles/{z}/{x}/{y}; default the first. */
  defaultCollection: z.string().optional(),
  /** Demo imagery generated on first start when there is nothing else to serve. */
  demo: z.strictObject({
    enabled: z.boolean().default(true),
    /** Where the demo files are written; default $XDG_CACHE_HOME/tilewright/demo (~/.cache/...). */
    directory: z.string().optional(),
  }).prefault({}),
});

export type Config = z.infer<typeof ConfigSchema>;
export type EngineConfig = Config['engine'];
export type ServerConfig = Config['server'];
export type CollectionConfig = z.infer<typeof Collection>;
export type CacheControlConfig = z.infer<typeof CacheControl>;
export type CacheConfig = Config['cache'];

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Loads the configuration: defaults ← file (`--config` or TILEWRIGHT_CONFIG) ← environment.
 * Environment variables: TILEWRIGHT_PORT, TILEWRIGHT_PROCESSES, TILEWRIGHT_WORKERS, TILEWRIGHT_NATIVE, TILEWRIGHT_LOG_LEVEL, TILEWRIGHT_REDIS_URL, TILEWRIGHT_S3_ENDPOINT, TILEWRIGHT_S3_REGION
 * and the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN / AWS_REGION.
 */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; overrides?: unknown } = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env['TILEWRIGHT_CONFIG'];
  let raw: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read configuration file ${file}: ${(err as Error).message}`);
    }
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`configuration file ${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  const merged = deepMerge(deepMerge(raw, fromEnv(env)), options.overrides ?? {});
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) => {
      const path = i.path.join('.');
      if (i.code === 'unrecognized_keys') return `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => (path ? `${path}.${k}` : k)).join(', ')}`;
      return `${path || '(root)'}: ${i.message}`;
    });
    throw new ConfigError(`invalid configuration${file ? ` in ${file}` : ''}:\n  ${msgs.join('\n  ')}`);
  }
  const config = parsed.data;
  if (config.server.processes > 1 && !config.cache.redis.url) {
    throw new ConfigError(`invalid configuration${file ? ` in ${file}` : ''}:\n  server.processes: ${config.server.processes} processes need cache.redis.url `
      + '(they share single-flight renders, the L2 tier and operator purges through Redis)');
  }
  config.demo.directory ??= join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'tilewright', 'demo');
  return config;
}

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = (path: string[], value: unknown) => {
    let o = out;
    for (const k of path.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
    o[path[path.length - 1]!] = value;
  };
  const num = (v: string, name: string) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new ConfigError(`${name} must be a number, got "${v}"`);
    return n;
  };
  if (env['TILEWRIGHT_WORKERS']) set(['engine', 'workers'], num(env['TILEWRIGHT_WORKERS'], 'TILEWRIGHT_WORKERS'));
  if (env['TILEWRIGHT_NATIVE']) {
    const v = env['TILEWRIGHT_NATIVE'];
    if (v !== '0' && v !== '1' && v !== 'false' && v !== 'true') throw new ConfigError(`TILEWRIGHT_NATIVE must be 0 or 1, got "${v}"`);
    set(['engine', 'nativeKernels'], v === '1' || v === 'true');
  }
  if (env['TILEWRIGHT_PORT']) set(['server', 'port'], num(env['TILEWRIGHT_PORT'], 'TILEWRIGHT_PORT'));
  if (env['TILEWRIGHT_LOG_LEVEL']) set(['server', 'logLevel'], env['TILEWRIGHT_LOG_LEVEL']);
  if (env['TILEWRIGHT_PROCESSES']) set(['server', 'processes'], num(env['TILEWRIGHT_PROCESSES'], 'TILEWRIGHT_PROCESSES'));
  if (env['TILEWRIGHT_REDIS_URL']) set(['cache', 'redis', 'url'], env['TILEWRIGHT_REDIS_URL']);
  if (env['TILEWRIGHT_S3_ENDPOINT']) set(['sources', 's3', 'endpoint'], env['TILEWRIGHT_S3_ENDPOINT']);
  const region = env['TILEWRIGHT_S3_REGION'] ?? env['AWS_REGION'];
  if (region) set(['sources', 's3', 'region'], region);
  if (env['AWS_ACCESS_KEY_ID']) set(['sources', 's3', 'accessKeyId'], env['AWS_ACCESS_KEY_ID']);
  if (env['AWS_SECRET_ACCESS_KEY']) set(['sources', 's3', 'secretAccessKey'], env['AWS_SECRET_ACCESS_KEY']);
  if (env['AWS_SESSION_TOKEN']) set(['sources', 's3', 'sessionToken'], env['AWS_SESSION_TOKEN']);
  return out;
}

function deepMerge(a: unknown, b: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries((b ?? {}) as Record<string, unknown>)) {
    const cur = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
      ? deepMerge(cur, v) : v;
  }
  return out;
}

/**
 * The custom tile matrix set documents named in the configuration, read from disk (the
 * tile matrix set layer does no I/O). Relative paths are resolved against the working
 * directory; unreadable files stop start-up.
 */
export function readTileMatrixSetFiles(config: Config): { path: string; text: string }[] {
  return config.tileMatrixSets.map((path) => {
    try {
      return { path, text: readFileSync(path, 'utf8') };
    } catch (err) {
      throw new ConfigError(`tileMatrixSets: cannot read ${path}: ${(err as Error).message}`);
    }
  });
}
