/**
 * Offline EPSG lookup: proj4 definitions from epsg-index (one small JSON per code, loaded on demand — never
 * its 8 MB all.json), official axis order and PROJ's datum-shift candidates from epsg-data.ts.
 */
import { createRequire } from 'node:module';
import { buildDatumShifts, datumShiftRows, pickShift, areaBoxIn } from './datum-shifts.js';
import { CRS_DATUM_RANGES, GEOGRAPHIC_LONGITUDE_FIRST, PROJECTED_NORTHING_FIRST } from './epsg-data.js';
import { crsUri } from './ids.js';
import { formatProj4, geographicOf, parseProj4, withoutDatumShift } from './proj4-string.js';
import type { AxisOrder, Crs, DatumShift } from './types.js';
import { UnknownCrsError } from './types.js';
import { child, children, epsgAuthority, parseWkt, type WktNode } from './wkt.js';

const require = createRequire(import.meta.url);

interface EpsgIndexRecord {
  code: string;
  kind: string;
  name: string | null;
  wkt: string | null;
  proj4: string | null;
  /** [north, west, south, east] in degrees. */
  bbox: [number, number, number, number] | null;
}

function readRecord(code: number): EpsgIndexRecord | undefined {
  try {
    return require(`epsg-index/s/${code}.json`) as EpsgIndexRecord;
  } catch {
    return undefined;
  }
}

function inRanges(ranges: ReadonlyArray<readonly [number, number]>, code: number): boolean {
  let lo = 0, hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (code < a) hi = mid - 1;
    else if (code > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Official axis order. epsg-index's WKT1 omits AXIS for exactly the interesting cases (EPSG:4326, 3035, 2193 ...),
 * so the order comes from EPSG's coordinate systems (generated table), then from the WKT's first AXIS, then the
 * WKT1 default (east, north).
 */
export function epsgAxisOrder(code: number, isGeographic: boolean, wkt?: WktNode): AxisOrder {
  if (isGeographic) return inRanges(GEOGRAPHIC_LONGITUDE_FIRST, code) ? 'xy' : 'yx';
  if (inRanges(PROJECTED_NORTHING_FIRST, code)) return 'yx';
  const axis = wkt && child(wkt, 'AXIS');
  if (axis && /^(NORTH|SOUTH)$/i.test(String(axis.args[1]))) return 'yx';
  return 'xy';
}

/**
 * The EPSG datum code of a CRS: from the generated table for the datums with tabulated shifts (epsg-index's WKT1
 * usually drops the DATUM authority, and has no WKT for e.g. EPSG:4807), else from the WKT's DATUM AUTHORITY.
 */
function datumCode(code: number, wkt: WktNode | undefined): number | undefined {
  for (const [datum, ranges] of Object.entries(CRS_DATUM_RANGES)) if (inRanges(ranges, code)) return Number(datum);
  if (!wkt) return undefined;
  const geog = wkt.keyword === 'GEOGCS' ? wkt : child(wkt, 'GEOGCS');
  return epsgAuthority(geog && children(geog, 'DATUM')[0]);
}

/**
 * proj4 definition and datum-shift candidates of a CRS whose datum has a tabulated candidate set. The default
 * definition is PROJ's pick at the centre of the CRS's area of use; ballpark (no shift) when nothing applies.
 */
export function applyDatumShifts(def: string, datum: number | undefined, centre?: [number, number]):
  { proj4: string; datumShifts?: DatumShift[] } {
  const rows = datumShiftRows(datum);
  if (!rows) {
    // Datums outside the table keep epsg-index's +towgs84; +nadgrids that proj4js cannot load (no grid) would
    // make every point fail, so they fall back to ballpark like PROJ without the grid.
    return /\+nadgrids=(?!@null)/.test(def) ? { proj4: withoutDatumShift(def) } : { proj4: def };
  }
  const shifts = buildDatumShifts(def, rows);
  if (shifts.length === 0) return { proj4: withoutDatumShift(def) };
  let best = 0;
  if (centre) {
    const geog = geographicOf(def).replace(/\s*\+pm=\S+/, '');
    const i = pickShift(shifts, shifts.map((s) => areaBoxIn(geog, geog, s.bbox)), centre[0], centre[1]);
    best = i;
  }
  return { proj4: best < 0 ? withoutDatumShift(def) : shifts[best]!.proj4, datumShifts: shifts };
}

/** Resolves "EPSG:n" without network access; throws UnknownCrsError when epsg-index has no proj4 for it. */
export function lookupEpsg(code: number): Crs {
  const id = `EPSG:${code}`;
  const rec = readRecord(code);
  if (!rec?.proj4) throw new UnknownCrsError(id);
  const isGeographic = /^\+proj=longlat\b/.test(rec.proj4);
  let wkt: WktNode | undefined;
  try {
    wkt = rec.wkt ? parseWkt(rec.wkt) : undefined;
  } catch {
    wkt = undefined;
  }
  // +type=crs is PROJ 6 syntax proj4js ignores; +axis is dropped because engine coordinates are east/north.
  const def = formatProj4(parseProj4(rec.proj4).filter(([k]) => k !== 'type' && k !== 'axis'));
  let centre: [number, number] | undefined;
  if (rec.bbox && rec.bbox.some((v) => v !== 0)) {
    const [n, w, s, e] = rec.bbox;
    const east = e >= w ? e : e + 360;
    const lon = (w + east) / 2;
    centre = [lon > 180 ? lon - 360 : lon, (n + s) / 2];
  }
  const shift = applyDatumShifts(def, datumCode(code, wkt), centre);
  return {
    id,
    uri: crsUri(id),
    proj4: shift.proj4,
    axisOrder: epsgAxisOrder(code, isGeographic, wkt),
    isGeographic,
    name: rec.name ?? id,
    ...(shift.datumShifts ? { datumShifts: shift.datumShifts } : {}),
  };
}

/** EPSG datum code of an EPSG CRS (from epsg-index's WKT), or undefined. */
export function lookupEpsgDatumCode(code: number): number | undefined {
  const rec = readRecord(code);
  let wkt: WktNode | undefined;
  try {
    wkt = rec?.wkt ? parseWkt(rec.wkt) : undefined;
  } catch {
    wkt = undefined;
  }
  return datumCode(code, wkt);
}
