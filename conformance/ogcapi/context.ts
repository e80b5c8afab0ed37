/**
 * What the assertions need from the API under test, found as a client finds it: from the
 * landing page (given, or `{root}/` asked for JSON) follow the links — conformance, the API
 * definition, the collections, the tilesets — and pick, for each tileset, a tile to ask for
 * (the first tileMatrixSetLimits entry: its tileMatrix, maxTileRow and minTileCol, as the OGC
 * test suite ets-ogcapi-tiles10 picks one).
 */
import { get, mimeOf, type Response } from '../wmts/http.js';

export interface Link {
  href: string;
  rel: string;
  type?: string;
  templated?: boolean;
}

export type Json = Record<string, unknown>;

export interface TilesetSample {
  /** The tileset list it was found in and the tileset metadata URL. */
  listUrl: string;
  tilesetUrl: string;
  tileset: Json;
  /** Item links (templates) by media type. */
  templates: Map<string, string>;
  limit: { tileMatrix: string; minTileRow: number; maxTileRow: number; minTileCol: number; maxTileCol: number } | undefined;
  dataset: boolean;
}

export interface SuiteContext {
  landingUrl: string;
  landing: Json;
  conformsTo: string[];
  collections: Json[];
  tilesets: TilesetSample[];
}

export class BootstrapError extends Error {}

export function links(doc: Json | undefined): Link[] {
  const l = doc?.['links'];
  return Array.isArray(l) ? (l as Link[]) : [];
}

export function linkOf(doc: Json | undefined, rel: string, type?: string): Link | undefined {
  return links(doc).find((l) => l.rel === rel && (type === undefined || l.type === type)) ?? links(doc).find((l) => l.rel === rel);
}

export async function getJson(url: string): Promise<{ res: Response; doc: Json }> {
  const res = await get(url, { accept: 'application/json' });
  if (res.status !== 200) throw new BootstrapError(`${url}: HTTP ${res.status}`);
  if (!mimeOf(res.contentType).endsWith('json')) throw new BootstrapError(`${url}: Content-Type ${res.contentType} is not JSON`);
  return { res, doc: JSON.parse(res.text()) as Json };
}

/** `http://host:port` → its landing page `{root}/` (JSON); a URL with a path is taken as the landing page. */
export function landingUrlOf(target: string): string {
  const u = new URL(target);
  return u.pathname === '/' || u.pathname === '' ? `${u.origin}/` : target;
}

async function tilesetSamples(listUrl: string, dataset: boolean): Promise<TilesetSample[]> {
  const { doc } = await getJson(listUrl);
  const out: TilesetSample[] = [];
  for (const entry of (doc['tilesets'] as Json[] | undefined) ?? []) {
    const self = linkOf(entry, 'self', 'application/json');
    if (!self) continue;
    const { doc: tileset } = await getJson(self.href);
    const templates = new Map(links(tileset).filter((l) => l.rel === 'item' && l.type).map((l) => [l.type!, l.href]));
    const limits = tileset['tileMatrixSetLimits'] as TilesetSample['limit'][] | undefined;
    out.push({ listUrl, tilesetUrl: self.href, tileset, templates, limit: limits?.[0], dataset });
  }
  return out;
}

export async function buildContext(target: string): Promise<SuiteContext> {
  const landingUrl = landingUrlOf(target);
  const { doc: landing } = await getJson(landingUrl);
  const conformance = linkOf(landing, 'conformance') ?? linkOf(landing, 'http://www.opengis.net/def/rel/ogc/1.0/conformance');
  if (!conformance) throw new BootstrapError('the landing page has no conformance link');
  const conformsTo = ((await getJson(conformance.href)).doc['conformsTo'] as string[] | undefined) ?? [];
  const data = linkOf(landing, 'data', 'application/json') ?? linkOf(landing, 'http://www.opengis.net/def/rel/ogc/1.0/data');
  const collections = data ? ((await getJson(data.href)).doc['collections'] as Json[] | undefined) ?? [] : [];
  const tilesets: TilesetSample[] = [];
  for (const l of links(landing).filter((x) => x.rel.startsWith('http://www.opengis.net/def/rel/ogc/1.0/tilesets-'))) tilesets.push(...await tilesetSamples(l.href, true));
  for (const c of collections.slice(0, 4)) {
    for (const l of links(c).filter((x) => x.rel.startsWith('http://www.opengis.net/def/rel/ogc/1.0/tilesets-'))) tilesets.push(...(await tilesetSamples(l.href, false)).slice(0, 2));
  }
  return { landingUrl, landing, conformsTo, collections, tilesets };
}
