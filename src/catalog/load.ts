/**
 * Builds the embedded catalog at start-up: the collections of the configuration, plus one
 * collection per GeoTIFF found under the paths given to `tilewright serve` that no
 * configured collection names. Every source is opened once here, so a broken file stops
 * start-up with its name instead of failing later tile by tile.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { CacheControlConfig, CollectionConfig } from '../config.js';
import { getTransformer } from '../crs/index.js';
import { InvalidParameterError } from '../errors.js';
import { closestZoomForResolution, tileMatrixSetCrs, type TileMatrixSetRegistry } from '../tilematrixsets/index.js';
import { applyGeoTransform } from '../tiling/cog/georef.js';
import type { Cog } from '../tiling/cog/types.js';
import { describeCog } from '../tiling/describe.js';
import type { ImageFormat } from '../tiling/encode.js';
import { checkStyle } from '../tiling/style/style.js';
import { warpShape } from '../tiling/warp/warp.js';
import type { Resampling } from '../tiling/warp/plan.js';
import { MemoryCatalog } from './memory.js';
import type { Collection, CollectionInfo, TileMatrixSetRange } from './types.js';

/** Cache-Control defaults: browsers revalidate after a minute (cheap: ETags), shared caches keep a day. */
export const DEFAULT_CACHE_CONTROL = { maxAge: 60, sMaxAge: 86400, staleWhileRevalidate: 300 };

export interface CatalogInput {
  collections: readonly CollectionConfig[];
  /** Server-wide Cache-Control settings (`cache.http`). */
  cacheControl?: CacheControlConfig;
  /** Files and folders given on the command line (folders are searched recursively). */
  paths: readonly string[];
  defaultCollection?: string;
  defaultResampling: Resampling;
}

export interface CatalogDeps {
  open(location: string): Promise<Cog>;
  registry: TileMatrixSetRegistry;
}

const TIFF = /\.tiff?$/i;

export async function buildCatalog(input: CatalogInput, deps: CatalogDeps): Promise<MemoryCatalog> {
  const named = new Set(input.collections.flatMap((c) => c.sources.map(normalise)));
  const files = (await Promise.all(input.paths.map(findGeoTiffs))).flat().filter((f) => !named.has(normalise(f)));
  const ids = new Set(input.collections.map((c) => c.id));
  const auto: CollectionConfig[] = [...new Set(files)].map((file) => ({ id: uniqueId(idFromFileName(file), ids), sources: [file] }));
  const all = [...input.collections, ...auto];
  const seen = new Set<string>();
  for (const c of all) {
    if (seen.has(c.id)) throw new InvalidParameterError('collections', `collection id "${c.id}" is used twice`);
    seen.add(c.id);
  }
  const cacheControl = { ...DEFAULT_CACHE_CONTROL, ...definedOnly(input.cacheControl ?? {}) };
  const collections = await Promise.all(all.map((c) => describeCollection(c, input.defaultResampling, cacheControl, deps)));
  return new MemoryCatalog(collections, input.defaultCollection);
}

async function describeCollection(
  c: CollectionConfig, defaultResampling: Resampling, cacheControl: Collection['cacheControl'], deps: CatalogDeps,
): Promise<Collection> {
  const cogs = await Promise.all(c.sources.map(async (s) => {
    try {
      return await deps.open(s);
    } catch (err) {
      throw new InvalidParameterError('collections', `collection "${c.id}": cannot open ${s}: ${(err as Error).message}`);
    }
  }));
  const first = cogs[0]!;
  const shape = warpShape(first);
  for (const cog of cogs.slice(1)) {
    const s = warpShape(cog);
    if (s.bandCount !== shape.bandCount || s.dataType !== shape.dataType) {
      throw new InvalidParameterError('collections', `collection "${c.id}": ${cog.url} has ${s.bandCount} ${s.dataType} bands, ${first.url} has ${shape.bandCount} ${shape.dataType}; a mosaic needs one band layout`);
    }
  }
  const style = c.style ?? {};
  try {
    checkStyle(style, shape.bandCount);
  } catch (err) {
    throw new InvalidParameterError('collections', `collection "${c.id}": style: ${(err as Error).message}`);
  }
  const descriptions = await Promise.all(cogs.map(describeCog));
  const d = descriptions[0]!;
  const tmsIds = c.tileMatrixSets ?? defaultTileMatrixSets(first, deps.registry);
  const info: CollectionInfo = {
    lonLatBounds: unionLonLat(descriptions.map((x) => x.lonLatBounds)),
    crs: { id: first.crs.id, name: first.crs.name, uri: first.crs.uri },
    resolution: d.resolution,
    bandCount: shape.bandCount,
    dataType: shape.dataType,
    nodata: d.nodata,
    ...(d.palette ? { palette: d.palette } : {}),
    tileMatrixSets: tmsIds.map((id) => zoomRange(first, id, deps.registry)),
  };
  const file = c.sources.length === 1 ? basename(c.sources[0]!) : `${c.sources.length} files`;
  return {
    id: c.id,
    title: c.title ?? c.id,
    description: c.description ?? `${file}: ${info.bandCount} band${info.bandCount > 1 ? 's' : ''} of ${info.dataType} in ${info.crs.id} (${info.crs.name})`,
    attribution: c.attribution,
    sources: [...c.sources],
    style,
    resampling: c.resampling ?? (first.colorMap ? 'nearest' : defaultResampling),
    formats: (c.formats ?? ['png', 'jpeg', 'webp']) as ImageFormat[],
    emptyTile: c.emptyTile ?? 'blank',
    cacheControl: { ...cacheControl, ...definedOnly(c.cacheControl ?? {}) },
    info,
  };
}

/** WebMercatorQuad, WorldCRS84Quad and, for UTM sources, the zone's own set. */
function defaultTileMatrixSets(cog: Cog, registry: TileMatrixSetRegistry): string[] {
  const ids = ['WebMercatorQuad', 'WorldCRS84Quad'];
  const m = /\+proj=utm\b.*?\+zone=(\d+)/.exec(cog.crs.proj4);
  if (m) {
    const zone = String(Number(m[1])).padStart(2, '0');
    const id = `UTM${zone}${/\+south\b/.test(cog.crs.proj4) ? 'S' : ''}WGS84Quad`;
    if (registry.tryGet(id)) ids.push(id);
  }
  return ids;
}

/** From the first matrix to the one closest to the source's resolution measured in the set's CRS. */
function zoomRange(cog: Cog, tmsId: string, registry: TileMatrixSetRegistry): TileMatrixSetRange {
  const tms = registry.get(tmsId);
  const toSet = getTransformer(cog.crs, tileMatrixSetCrs(tms));
  const gt = cog.geoTransform;
  const [cx, cy] = applyGeoTransform(gt, cog.width / 2, cog.height / 2);
  const [ax, ay] = toSet.forward(cx, cy);
  const [bx, by] = toSet.forward(cx + gt[1], cy + gt[4]);
  const res = Math.hypot(bx - ax, by - ay);
  const finest = Number.isFinite(res) && res > 0 ? closestZoomForResolution(tms, res) : tms.tileMatrices[tms.tileMatrices.length - 1]!;
  return { tileMatrixSetId: tmsId, minTileMatrix: tms.tileMatrices[0]!.id, maxTileMatrix: finest.id };
}

function unionLonLat(all: [number, number, number, number][]): [number, number, number, number] {
  if (all.length === 1) return all[0]!;
  // Unions across the antimeridian are kept simple: the whole longitude range.
  const crossing = all.some((b) => b[0] > b[2]);
  return [
    crossing ? -180 : Math.min(...all.map((b) => b[0])), Math.min(...all.map((b) => b[1])),
    crossing ? 180 : Math.max(...all.map((b) => b[2])), Math.max(...all.map((b) => b[3])),
  ];
}

async function findGeoTiffs(path: string): Promise<string[]> {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(path)) return [path];
  const abs = resolve(path);
  let s;
  try {
    s = await stat(abs);
  } catch {
    throw new InvalidParameterError('paths', `no such file or folder: ${path}`);
  }
  if (s.isFile()) return [abs];
  const out: string[] = [];
  for (const entry of (await readdir(abs, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const p = join(abs, entry.name);
    if (entry.isDirectory()) out.push(...await findGeoTiffs(p));
    else if (entry.isFile() && TIFF.test(entry.name)) out.push(p);
  }
  return out;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** "Landsat 8 (B4).TIF" → "landsat-8-b4". */
export function idFromFileName(file: string): string {
  const stem = basename(file, extname(file)).toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-_.]+|[-_.]+$/g, '');
  return stem || 'collection';
}

function uniqueId(id: string, taken: Set<string>): string {
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}-${n}`;
  taken.add(candidate);
  return candidate;
}

function normalise(location: string): string {
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(location) ? location : resolve(location);
}

