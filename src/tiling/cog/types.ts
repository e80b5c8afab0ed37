import type { Crs } from '../../crs/index.js';
import type { BlockLayout } from '../decode/index.js';
import type { GeoTransform } from './georef.js';
import type { BandStatistics } from './metadata.js';

export type DataType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

/** Locates one IFD's blocks; the engine never sees geotiff.js objects. */
export interface BlockIndex {
  /** Byte offset and length of block `index` (row-major, then by sample for planar=2). */
  locate(index: number, signal?: AbortSignal): Promise<{ offset: number; length: number }>;
}

/** One resolution level (full resolution or an overview), or its mask. */
export interface CogLevel {
  /** 0 = full resolution, then overviews from largest to smallest. */
  readonly index: number;
  readonly width: number;
  readonly height: number;
  readonly blockWidth: number;
  readonly blockHeight: number;
  readonly blocksAcross: number;
  readonly blocksDown: number;
  readonly tiled: boolean;
  /** 1 = chunky (samples interleaved in a block), 2 = planar (one block per sample). */
  readonly planarConfiguration: 1 | 2;
  readonly layout: Omit<BlockLayout, 'height'>;
  readonly blocks: BlockIndex;
  /** Geotransform of this level (pixel-corner convention). */
  readonly geoTransform: GeoTransform;
  /** Internal mask of this level (TIFF mask IFD, NewSubfileType bit 2), if any. */
  readonly mask?: CogLevel;
}

/** What the engine understands of one GeoTIFF. Plain data (plus block locators). */
export interface Cog {
  readonly url: string;
  /** Version token of the bytes (changes when the file changes). */
  readonly version: string;
  /** When the file last changed (ms since the epoch), when its store says. */
  readonly lastModified: number | undefined;
  readonly byteSize: number;
  readonly width: number;
  readonly height: number;
  /** Samples per pixel as stored (including an alpha sample). */
  readonly sampleCount: number;
  readonly dataType: DataType;
  readonly crs: Crs;
  /** Full-resolution geotransform (pixel corners). */
  readonly geoTransform: GeoTransform;
  readonly levels: readonly CogLevel[];
  /** GDAL_NODATA value (may be NaN). */
  readonly nodata: number | undefined;
  /** 0-based sample index of an alpha band (ExtraSamples = 1 or 2), if any. */
  readonly alphaSample: number | undefined;
  readonly hasMask: boolean;
  /** PhotometricInterpretation: 0/1 gray, 2 RGB, 3 palette, 6 YCbCr ... */
  readonly photometric: number;
  /** Palette as RGBA bytes (entry i at 4*i), when photometric = 3. */
  readonly colorMap: Uint8Array | undefined;
  readonly compression: string;
  readonly statistics: readonly (BandStatistics | undefined)[];
  readonly bandDescriptions: readonly (string | undefined)[];
  /** Items of GDAL's COG ghost header (e.g. LAYOUT=COG), when present. */
  readonly ghost: Record<string, string>;
  /** Checks the Cloud-Optimized layout (reads every level's block offsets: for `info`, not the tile path). */
  inspectLayout(): Promise<CogLayoutReport>;
}

export interface CogLayoutReport {
  /** True when no structural rule of a COG is broken. */
  valid: boolean;
  problems: string[];
  warnings: string[];
}
