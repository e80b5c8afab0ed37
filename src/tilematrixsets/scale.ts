/**
 * Scale denominator ↔ cell size (OGC 17-083r4 clause 6, "Tile matrix in a two-dimensional
 * space", and TileMatrix table note f; the same rule as WMTS 1.0 §6.1 and WMS 1.3.0):
 *
 *   cellSize = scaleDenominator × 0.28 mm / metersPerUnit(crs)
 *
 * where 0.28 mm is the "standardized rendering pixel size" and, for a CRS in degrees,
 * metersPerUnit = 2π·a/360 with a the equatorial radius (111 319.490 793 m/° for WGS 84).
 */
import type { Crs } from '../crs/index.js';
import { WGS84_SEMI_MAJOR_AXIS } from './geodesy.js';

/** The standardized rendering pixel size, in metres. */
export const STANDARDIZED_RENDERING_PIXEL_SIZE = 0.00028;

/** Metres per degree of longitude on the WGS 84 equator: 2π × 6 378 137 / 360. */
export const METRES_PER_DEGREE = (2 * Math.PI * WGS84_SEMI_MAJOR_AXIS) / 360;

/** Scale denominator of a cell size expressed in CRS units worth `metresPerUnit` metres each. */
export function scaleDenominatorForCellSize(cellSize: number, metresPerUnit: number): number {
  return (cellSize * metresPerUnit) / STANDARDIZED_RENDERING_PIXEL_SIZE;
}

/** Cell size (CRS units) of a scale denominator; the inverse of `scaleDenominatorForCellSize`. */
export function cellSizeForScaleDenominator(scaleDenominator: number, metresPerUnit: number): number {
  return (scaleDenominator * STANDARDIZED_RENDERING_PIXEL_SIZE) / metresPerUnit;
}

const UNIT_METRES: Readonly<Record<string, number>> = {
  m: 1,
  km: 1000,
  ft: 0.3048,
  'us-ft': 1200 / 3937,
  'ind-ft': 0.30479841,
  yd: 0.9144,
  'us-yd': 3600 / 3937,
  mi: 1609.344,
  'us-mi': 6336000 / 3937,
};

/**
 * metersPerUnit(crs) of the formula above, read from the CRS's proj4 definition: degrees use
 * the TMS 2.0 convention 2π·a/360 (with `+a=` when the definition gives one, else 6 378 137);
 * projected CRSs use `+to_meter=` or `+units=`, and metres when neither is present.
 */
export function metresPerUnit(crs: Crs): number {
  if (crs.isGeographic) {
    const a = /\+a=([0-9.eE+-]+)/.exec(crs.proj4);
    return (2 * Math.PI * (a ? Number(a[1]) : WGS84_SEMI_MAJOR_AXIS)) / 360;
  }
  const toMeter = /\+to_meter=([0-9.eE+-]+)/.exec(crs.proj4);
  if (toMeter) return Number(toMeter[1]);
  const units = /\+units=([\w-]+)/.exec(crs.proj4);
  return units ? (UNIT_METRES[units[1]!] ?? 1) : 1;
}
