/**
 * Coverage tiles (OGC 20-057 "tiff" class; the tile is `image/tiff; application=geotiff`): the
 * raw warped values of a tile, in the source data type (float stays float), georeferenced to
 * the tile's grid in the set's CRS, with the "no data" pixels kept: as the collection's nodata
 * value when it has one, else as an internal mask (GDAL's per-dataset mask). Written by the
 * project's COG writer, in memory, as one block.
 */
import type { Crs } from '../../crs/index.js';
import type { SampleArray } from '../../tiling/decode/types.js';
import type { TargetGrid } from '../../tiling/grid.js';
import { memoryRaster, writeCogToMemory } from '../../tiling/cog/write/index.js';
import { arrayFor } from '../../tiling/cog/window.js';
import type { DataType } from '../../tiling/cog/types.js';
import type { RasterTile } from '../../tiling/style/style.js';

export interface CoverageTileInput {
  grid: TargetGrid;
  /** Undefined: no data anywhere in the tile (a blank tile of `shape`). */
  raster: RasterTile | undefined;
  shape: { bandCount: number; dataType: string };
  /** The collection's nodata value (null = NaN), undefined when it has none. */
  nodata: number | null | undefined;
}

/** Block sizes of the writer are multiples of 16; the image keeps the tile's size. */
function blockSizeFor(width: number, height: number): number {
  return Math.max(16, Math.ceil(Math.max(width, height) / 16) * 16);
}

export async function coverageTileGeoTiff(input: CoverageTileInput): Promise<Uint8Array> {
  const { grid } = input;
  const n = grid.width * grid.height;
  const dataType = (input.raster?.dataType ?? input.shape.dataType) as DataType;
  const bands: SampleArray[] = input.raster?.bands.map((b) => b.slice()) ?? Array.from({ length: input.shape.bandCount }, () => new arrayFor[dataType](n));
  const alpha = input.raster?.alpha ?? new Uint8Array(n);
  const float = dataType === 'float32' || dataType === 'float64';
  // A nodata value the data type can hold marks the empty pixels; otherwise a mask does.
  const nodata = input.nodata === null ? (float ? NaN : undefined) : input.nodata;
  const usable = nodata !== undefined && (Number.isNaN(nodata) ? float : representable(nodata, dataType));
  let mask: Uint8Array | undefined;
  if (usable) {
    for (let i = 0; i < n; i++) if (alpha[i] === 0) for (const b of bands) b[i] = nodata!;
  } else {
    mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = alpha[i]! > 0 ? 255 : 0;
  }
  const [minX, minY, maxX, maxY] = grid.crsBounds;
  const raster = memoryRaster({
    width: grid.width, height: grid.height, bands, crs: grid.crs as Crs,
    geoTransform: [minX, (maxX - minX) / grid.width, 0, maxY, 0, -(maxY - minY) / grid.height],
    photometric: dataType === 'uint8' && bands.length === 3 ? 'rgb' : 'gray',
    ...(usable ? { nodata: nodata! } : {}),
    ...(mask ? { mask } : {}),
  });
  const { bytes } = await writeCogToMemory(raster, { compression: 'deflate', blockSize: blockSizeFor(grid.width, grid.height), overviewCount: 0, statistics: false });
  return bytes;
}

function representable(v: number, t: DataType): boolean {
  switch (t) {
    case 'float32': case 'float64': return true;
    case 'uint8': return Number.isInteger(v) && v >= 0 && v <= 255;
    case 'int8': return Number.isInteger(v) && v >= -128 && v <= 127;
    case 'uint16': return Number.isInteger(v) && v >= 0 && v <= 65535;
    case 'int16': return Number.isInteger(v) && v >= -32768 && v <= 32767;
    case 'uint32': return Number.isInteger(v) && v >= 0 && v <= 4294967295;
    case 'int32': return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;
  }
}
