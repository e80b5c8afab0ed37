/**
 * Collections: what the server offers. The catalog is an interface with an embedded
 * (in-memory) implementation here and a PostGIS twin later; it never exports storage types.
 */
import type { StyleParams } from '../tiling/style/style.js';
import type { ImageFormat } from '../tiling/encode.js';
import type { Resampling } from '../tiling/warp/plan.js';

/** Zoom range of a collection in one tile matrix set (matrix ids, coarsest and finest useful). */
export interface TileMatrixSetRange {
  tileMatrixSetId: string;
  minTileMatrix: string;
  maxTileMatrix: string;
}

/** What a collection's data is, derived from its files when the catalog is built. */
export interface CollectionInfo {
  /** [west, south, east, north] in degrees; west > east when it crosses the antimeridian. */
  lonLatBounds: [number, number, number, number];
  /** CRS of the first source. */
  crs: { id: string; name: string; uri: string };
  /** Pixel size of the first source, in its CRS units. */
  resolution: [number, number];
  bandCount: number;
  dataType: string;
  /** Nodata value (null for NaN), undefined when none. */
  nodata: number | null | undefined;
  /** Palette entries when the data is paletted. */
  palette?: number;
  /** Per offered tile matrix set. */
  tileMatrixSets: TileMatrixSetRange[];
}

export interface Collection {
  id: string;
  title: string;
  description: string;
  attribution: string | undefined;
  /** Locations of the GeoTIFFs, in priority order. */
  sources: string[];
  /** Style applied when a request names none. */
  style: StyleParams;
  resampling: Resampling;
  /** Formats offered; the first is the default. */
  formats: ImageFormat[];
  /** A tile without data: the blank image or 204 No Content. */
  emptyTile: 'blank' | '204';
  /** HTTP caching of its tiles (seconds); the collection's settings over the server's. */
  cacheControl: { maxAge: number; sMaxAge: number; staleWhileRevalidate: number };
  info: CollectionInfo;
}

/** Read side of the catalog used by the tile service and the protocol faces. */
export interface Catalog {
  list(): readonly Collection[];
  /** Throws NotFoundError. */
  get(id: string): Collection;
  tryGet(id: string): Collection | undefined;
  /** The collection behind routes that name none. */
  defaultCollection(): Collection | undefined;
}
