/**
 * Collection metadata and TileJSON 3.0 (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0)
 * documents for the XYZ face. Pure functions of the catalog entry and the public base URL.
 */
import type { Collection } from '../../catalog/types.js';
import { InvalidParameterError, NotFoundError } from '../../errors.js';
import type { ImageFormat } from '../../tiling/encode.js';

const EXT: Record<ImageFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

export function tileUrlTemplate(base: string, c: Collection, tileMatrixSetId: string, format: ImageFormat): string {
  return `${base}/api/v1/collections/${encodeURIComponent(c.id)}/tiles/${encodeURIComponent(tileMatrixSetId)}/{z}/{x}/{y}.${EXT[format]}`;
}

/** The collection as listed by /api/v1/collections and /api/v1/collections/{id}. */
export function collectionDocument(base: string, c: Collection) {
  const self = `${base}/api/v1/collections/${encodeURIComponent(c.id)}`;
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    ...(c.attribution ? { attribution: c.attribution } : {}),
    bounds: c.info.lonLatBounds,
    crs: c.info.crs,
    resolution: c.info.resolution,
    bands: { count: c.info.bandCount, dataType: c.info.dataType, nodata: c.info.nodata, ...(c.info.palette ? { palette: c.info.palette } : {}) },
    formats: c.formats,
    defaultStyle: c.style,
    resampling: c.resampling,
    tileMatrixSets: c.info.tileMatrixSets.map((t) => ({
      id: t.tileMatrixSetId, minTileMatrix: t.minTileMatrix, maxTileMatrix: t.maxTileMatrix,
      tiles: tileUrlTemplate(base, c, t.tileMatrixSetId, c.formats[0]!),
    })),
    links: [
      { rel: 'self', type: 'application/json', href: self },
      { rel: 'tilejson', type: 'application/json', href: `${self}/tilejson.json` },
      ...c.info.tileMatrixSets.map((t) => ({ rel: 'item', type: `image/${c.formats[0]}`, templated: true, title: t.tileMatrixSetId, href: tileUrlTemplate(base, c, t.tileMatrixSetId, c.formats[0]!) })),
    ],
  };
}

/**
 * TileJSON 3.0.0 of a collection in a tile matrix set with numeric levels (default
 * WebMercatorQuad, the XYZ scheme TileJSON assumes). `format` picks the tile URL's extension.
 */
export function tileJson(base: string, c: Collection, tileMatrixSetId = 'WebMercatorQuad', format?: ImageFormat) {
  const range = c.info.tileMatrixSets.find((t) => t.tileMatrixSetId === tileMatrixSetId);
  if (!range) throw new NotFoundError('tileMatrixSet', `collection "${c.id}" is not offered in tile matrix set "${tileMatrixSetId}"`);
  const minzoom = Number(range.minTileMatrix), maxzoom = Number(range.maxTileMatrix);
  if (!Number.isInteger(minzoom) || !Number.isInteger(maxzoom)) {
    throw new InvalidParameterError('tileMatrixSet', `TileJSON needs numeric zoom levels; ${tileMatrixSetId} has tile matrices ${range.minTileMatrix}..${range.maxTileMatrix}`);
  }
  const f = format ?? c.formats[0]!;
  if (!c.formats.includes(f)) throw new InvalidParameterError('format', `collection "${c.id}" is not offered as ${f}`);
  const [w, s, e, n] = c.info.lonLatBounds;
  const centreLon = w <= e ? (w + e) / 2 : (((w + e + 360) / 2 + 180) % 360) - 180;
  return {
    tilejson: '3.0.0',
    name: c.title,
    description: c.description,
    ...(c.attribution ? { attribution: c.attribution } : {}),
    scheme: 'xyz',
    tiles: [tileUrlTemplate(base, c, tileMatrixSetId, f)],
    minzoom,
    maxzoom,
    bounds: [w, s, e, n],
    center: [centreLon, (s + n) / 2, Math.max(minzoom, Math.min(maxzoom, Math.round((minzoom + maxzoom) / 2)))],
  };
}
