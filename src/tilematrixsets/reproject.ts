/**
 * Rectangles from one CRS into another: a rectangle's image is generally not a rectangle,
 * so its boundary is densified and every transformed point bounds the result (the approach
 * of GDAL's OCTTransformBounds and rasterio's transform_bounds). On top of that, two things a
 * plain min/max of the points gets wrong:
 *
 * - Poles. A rectangle around a pole (in a polar CRS) has every longitude inside it, and a
 *   pole has no image in Mercator; both are detected and widen the result.
 * - The antimeridian. In a CRS that wraps in x (geographic, Mercator), a footprint crossing
 *   ±180° would come out as nearly the whole world. The result is split in two parts instead,
 *   one at each side of the seam.
 */
import { getCrs, getTransformer, type Crs, type Transformer } from '../crs/index.js';
import type { Bounds } from './model.js';

/** Kept as a name for callers in this layer; the CRS layer memoises transformers per pair. */
export function transformerBetween(from: Crs, to: Crs): Transformer {
  return getTransformer(from, to);
}

/** Points per rectangle edge: GDAL uses 21; a few more keep curved edges within 1e-4 of a tile span in practice. */
export const DEFAULT_POINTS_PER_EDGE = 32;

const CRS84 = 'OGC:CRS84';

/** Boundary points of a rectangle, `pointsPerEdge` per edge, corners once, counter-clockwise. */
export function densifyBoundary(b: Bounds, pointsPerEdge = DEFAULT_POINTS_PER_EDGE): Array<[number, number]> {
  const n = Math.max(1, Math.floor(pointsPerEdge));
  const out: Array<[number, number]> = [];
  const lerp = (a: number, z: number, t: number): number => (t === n ? z : a + ((z - a) * t) / n);
  for (let i = 0; i < n; i++) out.push([lerp(b.minX, b.maxX, i), b.minY]);
  for (let i = 0; i < n; i++) out.push([b.maxX, lerp(b.minY, b.maxY, i)]);
  for (let i = 0; i < n; i++) out.push([lerp(b.maxX, b.minX, i), b.maxY]);
  for (let i = 0; i < n; i++) out.push([b.minX, lerp(b.maxY, b.minY, i)]);
  return out;
}

/** The x range one turn of longitude covers in a CRS that wraps in x, centred on `lon0`. */
export interface WorldX {
  readonly west: number;
  readonly east: number;
  /** Central meridian: its x is halfway between west and east. */
  readonly lon0: number;
}

const WRAPPING_PROJECTIONS = /\+proj=(merc|eqc|mill|cea|gall|webmerc)\b/;

/**
 * `{west, east}` for CRSs whose x is linear in longitude and wraps (geographic, Mercator,
 * equirectangular, Miller, cylindrical equal area); `undefined` for every other CRS.
 * Measured through the CRS itself: x(λ0 + 90°) − x(λ0) is a quarter period.
 */
export function wrappingWorldX(crs: Crs): WorldX | undefined {
  const lon0Match = /\+lon_0=([0-9.eE+-]+)/.exec(crs.proj4);
  const lon0 = lon0Match ? Number(lon0Match[1]) : 0;
  if (crs.isGeographic) return { west: lon0 - 180, east: lon0 + 180, lon0 };
  if (!WRAPPING_PROJECTIONS.test(crs.proj4)) return undefined;
  const fromLonLat = transformerBetween(getCrs(CRS84), crs);
  const [x0] = fromLonLat.forward(lon0, 0);
  const [x90] = fromLonLat.forward(lon0 + 90, 0);
  if (!Number.isFinite(x0) || !Number.isFinite(x90)) return undefined;
  const half = 2 * (x90 - x0);
  return { west: x0 - half, east: x0 + half, lon0 };
}

/** Splits a geographic rectangle at ±180°: `minX > maxX` (RFC 7946) or x beyond ±180 wrap round. */
function splitGeographic(b: Bounds): Bounds[] {
  const minY = Math.max(-90, b.minY);
  const maxY = Math.min(90, b.maxY);
  if (b.maxX - b.minX >= 360) return [{ minX: -180, minY, maxX: 180, maxY }];
  if (b.minX > b.maxX) return [{ minX: b.minX, minY, maxX: 180, maxY }, { minX: -180, minY, maxX: b.maxX, maxY }];
  if (b.maxX > 180) return [{ minX: b.minX, minY, maxX: 180, maxY }, { minX: -180, minY, maxX: b.maxX - 360, maxY }];
  if (b.minX < -180) return [{ minX: b.minX + 360, minY, maxX: 180, maxY }, { minX: -180, minY, maxX: b.maxX, maxY }];
  return [{ minX: b.minX, minY, maxX: b.maxX, maxY }];
}

/**
 * Splits the x values of a footprint at the seam when they cluster at both ends of the world:
 * the largest gap between sorted values is the footprint's outside. When that gap is an
 * interior one, larger than half a turn and larger than the gap across the seam, the
 * footprint crosses the seam. Returns one `[min, max]`, or two (east part first).
 */
function splitAtSeam(xs: number[], world: WorldX): Array<[number, number]> {
  const sorted = [...xs].sort((a, b) => a - b);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const period = world.east - world.west;
  const seamGap = first - world.west + (world.east - last);
  let gap = 0;
  let at = -1;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const g = sorted[i + 1]! - sorted[i]!;
    if (g > gap) {
      gap = g;
      at = i;
    }
  }
  if (at >= 0 && gap > period / 2 && gap > seamGap) return [[sorted[at + 1]!, world.east], [world.west, sorted[at]!]];
  return [[first, last]];
}

function unionOf(parts: Bounds[]): Bounds {
  return parts.reduce((u, p) => ({
    minX: Math.min(u.minX, p.minX), minY: Math.min(u.minY, p.minY), maxX: Math.max(u.maxX, p.maxX), maxY: Math.max(u.maxY, p.maxY),
  }));
}

const POLES = [90, -90] as const;

/** What the transformed boundary of one rectangle reached. */
interface Reach {
  readonly xs: number[];
  readonly ys: number[];
  /** A pole without an image (Mercator): y is unbounded towards it. */
  north: boolean;
  south: boolean;
  /** A point without an image in a CRS that does not wrap (a polar CRS's antipode): unbounded everywhere. */
  everywhere: boolean;
  /** A pole inside the rectangle in a wrapping CRS: every longitude is covered. */
  wholeTurn: boolean;
}

function towards(reach: Reach, lat: number): void {
  if (lat > 0) reach.north = true;
  else reach.south = true;
}

/**
 * The image of rectangle `bounds` (engine order, in `from`) in `to`, as one rectangle or,
 * when `to` wraps in x and the image crosses its seam, two (east of the seam first).
 * Unbounded directions (a pole in Mercator) come out as ±Infinity, for the caller to clamp.
 * Empty when no point of the boundary has an image.
 */
export function transformBounds(bounds: Bounds, from: Crs, to: Crs, pointsPerEdge = DEFAULT_POINTS_PER_EDGE): Bounds[] {
  const parts = from.isGeographic ? splitGeographic(bounds) : [bounds];
  const transformer = transformerBetween(from, to);
  if (transformer.identity) return parts;
  const world = wrappingWorldX(to);
  const crs84 = getCrs(CRS84);
  const toLonLat = from.isGeographic ? undefined : transformerBetween(from, crs84);

  // Poles inside a projected rectangle (a geographic one has them on its boundary). A pole on
  // the edge counts as inside (UPS tiles meet at the pole), within 1e-9 of the rectangle's size.
  const slack = 1e-9 * Math.max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY);
  const interiorPoles = from.isGeographic ? [] : POLES.filter((lat) => {
    const [px, py] = transformerBetween(crs84, from).forward(0, lat);
    return Number.isFinite(px) && px >= bounds.minX - slack && px <= bounds.maxX + slack
      && py >= bounds.minY - slack && py <= bounds.maxY + slack;
  });

  const out: Bounds[] = [];
  for (const part of parts) {
    const reach: Reach = { xs: [], ys: [], north: false, south: false, everywhere: false, wholeTurn: false };
    for (const [sx, sy] of densifyBoundary(part, pointsPerEdge)) {
      const [x, y] = transformer.forward(sx, sy);
      if (Number.isFinite(x) && Number.isFinite(y)) {
        reach.xs.push(from.isGeographic && world ? unwrapped(x, sx, world) : x);
        reach.ys.push(y);
        continue;
      }
      const lat = toLonLat ? toLonLat.forward(sx, sy)[1] : sy;
      if (Math.abs(lat) < 90 - 1e-9) continue;
      if (world) towards(reach, lat);
      else reach.everywhere = true;
    }
    for (const lat of interiorPoles) {
      const [px, py] = transformerBetween(crs84, to).forward(0, lat);
      if (world) {
        reach.wholeTurn = true;
        if (to.isGeographic) reach.ys.push(lat);
        else towards(reach, lat);
      } else if (Number.isFinite(px) && Number.isFinite(py)) {
        reach.xs.push(px);
        reach.ys.push(py);
      } else {
        reach.everywhere = true;
      }
    }
    out.push(...imageBounds(reach, from.isGeographic ? undefined : world));
  }
  if (out.length > 1 && !world) return [unionOf(out)];
  return out;
}

/**
 * x of a geographic source longitude, moved by whole turns next to where that longitude
 * belongs, then clamped to the world: a datum shift can send 180° to −179.99999°, which would
 * otherwise stretch a box touching 180° over the whole world.
 */
function unwrapped(x: number, lon: number, world: WorldX): number {
  const period = world.east - world.west;
  const expected = (world.west + world.east) / 2 + ((lon - world.lon0) * period) / 360;
  let out = x;
  while (out - expected > period / 2) out -= period;
  while (expected - out > period / 2) out += period;
  return Math.min(world.east, Math.max(world.west, out));
}

/**
 * Bounds of what a boundary reached. `seam` is the wrapping world of a projected source, for
 * seam detection; a geographic source was split at ±180° before and its x values unwrapped,
 * and seam detection on its boundary would misfire (a world box keeps only its ±180° sides
 * when its polar edges have no image).
 */
function imageBounds(reach: Reach, seam: WorldX | undefined): Bounds[] {
  const { xs, ys } = reach;
  if (reach.everywhere) return [{ minX: -Infinity, minY: -Infinity, maxX: Infinity, maxY: Infinity }];
  if (xs.length === 0 && !reach.wholeTurn) return [];
  const minY = reach.south || ys.length === 0 ? -Infinity : Math.min(...ys);
  const maxY = reach.north || ys.length === 0 ? Infinity : Math.max(...ys);
  if (seam && reach.wholeTurn) return [{ minX: seam.west, minY, maxX: seam.east, maxY }];
  if (seam) return splitAtSeam(xs, seam).map(([minX, maxX]) => ({ minX, minY, maxX, maxY }));
  return [{ minX: Math.min(...xs), minY, maxX: Math.max(...xs), maxY }];
}
