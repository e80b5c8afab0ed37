/**
 * A protocol is one way of getting a collection's tiles (XYZ, WMTS, OGC API - Tiles),
 * one module each in this folder, listed in ./index.ts. The page only talks to this
 * interface: it picks a protocol, opens a collection with it, re-styles the resulting layer
 * and shows its endpoint for copy-paste into a desktop client.
 */
import type { Extent } from 'ol/extent.js';
import type TileLayer from 'ol/layer/Tile.js';
import type TileImage from 'ol/source/TileImage.js';
import type { CollectionSummary } from '../api.js';
import type { MapProjection } from '../map.js';

export type { MapProjection };

/** A URL to copy, with a short name of what it is. */
export interface CopyableUrl {
  /** E.g. "XYZ URL template" or "WMTS GetCapabilities URL". */
  label: string;
  /** The text to copy. */
  url: string;
}

/** What a desktop client (QGIS, ArcGIS, GDAL, …) needs to get the same tiles. */
export interface Endpoint extends CopyableUrl {
  /** One sentence on where to paste `url`. */
  help: string;
  /** Further URLs for other clients, e.g. WMTS tile URL templates, shown below `url`. */
  also?: readonly CopyableUrl[];
}

/** A collection opened through one protocol. */
export interface ProtocolLayer {
  /** The OpenLayers layer (any TileImage source: XYZ, WMTS and OGCMapTile all are). */
  readonly layer: TileLayer<TileImage>;
  /**
   * The view projection the tiles are drawn in as they are (no reprojection in the browser):
   * EPSG:3857 for WebMercatorQuad, EPSG:4326 for WorldCRS84Quad.
   */
  readonly projection: MapProjection;
  /** The data's extent in `projection`, to fit the view. */
  readonly extent: Extent;
  /** The finest tile resolution (`projection` units per pixel): fitting the view zooms no closer. */
  readonly finestResolution: number;
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
  /**
   * Why the style form does not apply to this protocol's tiles (they come in the collection's
   * default style only), or undefined when `setStyle` restyles them.
   */
  readonly fixedStyle?: string;
  /** Why `collection` cannot be shown with this protocol, or undefined when it can. */
  unsupported(collection: CollectionSummary): string | undefined;
  /** Reads the protocol's metadata for the collection (TileJSON, capabilities, …) and builds its layer. */
  open(collection: CollectionSummary, signal: AbortSignal): Promise<ProtocolLayer>;
}
