/**
 * WMTS 1.0.0 (OGC 07-057r7), read the way any OpenLayers application reads it: the page
 * fetches the server's capabilities (`wmts?SERVICE=WMTS&REQUEST=GetCapabilities`, relative to
 * the page), OpenLayers' `WMTSCapabilities` parses them and `optionsFromCapabilities` builds
 * the `ol/source/WMTS` of the collection's Layer (Identifier = collection id) in one tile
 * matrix set. Two choices: WebMercatorQuad on the EPSG:3857 map, and WorldCRS84Quad, for which
 * the page switches the map to EPSG:4326 so the tiles are drawn as they are, not reprojected.
 *
 * The map asks for tiles in the first GetEncoding the capabilities give for GetTile (KVP).
 * The panel shows the GetCapabilities URL (what QGIS and ArcGIS want) and both tile URL
 * templates. WMTS has no style parameters: the tiles come in the collection's default style.
 */
import { getHeight, getWidth, type Extent } from 'ol/extent.js';
import WMTSCapabilities from 'ol/format/WMTSCapabilities.js';
import TileLayer from 'ol/layer/Tile.js';
import { equivalent, get as getProjection, transformExtent } from 'ol/proj.js';
import WMTS, { optionsFromCapabilities } from 'ol/source/WMTS.js';
import { errorText, pageUrl, RequestError, type CollectionSummary } from '../api.js';
import type { CopyableUrl, MapProjection, Protocol, ProtocolLayer } from './types.js';

/**
 * The capabilities as OpenLayers' reader returns them: plain objects named after the XML
 * elements (`Contents.Layer[].TileMatrixSetLink[].TileMatrixSet`), untyped by OpenLayers.
 */
type Obj = Record<string, any>;

/** The KVP GetCapabilities request, relative to the page (any host, port or path prefix). */
export const CAPABILITIES_PATH = 'wmts?SERVICE=WMTS&REQUEST=GetCapabilities';

/** One capabilities document for every WMTS layer of the page: the promise, evicted on failure. */
let capabilities: Promise<Obj> | undefined;

function loadCapabilities(): Promise<Obj> {
  if (!capabilities) {
    const pending = fetchCapabilities();
    pending.catch(() => { if (capabilities === pending) capabilities = undefined; });
    capabilities = pending;
  }
  return capabilities;
}

async function fetchCapabilities(): Promise<Obj> {
  const url = pageUrl(CAPABILITIES_PATH);
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: 'application/xml, text/xml' } });
  } catch (err) {
    throw new RequestError(`${url} could not be reached (${(err as Error).message})`);
  }
  if (!res.ok) throw new RequestError(`${url}: ${await errorText(res)}`, res.status);
  let caps: Obj | null = null;
  try {
    caps = new WMTSCapabilities().read(await res.text()) as Obj | null;
  } catch {
    // Not XML: said below.
  }
  if (!Array.isArray(caps?.['Contents']?.['Layer'])) throw new RequestError(`${url} did not answer with WMTS capabilities`);
  return caps!;
}

/** `href` of the first KVP Get endpoint of an operation (07-057r7 §7.1.1: it ends in "?" or "&"). */
function kvpHref(caps: Obj, operation: string): string | undefined {
  const gets: Obj[] = caps['OperationsMetadata']?.[operation]?.['DCP']?.['HTTP']?.['Get'] ?? [];
  const get = gets.find((g) => {
    const encoding = (g['Constraint'] as Obj[] | undefined)?.find((c) => c['name'] === 'GetEncoding');
    return !encoding || (encoding['AllowedValues']?.['Value'] as string[] | undefined)?.includes('KVP');
  });
  return typeof get?.['href'] === 'string' ? get['href'] : undefined;
}

function withParams(href: string, params: string): string {
  if (href.endsWith('?') || href.endsWith('&')) return href + params;
  return href + (href.includes('?') ? '&' : '?') + params;
}

/** A ResourceURL template with the given variables filled in (names case-insensitive, as OpenLayers does). */
function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => values[name.toLowerCase()] ?? m);
}

interface WmtsChoice {
  id: string;
  label: string;
  /** The tile matrix set (WMTS TileMatrixSet identifier). */
  tileMatrixSet: string;
  /** The map projection its tiles are drawn in. */
  projection: MapProjection;
}

function wmtsProtocol(choice: WmtsChoice): Protocol {
  const tms = choice.tileMatrixSet;
  return {
    id: choice.id,
    label: choice.label,
    fixedStyle: 'WMTS has no parameters for bands, rescaling, colour maps or resampling: its layers come in the collection\'s default style. Choose XYZ to restyle.',

    unsupported(c) {
      return c.tileMatrixSets.some((t) => t.id === tms) ? undefined : `"${c.id}" is not offered in the ${tms} tile matrix set`;
    },

    async open(c: CollectionSummary, signal: AbortSignal): Promise<ProtocolLayer> {
      const caps = await loadCapabilities();
      signal.throwIfAborted();
      const layer: Obj | undefined = (caps['Contents']['Layer'] as Obj[]).find((l) => l['Identifier'] === c.id);
      if (!layer) {
        // Perhaps added since the page fetched the capabilities: a retry fetches them anew.
        capabilities = undefined;
        throw new RequestError(`the WMTS capabilities have no layer "${c.id}"`);
      }
      // optionsFromCapabilities silently takes the first set when the wanted one is missing.
      if (!(layer['TileMatrixSetLink'] as Obj[] | undefined)?.some((l) => l['TileMatrixSet'] === tms)) {
        throw new RequestError(`WMTS layer "${c.id}" is not offered in the ${tms} tile matrix set`);
      }
      const formats = (layer['Format'] as string[] | undefined) ?? [];
      // PNG keeps the nodata transparent; else whatever the layer offers first.
      const format = formats.includes('image/png') ? 'image/png' : formats[0];
      const options = optionsFromCapabilities(caps, { layer: c.id, matrixSet: tms, ...(format ? { format } : {}) });
      if (!options || !format) throw new RequestError(`OpenLayers cannot use WMTS layer "${c.id}" in ${tms}`);
      const tileTemplates = ((layer['ResourceURL'] as Obj[] | undefined) ?? [])
        .filter((r) => r['resourceType'] === 'tile' && r['format'] === format)
        .map((r) => r['template'] as string);
      if (options.requestEncoding === 'REST') {
        // OpenLayers takes every tile ResourceURL (one per format) as a mirror of the same
        // tiles and the last one's format: keep the templates of the chosen format only.
        options.urls = tileTemplates;
        options.format = format;
      }
      const projection = getProjection(choice.projection)!;
      if (!options.projection || !equivalent(getProjection(options.projection)!, projection)) {
        throw new RequestError(`the WMTS tile matrix set ${tms} is not in ${choice.projection}`);
      }
      const source = new WMTS({ ...options, ...(c.attribution ? { attributions: c.attribution } : {}) });
      const grid = options.tileGrid;
      const extent: Extent = validExtent(grid.getExtent())
        ?? transformExtent(c.bounds, 'EPSG:4326', projection);
      const tileLayer = new TileLayer({ source, extent, properties: { collection: c.id, protocol: choice.id } });

      const style = options.style;
      const values = { style, tilematrixset: tms };
      const getCapabilities = kvpHref(caps, 'GetCapabilities');
      const getTile = kvpHref(caps, 'GetTile');
      const matrices = grid.getMatrixIds();
      const also: CopyableUrl[] = [];
      if (getTile) {
        also.push({
          label: `KVP tile URL template${options.requestEncoding === 'KVP' ? ' (what this map asks)' : ''}`,
          url: withParams(getTile, [
            'SERVICE=WMTS', 'REQUEST=GetTile', 'VERSION=1.0.0', `LAYER=${encodeURIComponent(c.id)}`,
            `STYLE=${encodeURIComponent(style)}`, `TILEMATRIXSET=${encodeURIComponent(tms)}`,
            'TILEMATRIX={TileMatrix}', 'TILEROW={TileRow}', 'TILECOL={TileCol}', `FORMAT=${format}`,
          ].join('&')),
        });
      }
      if (tileTemplates[0]) {
        also.push({
          label: `RESTful tile URL template${options.requestEncoding === 'REST' ? ' (what this map asks)' : ''}`,
          url: fillTemplate(tileTemplates[0], values),
        });
      }
      const endpoint = {
        label: 'WMTS GetCapabilities URL',
        url: getCapabilities ? withParams(getCapabilities, 'SERVICE=WMTS&REQUEST=GetCapabilities') : pageUrl(CAPABILITIES_PATH),
        help: `QGIS: Layer → Add Layer → Add WMS/WMTS Layer… → New, paste it as URL, then pick "${c.id}" in ${tms} `
          + `(tile matrices ${matrices[0]}–${matrices[matrices.length - 1]}) on the Tilesets tab. ArcGIS Pro: Insert → Connections → Server → New WMTS Server.`,
        also,
      };
      return {
        layer: tileLayer,
        projection: choice.projection,
        extent,
        finestResolution: grid.getResolution(grid.getMaxZoom()),
        setStyle() {
          // No style parameters in WMTS (see fixedStyle).
        },
        endpoint: () => endpoint,
      };
    },
  };
}

function validExtent(extent: Extent | null | undefined): Extent | undefined {
  return extent && getWidth(extent) > 0 && getHeight(extent) > 0 ? extent : undefined;
}

/** WMTS in WebMercatorQuad, on the viewer's usual EPSG:3857 map. */
export const wmts: Protocol = wmtsProtocol({ id: 'wmts', label: 'WMTS', tileMatrixSet: 'WebMercatorQuad', projection: 'EPSG:3857' });

/** WMTS in WorldCRS84Quad: the map switches to EPSG:4326 (longitude/latitude). */
export const wmtsCrs84: Protocol = wmtsProtocol({ id: 'wmts-crs84', label: 'WMTS · WorldCRS84Quad', tileMatrixSet: 'WorldCRS84Quad', projection: 'EPSG:4326' });
