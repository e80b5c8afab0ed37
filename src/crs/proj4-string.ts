/**
 * proj4 definition strings as ordered key/value lists, so datum parts can be swapped without regexes
 * scattered around the module.
 */

export type Proj4Params = Array<[string, string | undefined]>;

export function parseProj4(def: string): Proj4Params {
  const out: Proj4Params = [];
  for (const tok of def.trim().split(/\s+/)) {
    if (!tok.startsWith('+')) continue;
    const eq = tok.indexOf('=');
    if (eq < 0) out.push([tok.slice(1), undefined]);
    else out.push([tok.slice(1, eq), tok.slice(eq + 1)]);
  }
  return out;
}

export function formatProj4(params: Proj4Params): string {
  return params.map(([k, v]) => (v === undefined ? `+${k}` : `+${k}=${v}`)).join(' ');
}

export function getParam(def: string, key: string): string | undefined {
  return parseProj4(def).find(([k]) => k === key)?.[1];
}

/**
 * Ellipsoid and prime meridian of proj4's built-in datums that epsg-index writes with +datum=
 * (proj4js's own datum table would add +nadgrids=@conus... for NAD27, which it cannot load).
 */
const DATUM_ELLIPSOID: Record<string, string> = { NAD27: 'clrk66', NAD83: 'GRS80', WGS84: 'WGS84' };

/**
 * The definition without any datum shift (+towgs84, +nadgrids, +datum other than WGS84), with the ellipsoid made
 * explicit and always ending in +no_defs. proj4js treats such a CRS as "no datum" and does not shift it, which is
 * what PROJ's "ballpark" operation does (keeps longitude/latitude unchanged).
 */
export function withoutDatumShift(def: string): string {
  const out: Proj4Params = [];
  for (const [k, v] of parseProj4(def)) {
    if (k === 'towgs84' || k === 'nadgrids' || k === 'no_defs' || k === 'type' || k === 'axis') continue;
    if (k === 'datum') {
      const ellps = DATUM_ELLIPSOID[v ?? ''];
      if (ellps) out.push(['ellps', ellps]);
      continue;
    }
    out.push([k, v]);
  }
  out.push(['no_defs', undefined]);
  return formatProj4(out);
}

/** Appends a datum shift to a definition produced by `withoutDatumShift`. */
export function withDatumShift(def: string, shift: { towgs84?: readonly number[]; grid?: string }): string {
  const params = parseProj4(def).filter(([k]) => k !== 'no_defs');
  if (shift.grid) params.push(['nadgrids', shift.grid]);
  else if (shift.towgs84) params.push(['towgs84', shift.towgs84.join(',')]);
  params.push(['no_defs', undefined]);
  return formatProj4(params);
}

/** The geographic (longlat) definition on the same ellipsoid and prime meridian, without datum shift. */
export function geographicOf(def: string): string {
  const keep = new Set(['ellps', 'a', 'b', 'rf', 'f', 'R', 'es', 'e', 'pm', 'datum']);
  const params: Proj4Params = [['proj', 'longlat']];
  for (const [k, v] of parseProj4(withoutDatumShift(def))) if (keep.has(k)) params.push([k, v]);
  params.push(['no_defs', undefined]);
  return formatProj4(params);
}
