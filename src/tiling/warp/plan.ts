/**
 * Read planning (pure): which level of a GeoTIFF to read, which pixel window, at what
 * kernel scale, and where every destination pixel centre falls in it. The rules follow
 * gdalwarp 3.6 (`-te/-ts`, `-ovr AUTO`) so that tiles match GDAL to the pixel; each
 * function names the GDAL step it mirrors. Nothing here reads pixels.
 */
import { getCrs, getTransformer, type Transformer } from '../../crs/index.js';
import { applyGeoTransform, invertGeoTransform, type GeoTransform } from '../cog/georef.js';
import type { Cog } from '../cog/types.js';
import { buildCoordMap, type AffineMap, type CoordMap, type PixelMapper } from '../coords.js';
import type { TargetGrid } from '../grid.js';

export type Resampling = 'nearest' | 'bilinear' | 'cubic' | 'lanczos' | 'average';
export const RESAMPLINGS: readonly Resampling[] = ['nearest', 'bilinear', 'cubic', 'lanczos', 'average'];

/** Kernel radius in source pixels at scale 1 (GDAL's anGWKFilterRadius). */
export const FILTER_RADIUS: Record<Resampling, number> = { nearest: 0, bilinear: 1, cubic: 2, lanczos: 3, average: 0 };

/** A rectangle of destination pixels. */
export interface DstRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The source pixel window to read and the kernel scale GDAL would derive from it. */
export interface SourceWindow {
  /** Window in level pixels, padded by the kernel radius and clamped to the level. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Kernel scale (destination pixels per source pixel, ≤ 1 when downsampling), snapped like GDAL. */
  scaleX: number;
  scaleY: number;
  /** Share of the window inside the raster relative to the sampled footprint (GDAL's fill ratio). */
  fill: number;
}

/** One warp chunk: destination pixels and the source window that serves them. */
export interface WarpChunk {
  dst: DstRect;
  window: SourceWindow;
}

export interface ReadPlan {
  /** Index into cog.levels. */
  level: number;
  /** The tile, split as gdalwarp splits it (each chunk has its own window and kernel scale). */
  chunks: WarpChunk[];
  /** Destination pixel centres in level pixel coordinates. */
  coords: CoordMap;
  /** The resampling actually applied (nearest for grid-aligned copies and 1-pixel windows). */
  resampling: Resampling;
  /** Destination pixel corners ((width+1) x (height+1)), for `average` only. */
  corners?: CoordMap;
}

export interface PlanOptions {
  resampling: Resampling;
  /** Approximate transformer error bound in source pixels (0 = exact everywhere). */
  maxError: number;
}

/** GDAL's output geotransform for -te/-ts: origin top-left, square-free pixel sizes. */
export function gridGeoTransform(grid: TargetGrid): GeoTransform {
  const [minX, minY, maxX, maxY] = grid.crsBounds;
  return [minX, (maxX - minX) / grid.width, 0, maxY, 0, -(maxY - minY) / grid.height];
}

/**
 * Maps destination pixel (corner-convention) coordinates to source pixel coordinates of one
 * level: destination geotransform, reprojection, then the level's inverse geotransform.
 * Geographic sources get GDAL's CENTER_LONG treatment: a source longitude more than 180°
 * from the centre of the source is brought back by ±360° (so a 170°..190° raster serves
 * tiles at -175°).
 */
export function pixelMapper(cog: Cog, levelGt: GeoTransform, grid: TargetGrid, toSource: Transformer): PixelMapper {
  const d = gridGeoTransform(grid);
  const s = invertGeoTransform(levelGt);
  const centre = cog.crs.isGeographic ? centreLongitude(cog) : undefined;
  return (u, v) => {
    let [x, y] = toSource.forward(d[0] + u * d[1] + v * d[2], d[3] + u * d[4] + v * d[5]);
    if (centre !== undefined) {
      if (x < centre - 180) x += 360;
      else if (x > centre + 180) x -= 360;
    }
    return [s[0] + x * s[1] + y * s[2], s[3] + x * s[4] + y * s[5]];
  };
}

/**
 * CENTER_LONG of a geographic source (GDAL's InsertCenterLong): the middle of its corner
 * longitudes, when the extent spans at most 360°. Note that a raster spanning -180 to
 * 179.99999999999986 has a centre a hair below 0, so a longitude of exactly 180 wraps to -180.
 */
function centreLongitude(cog: Cog): number | undefined {
  const xs = [0, cog.width].flatMap((c) => [0, cog.height].map((r) => applyGeoTransform(cog.geoTransform, c, r)[0]));
  const min = Math.min(...xs), max = Math.max(...xs);
  if (max - min > 360) return undefined;
  return (min + max) / 2;
}

/**
 * Overview choice of `gdalwarp -ovr AUTO` with -te/-ts: the X extent, in full-resolution
 * source pixels, of a 10x10 grid of destination pixel corners gives the target ratio; the
 * coarsest level whose real size ratio (width / level width) does not exceed it is used
 * (a ratio within 0.1 of the target also stops the search). Depends on the tile.
 */
export function chooseLevel(cog: Cog, mapFull: PixelMapper, width: number, height: number): number {
  if (cog.levels.length === 1) return 0;
  let minX = Infinity, maxX = -Infinity;
  for (let iy = 0; iy < 10; iy++) {
    for (let ix = 0; ix < 10; ix++) {
      const [x] = mapFull((width * ix) / 9, (height * iy) / 9);
      if (!Number.isFinite(x)) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
    }
  }
  if (!(maxX > minX)) return 0;
  const target = (maxX - minX) / width;
  if (target <= 1) return 0;
  const ratio = (i: number) => (i < 0 ? 1 : cog.width / cog.levels[i + 1]!.width);
  const overviews = cog.levels.length - 1;
  let i = -1;
  while (i < overviews - 1) {
    if (ratio(i) < target && ratio(i + 1) > target) break;
    if (Math.abs(ratio(i) - target) < 0.1) break;
    i++;
  }
  return i + 1;
}

const SAMPLE_STEPS = 21;

/**
 * GDAL's ComputeSourceWindow for one chunk (the whole tile here): the tile outline sampled
 * at 21 points per edge (or a 23x23 grid when points fail or a pole lies in the tile),
 * bounding box snapped to integers within 1e-6, padded by the kernel radius scaled to the
 * sampling ratio, clamped to the level; then the kernel scale of GDALWarpKernel
 * (width / un-padded window width, snapped to 1/k near integer ratios).
 * Returns undefined when the tile does not overlap the level.
 */
export function computeSourceWindow(
  map: PixelMapper, chunk: DstRect, W: number, H: number, radius: number,
  options: { useGrid?: boolean; sourcePoints?: (chunk: DstRect) => [number, number][] } = {},
): SourceWindow | undefined {
  const { x: dx, y: dy, width: dw, height: dh } = chunk;
  const sample = (useGrid: boolean) => {
    const pts: [number, number][] = [];
    const step = 1 / (SAMPLE_STEPS - 1);
    if (!useGrid) {
      for (let r = 0; r <= 1 + step / 2; r += step) {
        pts.push([dx + r * dw, dy], [dx + r * dw, dy + dh], [dx, dy + r * dh], [dx + dw, dy + r * dh]);
      }
    } else {
      // GDAL uses 0.5/dw for the first and last ratio on both axes.
      const ratios = [0.5 / dw, ...Array.from({ length: SAMPLE_STEPS }, (_, k) => k * step), 1 - 0.5 / dw];
      for (const ry of ratios) for (const rx of ratios) pts.push([dx + rx * dw, dy + ry * dh]);
    }
    let failed = 0;
    const out: [number, number][] = [];
    for (const [u, v] of pts) {
      const p = map(u, v);
      if (Number.isFinite(p[0]) && Number.isFinite(p[1])) out.push(p);
      else failed++;
    }
    return { out, failed, total: pts.length };
  };
  let useGrid = options.useGrid ?? false;
  let s = sample(useGrid);
  if (s.failed > 0 && !useGrid) {
    useGrid = true;
    s = sample(true);
  }
  if (s.failed > s.total - 5) return undefined;
  const pts = useGrid && options.sourcePoints ? [...s.out, ...options.sourcePoints(chunk)] : s.out;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of pts) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (minX > W || maxX < 0 || minY > H || maxY < 0) return undefined;
  const snap = (v: number) => (Math.abs(v - Math.round(v)) < 1e-6 ? Math.round(v) : v);
  minX = snap(minX); minY = snap(minY); maxX = snap(maxX); maxY = snap(maxY);

  const axis = (min: number, max: number, d: number, size: number) => {
    const sc = Math.max(1e-3, d / (max - min));
    let r = sc < 0.95 ? Math.ceil(radius / sc) : radius;
    if (s.failed > 0) r += 10;
    const a0 = Math.trunc(Math.max(0, min));
    const a1 = Math.trunc(Math.min(Math.ceil(max), size));
    const raw = Math.max(0, Math.min(size - a0, max - min));
    let start: number, len: number;
    if (a1 - a0 > 0.9 * size) {
      start = 0; len = size;
    } else {
      start = clamp(a0 - r, 0, size);
      len = clamp(a1 - start + r, 0, size - start);
    }
    // GDALWarpKernel::PerformWarp: scale from the un-padded width, snapped near integer ratios.
    const extra = len - raw;
    let scale = d / (len - extra);
    if (len >= d && len <= d + extra) scale = 1;
    if (scale < 1) {
      const k = Math.trunc(1 / scale + 0.5);
      if (Math.abs(1 / scale - k) < 0.05) scale = 1 / k;
    }
    return { start, len, scale, r };
  };
  const ax = axis(minX, maxX, dw, W), ay = axis(minY, maxY, dh, H);
  if (ax.len <= 0 || ay.len <= 0) return undefined;
  const fill = (ax.len * ay.len) / Math.max(1, (maxX - minX + 2 * ax.r) * (maxY - minY + 2 * ay.r));
  return { x: ax.start, y: ay.start, width: ax.len, height: ay.len, scaleX: ax.scale, scaleY: ay.scale, fill };
}

/**
 * GDAL's CollectChunkList: a chunk whose window fills less than half of its sampled
 * footprint (the tile hangs over the raster edge) and is wider or taller than 100 pixels is
 * halved along its longer side, recursively; each part gets its own window and kernel
 * scale. This is what gives edge tiles the right filter width when downsampling.
 * (GDAL's other split reason, 64 MB of warp memory, cannot occur for tile-sized chunks.)
 */
export function collectChunks(
  map: PixelMapper, tile: DstRect, W: number, H: number, radius: number,
  options: Parameters<typeof computeSourceWindow>[5] = {},
): WarpChunk[] {
  const out: WarpChunk[] = [];
  // The parts of a split chunk share sample points with it (an edge kept whole, every other
  // point of a halved edge): each point is transformed once (a third of an edge tile's
  // window transforms on dem.tif; same values, so the same windows).
  const memo = new Map<number, Map<number, [number, number]>>();
  const sampled: PixelMapper = (u, v) => {
    let row = memo.get(v);
    if (!row) memo.set(v, row = new Map());
    let p = row.get(u);
    if (!p) row.set(u, p = map(u, v));
    return p;
  };
  const visit = (c: DstRect) => {
    const window = computeSourceWindow(sampled, c, W, H, radius, options);
    if (!window) return;
    if (window.fill > 0 && window.fill < 0.5 && (c.width > 100 || c.height > 100)) {
      if (c.width > c.height) {
        const half = Math.trunc(c.width / 2);
        visit({ x: c.x, y: c.y, width: half, height: c.height });
        visit({ x: c.x + half, y: c.y, width: c.width - half, height: c.height });
      } else {
        const half = Math.trunc(c.height / 2);
        visit({ x: c.x, y: c.y, width: c.width, height: half });
        visit({ x: c.x, y: c.y + half, width: c.width, height: c.height - half });
      }
      return;
    }
    out.push({ dst: c, window });
  };
  visit(tile);
  return out.sort((a, b) => a.dst.y - b.dst.y || a.dst.x - b.dst.x);
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * Plans the read of one source for one target grid, or undefined when the source has no
 * pixel in it. Level choice and window as gdalwarp; coordinates by the approximate
 * transformer (exact when maxError = 0 or the CRSs are equal).
 */
export function planRead(cog: Cog, grid: TargetGrid, options: PlanOptions): ReadPlan | undefined {
  const toSource = getTransformer(grid.crs, cog.crs);
  const { width: dw, height: dh } = grid;
  const level = chooseLevel(cog, pixelMapper(cog, cog.geoTransform, grid, toSource), dw, dh);
  const lv = cog.levels[level]!;
  const map = pixelMapper(cog, lv.geoTransform, grid, toSource);
  const pole = poleInTile(grid, cog.crs.isGeographic);
  const affine = affineMap(cog, lv.geoTransform, grid, toSource);
  let resampling = options.resampling;
  // Grid-aligned copies need no kernel (GDALTransformIsTranslationOnPixelBoundaries).
  if (affine && isGridAligned(affine)) resampling = 'nearest';
  const chunks = collectChunks(map, { x: 0, y: 0, width: dw, height: dh }, lv.width, lv.height, FILTER_RADIUS[resampling], {
    useGrid: pole,
    sourcePoints: (c) => sourcePointsInChunk(grid, c, toSource, lv.geoTransform, lv.width, lv.height),
  });
  if (chunks.length === 0) return undefined;
  const coords = buildCoordMap(dw, dh, map, options.maxError, affine);
  if (resampling !== 'average') return { level, chunks, coords, resampling };
  // Corners: the same maps evaluated half a pixel up and left of each centre.
  const d = affine?.dst;
  const cornerAffine = affine && d ? { dst: [d[0] - 0.5 * d[1], d[1], d[2], d[3] - 0.5 * d[5], d[4], d[5]] as const, srcInverse: affine.srcInverse } : undefined;
  const corners = buildCoordMap(dw + 1, dh + 1, (u, v) => map(u - 0.5, v - 0.5), options.maxError, cornerAffine);
  return { level, chunks, coords, resampling, corners };
}

/** Same CRS and no longitude wrapping: the map is affine (two exact steps). */
function affineMap(cog: Cog, levelGt: GeoTransform, grid: TargetGrid, toSource: Transformer): AffineMap | undefined {
  if (!toSource.identity) return undefined;
  const centre = cog.crs.isGeographic ? centreLongitude(cog) : undefined;
  // The longitude wrap is not affine: use the affine map only when no point of the tile wraps.
  if (centre !== undefined && (grid.crsBounds[0] < centre - 180 || grid.crsBounds[2] > centre + 180)) return undefined;
  return { dst: gridGeoTransform(grid), srcInverse: invertGeoTransform(levelGt) };
}

/**
 * GDALTransformIsTranslationOnPixelBoundaries: same pixel size and the destination origin
 * on a whole source pixel, so every resampling is a plain copy.
 */
function isGridAligned(a: AffineMap): boolean {
  const d = a.dst, s = a.srcInverse;
  const sx = d[1] * s[1], sy = d[5] * s[5];
  if (d[2] !== 0 || d[4] !== 0 || s[2] !== 0 || s[4] !== 0) return false;
  if (Math.abs(sx - 1) > 1e-12 || Math.abs(sy - 1) > 1e-12) return false;
  const ox = s[0] + d[0] * s[1], oy = s[3] + d[3] * s[5];
  return Math.abs(ox - Math.round(ox)) < 1e-6 && Math.abs(oy - Math.round(oy)) < 1e-6;
}

const CRS84 = getCrs('OGC:CRS84');

/**
 * GDAL's "special points" test (GDALWarpOperation::Initialize): lon/lat (0, ±89.9999) taken to
 * destination coordinates; when one lies in the tile, the source window is found by grid
 * sampling plus the pass from the source side. GDAL skips the reprojection when the source is
 * geographic and tests the raw numbers as destination coordinates — reproduced here, since it
 * decides the window (and so the kernel scale) of those tiles.
 */
function poleInTile(grid: TargetGrid, sourceIsGeographic: boolean): boolean {
  const toDst = getTransformer(CRS84, grid.crs);
  const [minX, minY, maxX, maxY] = grid.crsBounds;
  for (const lat of [89.9999, -89.9999]) {
    const [x, y] = sourceIsGeographic ? [0, lat] : toDst.forward(0, lat);
    if (x >= minX && x <= maxX && y >= minY && y <= maxY) return true;
  }
  return false;
}

/**
 * GDAL's "starting from source" pass: a 23x23 grid over the whole level, taken to the
 * destination; the points that land inside the chunk widen the window (needed when a pole
 * or another singularity lies in the tile and the outline misses part of the source).
 */
function sourcePointsInChunk(grid: TargetGrid, chunk: DstRect, toSource: Transformer, levelGt: GeoTransform, W: number, H: number): [number, number][] {
  const g = gridGeoTransform(grid);
  const xa = g[0] + chunk.x * g[1], xb = g[0] + (chunk.x + chunk.width) * g[1];
  const ya = g[3] + chunk.y * g[5], yb = g[3] + (chunk.y + chunk.height) * g[5];
  const minX = Math.min(xa, xb), maxX = Math.max(xa, xb), minY = Math.min(ya, yb), maxY = Math.max(ya, yb);
  const step = 1 / (SAMPLE_STEPS - 1);
  const ratios = (n: number) => [0.5 / n, ...Array.from({ length: SAMPLE_STEPS }, (_, k) => k * step), 1 - 0.5 / n];
  const out: [number, number][] = [];
  for (const ry of ratios(H)) {
    for (const rx of ratios(W)) {
      const px = rx * W, py = ry * H;
      const [sx, sy] = applyGeoTransform(levelGt, px, py);
      const [x, y] = toSource.inverse(sx, sy);
      if (x >= minX && x <= maxX && y >= minY && y <= maxY) out.push([px, py]);
    }
  }
  return out;
}
