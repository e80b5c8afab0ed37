/**
 * Tileset lists and tileset metadata (OGC 20-057 /req/tilesets-list/… and /req/tileset/…; TMS
 * 2.0 clause 11 "Tileset metadata", `tileSet.json`) of one tile source: a collection's map or
 * coverage tiles, or the dataset's map tiles. Every link is absolute; tile links are URI
 * templates with `{tileMatrix}`, `{tileRow}` and `{tileCol}` (/req/tileset/tileset-links).
 */
import type { TileMatrixSet, TileMatrixSetLimits } from '../../tilematrixsets/index.js';
import { link, MEDIA, REL, selfAndAlternates, seg, type Link } from '../common/links.js';
import { crsFootprint, tmsBoundingBox } from './extent.js';
import { tileMatrixSetUri, tileMatrixSetUrl } from './tilematrixsets.js';
import { tileMatrixSet10 } from './tms10.js';

export type TileDataType = 'map' | 'coverage';

/** One way of encoding the tiles: the `f` value in the URL template and its media type. */
export interface TileEncoding {
  f: string;
  mediaType: string;
}

/** What the documents need to know about a tile source. */
export interface TileSource {
  /** Path of the tileset list under the base URL: `/collections/{id}/map/tiles`, `/map/tiles`. */
  path: string;
  dataType: TileDataType;
  title: string;
  description?: string;
  attribution?: string;
  encodings: readonly TileEncoding[];
  tileMatrixSets: readonly TileMatrixSet[];
  limits(tms: TileMatrixSet): readonly TileMatrixSetLimits[];
  lonLatBounds: readonly [number, number, number, number];
  /** Links back to the data (the collection) or the collections (dataset). */
  related: readonly Link[];
}

export function tilesetUrl(base: string, source: TileSource, tmsId: string): string {
  return `${base}${source.path}/${seg(tmsId)}`;
}

/** The tile URL template of one encoding: `{base}{path}/{tms}/{tileMatrix}/{tileRow}/{tileCol}?f=…`. */
export function tileTemplate(base: string, source: TileSource, tmsId: string, encoding: TileEncoding): string {
  return `${tilesetUrl(base, source, tmsId)}/{tileMatrix}/{tileRow}/{tileCol}?f=${encoding.f}`;
}

function crsOf(tms: TileMatrixSet): unknown {
  return tms.crs;
}

/**
 * `tileSet-item.yaml` entries of a tileset list: dataType, crs, tileMatrixSetURI (the OGC
 * test suite requires it, /req/tilesets-list/tileset-links B), the set's id, and links that
 * answer JSON: the tileset metadata (self) and the tiling scheme.
 */
export function tilesetsListDocument(base: string, source: TileSource, format: 'json' | 'html') {
  return {
    title: `${source.title}: ${source.dataType} tilesets`,
    links: [...selfAndAlternates(`${base}${source.path}`, format, 'this tileset list'), ...source.related],
    tilesets: source.tileMatrixSets.map((tms) => ({
      title: `${source.title} in ${tms.title ?? tms.id}`,
      dataType: source.dataType,
      crs: crsOf(tms),
      tileMatrixSetURI: tileMatrixSetUri(base, tms),
      tileMatrixSetId: tms.id,
      links: [
        link(REL.self, MEDIA.json, tilesetUrl(base, source, tms.id), `${source.title} in ${tms.id} (tileset metadata)`),
        link(REL.tilingScheme, MEDIA.json, tileMatrixSetUrl(base, tms.id), `${tms.id} (TMS 2.0 JSON)`),
      ],
    })),
  };
}

/**
 * The tiling-scheme links of a tileset (/req/tileset/tmxslink): the TMS 2.0 definition first
 * (what a client taking the first such link gets, e.g. OpenLayers), then, typed
 * application/json, its TMS 1.0 encoding — GDAL up to 3.6 takes the first tiling-scheme
 * link typed application/json and parses TMS 1.0 only. The TMS 2.0 link carries no media
 * type for that reason (`type` is optional in link.yaml).
 */
export function tilingSchemeLinks(base: string, tms: TileMatrixSet): Link[] {
  const v2 = { href: tileMatrixSetUrl(base, tms.id), rel: REL.tilingScheme, title: `${tms.id} (TMS 2.0 JSON)` };
  if (!tileMatrixSet10(tms)) return [{ ...v2, type: MEDIA.json }];
  return [v2, link(REL.tilingScheme, MEDIA.json, `${tileMatrixSetUrl(base, tms.id)}/tms-1.0`, `${tms.id} (TMS 1.0 JSON, OGC 17-083r2, for older clients)`)];
}

/** Tileset metadata (`tileSet.json`): dataType, crs, limits, bounding box and the templated tile links. */
export function tilesetDocument(base: string, source: TileSource, tms: TileMatrixSet, format: 'json' | 'html') {
  const footprint = crsFootprint(source.lonLatBounds, tms);
  const items: Link[] = source.encodings.map((e) => ({
    ...link(REL.item, e.mediaType, tileTemplate(base, source, tms.id, e), `${source.title} tiles (${e.mediaType})`),
    templated: true,
  }));
  return {
    title: `${source.title} in ${tms.title ?? tms.id}`,
    ...(source.description ? { description: source.description } : {}),
    ...(source.attribution ? { attribution: source.attribution } : {}),
    dataType: source.dataType,
    crs: crsOf(tms),
    tileMatrixSetURI: tileMatrixSetUri(base, tms),
    tileMatrixSetId: tms.id,
    mediaTypes: source.encodings.map((e) => e.mediaType),
    ...(footprint ? { boundingBox: tmsBoundingBox(footprint, tms) } : {}),
    tileMatrixSetLimits: source.limits(tms).map((l) => ({ ...l })),
    links: [
      ...selfAndAlternates(tilesetUrl(base, source, tms.id), format, 'this tileset'),
      ...tilingSchemeLinks(base, tms),
      ...items,
      ...source.related,
    ],
  };
}
