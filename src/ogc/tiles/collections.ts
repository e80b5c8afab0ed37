/**
 * Collections as OGC API geospatial data resources (OGC API - Common Part 2, /req/collections;
 * OGC 20-057 /req/geodata-tilesets/desc-links: links to the map and coverage tileset lists;
 * OGC 20-058 (Maps) /req/collection-map: a link to the map). The spatial extent is the lon/lat
 * footprint in CRS84 (GDAL's OGCAPI driver reads `extent.spatial.bbox[0]`).
 */
import type { Collection } from '../../catalog/types.js';
import { link, MEDIA, REL, selfAndAlternates, seg, type Link } from '../common/links.js';
import { MAP_MEDIA } from './formats.js';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export function collectionUrl(base: string, id: string): string {
  return `${base}/collections/${seg(id)}`;
}

function collectionLinks(base: string, c: Collection): Link[] {
  const href = collectionUrl(base, c.id);
  return [
    link(REL.tilesetsMap, MEDIA.json, `${href}/map/tiles`, 'map tilesets (styled images)'),
    link(REL.tilesetsCoverage, MEDIA.json, `${href}/coverage/tiles`, 'coverage tilesets (raw values, GeoTIFF)'),
    ...c.formats.map((f) => link(REL.map, MAP_MEDIA[f], `${href}/map?f=${f}`, `map of the whole collection (${MAP_MEDIA[f]})`)),
  ];
}

/**
 * The scale denominator of the collection's finest detail (Common Part 2 / OGC 20-058
 * `scaleDenominator`, 0.28 mm pixels): that of the finest tile matrix it is offered at in a
 * geographic set (the level tiles stop at), else its pixel size in metres / 0.00028. GDAL's
 * OGCAPI driver uses it to choose its finest level; the tiny excess keeps rounding from
 * sending it one level deeper.
 */
export function scaleDenominatorOf(c: Collection, finestGeographicScale: number | undefined): number {
  if (finestGeographicScale !== undefined) return finestGeographicScale * 1.001;
  const [rx, ry] = c.info.resolution;
  const res = Math.min(Math.abs(rx), Math.abs(ry));
  const metres = c.info.crs.id === 'OGC:CRS84' || c.info.crs.id === 'EPSG:4326' ? res * (Math.PI * 6378137 / 180) : res;
  return metres / 0.28e-3;
}

/** `collectionInfo.yaml`: id, title, description, extent, CRSs, data type and links. */
export function collectionDocument(base: string, c: Collection, format: 'json' | 'html', crs: readonly string[], scaleDenominator?: number) {
  const href = collectionUrl(base, c.id);
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    ...(c.attribution ? { attribution: c.attribution } : {}),
    dataType: 'coverage',
    extent: { spatial: { bbox: [[...c.info.lonLatBounds]], crs: CRS84 } },
    crs: [...crs],
    storageCrs: c.info.crs.uri || undefined,
    ...(scaleDenominator !== undefined ? { scaleDenominator } : {}),
    bands: { count: c.info.bandCount, dataType: c.info.dataType, ...(c.info.nodata !== undefined ? { nodata: c.info.nodata } : {}) },
    links: [...selfAndAlternates(href, format, c.title), ...collectionLinks(base, c)],
  };
}

/** `collections.yaml`: every collection, each with its own self link. */
export function collectionsDocument(base: string, all: readonly Collection[], format: 'json' | 'html', crsOf: (c: Collection) => readonly string[], scaleOf: (c: Collection) => number) {
  return {
    title: 'Collections',
    description: 'Every collection of this server, with links to its tilesets and map.',
    links: [
      ...selfAndAlternates(`${base}/collections`, format, 'the collections'),
      link(REL.tilesetsMap, MEDIA.json, `${base}/map/tiles`, 'map tilesets of all collections together'),
    ],
    collections: all.map((c) => collectionDocument(base, c, 'json', crsOf(c), scaleOf(c))),
  };
}
