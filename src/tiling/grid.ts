import type { Crs } from '../crs/index.js';
import { assertValidTile, tileCrsBounds, tileMatrixSetCrs, type TileAddress, type TileMatrixSet } from '../tilematrixsets/index.js';

/**
 * A raster grid in some CRS: what a tile (or an OGC API - Maps image) is, before pixels.
 * `crsBounds` is [minX, minY, maxX, maxY] in engine axis order (east, north).
 * Pixel (col, row) covers [minX + col*resX, minX + (col+1)*resX] x [maxY - (row+1)*resY, maxY - row*resY].
 */
export interface TargetGrid {
  readonly crs: Crs;
  readonly crsBounds: readonly [number, number, number, number];
  readonly width: number;
  readonly height: number;
}

export function gridResolution(grid: TargetGrid): { x: number; y: number } {
  const [minX, minY, maxX, maxY] = grid.crsBounds;
  return { x: (maxX - minX) / grid.width, y: (maxY - minY) / grid.height };
}

/**
 * The grid of a tile: its bounds in the set's CRS and its pixel size (`tileSize` pixels wide
 * instead of the matrix's tileWidth when given). Throws TileOutOfRange for a tile that does not
 * exist. A coalesced tile (TMS 2.0 variable matrix widths) keeps tileWidth pixels over a wider
 * area: its pixels are `coalesce` times wider in the CRS, nearly square on the ground.
 */
export function tileGrid(tms: TileMatrixSet, tile: TileAddress, tileSize?: number): TargetGrid {
  const matrix = assertValidTile(tms, tile);
  const b = tileCrsBounds(tms, tile);
  const factor = tileSize ? tileSize / matrix.tileWidth : 1;
  return {
    crs: tileMatrixSetCrs(tms),
    crsBounds: [b.minX, b.minY, b.maxX, b.maxY],
    width: Math.round(matrix.tileWidth * factor),
    height: Math.round(matrix.tileHeight * factor),
  };
}
