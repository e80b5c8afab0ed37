/**
 * Tile matrix sets as OGC API resources (OGC 20-057 §"TileMatrixSets" — /req/tilesets-list … and
 * the TMS 2.0 JSON encoding, OGC 17-083r4 clause 10): `/tileMatrixSets` lists every registered
 * set with its id, title, URI, CRS and links; `/tileMatrixSets/{id}` is the set's TMS 2.0 JSON,
 * exactly the registry's (frozen, schema-conformant) model.
 */
import type { TileMatrixSet, TileMatrixSetRegistry } from '../../tilematrixsets/index.js';
import { link, MEDIA, REL, selfAndAlternates, seg } from '../common/links.js';

export function tileMatrixSetUrl(base: string, id: string): string {
  return `${base}/tileMatrixSets/${seg(id)}`;
}

/** The set's official URI when it has one (registered OGC sets), else its URL on this server. */
export function tileMatrixSetUri(base: string, tms: TileMatrixSet): string {
  return tms.uri ?? tileMatrixSetUrl(base, tms.id);
}

/** `tileMatrixSet-item.yaml` entries: a self link to the definition (and an `item` link, which the OGC test suite follows). */
export function tileMatrixSetsDocument(base: string, registry: TileMatrixSetRegistry, format: 'json' | 'html') {
  return {
    title: 'Tile matrix sets',
    description: 'The tiling schemes this server renders tiles in (OGC Two Dimensional Tile Matrix Set 2.0).',
    links: selfAndAlternates(`${base}/tileMatrixSets`, format, 'the tile matrix sets'),
    tileMatrixSets: registry.list().map((tms) => {
      const href = tileMatrixSetUrl(base, tms.id);
      return {
        id: tms.id,
        ...(tms.title ? { title: tms.title } : {}),
        ...(tms.uri ? { uri: tms.uri } : {}),
        crs: tms.crs,
        links: [
          link(REL.self, MEDIA.json, href, `${tms.id} (TMS 2.0 JSON)`),
          link(REL.item, MEDIA.json, href, `${tms.id} (TMS 2.0 JSON)`),
          link(REL.alternate, MEDIA.html, `${href}?f=html`, `${tms.id} (HTML)`),
        ],
      };
    }),
  };
}
