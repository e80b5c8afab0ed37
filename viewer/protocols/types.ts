/**
 * A protocol is one way of getting a collection's tiles (XYZ now; WMTS and OGC API - Tiles
 * later, one module each in this folder, listed in ./index.ts). The page only talks to this
 * interface: it picks a protocol, opens a collection with it, re-styles the resulting layer
 * and shows its endpoint for copy-paste into a desktop client.
 */
import type { Extent } from 'ol/extent.js';
import type TileLayer from 'ol/layer/Tile.js';
import type TileImage from 'ol/source/TileImage.js';
import type { CollectionSummary } from '../api.js';

/** What a desktop client (QGIS, GDAL, …) needs to get the same tiles. */
export interface Endpoint {
  /** Short name of what `url` is, e.g. "XYZ URL template" or "WMTS GetCapabilities URL". */
  label: string;
  /** The text to copy. */
  url: string;
  /** One sentence on where to paste it. */
  help: string;
}

/** A collection opened through one protocol. */
export interface ProtocolLayer {
  /** The OpenLayers layer (any TileImage source: XYZ, WMTS and OGCMapTile all are). */
  readonly layer: TileLayer<TileImage>;
  /** The data's extent in the map projection (EPSG:3857), to fit the view. */
  readonly extent: Extent;
  readonly minZoom: number;
  readonly maxZoom: number;
  /** Points the layer at the tiles drawn with `query` ("bands=1&colormap=viridis"; "" = default style). */
  setStyle(query: string): void;
  /** The endpoint for the current style. */
  endpoint(): Endpoint;
}

export interface Protocol {
  /** Stable id, used in the page's URL hash, e.g. "xyz". */
  readonly id: string;
  /** Shown in the protocol chooser, e.g. "XYZ". */
  readonly label: string;
  /** Why `collection` cannot be shown with this protocol, or undefined when it can. */
  unsupported(collection: CollectionSummary): string | undefined;
  /** Reads the protocol's metadata for the collection (TileJSON, capabilities, …) and builds its layer. */
  open(collection: CollectionSummary, signal: AbortSignal): Promise<ProtocolLayer>;
}
