/**
 * The one primitive every protocol face calls (DESIGN.md): render a tile of a collection in
 * a tile matrix set. Faces parse their own syntax into a TileRequest; this service checks it
 * against the collection (offered set, tile in range, format, style), fills in the
 * collection's defaults and has the renderer make the image.
 */
import { getCrs, getTransformer } from '../crs/index.js';
import { InvalidParameterError, NotFoundError, PixelOutOfRangeError } from '../errors.js';
import { assertValidTile, type TileAddress, type TileMatrixSet, type TileMatrixSetRegistry } from '../tilematrixsets/index.js';
import type { ImageFormat } from './encode.js';
import { contentTypes } from './encode.js';
import { tileGrid, type TargetGrid } from './grid.js';
import type { TileRenderer } from './renderer.js';
import { tileKey } from './keys.js';
import { SourceIndex, type HeaderReader, type SourceVersion } from './source-index.js';
import { checkStyle, type RasterTile, type StyleParams } from './style/style.js';
import { SingleFlight } from './single-flight.js';
import type { CachedTile, CacheTier, TileCache } from './tile-cache.js';
import type { Cog } from './cog/types.js';
import type { Resampling } from './warp/plan.js';

/** What the service needs to know of a collection (the catalog's Collection has all of it). */
export interface TileCollection {
  id: string;
  sources: readonly string[];
  style: StyleParams;
  resampling: Resampling;
  formats: readonly ImageFormat[];
  emptyTile: 'blank' | '204';
  info: { bandCount: number; tileMatrixSets: readonly { tileMatrixSetId: string }[] };
}

export interface TileCollections {
  /** Throws NotFoundError for an unknown id. */
  get(id: string): TileCollection;
}

export interface TileRequest {
  collectionId: string;
  tileMatrixSetId: string;
  tile: TileAddress;
  /** Default: the collection's first format. */
  format?: ImageFormat;
  /** Fields given here replace the collection's default style field by field. */
  style?: StyleParams;
  resampling?: Resampling;
  /** Output size in pixels; default the matrix tile size. */
  tileSize?: number;
  /** Or a multiple of the matrix tile size ("@2x" → 2). */
  scale?: number;
}

/** Validators of a tile, known before its pixels: the strong ETag (the cache key) and Last-Modified. */
export interface TileValidators {
  etag: string;
  /** Latest change of the sources the tile touches (ms since the epoch), when their stores say. */
  lastModified: number | undefined;
}

export type TileResponse = TileValidators & { format: ImageFormat } & (
  | { kind: 'image'; bytes: Uint8Array; contentType: string; empty: boolean; tier: CacheTier }
  | { kind: 'no-content'; tier: CacheTier }
  /** The client's If-None-Match names this tile's ETag: nothing was read or rendered. */
  | { kind: 'not-modified' }
);

export interface TileServiceOptions {
  cache?: TileCache;
  /** Settings that change pixels or bytes (e.g. encoder quality), part of every key. */
  renderFingerprint?: string;
  /** Sequence of the latest operator purge covering a tile (0 when none). */
  purgeSeq?: (collectionId: string, tileMatrixSet: TileMatrixSet, tile: TileAddress) => number;
  /** Changes whenever a purge record arrives (so memos of purgeSeq know they are stale). */
  purgeGeneration?: () => number;
}

type Resolved = ReturnType<TileService['resolve']>;

/** What `peek` remembers of a request: valid while the collection, its sources' headers and the purge records are the same. */
interface KeyMemo {
  collection: TileCollection;
  cogs: Cog[];
  purgeGeneration: number;
  r: Resolved;
  sources: SourceVersion[];
  validators: TileValidators;
}

const MEMO_LIMIT = 20_000;

/** One collection drawn into a map, with optional style and resampling overrides. */
export interface MapLayer {
  collectionId: string;
  style?: StyleParams;
  resampling?: Resampling;
}

/**
 * A map on any grid (OGC API - Maps; dataset-level tiles are maps on a tile's grid). Layers
 * are listed BOTTOM first, as OGC API `collections=a,b` lists them ("the last one showing on
 * top", OGC 20-057 `collections` parameter).
 */
export interface MapRequest {
  layers: readonly MapLayer[];
  grid: TargetGrid;
  format: ImageFormat;
  /** Without data: a blank image or 204 (default: 204 only when every layer's collection says so). */
  emptyTile?: 'blank' | '204';
}

export type MapResponse =
  | { kind: 'image'; bytes: Uint8Array; contentType: string; format: ImageFormat; empty: boolean }
  | { kind: 'no-content'; format: ImageFormat };

/** Raw values of a tile (OGC API - Tiles coverage tiles): the tile's grid and the warped bands, undefined where no source has data. */
export interface TileValues {
  collection: TileCollection;
  grid: TargetGrid;
  raster: RasterTile | undefined;
}

/** A pixel of a tile: column `i` and row `j` from the tile's top-left pixel (WMTS 1.0 I and J). */
export interface TilePixel {
  i: number;
  j: number;
}

/** Raw values of one pixel of a tile ("no data here" is a value, DESIGN.md rule 4). */
export type PixelValuesResponse = {
  /** The pixel centre in the tile matrix set's CRS (engine order: x east, y north) and in OGC:CRS84. */
  crsPoint: [number, number];
  crs: string;
  lonLat: [number, number];
  dataType: string;
} & (
  | { kind: 'values'; values: number[]; alpha: number }
  | { kind: 'empty' }
);

export class TileService {
  readonly #cache: TileCache;
  readonly #index: SourceIndex;
  readonly #fingerprint: string;
  readonly #purgeSeq: NonNullable<TileServiceOptions['purgeSeq']>;
  readonly #purgeGeneration: NonNullable<TileServiceOptions['purgeGeneration']>;
  readonly #memo = new Map<string, KeyMemo>();

  constructor(
    private readonly collections: TileCollections,
    private readonly registry: TileMatrixSetRegistry,
    private readonly renderer: TileRenderer,
    headers: HeaderReader,
    options: TileServiceOptions = {},
  ) {
    this.#cache = options.cache ?? new SingleFlight();
    this.#index = new SourceIndex(headers);
    this.#fingerprint = options.renderFingerprint ?? '';
    this.#purgeSeq = options.purgeSeq ?? (() => 0);
    this.#purgeGeneration = options.purgeGeneration ?? (() => 0);
  }

  /** Validates a request without rendering (so faces can answer 4xx before any work). */
  resolve(req: TileRequest) {
    const collection = this.collections.get(req.collectionId);
    if (!collection.info.tileMatrixSets.some((t) => t.tileMatrixSetId === req.tileMatrixSetId)) {
      throw new NotFoundError('tileMatrixSet', `collection "${collection.id}" is not offered in tile matrix set "${req.tileMatrixSetId}" (offered: ${collection.info.tileMatrixSets.map((t) => t.tileMatrixSetId).join(', ')})`);
    }
    const tileMatrixSet = this.registry.get(req.tileMatrixSetId);
    const matrix = assertValidTile(tileMatrixSet, req.tile);
    const format = req.format ?? collection.formats[0]!;
    if (!collection.formats.includes(format)) {
      throw new InvalidParameterError('format', `collection "${collection.id}" is not offered as ${format} (offered: ${collection.formats.join(', ')})`);
    }
    const style: StyleParams = { ...collection.style, ...definedFields(req.style ?? {}) };
    checkStyle(style, collection.info.bandCount);
    const tileSize = req.tileSize ?? (req.scale !== undefined && req.scale !== 1 ? req.scale * matrix.tileWidth : undefined);
    if (tileSize !== undefined && (!Number.isInteger(tileSize) || tileSize < 1 || tileSize > 4 * matrix.tileWidth)) {
      throw new InvalidParameterError('tileSize', `tile size ${tileSize} is not between 1 and ${4 * matrix.tileWidth}`);
    }
    return { collection, tileMatrixSet, matrix, format, style, resampling: req.resampling ?? collection.resampling, tileSize };
  }

  /**
   * Renders a tile, or serves it from the cache. The key (= ETag) is derived from the request
   * and the versions of the sources the tile touches before any pixel is read, so a matching
   * `ifNoneMatch` answers 'not-modified' without reading the COGs.
   */
  async render(req: TileRequest, signal?: AbortSignal, conditional: { ifNoneMatch?: string } = {}): Promise<TileResponse> {
    // The key as `peek` knows it when the headers are open and trusted (a miss that peek saw
    // first costs no second resolve and hash), else from the headers, opened or re-checked.
    const remembered = this.#remembered(req);
    const r = remembered?.r ?? this.resolve(req);
    const known = remembered ?? this.#remember(req, r);
    const sources = known?.sources ?? await this.#index.touching(r.collection.sources, r.tileMatrixSet, req.tile, signal);
    const validators = known?.validators ?? this.#validators(r, req, sources);
    if (conditional.ifNoneMatch !== undefined && etagMatches(conditional.ifNoneMatch, validators.etag)) {
      return { ...validators, kind: 'not-modified', format: r.format };
    }
    const etag = validators.etag;
    const blank = () => {
      const grid = tileGrid(r.tileMatrixSet, req.tile, r.tileSize);
      return this.renderer.blank(r.format, grid.width, grid.height);
    };
    const { tile, tier } = await this.#cache.getOrCreate(etag, async (shared): Promise<CachedTile> => {
      const result = sources.length === 0 ? { kind: 'empty' as const } : await this.renderer.renderTile({
        sources: sources.map((x) => x.location), sourceVersions: Object.fromEntries(sources.map((x) => [x.location, x.version])),
        tileMatrixSet: r.tileMatrixSet, tile: req.tile, resampling: r.resampling,
        style: r.style, format: r.format, ...(r.tileSize ? { tileSize: r.tileSize } : {}),
      }, shared);
      if (result.kind === 'image') return { kind: 'image', bytes: result.bytes, contentType: result.contentType };
      if (r.collection.emptyTile === '204') return { kind: 'no-content', contentType: contentTypes[r.format] };
      return { kind: 'empty', bytes: await blank(), contentType: contentTypes[r.format] };
    }, signal);
    if (tile.kind === 'no-content') return { ...validators, kind: 'no-content', format: r.format, tier };
    // Redis keeps an empty tile as a marker without bytes: every node makes the blank itself.
    const bytes = tile.bytes ?? await blank();
    return { ...validators, kind: 'image', bytes, contentType: tile.contentType, format: r.format, empty: tile.kind === 'empty', tier };
  }

  /**
   * `render`'s answer when it needs no waiting at all: the sources' headers are open and
   * trusted right now and the tile (or a 304) is known in memory. Undefined otherwise, and then
   * `render` does the work. This is the hot path of a cache hit: no promise, no signal, no I/O.
   * Throws for invalid requests exactly as `render` does.
   */
  peek(req: TileRequest, conditional: { ifNoneMatch?: string } = {}): TileResponse | undefined {
    const m = this.#keyNow(req);
    if (!m) return undefined;
    const { etag, lastModified } = m.validators;
    const format = m.r.format;
    // Objects written out field by field: `{ ...validators, ... }` here measured ~10 µs per
    // hit (V8's object-spread slow path), more than the rest of the lookup.
    if (conditional.ifNoneMatch !== undefined && etagMatches(conditional.ifNoneMatch, etag)) {
      return { etag, lastModified, kind: 'not-modified', format };
    }
    const tile = this.#cache.peek?.(etag);
    if (!tile) return undefined;
    if (tile.kind === 'no-content') return { etag, lastModified, kind: 'no-content', format, tier: 'l1' };
    if (!tile.bytes) return undefined;
    return { etag, lastModified, kind: 'image', bytes: tile.bytes, contentType: tile.contentType, format, empty: tile.kind === 'empty', tier: 'l1' };
  }

  /**
   * The request resolved and its key, without waiting, remembered per request: a hit then
   * costs a map lookup and identity checks instead of resolving the style, placing the tile
   * against the footprints and hashing (together about 45 µs, measured with --cpu-prof). The
   * memo is used only while the collection object, every source's open header (which the
   * COG cache replaces when a file's version changes, and re-checks every few seconds) and
   * the purge records are the ones it was made with.
   */
  #keyNow(req: TileRequest): KeyMemo | undefined {
    return this.#remembered(req) ?? this.#remember(req, this.resolve(req));
  }

  /** The memo of `req` when it is still valid. */
  #remembered(req: TileRequest): KeyMemo | undefined {
    const known = this.#memo.get(requestKey(req));
    if (known && this.collections.get(req.collectionId) === known.collection && known.purgeGeneration === this.#purgeGeneration()
      && this.#index.unchanged(known.collection.sources, known.cogs)) {
      return known;
    }
    return undefined;
  }

  /** Makes and keeps the memo of a resolved request, when its sources' headers are trusted right now. */
  #remember(req: TileRequest, r: Resolved): KeyMemo | undefined {
    const purgeGeneration = this.#purgeGeneration();
    const cogs: Cog[] = [];
    const sources = this.#index.touchingNow(r.collection.sources, r.tileMatrixSet, req.tile, cogs);
    if (!sources) return undefined;
    const memo: KeyMemo = { collection: r.collection, cogs, purgeGeneration, r, sources, validators: this.#validators(r, req, sources) };
    if (this.#memo.size >= MEMO_LIMIT) this.#memo.clear();
    this.#memo.set(requestKey(req), memo);
    return memo;
  }


  /** The tile's key (= strong ETag) and Last-Modified, from the request and its sources' versions. */
  #validators(r: Resolved, req: TileRequest, sources: readonly SourceVersion[]): TileValidators {
    const etag = tileKey({
      collectionId: r.collection.id, tileMatrixSetId: r.tileMatrixSet.id, tile: req.tile, format: r.format,
      tileSize: r.tileSize, resampling: r.resampling, style: r.style, sources,
      purgeSeq: this.#purgeSeq(r.collection.id, r.tileMatrixSet, req.tile), renderFingerprint: this.#fingerprint,
    });
    let lastModified: number | undefined;
    for (const s of sources) if (s.lastModified !== undefined && (lastModified === undefined || s.lastModified > lastModified)) lastModified = s.lastModified;
    return { etag, lastModified };
  }

  /**
   * The raw value of every band at one pixel of a tile (WMTS 1.0 GetFeatureInfo, 07-057r7
   * §7.3): the sources warped with nearest resampling onto the tile's whole grid, the same
   * grid, overview choice and coordinates the tile's own render uses, so the answer is the
   * value under that pixel of the tile (not of a differently aligned 1x1 grid). Paletted
   * sources answer the palette's RGB, as the engine expands palettes before resampling.
   */
  async pixelValues(req: TileRequest, pixel: TilePixel, signal?: AbortSignal): Promise<PixelValuesResponse> {
    const r = this.resolve(req);
    const grid = tileGrid(r.tileMatrixSet, req.tile);
    if (!Number.isInteger(pixel.i) || pixel.i < 0 || pixel.i >= grid.width) {
      throw new PixelOutOfRangeError('I', `I ${pixel.i} is outside 0..${grid.width - 1} of a ${grid.width}-pixel wide tile`);
    }
    if (!Number.isInteger(pixel.j) || pixel.j < 0 || pixel.j >= grid.height) {
      throw new PixelOutOfRangeError('J', `J ${pixel.j} is outside 0..${grid.height - 1} of a ${grid.height}-pixel high tile`);
    }
    const [minX, , maxX, maxY] = grid.crsBounds;
    const res = (maxX - minX) / grid.width;
    const resY = (maxY - grid.crsBounds[1]) / grid.height;
    const crsPoint: [number, number] = [minX + (pixel.i + 0.5) * res, maxY - (pixel.j + 0.5) * resY];
    const lonLat = getTransformer(grid.crs, getCrs('OGC:CRS84')).forward(crsPoint[0], crsPoint[1]);
    const raster = await this.renderer.warp(r.collection.sources, grid, 'nearest', signal);
    const k = pixel.j * grid.width + pixel.i;
    const where = { crsPoint, crs: grid.crs.id, lonLat, dataType: raster?.dataType ?? 'unknown' };
    if (!raster || raster.alpha[k] === 0) return { ...where, kind: 'empty' };
    return { ...where, kind: 'values', values: raster.bands.map((b) => Number(b[k])), alpha: raster.alpha[k]! };
  }

  /**
   * A map on any grid (OGC API - Maps; dataset tiles): each layer's collection must offer the
   * format and its style is checked as a tile's is, then the renderer warps, styles and
   * composites the layers on the grid (Engine.renderGrid): the tile pipeline with an
   * arbitrary grid. Added for issue #5 next to render, which it leaves unchanged.
   */
  async renderMap(req: MapRequest, signal?: AbortSignal): Promise<MapResponse> {
    const resolved = req.layers.map((l) => {
      const collection = this.collections.get(l.collectionId);
      if (!collection.formats.includes(req.format)) {
        throw new InvalidParameterError('f', `collection "${collection.id}" is not offered as ${req.format} (offered: ${collection.formats.join(', ')})`);
      }
      const style: StyleParams = { ...collection.style, ...definedFields(l.style ?? {}) };
      checkStyle(style, collection.info.bandCount);
      return { collection, style, resampling: l.resampling ?? collection.resampling };
    });
    const result = await this.renderer.renderGrid({
      grid: req.grid, format: req.format,
      layers: [...resolved].reverse().map((r) => ({ sources: r.collection.sources, style: r.style, resampling: r.resampling })),
    }, signal);
    if (result.kind === 'image') return { kind: 'image', bytes: result.bytes, contentType: result.contentType, format: req.format, empty: false };
    const emptyTile = req.emptyTile ?? (resolved.length > 0 && resolved.every((r) => r.collection.emptyTile === '204') ? '204' : 'blank');
    if (emptyTile === '204') return { kind: 'no-content', format: req.format };
    return { kind: 'image', bytes: await this.renderer.blank(req.format, req.grid.width, req.grid.height), contentType: contentTypes[req.format], format: req.format, empty: true };
  }

  /**
   * The raw values of a tile (OGC API - Tiles coverage tiles): the request is checked as for
   * a picture (offered set, tile in range, size), then the sources are warped onto the tile's
   * grid with the collection's (or the request's) resampling, without styling. Added for
   * issue #5 next to render.
   */
  async tileValues(req: TileRequest, signal?: AbortSignal): Promise<TileValues> {
    const r = this.resolve(req);
    const grid = tileGrid(r.tileMatrixSet, req.tile, r.tileSize);
    const raster = await this.renderer.warp(r.collection.sources, grid, r.resampling, signal);
    return { collection: r.collection, grid, raster };
  }
}

/** If-None-Match (RFC 9110 §13.1.2): `*` or a list of entity tags; weak tags compare weakly. */
export function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === `"${etag}"`);
}

/**
 * The memo key of a request. Kept per request object: the hit lane asks again with the same
 * object for every hit on a path (a TileRequest is not changed once parsed), and building the
 * key (with the style as JSON) was a fifth of a hit's lookup.
 */
function requestKey(req: TileRequest): string {
  let key = requestKeys.get(req);
  if (key === undefined) {
    key = buildRequestKey(req);
    requestKeys.set(req, key);
  }
  return key;
}

const requestKeys = new WeakMap<TileRequest, string>();

/** Everything of a request that decides its tile, as one string. */
function buildRequestKey(req: TileRequest): string {
  const t = req.tile;
  return `${req.collectionId}\u0000${req.tileMatrixSetId}\u0000${t.tileMatrix}/${t.row}/${t.col}\u0000${req.format ?? ''}\u0000${req.tileSize ?? ''}\u0000${req.scale ?? ''}\u0000${req.resampling ?? ''}\u0000${req.style ? JSON.stringify(req.style) : ''}`;
}

function definedFields<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
