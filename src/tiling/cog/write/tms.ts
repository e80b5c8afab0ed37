/**
 * COGs on the grid of a tile matrix set (GDAL COG driver's TILING_SCHEME): the output is in
 * the set's CRS, its pixels are those of one tile matrix, and its blocks are that matrix's
 * tiles, so a tile server can serve each block as it is. Overviews are the halved levels, whose
 * pixels coincide with the coarser matrices of a quadtree set (WebMercatorQuad, UTM, …) for as
 * many levels as log2(tile size) — their blocks are not the coarser matrices' tiles: like GDAL
 * without ALIGNED_LEVELS, only the full resolution is tile-aligned.
 *
 * Planning is pure (`planTmsGrid`); `tmsRaster` then renders each block with the engine's
 * `Engine.warp` on the exact grid of the tile (`Engine.tileGrid`), so the pixels are the ones
 * the tile server would draw for that tile.
 */
import { getTransformer, type Crs } from '../../../crs/index.js';
import {
  closestZoomForResolution, tileCrsBounds, tileMatrixSetCrs, tileRangeForCrsBounds, transformBounds, zoomForResolution,
  type TileMatrix, type TileMatrixSet,
} from '../../../tilematrixsets/index.js';
import type { Engine } from '../../engine.js';
import type { SampleArray } from '../../decode/types.js';
import type { RasterTile } from '../../style/style.js';
import type { Resampling } from '../../warp/plan.js';
import { rounderFor, warpShape } from '../../warp/warp.js';
import { applyGeoTransform, footprintBounds, type GeoTransform } from '../georef.js';
import type { Cog, DataType } from '../types.js';
import { arrayFor } from '../window.js';
import { CogWriteError } from './errors.js';
import { gdalMetadataXml, geoTiffTagsFor } from './geotags.js';
import { mapLimit } from './limit.js';
import type { SourceTags } from './source.js';
import type { CogRaster } from './writer.js';

/**
 * Which matrix holds the full resolution, given the source's resolution r in the set's CRS:
 * - `upper` (default): the coarsest matrix whose cellSize ≤ r (within 1 ppm) — no source
 *   detail is lost (GDAL's ZOOM_LEVEL_STRATEGY=UPPER);
 * - `auto`: the matrix closest to r in ratio (GDAL's default, ZOOM_LEVEL_STRATEGY=AUTO);
 * - `lower`: the finest matrix whose cellSize ≥ r (never upsamples; GDAL's LOWER).
 */
export type ZoomLevelStrategy = 'upper' | 'auto' | 'lower';
export const ZOOM_LEVEL_STRATEGIES: readonly ZoomLevelStrategy[] = ['upper', 'auto', 'lower'];

/** The output grid of a TILING_SCHEME conversion. */
export interface TmsGridPlan {
  tileMatrixSetId: string;
  tileMatrix: TileMatrix;
  crs: Crs;
  /** Inclusive tile range covering the source. */
  minTileRow: number;
  maxTileRow: number;
  minTileCol: number;
  maxTileCol: number;
  width: number;
  height: number;
  geoTransform: GeoTransform;
  /** The source's resolution in the set's CRS (GDAL's suggested warp output). */
  sourceResolution: number;
  /** +1 when block row 0 holds the smallest tile row (top-left origin), -1 for bottom-left matrices. */
  rowDirection: 1 | -1;
}

export interface SourceFootprint {
  crs: Crs;
  geoTransform: GeoTransform;
  width: number;
  height: number;
}

/**
 * GDAL's GDALSuggestedWarpOutput rule for the pixel size of a reprojected raster: the diagonal
 * of the transformed extent divided by the diagonal of the source in pixels, so the output has
 * about as many pixels as the source. The extent is that of the source's edges (21 points each).
 */
export function sourceResolutionIn(src: SourceFootprint, crs: Crs): number {
  const t = getTransformer(src.crs, crs);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const steps = 20;
  for (let k = 0; k <= steps; k++) {
    const f = k / steps;
    for (const [c, r] of [[f * src.width, 0], [f * src.width, src.height], [0, f * src.height], [src.width, f * src.height]] as const) {
      const [x0, y0] = applyGeoTransform(src.geoTransform, c, r);
      const [x, y] = t.forward(x0, y0);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (!(maxX > minX) || !(maxY > minY)) throw new CogWriteError(`the source has no extent in ${crs.id}`);
  return Math.hypot(maxX - minX, maxY - minY) / Math.hypot(src.width, src.height);
}

export function planTmsGrid(src: SourceFootprint, tms: TileMatrixSet, strategy: ZoomLevelStrategy = 'upper'): TmsGridPlan {
  const crs = tileMatrixSetCrs(tms);
  const res = sourceResolutionIn(src, crs);
  let matrix: TileMatrix;
  if (strategy === 'auto') matrix = closestZoomForResolution(tms, res);
  else if (strategy === 'lower') matrix = zoomForResolution(tms, res);
  else {
    // The coarsest matrix not coarser than the source, else the finest there is. "Not coarser"
    // allows 1 ppm: a COG made at a matrix's resolution and rewritten with a rounded pixel size
    // (cogeo.tif: 0.597164034843445 m against 0.5971642834779395 m at level 18) stays on it.
    const finer = tms.tileMatrices.filter((m) => m.cellSize <= res * (1 + 1e-6));
    matrix = finer.length ? finer.reduce((a, b) => (b.cellSize > a.cellSize ? b : a)) : tms.tileMatrices.reduce((a, b) => (b.cellSize < a.cellSize ? b : a));
  }
  if (matrix.variableMatrixWidths?.length) {
    throw new CogWriteError(`tile matrix ${matrix.id} of ${tms.id} has coalesced rows (variable matrix widths): its tiles cannot be TIFF blocks`);
  }
  if (matrix.tileWidth !== matrix.tileHeight || matrix.tileWidth % 16 !== 0) {
    throw new CogWriteError(`tile matrix ${matrix.id} of ${tms.id} has ${matrix.tileWidth}x${matrix.tileHeight} tiles: TIFF blocks need square tiles, a multiple of 16 pixels`);
  }
  const [minX, minY, maxX, maxY] = footprintBounds(src.geoTransform, src.width, src.height);
  const parts = transformBounds({ minX, minY, maxX, maxY }, src.crs, crs);
  if (parts.length === 0) throw new CogWriteError(`the source has no extent in ${crs.id}`);
  if (parts.length > 1) {
    // One grid across the seam would span the whole width of the matrix, nearly all of it empty.
    throw new CogWriteError(`the source crosses the antimeridian of ${tms.id}: one COG on its grid would span the whole matrix width (split the source first)`);
  }
  const box = parts.reduce((a, b) => ({ minX: Math.min(a.minX, b.minX), minY: Math.min(a.minY, b.minY), maxX: Math.max(a.maxX, b.maxX), maxY: Math.max(a.maxY, b.maxY) }));
  const range = tileRangeForCrsBounds(tms, matrix.id, box);
  if (!range) throw new CogWriteError(`the source lies outside tile matrix ${matrix.id} of ${tms.id}`);
  const first = tileCrsBounds(tms, { tileMatrix: matrix.id, row: range.minTileRow, col: range.minTileCol });
  const last = tileCrsBounds(tms, { tileMatrix: matrix.id, row: range.maxTileRow, col: range.maxTileCol });
  const rowDirection = first.maxY >= last.maxY ? 1 : -1;
  const originX = first.minX, originY = Math.max(first.maxY, last.maxY);
  const cols = range.maxTileCol - range.minTileCol + 1, rows = range.maxTileRow - range.minTileRow + 1;
  return {
    tileMatrixSetId: tms.id, tileMatrix: matrix, crs,
    minTileRow: range.minTileRow, maxTileRow: range.maxTileRow, minTileCol: range.minTileCol, maxTileCol: range.maxTileCol,
    width: cols * matrix.tileWidth, height: rows * matrix.tileHeight,
    // TMS 2.0 cells are square: cellSize in CRS units (as GDAL writes it, not re-derived from bounds).
    geoTransform: [originX, matrix.cellSize, 0, originY, 0, -matrix.cellSize],
    sourceResolution: res,
    rowDirection,
  };
}

/**
 * How the output marks pixels without data, from what the source has: its nodata value, its
 * alpha band, or else an internal mask (every codec can carry a mask, and it stays exact).
 * Values are written as the engine's warp made them (per-band nodata included), so reading the
 * output gives back exactly the warped tile.
 * Palettes keep their indices (nearest only) and map colours back to the first index of the
 * colour map with that colour.
 */
type ValidityMode = 'nodata' | 'alpha' | 'mask';

export interface TmsRasterOptions {
  tileMatrixSet: TileMatrixSet;
  plan: TmsGridPlan;
  resampling: Resampling;
  /** Blocks of the output: a multiple of the matrix tile size. */
  blockSize: number;
}

/**
 * The source warped onto `plan`'s grid as a raster to write. Each tile of the matrix is one
 * `Engine.warp` on `Engine.tileGrid` of that tile: the same call the tile service makes.
 */
export function tmsRaster(engine: Engine, location: string, cog: Cog, tags: SourceTags, options: TmsRasterOptions): CogRaster {
  const { plan, tileMatrixSet: tms, resampling } = options;
  const tile = plan.tileMatrix.tileWidth;
  if (options.blockSize % tile !== 0) throw new CogWriteError(`with a tile matrix set the block size must be a multiple of its ${tile}-pixel tiles, got ${options.blockSize}`);
  const shape = warpShape(cog);
  const palette = cog.colorMap;
  const dataType: DataType = palette ? cog.dataType : shape.dataType;
  const mode: ValidityMode = cog.nodata !== undefined ? 'nodata' : cog.alphaSample !== undefined && !palette ? 'alpha' : 'mask';
  const alphaAt = mode === 'alpha' ? cog.alphaSample! : undefined;
  const bandCount = palette ? 1 : shape.bandCount + (alphaAt !== undefined ? 1 : 0);
  const reverse = palette ? reversePalette(palette, cog.nodata) : undefined;
  const fill = cog.nodata ?? 0;
  const alphaScale = alphaScaleFor(dataType);

  return {
    width: plan.width,
    height: plan.height,
    dataType,
    bandCount,
    photometric: tags.photometric === 6 ? 2 : tags.photometric,
    extraSamples: mode === 'alpha' ? tags.extraSamples : tags.extraSamples.filter((v) => v !== 1 && v !== 2),
    ...(palette && tags.colorMap ? { colorMap: tags.colorMap } : {}),
    ...(cog.nodata !== undefined ? { nodata: cog.nodata } : {}),
    ...(tags.nodataText !== undefined && cog.nodata !== undefined ? { nodataText: tags.nodataText } : {}),
    mask: mode === 'mask',
    geoTags: geoTiffTagsFor(plan.crs, plan.geoTransform),
    // The source's statistics describe other pixels; other items (descriptions, scale) still hold.
    ...(tags.gdalMetadata ? { gdalMetadata: gdalMetadataXml(tags.gdalMetadata, []) ?? '' } : {}),
    async read(y, height, signal) {
      const W = plan.width;
      const bands: SampleArray[] = Array.from({ length: bandCount }, () => new arrayFor[dataType](W * height));
      const mask = mode === 'mask' ? new Uint8Array(W * height) : undefined;
      if (mode === 'nodata' && fill !== 0) for (const b of bands) b.fill(fill);
      // Copies one warped tile into the strip, in the output's representation of validity.
      const place = (t: RasterTile, tx: number, ty: number) => {
        for (let r = 0; r < tile; r++) {
          const dst = (ty * tile + r) * W + tx * tile;
          for (let c = 0; c < tile; c++) {
            const i = r * tile + c, o = dst + c;
            const a = t.alpha[i]!;
            if (mode === 'alpha') {
              for (let b = 0, k = 0; b < bandCount; b++) bands[b]![o] = b === alphaAt ? a * alphaScale : t.bands[k++]![i]!;
              continue;
            }
            if (a === 0) continue;
            if (reverse) bands[0]![o] = reverse.get((t.bands[0]![i]! << 16) | (t.bands[1]![i]! << 8) | t.bands[2]![i]!) ?? 0;
            else for (let b = 0; b < bandCount; b++) bands[b]![o] = t.bands[b]![i]!;
            if (mask) mask[o] = 1;
          }
        }
      };
      const cells: [number, number][] = [];
      for (let ty = 0; ty < height / tile; ty++) for (let tx = 0; tx * tile < W; tx++) cells.push([tx, ty]);
      // A few warps at a time: each holds its source window until its pixels are placed.
      await mapLimit(cells, 4, async ([tx, ty]) => {
        const blockRow = y / tile + ty;
        const row = plan.rowDirection === 1 ? plan.minTileRow + blockRow : plan.maxTileRow - blockRow;
        const address = { tileMatrix: plan.tileMatrix.id, row, col: plan.minTileCol + tx };
        const t = await engine.warp([location], engine.tileGrid(tms, address), resampling, signal);
        if (t) place(t, tx, ty);
      });
      return { width: W, height, bands, ...(mask ? { mask } : {}) };
    },
  };
}

/**
 * RGB → the first palette index with that colour (the engine expands palettes before warping),
 * never the nodata index: a valid pixel whose colour equals the nodata entry's stays valid.
 */
function reversePalette(rgba: Uint8Array, nodata: number | undefined): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = rgba.length / 4 - 1; i >= 0; i--) {
    if (i !== nodata) out.set((rgba[4 * i]! << 16) | (rgba[4 * i + 1]! << 8) | rgba[4 * i + 2]!, i);
  }
  return out;
}

/** Alpha 0–255 to the band's range (65535 for uint16, 1 for floats). */
function alphaScaleFor(dataType: DataType): number {
  if (dataType === 'float32' || dataType === 'float64') return 1 / 255;
  const max = rounderFor(dataType)(Infinity);
  return max / 255;
}
