/**
 * OGC API - Tiles 1.0 (OGC 20-057), read the way OpenLayers reads it: `ol/source/OGCMapTile`
 * is given the collection's map tileset (`collections/{id}/map/tiles/WebMercatorQuad`,
 * relative to the page), reads its TMS and its `item` link template and asks for the tiles.
 * The page fetches the same tileset document first, for the zoom range (its
 * tileMatrixSetLimits) and the URLs it shows for copy-paste.
 *
 * OpenLayers builds tile URLs from the tileset's own template, so no style query reaches the
 * tiles: the tiles come in the collection's default style (see fixedStyle).
 */
import TileLayer from 'ol/layer/Tile.js';
import OGCMapTile from 'ol/source/OGCMapTile.js';
import { getJson, pageUrl, RequestError, type CollectionSummary } from '../api.js';
import { lonLatToMapExtent } from '../geo.js';
import type { CopyableUrl, Protocol, ProtocolLayer } from './types.js';

const TMS = 'WebMercatorQuad';
/** WebMercatorQuad's cell size at tile matrix 0 (metres per pixel; OGC 17-083r4 Annex D). */
const CELL_SIZE_0 = 156543.03392804097;

/** The fields of an OGC API - Tiles TileSet (OGC 20-057 §6.4 / tileSet.yaml) the viewer uses. */
interface TileSet {
  tileMatrixSetURI?: string;
  tileMatrixSetLimits?: { tileMatrix: string }[];
  links?: { rel: string; href: string; type?: string; templated?: boolean }[];
}

export function tilesetPath(id: string): string {
  return `collections/${encodeURIComponent(id)}/map/tiles/${TMS}`;
}

export const ogcapiTiles: Protocol = {
  id: 'ogcapi',
  label: 'OGC API - Tiles',
  fixedStyle: 'OpenLayers asks for OGC API tiles with the tileset\'s own URL template, without style parameters: they come in the collection\'s default style. Choose XYZ to restyle.',

  unsupported(c) {
    return c.tileMatrixSets.some((t) => t.id === TMS) ? undefined : `"${c.id}" is not offered in the ${TMS} tile matrix set`;
  },

  async open(c: CollectionSummary, signal: AbortSignal): Promise<ProtocolLayer> {
    const path = tilesetPath(c.id);
    const tileset = await getJson<TileSet>(`${path}?f=json`, signal);
    const item = tileset.links?.find((l) => l.rel === 'item' && l.type === 'image/png');
    if (!item) throw new RequestError(`the OGC API tileset of "${c.id}" has no PNG tile template`);
    const zooms = (tileset.tileMatrixSetLimits ?? []).map((l) => Number(l.tileMatrix)).filter(Number.isInteger);
    const maxZoom = zooms.length ? Math.max(...zooms) : 22;
    const minZoom = zooms.length ? Math.min(...zooms) : 0;
    const tilesetUrl = pageUrl(path);
    const source = new OGCMapTile({
      url: tilesetUrl,
      mediaType: 'image/png',
      projection: 'EPSG:3857',
      ...(c.attribution ? { attributions: c.attribution } : {}),
    });
    // The source reads the tileset itself, asynchronously: the layer is ready (and the map can
    // tell when all its tiles are drawn) only once it has.
    await sourceReady(source, signal, tilesetUrl);
    const extent = lonLatToMapExtent(c.bounds);
    const layer = new TileLayer({ source, extent, properties: { collection: c.id, protocol: 'ogcapi' } });
    // Our links are absolute; a relative one is resolved with its {…} variables kept as they are.
    const template = /^[a-z][a-z0-9+.-]*:/i.test(item.href) ? item.href : new URL(item.href, tilesetUrl).href.replace(/%7B/gi, '{').replace(/%7D/gi, '}');
    const also: CopyableUrl[] = [
      { label: 'Tile URL template (what this map asks)', url: template },
      { label: 'Collection for GDAL (gdalinfo, gdal_translate)', url: `OGCAPI:${pageUrl(`collections/${encodeURIComponent(c.id)}`)}` },
    ];
    const endpoint = {
      label: 'OGC API - Tiles tileset URL',
      url: tilesetUrl,
      help: `OGC API clients (OpenLayers OGCMapTile, pygeoapi-style catalogs) read the tileset: tile matrices ${minZoom}–${maxZoom} of ${TMS}. `
        + 'GDAL reads the collection as OGCAPI:…; QGIS takes the tile template as an XYZ connection with {z}/{y}/{x} for {tileMatrix}/{tileRow}/{tileCol}.',
      also,
    };
    return {
      layer, extent,
      projection: 'EPSG:3857',
      finestResolution: CELL_SIZE_0 / 2 ** maxZoom,
      setStyle() {
        // No style parameters reach OGCMapTile's tiles (see fixedStyle).
      },
      endpoint: () => endpoint,
    };
  },
};

function sourceReady(source: OGCMapTile, signal: AbortSignal, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = () => {
      const state = source.getState();
      if (state === 'ready') done(resolve);
      else if (state === 'error') done(() => reject(new RequestError(`OpenLayers could not read the OGC API tileset ${url}`)));
    };
    const onAbort = () => done(() => reject(signal.reason));
    const done = (f: () => void) => {
      source.un('change', settle);
      signal.removeEventListener('abort', onAbort);
      f();
    };
    source.on('change', settle);
    signal.addEventListener('abort', onAbort);
    settle();
  });
}
