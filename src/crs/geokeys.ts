/**
 * GeoTIFF GeoKeys -> Crs.
 *
 * Key ids, model types and coordinate-transformation codes follow OGC 19-008r4 "OGC GeoTIFF Standard" 1.1
 * (§7.1 GeoKey directory, Annex C: ProjMethodGeoKey / ProjCoordTransGeoKey codes 1–27), plus the codes GDAL
 * writes beyond it (9815 = Hotine Oblique Mercator variant B, 28 = Cylindrical Equal Area). Requirement-level
 * rules used here:
 * - GTModelTypeGeoKey: 1 projected, 2 geographic, 3 geocentric (§7.2 "/req/GTModelTypeGeoKey").
 * - 32767 means "user-defined" in every code-valued key; 0 means "undefined".
 * - ProjFalseEasting/Northing (and the other linear parameters) are in ProjLinearUnitsGeoKey units; angular
 *   parameters are in GeogAngularUnitsGeoKey units, azimuths in GeogAzimuthUnitsGeoKey (§7.4 units requirements).
 * - GeogTOWGS84GeoKey (2062, 3 or 7 values, position-vector convention, arc-seconds and ppm) gives the datum shift
 *   to WGS 84; GDAL then uses it instead of any EPSG operation, so do we.
 *
 * Parameter fallbacks (e.g. Albers written with NatOrigin instead of FalseOrigin keys, polar stereographic with the
 * latitude of true scale in ProjNatOriginLatGeoKey) mirror what GDAL 3.6 reads back from the files it writes; each
 * one is covered by a test that compares against GDAL's own reading of a GDAL-written file.
 */
import { createHash } from 'node:crypto';
import { lookupEpsgDatumCode, applyDatumShifts } from './epsg.js';
import { ANGULAR_UNITS, DATUM_GEOGRAPHIC_CRS, ELLIPSOIDS, LINEAR_UNITS, PRIME_MERIDIANS } from './epsg-data.js';
import { formatProj4, parseProj4, withoutDatumShift, type Proj4Params } from './proj4-string.js';
import { getCrs } from './registry.js';
import type { Crs, DatumShift } from './types.js';
import { UnknownCrsError, UnsupportedCrsError } from './types.js';

/** GeoKeys as geotiff.js `image.getGeoKeys()` returns them: key name -> number, string or typed array. */
export type GeoKeys = Readonly<Record<string, unknown>>;

const USER_DEFINED = 32767;
const DEG = Math.PI / 180;

/** GTModelTypeGeoKey values (OGC 19-008r4 §7.2). */
const MODEL_PROJECTED = 1, MODEL_GEOGRAPHIC = 2, MODEL_GEOCENTRIC = 3;

/** ProjCoordTransGeoKey / ProjMethodGeoKey codes (OGC 19-008r4 Annex C, table "Coordinate Transformation Codes"). */
const CT = {
  TransverseMercator: 1,
  TransvMercator_Modified_Alaska: 2,
  ObliqueMercator: 3,
  ObliqueMercator_Laborde: 4,
  ObliqueMercator_Rosenmund: 5,
  ObliqueMercator_Spherical: 6,
  Mercator: 7,
  LambertConfConic_2SP: 8,
  LambertConfConic_1SP: 9,
  LambertAzimEqualArea: 10,
  AlbersEqualArea: 11,
  AzimuthalEquidistant: 12,
  EquidistantConic: 13,
  Stereographic: 14,
  PolarStereographic: 15,
  ObliqueStereographic: 16,
  Equirectangular: 17,
  CassiniSoldner: 18,
  Gnomonic: 19,
  MillerCylindrical: 20,
  Orthographic: 21,
  Polyconic: 22,
  Robinson: 23,
  Sinusoidal: 24,
  VanDerGrinten: 25,
  NewZealandMapGrid: 26,
  TransvMercator_SouthOriented: 27,
  /** GDAL extension (libgeotiff geo_ctrans.inc). */
  CylindricalEqualArea: 28,
  /** GDAL/libgeotiff: EPSG method code 9815, Hotine Oblique Mercator variant B (azimuth at centre). */
  HotineObliqueMercatorAzimuthCenter: 9815,
} as const;

const CT_NAMES = new Map<number, string>(Object.entries(CT).map(([k, v]) => [v, k]));

/** EPSG unit codes with proj4 names (proj4js and PROJ agree on these factors). */
const PROJ4_UNIT_NAMES: Record<number, string> = { 9001: 'm', 9002: 'ft', 9003: 'us-ft' };
/** EPSG:9110 "sexagesimal DMS" (DDD.MMSSsss) and 9122 "degree (supplier to define representation)". */
const UNIT_SEXAGESIMAL_DMS = 9110;

class Keys {
  constructor(private readonly k: GeoKeys) {}

  raw(name: string): unknown {
    return this.k[name];
  }

  num(name: string): number | undefined {
    const v = this.k[name];
    if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
    if (v && typeof v === 'object' && 'length' in v && (v as ArrayLike<number>).length >= 1) {
      const x = Number((v as ArrayLike<number>)[0]);
      return Number.isFinite(x) ? x : undefined;
    }
    return undefined;
  }

  /** A code-valued key: undefined when absent or 0 ("undefined"). */
  code(name: string): number | undefined {
    const v = this.num(name);
    return v === undefined || v === 0 ? undefined : v;
  }

  first(names: readonly string[]): number | undefined {
    for (const n of names) {
      const v = this.num(n);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  str(name: string): string | undefined {
    const v = this.k[name];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  }

  array(name: string): number[] | undefined {
    const v = this.k[name];
    if (typeof v === 'number') return [v];
    if (v && typeof v === 'object' && 'length' in v) return Array.from(v as ArrayLike<number>, Number);
    return undefined;
  }
}

function unitError(key: string, code: number): UnsupportedCrsError {
  return new UnsupportedCrsError(`GeoTIFF ${key} = ${code} is not a known EPSG unit`);
}

/** Radians per unit of an angular unit code, with the user-defined size key. */
function angularUnit(keys: Keys, key: string, sizeKey: string): { toDegrees(v: number): number; isDegree: boolean } {
  const code = keys.code(key) ?? 9102;
  if (code === UNIT_SEXAGESIMAL_DMS) {
    return {
      isDegree: false,
      toDegrees(v) {
        // DDD.MMSSsss: degrees, then two digits of minutes, then seconds.
        const sign = v < 0 ? -1 : 1;
        const a = Math.abs(v);
        const d = Math.floor(a);
        const mm = Math.floor(Math.round((a - d) * 1e8) / 1e6);
        const ss = (a - d) * 1e4 - mm * 100;
        return sign * (d + mm / 60 + ss / 3600);
      },
    };
  }
  let rad: number | undefined;
  if (code === USER_DEFINED) rad = keys.num(sizeKey);
  else rad = ANGULAR_UNITS[code];
  if (!rad) throw unitError(key, code);
  const isDegree = Math.abs(rad / DEG - 1) < 1e-12;
  return { isDegree, toDegrees: (v) => (isDegree ? v : (v * rad!) / DEG) };
}

/** Metres per unit of a linear unit code, with the user-defined size key. */
function linearUnit(keys: Keys, key: string, sizeKey: string): { code: number; metres: number } {
  const code = keys.code(key) ?? 9001;
  const metres = code === USER_DEFINED ? keys.num(sizeKey) : LINEAR_UNITS[code];
  if (!metres || !(metres > 0)) throw unitError(key, code);
  return { code, metres };
}

function fmt(v: number): string {
  // Shortest round-trip representation; avoid "-0".
  return String(v === 0 ? 0 : v);
}

/** The geodetic part of a definition: ellipsoid, prime meridian and datum shift. */
interface GeodeticPart {
  params: Proj4Params;
  /** EPSG datum code when the datum is an EPSG one (drives the tabulated datum shifts). */
  datumCode?: number;
  /** The EPSG geographic CRS it came from, when unchanged (so a geographic file can keep its EPSG id). */
  epsgGeographic?: Crs;
  angular: ReturnType<typeof angularUnit>;
  hasTowgs84: boolean;
}

function towgs84(keys: Keys): number[] | undefined {
  const v = keys.array('GeogTOWGS84GeoKey');
  if (!v) return undefined;
  if (v.length !== 3 && v.length !== 7) throw new UnsupportedCrsError(`GeogTOWGS84GeoKey has ${v.length} values (3 or 7 expected)`);
  return v;
}

function epsgCrs(code: number, key: string): Crs {
  try {
    return getCrs(`EPSG:${code}`);
  } catch (e) {
    if (e instanceof UnknownCrsError) throw new UnsupportedCrsError(`GeoTIFF ${key} = ${code} is not an EPSG CRS known offline`);
    throw e;
  }
}

/** Ellipsoid, prime meridian and datum parameters of a (possibly EPSG) geographic CRS definition. */
function geodeticParamsOf(def: string): Proj4Params {
  const keep = new Set(['ellps', 'a', 'b', 'rf', 'f', 'R', 'pm', 'towgs84', 'nadgrids', 'datum']);
  return parseProj4(withoutDatumShift(def)).filter(([k]) => keep.has(k));
}

function geodeticPart(keys: Keys): GeodeticPart {
  const angular = angularUnit(keys, 'GeogAngularUnitsGeoKey', 'GeogAngularUnitSizeGeoKey');
  const shift = towgs84(keys);
  const withShift = (params: Proj4Params): Proj4Params => (shift ? [...params, ['towgs84', shift.map(fmt).join(',')]] : params);

  // 1. An EPSG geographic CRS (GeodeticCRSGeoKey, a.k.a. GeographicTypeGeoKey).
  const gcs = keys.code('GeographicTypeGeoKey');
  if (gcs !== undefined && gcs !== USER_DEFINED) {
    const base = epsgCrs(gcs, 'GeographicTypeGeoKey');
    if (!base.isGeographic) throw new UnsupportedCrsError(`GeographicTypeGeoKey = ${gcs} is not a geographic CRS`);
    return {
      params: withShift(geodeticParamsOf(base.proj4)),
      datumCode: shift ? undefined : lookupEpsgDatumCode(gcs),
      epsgGeographic: shift ? undefined : base,
      angular,
      hasTowgs84: !!shift,
    };
  }
  // 2. An EPSG datum (GeodeticDatumGeoKey): its geographic 2D CRS carries ellipsoid and prime meridian.
  const datum = keys.code('GeogGeodeticDatumGeoKey');
  if (datum !== undefined && datum !== USER_DEFINED) {
    const geog = DATUM_GEOGRAPHIC_CRS[datum];
    if (geog === undefined) throw new UnsupportedCrsError(`GeogGeodeticDatumGeoKey = ${datum} is not an EPSG geodetic datum`);
    const base = epsgCrs(geog, 'GeogGeodeticDatumGeoKey');
    return { params: withShift(geodeticParamsOf(base.proj4)), datumCode: shift ? undefined : datum, angular, hasTowgs84: !!shift };
  }
  // 3. User-defined datum: ellipsoid (EPSG code or axes) and prime meridian (EPSG code or longitude).
  const params: Proj4Params = [];
  const ellCode = keys.code('GeogEllipsoidGeoKey');
  const semiMajorKey = keys.num('GeogSemiMajorAxisGeoKey');
  if (ellCode !== undefined && ellCode !== USER_DEFINED && semiMajorKey === undefined) {
    const e = ELLIPSOIDS[ellCode];
    if (!e) throw new UnsupportedCrsError(`GeogEllipsoidGeoKey = ${ellCode} is not an EPSG ellipsoid`);
    params.push(['a', fmt(e[0])]);
    if (e[1]) params.push(['rf', fmt(e[1])]);
    else params.push(['b', fmt(e[2] || e[0])]);
  } else {
    // Axes are in GeogLinearUnitsGeoKey units (OGC 19-008r4 §7.3 "GeogSemiMajorAxisGeoKey").
    const unit = linearUnit(keys, 'GeogLinearUnitsGeoKey', 'GeogLinearUnitSizeGeoKey').metres;
    let a = semiMajorKey;
    let rf = keys.num('GeogInvFlatteningGeoKey');
    let b = keys.num('GeogSemiMinorAxisGeoKey');
    if (a === undefined && ellCode !== undefined && ELLIPSOIDS[ellCode]) {
      const e = ELLIPSOIDS[ellCode]!;
      a = e[0];
      rf = e[1] || undefined;
      b = e[2] || undefined;
    } else if (a !== undefined) {
      a *= unit;
      if (b !== undefined) b *= unit;
    }
    if (a === undefined || !(a > 0)) throw new UnsupportedCrsError('GeoTIFF user-defined ellipsoid without GeogSemiMajorAxisGeoKey');
    params.push(['a', fmt(a)]);
    if (rf !== undefined && rf > 0) params.push(['rf', fmt(rf)]);
    else params.push(['b', fmt(b !== undefined && b > 0 ? b : a)]);
  }
  const pmCode = keys.code('GeogPrimeMeridianGeoKey');
  let pm = 0;
  if (pmCode !== undefined && pmCode !== USER_DEFINED) {
    const v = PRIME_MERIDIANS[pmCode];
    if (v === undefined) throw new UnsupportedCrsError(`GeogPrimeMeridianGeoKey = ${pmCode} is not an EPSG prime meridian`);
    pm = v;
  } else {
    const v = keys.num('GeogPrimeMeridianLongGeoKey');
    if (v !== undefined) pm = angular.toDegrees(v);
  }
  if (pm !== 0) params.push(['pm', fmt(pm)]);
  return { params: withShift(params), angular, hasTowgs84: !!shift };
}

/** proj4 units parameters for a projected CRS's linear unit. */
function unitParams(unit: { code: number; metres: number }): Proj4Params {
  const name = PROJ4_UNIT_NAMES[unit.code];
  if (name) return [['units', name]];
  return [['to_meter', fmt(unit.metres)]];
}

/** EPSG UTM conversions written in ProjectionGeoKey without parameters (GDAL does so, e.g. 16014 = UTM 14N). */
function utmFromProjectionCode(code: number): Proj4Params | undefined {
  if (code >= 16001 && code <= 16060) return [['proj', 'utm'], ['zone', String(code - 16000)]];
  if (code >= 16101 && code <= 16160) return [['proj', 'utm'], ['zone', String(code - 16100)], ['south', undefined]];
  return undefined;
}

function projectionParams(keys: Keys, ct: number, toDeg: (v: number) => number, azimuthToDeg: (v: number) => number, metres: number): Proj4Params {
  const angle = (names: readonly string[], fallback?: number): number | undefined => {
    const v = keys.first(names);
    return v === undefined ? fallback : toDeg(v);
  };
  const lin = (names: readonly string[]): number => (keys.first(names) ?? 0) * metres;
  const natLat = () => angle(['ProjNatOriginLatGeoKey', 'ProjFalseOriginLatGeoKey', 'ProjCenterLatGeoKey'], 0)!;
  const natLon = () => angle(['ProjNatOriginLongGeoKey', 'ProjFalseOriginLongGeoKey', 'ProjCenterLongGeoKey', 'ProjStraightVertPoleLongGeoKey'], 0)!;
  const cLat = () => angle(['ProjCenterLatGeoKey', 'ProjNatOriginLatGeoKey', 'ProjFalseOriginLatGeoKey'], 0)!;
  const cLon = () => angle(['ProjCenterLongGeoKey', 'ProjNatOriginLongGeoKey', 'ProjFalseOriginLongGeoKey', 'ProjStraightVertPoleLongGeoKey'], 0)!;
  const foLat = () => angle(['ProjFalseOriginLatGeoKey', 'ProjNatOriginLatGeoKey', 'ProjCenterLatGeoKey'], 0)!;
  const foLon = () => angle(['ProjFalseOriginLongGeoKey', 'ProjNatOriginLongGeoKey', 'ProjCenterLongGeoKey'], 0)!;
  const fe = () => lin(['ProjFalseEastingGeoKey', 'ProjCenterEastingGeoKey', 'ProjFalseOriginEastingGeoKey']);
  const fn = () => lin(['ProjFalseNorthingGeoKey', 'ProjCenterNorthingGeoKey', 'ProjFalseOriginNorthingGeoKey']);
  const foE = () => lin(['ProjFalseOriginEastingGeoKey', 'ProjFalseEastingGeoKey', 'ProjCenterEastingGeoKey']);
  const foN = () => lin(['ProjFalseOriginNorthingGeoKey', 'ProjFalseNorthingGeoKey', 'ProjCenterNorthingGeoKey']);
  const cE = () => lin(['ProjCenterEastingGeoKey', 'ProjFalseEastingGeoKey']);
  const cN = () => lin(['ProjCenterNorthingGeoKey', 'ProjFalseNorthingGeoKey']);
  const k = () => keys.first(['ProjScaleAtNatOriginGeoKey', 'ProjScaleAtCenterGeoKey']) ?? 1;
  const kc = () => keys.first(['ProjScaleAtCenterGeoKey', 'ProjScaleAtNatOriginGeoKey']) ?? 1;
  const sp1 = () => angle(['ProjStdParallel1GeoKey']);
  const sp2 = () => angle(['ProjStdParallel2GeoKey']);
  const p = (...pairs: Array<[string, number | undefined] | [string]>): Proj4Params =>
    pairs.filter((x) => x.length === 1 || x[1] !== undefined).map((x) => [x[0], x.length === 1 ? undefined : fmt(x[1]!)]);

  switch (ct) {
    case CT.TransverseMercator:
      return [['proj', 'tmerc'], ...p(['lat_0', natLat()], ['lon_0', natLon()], ['k', k()], ['x_0', fe()], ['y_0', fn()])];
    case CT.TransvMercator_SouthOriented:
      // Coordinates are westing/southing: the axis flip is part of the map coordinates, not an axis-order swap.
      return [['proj', 'tmerc'], ...p(['lat_0', natLat()], ['lon_0', natLon()], ['k', k()], ['x_0', fe()], ['y_0', fn()]), ['axis', 'wsu']];
    case CT.ObliqueMercator:
    case CT.HotineObliqueMercatorAzimuthCenter: {
      const alpha = keys.num('ProjAzimuthAngleGeoKey');
      if (alpha === undefined) throw new UnsupportedCrsError('ObliqueMercator without ProjAzimuthAngleGeoKey');
      const gammaKey = keys.num('ProjRectifiedGridAngleGeoKey');
      const params: Proj4Params = [['proj', 'omerc']];
      // Variant A (EPSG 9812, CT 3) measures false easting/northing from the natural origin (+no_uoff);
      // variant B (EPSG 9815) from the projection centre.
      if (ct === CT.ObliqueMercator) params.push(['no_uoff', undefined]);
      return [...params, ...p(['lat_0', cLat()], ['lonc', cLon()], ['alpha', azimuthToDeg(alpha)],
        ['gamma', azimuthToDeg(gammaKey ?? alpha)], ['k', kc()], ['x_0', cE()], ['y_0', cN()])];
    }
    case CT.Mercator: {
      const ts = sp1();
      // Mercator (2SP) carries the latitude of true scale in ProjStdParallel1GeoKey; (1SP) a scale factor.
      if (ts !== undefined) return [['proj', 'merc'], ...p(['lat_ts', ts], ['lon_0', natLon()], ['x_0', fe()], ['y_0', fn()])];
      return [['proj', 'merc'], ...p(['lon_0', natLon()], ['k', k()], ['x_0', fe()], ['y_0', fn()])];
    }
    case CT.LambertConfConic_2SP:
      return [['proj', 'lcc'], ...p(['lat_1', sp1() ?? foLat()], ['lat_2', sp2() ?? sp1() ?? foLat()], ['lat_0', foLat()], ['lon_0', foLon()],
        ['x_0', foE()], ['y_0', foN()])];
    case CT.LambertConfConic_1SP: {
      const lat = natLat();
      return [['proj', 'lcc'], ...p(['lat_1', lat], ['lat_0', lat], ['lon_0', natLon()], ['k_0', k()], ['x_0', fe()], ['y_0', fn()])];
    }
    case CT.LambertAzimEqualArea:
      return [['proj', 'laea'], ...p(['lat_0', cLat()], ['lon_0', cLon()], ['x_0', fe()], ['y_0', fn()])];
    case CT.AlbersEqualArea:
      return [['proj', 'aea'], ...p(['lat_1', sp1()], ['lat_2', sp2()], ['lat_0', foLat()], ['lon_0', foLon()], ['x_0', foE()], ['y_0', foN()])];
    case CT.AzimuthalEquidistant:
      return [['proj', 'aeqd'], ...p(['lat_0', cLat()], ['lon_0', cLon()], ['x_0', fe()], ['y_0', fn()])];
    case CT.EquidistantConic:
      return [['proj', 'eqdc'], ...p(['lat_1', sp1()], ['lat_2', sp2()], ['lat_0', cLat()], ['lon_0', cLon()], ['x_0', fe()], ['y_0', fn()])];
    case CT.Stereographic:
      return [['proj', 'stere'], ...p(['lat_0', cLat()], ['lon_0', cLon()], ['k', k()], ['x_0', fe()], ['y_0', fn()])];
    case CT.PolarStereographic: {
      const lat = angle(['ProjNatOriginLatGeoKey', 'ProjStdParallel1GeoKey', 'ProjCenterLatGeoKey', 'ProjFalseOriginLatGeoKey'], 90)!;
      const lon = angle(['ProjStraightVertPoleLongGeoKey', 'ProjNatOriginLongGeoKey', 'ProjCenterLongGeoKey', 'ProjFalseOriginLongGeoKey'], 0)!;
      if (Math.abs(Math.abs(lat) - 90) < 1e-9) {
        // Variant A (EPSG 9810): origin at the pole with a scale factor.
        return [['proj', 'stere'], ...p(['lat_0', lat], ['lon_0', lon], ['k', k()], ['x_0', fe()], ['y_0', fn()])];
      }
      // Variant B (EPSG 9829): the latitude key holds the standard parallel (as GDAL writes it, e.g. NSIDC 70°N).
      return [['proj', 'stere'], ...p(['lat_0', lat < 0 ? -90 : 90], ['lat_ts', lat], ['lon_0', lon], ['k', 1], ['x_0', fe()], ['y_0', fn()])];
    }
    case CT.ObliqueStereographic:
      return [['proj', 'sterea'], ...p(['lat_0', natLat()], ['lon_0', natLon()], ['k', k()], ['x_0', fe()], ['y_0', fn()])];
    case CT.Equirectangular:
      return [['proj', 'eqc'], ...p(['lat_ts', sp1() ?? 0], ['lat_0', cLat()], ['lon_0', cLon()], ['x_0', fe()], ['y_0', fn()])];
    case CT.CassiniSoldner:
      return [['proj', 'cass'], ...p(['lat_0', natLat()], ['lon_0', natLon()], ['x_0', fe()], ['y_0', fn()])];
    case CT.Gnomonic:
      return [['proj', 'gnom'], ...p(['lat_0', cLat()], ['lon_0', cLon()], ['x_0', fe()], ['y_0', fn()])];
    case CT.MillerCylindrical:
      return [['proj', 'mill'], ...p(['lat_0', cLat()], ['lon_0', cLon()], ['x_0', fe()], ['y_0', fn()])];
    case CT.Orthographic:
      return [['proj', 'ortho'], ...p(['lat_0', cLat()], ['lon_0', cLon()], ['x_0', fe()], ['y_0', fn()])];
    case CT.Polyconic:
      return [['proj', 'poly'], ...p(['lat_0', natLat()], ['lon_0', natLon()], ['x_0', fe()], ['y_0', fn()])];
    case CT.Robinson:
      return [['proj', 'robin'], ...p(['lon_0', cLon()], ['x_0', fe()], ['y_0', fn()])];
    case CT.Sinusoidal:
      return [['proj', 'sinu'], ...p(['lon_0', cLon()], ['x_0', fe()], ['y_0', fn()])];
    case CT.VanDerGrinten:
      return [['proj', 'vandg'], ...p(['lon_0', cLon()], ['x_0', fe()], ['y_0', fn()])];
    case CT.NewZealandMapGrid:
      return [['proj', 'nzmg'], ...p(['lat_0', natLat()], ['lon_0', natLon()], ['x_0', fe()], ['y_0', fn()])];
    case CT.CylindricalEqualArea:
      return [['proj', 'cea'], ...p(['lat_ts', sp1() ?? 0], ['lon_0', natLon()], ['x_0', fe()], ['y_0', fn()])];
    default:
      throw new UnsupportedCrsError(`GeoTIFF ProjCoordTransGeoKey = ${ct}${CT_NAMES.has(ct) ? ` (CT_${CT_NAMES.get(ct)})` : ''} is not supported`);
  }
}

/** `CUSTOM:<12 hex>`: stable for a given proj4 definition, so cache keys and ETags stay stable across runs. */
export function customCrsId(proj4def: string): string {
  return `CUSTOM:${createHash('sha256').update(proj4def).digest('hex').slice(0, 12)}`;
}

function customCrs(def: string, isGeographic: boolean, name: string, datumCode: number | undefined): Crs {
  const shifted = applyDatumShifts(def, datumCode);
  const proj4def = shifted.proj4;
  const datumShifts: DatumShift[] | undefined = shifted.datumShifts;
  return {
    id: customCrsId(proj4def),
    uri: '',
    proj4: proj4def,
    // A user-defined geographic CRS is lat/long like every EPSG one (GDAL builds it so); projected: east, north.
    axisOrder: isGeographic ? 'yx' : 'xy',
    isGeographic,
    name,
    ...(datumShifts ? { datumShifts } : {}),
  };
}

function citationName(keys: Keys, ...names: string[]): string | undefined {
  for (const n of names) {
    const s = keys.str(n);
    if (s && s.toLowerCase() !== 'unknown') {
      // GDAL packs ESRI-style citations: "GCS Name = X|Datum = Y|...": keep the first value.
      const m = /^[A-Za-z ]+ = ([^|]+)/.exec(s);
      return (m ? m[1]! : s).trim();
    }
  }
  return undefined;
}

/**
 * Builds the Crs of a GeoTIFF from its GeoKeys. EPSG-coded CRSs resolve offline through getCrs; user-defined
 * (32767) ones are assembled from their parameters and get a `CUSTOM:` id (no EPSG code is guessed).
 * @throws UnsupportedCrsError for geocentric models, missing keys or methods proj4js cannot run.
 */
export function crsFromGeoKeys(geoKeys: GeoKeys | null | undefined): Crs {
  if (!geoKeys || Object.keys(geoKeys).length === 0) throw new UnsupportedCrsError('GeoTIFF has no GeoKeys (no GeoKeyDirectoryTag)');
  const keys = new Keys(geoKeys);
  let model = keys.code('GTModelTypeGeoKey');
  const pcs = keys.code('ProjectedCSTypeGeoKey');
  const gcs = keys.code('GeographicTypeGeoKey');
  if (model === MODEL_GEOCENTRIC) throw new UnsupportedCrsError('GeoTIFF GTModelTypeGeoKey = 3 (geocentric) is not supported');
  if (model === undefined || model === USER_DEFINED) {
    // Files without the model key still say enough through the CRS keys.
    if (pcs !== undefined || keys.code('ProjCoordTransGeoKey') !== undefined || keys.code('ProjectionGeoKey') !== undefined) model = MODEL_PROJECTED;
    else if (gcs !== undefined || keys.code('GeogGeodeticDatumGeoKey') !== undefined || keys.num('GeogSemiMajorAxisGeoKey') !== undefined) model = MODEL_GEOGRAPHIC;
    else throw new UnsupportedCrsError('GeoTIFF GeoKeys describe no CRS (no GTModelTypeGeoKey, ProjectedCSTypeGeoKey or GeographicTypeGeoKey)');
  }
  const shift = towgs84(keys);

  if (model === MODEL_PROJECTED) {
    if (pcs !== undefined && pcs !== USER_DEFINED) {
      const crs = epsgCrs(pcs, 'ProjectedCSTypeGeoKey');
      if (!shift) return crs;
      // An explicit TOWGS84 on an EPSG CRS: GDAL builds a BoundCRS and PROJ applies exactly that shift.
      const def = formatProj4([...parseProj4(withoutDatumShift(crs.proj4)).filter(([k]) => k !== 'no_defs'), ['towgs84', shift.map(fmt).join(',')], ['no_defs', undefined]]);
      return customCrs(def, false, crs.name, undefined);
    }
    const geo = geodeticPart(keys);
    const unit = linearUnit(keys, 'ProjLinearUnitsGeoKey', 'ProjLinearUnitSizeGeoKey');
    const ct = keys.code('ProjCoordTransGeoKey');
    const projection = keys.code('ProjectionGeoKey');
    let proj: Proj4Params;
    if (ct === undefined && projection !== undefined && projection !== USER_DEFINED) {
      const utm = utmFromProjectionCode(projection);
      if (!utm) throw new UnsupportedCrsError(`GeoTIFF ProjectionGeoKey = ${projection} (EPSG conversion) without ProjCoordTransGeoKey is not supported`);
      proj = utm;
    } else if (ct === undefined) {
      throw new UnsupportedCrsError('GeoTIFF user-defined projected CRS without ProjCoordTransGeoKey');
    } else {
      const az = keys.code('GeogAzimuthUnitsGeoKey') !== undefined
        ? angularUnit(keys, 'GeogAzimuthUnitsGeoKey', 'GeogAngularUnitSizeGeoKey') : geo.angular;
      proj = projectionParams(keys, ct, geo.angular.toDegrees, az.toDegrees, unit.metres);
    }
    const def = formatProj4([...proj, ...geo.params, ...unitParams(unit), ['no_defs', undefined]]);
    const name = citationName(keys, 'PCSCitationGeoKey', 'GTCitationGeoKey') ?? 'User-defined projected CRS';
    return customCrs(def, false, name, geo.datumCode);
  }

  if (model !== MODEL_GEOGRAPHIC) throw new UnsupportedCrsError(`GeoTIFF GTModelTypeGeoKey = ${model} is not a known model type`);
  const geo = geodeticPart(keys);
  if (!geo.angular.isDegree) {
    // proj4 longlat definitions are in degrees; a raster georeferenced in grads or radians would need its own
    // scaling of the geotransform, which the engine does not do.
    throw new UnsupportedCrsError(`GeoTIFF geographic CRS in angular unit ${keys.code('GeogAngularUnitsGeoKey')} (only degrees are supported)`);
  }
  if (geo.epsgGeographic) return geo.epsgGeographic;
  const def = formatProj4([['proj', 'longlat'], ...geo.params, ['no_defs', undefined]]);
  const name = citationName(keys, 'GeogCitationGeoKey', 'GTCitationGeoKey') ?? 'User-defined geographic CRS';
  return customCrs(def, true, name, geo.datumCode);
}
