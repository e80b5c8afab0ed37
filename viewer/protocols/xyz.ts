/**
 * XYZ ("slippy map") tiles in WebMercatorQuad, described by the collection's TileJSON:
 * `GET api/v1/collections/{id}/tilejson.json` gives the URL template, zoom range and bounds.
 */
import TileLayer from 'ol/layer/Tile.js';
import XYZ from 'ol/source/XYZ.js';
import { collectionPath, getJson, RequestError, type CollectionSummary, type TileJson } from '../api.js';
import { lonLatToMapExtent } from '../geo.js';
import type { Protocol, ProtocolLayer } from './types.js';

const TMS = 'WebMercatorQuad';

/** The template with a query appended ("" leaves it as is). */
export function withQuery(template: string, query: string): string {
  if (!query) return template;
  return template + (template.includes('?') ? '&' : '?') + query;
}

export const xyz: Protocol = {
  id: 'xyz',
  label: 'XYZ',

  unsupported(c) {
    return c.tileMatrixSets.some((t) => t.id === TMS) ? undefined : `XYZ tiles need the ${TMS} tile matrix set, which "${c.id}" is not offered in`;
  },

  async open(c: CollectionSummary, signal: AbortSignal): Promise<ProtocolLayer> {
    const tj = await getJson<TileJson>(`${collectionPath(c.id)}/tilejson.json?tileMatrixSet=${TMS}`, signal);
    const template = tj.tiles?.[0];
    if (typeof template !== 'string') throw new RequestError(`the TileJSON of "${c.id}" has no tile URL`);
    const minZoom = tj.minzoom ?? 0;
    const maxZoom = tj.maxzoom ?? 22;
    const extent = lonLatToMapExtent(tj.bounds ?? c.bounds);
    const source = new XYZ({
      url: template,
      minZoom,
      maxZoom,
      ...(tj.attribution ?? c.attribution ? { attributions: tj.attribution ?? c.attribution } : {}),
    });
    // The layer's extent keeps OpenLayers from asking for tiles outside the data.
    const layer = new TileLayer({ source, extent, properties: { collection: c.id, protocol: 'xyz' } });
    let url = template;
    return {
      layer, extent,
      projection: 'EPSG:3857',
      finestResolution: source.getTileGrid()!.getResolution(maxZoom),
      setStyle(query) {
        const next = withQuery(template, query);
        if (next !== url) {
          url = next;
          source.setUrl(url);
        }
      },
      endpoint() {
        return {
          label: 'XYZ URL template',
          url,
          help: `QGIS: Browser panel → XYZ Tiles → New Connection…, paste it as URL, zoom levels ${minZoom}–${maxZoom}.`,
        };
      },
    };
  },
};
