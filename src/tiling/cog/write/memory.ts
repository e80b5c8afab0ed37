/**
 * In-memory rasters for the writer: a Float32 DEM, an RGB image … given as one typed array per
 * band, a CRS with an EPSG code and a geotransform. Used by generators (the demo data) and tests:
 *
 * ```ts
 * await writeCogFromArrays('dem.tif', {
 *   width: 1024, height: 1024, bands: [heights], crs: getCrs('EPSG:32633'),
 *   geoTransform: [500000, 10, 0, 5200000, 0, -10], nodata: -9999,
 * }, { compression: 'deflate' });
 * ```
 */
import type { Crs } from '../../../crs/index.js';
import type { SampleArray } from '../../decode/types.js';
import type { GeoTransform } from '../georef.js';
import type { DataType } from '../types.js';
import { CogWriteError } from './errors.js';
import { georefTagsFor, geoTiffTagsFor, type GeoTiffTags } from './geotags.js';
import { writeCog, type CogRaster, type CogWriteOptions, type CogWriteResult } from './writer.js';

export interface MemoryRasterInit {
  width: number;
  height: number;
  /** One row-major array per band, all of one type (Uint8Array … Float64Array). */
  bands: SampleArray[];
  /** The CRS (an EPSG code is needed) — or `geoTags` to give GeoKeys directly. */
  crs?: Crs;
  geoTags?: GeoTiffTags;
  geoTransform: GeoTransform;
  nodata?: number;
  /** Default: 'rgb' for 3 or 4 uint8 bands, 'palette' with `palette`, else 'gray'. */
  photometric?: 'gray' | 'rgb' | 'palette';
  /** The last band is an (unassociated) alpha band. */
  alpha?: boolean;
  /** Validity (non-zero = valid), written as an internal mask. */
  mask?: Uint8Array;
  /** Colour table as RGBA bytes, entry i at 4·i (alpha ignored: TIFF colour maps have none). */
  palette?: Uint8Array;
  bandDescriptions?: (string | undefined)[];
}

const TYPE_OF = new Map<unknown, DataType>([
  [Uint8Array, 'uint8'], [Int8Array, 'int8'], [Uint16Array, 'uint16'], [Int16Array, 'int16'],
  [Uint32Array, 'uint32'], [Int32Array, 'int32'], [Float32Array, 'float32'], [Float64Array, 'float64'],
]);

export function memoryRaster(init: MemoryRasterInit): CogRaster {
  const { width, height, bands } = init;
  if (bands.length === 0) throw new CogWriteError('a raster needs at least one band');
  const dataType = TYPE_OF.get(bands[0]!.constructor);
  if (!dataType) throw new CogWriteError('bands must be typed arrays (Uint8Array … Float64Array)');
  for (const b of bands) {
    if (TYPE_OF.get(b.constructor) !== dataType) throw new CogWriteError('all bands must have the same type');
    if (b.length !== width * height) throw new CogWriteError(`each band needs ${width}x${height} = ${width * height} values, got ${b.length}`);
  }
  if (init.mask && init.mask.length !== width * height) throw new CogWriteError('the mask must have one value per pixel');
  const colour = bands.length - (init.alpha ? 1 : 0);
  const kind = init.photometric ?? (init.palette ? 'palette' : dataType === 'uint8' && colour === 3 ? 'rgb' : 'gray');
  if (kind === 'rgb' && colour < 3) throw new CogWriteError('an RGB raster needs 3 colour bands');
  if (kind === 'palette' && (!init.palette || bands.length !== 1 || (dataType !== 'uint8' && dataType !== 'uint16'))) {
    throw new CogWriteError('a palette raster needs one uint8 or uint16 band and a palette');
  }
  const photometric = kind === 'rgb' ? 2 : kind === 'palette' ? 3 : 1;
  const extra = bands.length - (kind === 'rgb' ? 3 : 1);
  const extraSamples = Array.from({ length: Math.max(0, extra) }, (_, i) => (init.alpha && i === extra - 1 ? 2 : 0));
  let colorMap: number[] | undefined;
  if (init.palette) {
    const n = init.palette.length / 4;
    colorMap = new Array(3 * n);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) colorMap[c * n + i] = init.palette[4 * i + c]! * 257;
  }
  let geoTags: GeoTiffTags;
  if (init.geoTags) {
    const g = init.geoTags;
    geoTags = g.modelTiepoint || g.modelTransformation ? { ...g } : { ...georefTagsFor(init.geoTransform), ...g };
  } else if (init.crs) {
    geoTags = geoTiffTagsFor(init.crs, init.geoTransform);
  } else {
    throw new CogWriteError('give the raster a crs (or geoTags)');
  }
  return {
    width, height, dataType, bandCount: bands.length, photometric, extraSamples,
    ...(colorMap ? { colorMap } : {}),
    ...(init.nodata !== undefined ? { nodata: init.nodata } : {}),
    mask: init.mask !== undefined,
    geoTags,
    ...(init.bandDescriptions ? { bandDescriptions: init.bandDescriptions } : {}),
    async read(y, h) {
      const from = y * width, to = (y + h) * width;
      return {
        width, height: h,
        bands: bands.map((b) => b.subarray(from, to)),
        ...(init.mask ? { mask: init.mask.subarray(from, to) } : {}),
      };
    },
  };
}

/** Writes typed arrays as a COG (see `memoryRaster` and `writeCog`). */
export function writeCogFromArrays(path: string, init: MemoryRasterInit, options: CogWriteOptions = {}): Promise<CogWriteResult> {
  return writeCog(memoryRaster(init), path, options);
}
