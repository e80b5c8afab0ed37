import type { Crs } from '../crs/index.js';

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
