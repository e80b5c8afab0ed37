/**
 * The server's JSON API as the viewer sees it. Every URL is relative to the page, so the
 * viewer works wherever the server is mounted (any host, port or path prefix).
 */

/** A collection as listed by `GET api/v1/collections` (fields the viewer uses). */
export interface CollectionSummary {
  id: string;
  title: string;
  description: string;
  attribution?: string;
  /** [west, south, east, north] in degrees; west > east when crossing the antimeridian. */
  bounds: [number, number, number, number];
  crs: { id: string; name?: string };
  bands: { count: number; dataType: string; nodata?: number | null; palette?: number };
  formats: string[];
  defaultStyle?: { bands?: number[]; rescale?: [number, number][]; colormap?: string };
  resampling?: string;
  tileMatrixSets: { id: string; minTileMatrix: string; maxTileMatrix: string; tiles: string }[];
}

/** TileJSON 3.0.0 (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0), fields we use. */
export interface TileJson {
  tilejson: string;
  tiles: string[];
  minzoom?: number;
  maxzoom?: number;
  bounds?: [number, number, number, number];
  attribution?: string;
}

/** A request that failed: network error, HTTP error (with the server's description) or bad JSON. */
export class RequestError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Resolves a path against the page (not the origin): "api/v1/collections" under any prefix. */
export function pageUrl(path: string): string {
  return new URL(path, document.baseURI).href;
}

const OWS = 'http://www.opengis.net/ows/1.1';

/**
 * The server's error text: the `description` of its `{code, description}` JSON, or the
 * ExceptionText of a WMTS `ows:ExceptionReport` (OWS 1.1 §8), else the status line.
 */
export async function errorText(res: Response): Promise<string> {
  const fallback = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  let text: string;
  try {
    text = await res.text();
  } catch {
    return fallback;
  }
  if (/\bxml\b/.test(res.headers.get('content-type') ?? '')) {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const exception = doc.getElementsByTagNameNS(OWS, 'Exception')[0];
    const message = exception?.getElementsByTagNameNS(OWS, 'ExceptionText')[0]?.textContent?.trim();
    if (exception && message) return `${message} (${exception.getAttribute('exceptionCode') ?? 'exception'}, ${fallback})`;
    return fallback;
  }
  try {
    const body = JSON.parse(text) as { description?: unknown; code?: unknown };
    if (typeof body.description === 'string') return `${body.description} (${fallback})`;
  } catch {
    // Not JSON: the status line says enough.
  }
  return fallback;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const url = pageUrl(path);
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new RequestError(`${url} could not be reached (${(err as Error).message})`);
  }
  if (!res.ok) throw new RequestError(`${url}: ${await errorText(res)}`, res.status);
  try {
    return (await res.json()) as T;
  } catch {
    throw new RequestError(`${url} did not answer with JSON`, res.status);
  }
}

export async function listCollections(signal?: AbortSignal): Promise<CollectionSummary[]> {
  const body = await getJson<{ collections?: CollectionSummary[] }>('api/v1/collections', signal);
  if (!Array.isArray(body.collections)) throw new RequestError('api/v1/collections has no "collections" list');
  return body.collections;
}

export function collectionPath(id: string): string {
  return `api/v1/collections/${encodeURIComponent(id)}`;
}
