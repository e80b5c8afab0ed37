/**
 * Ellipsoid formulas that define the extents of the built-in tile matrix sets, so their
 * numbers are derived at full double precision instead of copied from the ~15-digit
 * registry files.
 */

/** WGS 84 ellipsoid (EPSG:7030). GRS 80 differs only in the 9th digit of the flattening. */
export const WGS84_SEMI_MAJOR_AXIS = 6378137;
export const WGS84_FLATTENING = 1 / 298.257223563;

/**
 * Length of the meridian arc from the equator to a pole (the "quarter meridian"), by
 * Helmert's series in the third flattening n = f / (2 − f):
 *   Q = a / (1 + n) · (1 + n²/4 + n⁴/64 + n⁶/256 + 25·n⁸/16384) · π/2
 * (Karney 2011, "Transverse Mercator with an accuracy of a few nanometers", eq. 14).
 * WGS 84: 10 001 965.729 312 7 m. The UTM##WGS84Quad sets are built on it (TMS 2.0 Annex D):
 * the top-left corner is (500 000 − Q, 2Q) and level "1" is one tile of 2Q wide, two tiles high.
 */
export function quarterMeridian(a = WGS84_SEMI_MAJOR_AXIS, f = WGS84_FLATTENING): number {
  const n = f / (2 - f);
  const n2 = n * n;
  return (a / (1 + n)) * (1 + n2 / 4 + (n2 * n2) / 64 + (n2 * n2 * n2) / 256 + (25 * n2 * n2 * n2 * n2) / 16384) * (Math.PI / 2);
}

/**
 * Distance from the pole of the projection, on the plane, of a point at geodetic latitude
 * `latDeg` in an ellipsoidal polar stereographic projection with scale factor `k0` at the pole
 * (EPSG Guidance Note 7-2, method 9810, variant A; the pole is the north pole):
 *   t = tan(π/4 − φ/2) / ((1 − e·sin φ) / (1 + e·sin φ))^(e/2)
 *   ρ = 2·a·k0·t / √((1 + e)^(1+e) · (1 − e)^(1−e))
 * The UPS sets reach 15° into the opposite hemisphere (TMS 2.0 Annex D): ρ(−15°) with the UPS
 * k0 = 0.994 is 16 440 759.350 252 m, the half-width of their level 0.
 */
export function polarStereographicRadius(latDeg: number, k0: number, a = WGS84_SEMI_MAJOR_AXIS, f = WGS84_FLATTENING): number {
  const e = Math.sqrt(f * (2 - f));
  const phi = (latDeg * Math.PI) / 180;
  const s = Math.sin(phi);
  const t = Math.tan(Math.PI / 4 - phi / 2) / Math.pow((1 - e * s) / (1 + e * s), e / 2);
  return (2 * a * k0 * t) / Math.sqrt(Math.pow(1 + e, 1 + e) * Math.pow(1 - e, 1 - e));
}
