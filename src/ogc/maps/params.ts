/**
 * The parameters of a map request (OGC 20-058): `bbox` with `bbox-crs` (spatial subsetting;
 * default CRS84, /req/spatial-subsetting/bbox-crs), `crs` (the map's CRS, default CRS84,
 * /req/crs/crs-param), `width`/`height` (/req/scaling/width-definition), `f`, plus the style
 * parameters every tile face takes. Defaults: the collection's whole extent, and a size that
 * keeps the extent's aspect (the longer side DEFAULT_MAP_SIDE pixels, or the other side from
 * the one given). Axis order follows the CRS: `bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326`
 * is latitude first; CRS84 (the default) is longitude first.
 */
import { getCrs, type Crs } from '../../crs/index.js';
import { InvalidParameterError } from '../../errors.js';
import { transformBounds, type Bounds } from '../../tilematrixsets/index.js';
import type { TargetGrid } from '../../tiling/grid.js';
import { single, type Query } from '../common/params.js';
import { DEFAULT_MAP_SIDE, MAX_MAP_PIXELS, MAX_MAP_SIDE } from './limits.js';

export interface MapPlan {
  grid: TargetGrid;
  /** The map's bounds in its CRS's axis order (the Content-Bbox header). */
  contentBbox: [number, number, number, number];
  /** The map's CRS URI (the Content-Crs header). */
  contentCrs: string;
}

/** A CRS parameter: a URI, a URN, "EPSG:n" or a safe CURIE "[EPSG:n]" (19-072 §"CRS"). */
export function parseCrsParam(value: string, name: string): Crs {
  const v = value.trim().replace(/^\[(.*)\]$/, '$1');
  try {
    return getCrs(v);
  } catch {
    throw new InvalidParameterError(name, `${name}: unknown or unsupported coordinate reference system "${value}"`);
  }
}

function positiveInt(query: Query, name: string): number | undefined {
  const v = single(query, name);
  if (v === undefined) return undefined;
  if (!/^\d{1,6}$/.test(v) || Number(v) < 1) throw new InvalidParameterError(name, `${name} must be a positive integer, got "${v}"`);
  return Number(v);
}

/** The bbox in engine order (x east, y north) of its CRS. */
function parseBbox(value: string, crs: Crs): Bounds {
  const nums = value.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (nums.length === 6) throw new InvalidParameterError('bbox', 'bbox: three-dimensional boxes are not supported (give 4 numbers)');
  if (nums.length !== 4 || nums.some((n) => !Number.isFinite(n))) throw new InvalidParameterError('bbox', `bbox must be four comma-separated numbers, got "${value}"`);
  const [a, b, c, d] = nums as [number, number, number, number];
  // CRS axis order: "yx" CRSs (EPSG:4326, EPSG:3035 …) give the northing/latitude first.
  const [minX, minY, maxX, maxY] = crs.axisOrder === 'yx' ? [b, a, d, c] : [a, b, c, d];
  if (minY >= maxY) throw new InvalidParameterError('bbox', `bbox: the lower ${crs.isGeographic ? 'latitude' : 'northing'} must be less than the upper one (${value} in ${crs.id}, axis order ${crs.axisOrder === 'yx' ? 'north, east' : 'east, north'})`);
  if (minX >= maxX) {
    throw new InvalidParameterError('bbox', crs.isGeographic
      ? `bbox: boxes across the antimeridian are not supported (west ${minX} > east ${maxX} in ${crs.id})`
      : `bbox: the lower easting must be less than the upper one (${value} in ${crs.id})`);
  }
  if (crs.isGeographic && (minY < -90 || maxY > 90)) throw new InvalidParameterError('bbox', `bbox: latitudes must be within -90..90 (${value} in ${crs.id}, axis order ${crs.axisOrder === 'yx' ? 'lat, lon' : 'lon, lat'})`);
  return { minX, minY, maxX, maxY };
}

/** The extent's image in `to`: the union of the reprojected pieces. */
function reprojected(b: Bounds, from: Crs, to: Crs, what: string): Bounds {
  if (from.id === to.id) return b;
  const parts = transformBounds(b, from, to);
  if (parts.length === 0) throw new InvalidParameterError('bbox', `${what} has no image in ${to.id}`);
  return {
    minX: Math.min(...parts.map((p) => p.minX)), minY: Math.min(...parts.map((p) => p.minY)),
    maxX: Math.max(...parts.map((p) => p.maxX)), maxY: Math.max(...parts.map((p) => p.maxY)),
  };
}

/**
 * Plans a map: its CRS, bounds and pixel size. `extentLonLat` is the default area (the
 * collection's footprint, [w, s, e, n] in CRS84).
 */
export function planMap(query: Query, extentLonLat: readonly [number, number, number, number]): MapPlan {
  const crs84 = getCrs('OGC:CRS84');
  const outCrsParam = single(query, 'crs');
  const crs = outCrsParam !== undefined ? parseCrsParam(outCrsParam, 'crs') : crs84;
  const bboxParam = single(query, 'bbox');
  const bboxCrsParam = single(query, 'bbox-crs');
  if (bboxCrsParam !== undefined && bboxParam === undefined) throw new InvalidParameterError('bbox-crs', 'bbox-crs needs a bbox');
  let bounds: Bounds;
  if (bboxParam !== undefined) {
    const bboxCrs = bboxCrsParam !== undefined ? parseCrsParam(bboxCrsParam, 'bbox-crs') : crs84;
    bounds = reprojected(parseBbox(bboxParam, bboxCrs), bboxCrs, crs, 'the bbox');
  } else {
    const [w, s, e, n] = extentLonLat;
    const lonLat = w <= e ? { minX: w, minY: s, maxX: e, maxY: n } : { minX: -180, minY: s, maxX: 180, maxY: n };
    bounds = reprojected(lonLat, crs84, crs, 'the collection\'s extent');
  }
  if (!(bounds.maxX > bounds.minX && bounds.maxY > bounds.minY)) throw new InvalidParameterError('bbox', 'the map\'s area is empty');
  const { width, height } = mapSize(query, (bounds.maxX - bounds.minX) / (bounds.maxY - bounds.minY));
  const axis = (x: number, y: number): [number, number] => (crs.axisOrder === 'yx' ? [y, x] : [x, y]);
  const [a, b] = axis(bounds.minX, bounds.minY);
  const [c, d] = axis(bounds.maxX, bounds.maxY);
  return {
    grid: { crs, crsBounds: [bounds.minX, bounds.minY, bounds.maxX, bounds.maxY], width, height },
    contentBbox: [a, b, c, d],
    contentCrs: crs.uri || crs.id,
  };
}

/** width/height from the parameters, the missing ones from the aspect (x/y extent ratio); 400 beyond the limits. */
export function mapSize(query: Query, aspect: number): { width: number; height: number } {
  let width = positiveInt(query, 'width');
  let height = positiveInt(query, 'height');
  if (width === undefined && height === undefined) {
    if (aspect >= 1) width = DEFAULT_MAP_SIDE;
    else height = DEFAULT_MAP_SIDE;
  }
  width ??= Math.max(1, Math.round(height! * aspect));
  height ??= Math.max(1, Math.round(width / aspect));
  if (width > MAX_MAP_SIDE || height > MAX_MAP_SIDE) {
    const name = width > MAX_MAP_SIDE ? 'width' : 'height';
    throw new InvalidParameterError(name, `the map would be ${width}x${height} pixels; each side is limited to ${MAX_MAP_SIDE} (ask for a smaller width or height)`);
  }
  if (width * height > MAX_MAP_PIXELS) {
    throw new InvalidParameterError('width', `the map would be ${width}x${height} = ${width * height} pixels; the limit is ${MAX_MAP_PIXELS} (${Math.sqrt(MAX_MAP_PIXELS)}x${Math.sqrt(MAX_MAP_PIXELS)})`);
  }
  return { width, height };
}
