import { nativeKernels } from './native.js';
import { recycle, takeZeroed } from './scratch.js';
/** Exact mapping of a destination pixel coordinate (u, v) (corner convention) to source pixel coordinates. */
export type PixelMapper = (u: number, v: number) => [number, number];

/**
 * A mapping that is two affine steps (same CRS on both sides): destination pixel → CRS
 * coordinates by `dst`, then CRS → source pixel by `srcInverse`. Kept as two steps, in
 * GDAL's evaluation order, so boundary cases round exactly as gdalwarp's do.
 */
export interface AffineMap {
  dst: readonly [number, number, number, number, number, number];
  srcInverse: readonly [number, number, number, number, number, number];
}

/**
 * Source pixel coordinates for every destination pixel centre: (x[i], y[i]) is where the
 * centre of destination pixel i = row*width + col falls in the source level, in that
 * level's pixel-corner coordinates (so floor() names the source pixel). NaN where the
 * point has no image in the source CRS (outside the projection's domain).
 */
export interface CoordMap {
  readonly width: number;
  readonly height: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Exact transforms evaluated (a measure of the approximation's cost). */
  readonly exactPoints: number;
}

/**
 * Builds the coordinate map with an approximate transformer: exact transforms on a coarse
 * grid of destination pixel centres, bilinear interpolation in between, and recursive
 * subdivision of every cell whose interpolation error, checked at the cell centre and
 * edge midpoints, exceeds `maxError` source pixels. GDAL's default (0.125 px, per row)
 * flips 1–4% of nearest-neighbour pixels against an exact transform; ~0.01 px does not.
 * Cells that straddle a discontinuity (antimeridian, projection edge) keep splitting down
 * to exact per-pixel transforms.
 *
 * `mapper` is the exact transform; when `affine` is given the map is computed directly
 * from it (same CRS on both sides: exact by construction).
 */
export function buildCoordMap(W: number, H: number, mapper: PixelMapper, maxError: number, affine?: AffineMap, initialStep = 32): CoordMap {
  const xs = takeZeroed(Float64Array, W * H), ys = takeZeroed(Float64Array, W * H);

  if (affine) {
    const fast = nativeKernels();
    if (fast) {
      fast.affineCoords(W, H, Float64Array.from(affine.dst), Float64Array.from(affine.srcInverse), xs, ys);
      return { width: W, height: H, x: xs, y: ys, exactPoints: 0 };
    }
    const d = affine.dst, s = affine.srcInverse;
    for (let row = 0; row < H; row++) {
      const v = row + 0.5;
      for (let col = 0; col < W; col++) {
        const u = col + 0.5;
        const X = d[0] + u * d[1] + v * d[2], Y = d[3] + u * d[4] + v * d[5];
        const i = row * W + col;
        xs[i] = s[0] + X * s[1] + Y * s[2];
        ys[i] = s[3] + X * s[4] + Y * s[5];
      }
    }
    return { width: W, height: H, x: xs, y: ys, exactPoints: 0 };
  }

  // Every exact transform is made at a pixel centre and kept: a pixel is never transformed
  // twice, and interpolation never overwrites an exact value.
  const exactDone = takeZeroed(Uint8Array, W * H);
  let exactPoints = 0;
  type P = [number, number];
  const exact = (c: number, r: number): P => {
    const i = r * W + c;
    if (!exactDone[i]) {
      const [x, y] = mapper(c + 0.5, r + 0.5);
      xs[i] = x; ys[i] = y;
      exactDone[i] = 1;
      exactPoints++;
    }
    return [xs[i]!, ys[i]!];
  };
  const fillExact = (c0: number, c1: number, r0: number, r1: number) => {
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) exact(c, r);
  };
  if (maxError <= 0) {
    fillExact(0, W - 1, 0, H - 1);
    recycle(exactDone);
    return { width: W, height: H, x: xs, y: ys, exactPoints };
  }
  const separable = separableMap(W, H, mapper);
  if (separable) {
    recycle(xs, ys, exactDone);
    return separable;
  }

  const cell = (c0: number, c1: number, r0: number, r1: number, tl: P, tr: P, bl: P, br: P): void => {
    if (c1 - c0 <= 2 || r1 - r0 <= 2 || !finite(tl, tr, bl, br)) {
      fillExact(c0, c1, r0, r1);
      return;
    }
    const cm = (c0 + c1) >> 1, rm = (r0 + r1) >> 1;
    const fc = (cm - c0) / (c1 - c0), fr = (rm - r0) / (r1 - r0);
    const top = exact(cm, r0), bottom = exact(cm, r1);
    const left = exact(c0, rm), right = exact(c1, rm);
    const mid = exact(cm, rm);
    const err = Math.max(
      dist(top, lerp(tl, tr, fc)), dist(bottom, lerp(bl, br, fc)),
      dist(left, lerp(tl, bl, fr)), dist(right, lerp(tr, br, fr)),
      dist(mid, lerp(lerp(tl, tr, fc), lerp(bl, br, fc), fr)),
    );
    if (err <= maxError) {
      interpolate(c0, c1, r0, r1, tl, tr, bl, br);
      return;
    }
    cell(c0, cm, r0, rm, tl, top, left, mid);
    cell(cm, c1, r0, rm, top, tr, mid, right);
    cell(c0, cm, rm, r1, left, mid, bl, bottom);
    cell(cm, c1, rm, r1, mid, right, bottom, br);
  };

  const fast = nativeKernels();
  const corners = new Float64Array(8);
  const interpolate = (c0: number, c1: number, r0: number, r1: number, tl: P, tr: P, bl: P, br: P) => {
    if (fast) {
      corners[0] = tl[0]; corners[1] = tl[1]; corners[2] = tr[0]; corners[3] = tr[1];
      corners[4] = bl[0]; corners[5] = bl[1]; corners[6] = br[0]; corners[7] = br[1];
      fast.interpolateCell(xs, ys, exactDone, W, c0, c1, r0, r1, corners);
      return;
    }
    const dc = c1 - c0, dr = r1 - r0;
    for (let r = r0; r <= r1; r++) {
      const fr = (r - r0) / dr;
      const lx = tl[0] + (bl[0] - tl[0]) * fr, ly = tl[1] + (bl[1] - tl[1]) * fr;
      const rx = tr[0] + (br[0] - tr[0]) * fr, ry = tr[1] + (br[1] - tr[1]) * fr;
      const sx = (rx - lx) / dc, sy = (ry - ly) / dc;
      let i = r * W + c0;
      for (let c = 0; c <= dc; c++, i++) {
        if (exactDone[i]) continue;
        xs[i] = lx + sx * c;
        ys[i] = ly + sy * c;
      }
    }
  };

  const cols = nodes(W, initialStep), rows = nodes(H, initialStep);
  for (let j = 0; j + 1 < rows.length; j++) {
    for (let i = 0; i + 1 < cols.length; i++) {
      const c0 = cols[i]!, c1 = cols[i + 1]!, r0 = rows[j]!, r1 = rows[j + 1]!;
      cell(c0, c1, r0, r1, exact(c0, r0), exact(c1, r0), exact(c0, r1), exact(c1, r1));
    }
  }
  recycle(exactDone);
  return { width: W, height: H, x: xs, y: ys, exactPoints };
}

/**
 * Cylindrical to cylindrical maps on one datum (EPSG:4326 / CRS84 / 3857 / 3395 pairs) are
 * separable: the source column depends only on the destination column and the source row
 * only on the destination row. Then W + H exact transforms give every pixel exactly (an
 * interpolated map would move whole rows across pixel boundaries at once). Detected on a
 * 5x5 grid of exact points; undefined when the map is not separable.
 */
function separableMap(W: number, H: number, mapper: PixelMapper): CoordMap | undefined {
  const us = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * (W - 1)) + 0.5);
  const vs = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * (H - 1)) + 0.5);
  const grid = vs.map((v) => us.map((u) => mapper(u, v)));
  const tol = 1e-7;
  for (let j = 0; j < 5; j++) {
    for (let i = 0; i < 5; i++) {
      const [x, y] = grid[j]![i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
      if (Math.abs(x - grid[0]![i]![0]) > tol || Math.abs(y - grid[j]![0]![1]) > tol) return undefined;
    }
  }
  const colX = new Float64Array(W), rowY = new Float64Array(H);
  const v0 = vs[0]!, u0 = us[0]!;
  for (let c = 0; c < W; c++) colX[c] = mapper(c + 0.5, v0)[0];
  for (let r = 0; r < H; r++) rowY[r] = mapper(u0, r + 0.5)[1];
  const xs = takeZeroed(Float64Array, W * H), ys = takeZeroed(Float64Array, W * H);
  for (let r = 0, i = 0; r < H; r++) {
    const y = rowY[r]!;
    for (let c = 0; c < W; c++, i++) { xs[i] = colX[c]!; ys[i] = y; }
  }
  return { width: W, height: H, x: xs, y: ys, exactPoints: 25 + W + H };
}

/** Node positions 0, step, 2*step, …, n-1 (the last cell may be shorter). */
function nodes(n: number, step: number): number[] {
  const out: number[] = [];
  for (let v = 0; v < n - 1; v += step) out.push(v);
  out.push(n - 1);
  if (out.length === 1) out.push(n - 1);
  return out;
}

function finite(...ps: [number, number][]): boolean {
  return ps.every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
}

function lerp(a: [number, number], b: [number, number], f: number): [number, number] {
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
}

function dist(a: [number, number], b: [number, number]): number {
  const d = Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]));
  return Number.isNaN(d) ? Infinity : d;
}
