/**
 * CRS identifiers: "EPSG:3857", "3857", OGC URIs and URNs, CRS84.
 *
 * URI form: OGC 09-048r5 "Name type specification - definitions", e.g.
 * `http://www.opengis.net/def/crs/EPSG/0/4326`; URN form: OGC 07-092r3, e.g. `urn:ogc:def:crs:EPSG::4326`
 * (version may be empty or e.g. "6.6") and `urn:ogc:def:crs:OGC:1.3:CRS84`.
 */

const OGC_URI = /^https?:\/\/www\.opengis\.net\/def\/crs\/(EPSG|OGC)\/[^/]*\/([^/?#]+)\/?$/i;
const URN = /^urn:(?:x-)?ogc:def:crs:(EPSG|OGC):[^:]*:([^:]+)$/i;

/** Normalises "EPSG:3857", "3857", OGC URIs, URNs and "CRS84" to a canonical id ("EPSG:3857", "OGC:CRS84"). */
export function canonicalCrsId(input: string): string {
  const s = input.trim();
  let m = OGC_URI.exec(s) ?? URN.exec(s);
  if (m) return normalise(m[1]!, m[2]!);
  m = /^(EPSG|OGC):{1,2}(\w+)$/i.exec(s);
  if (m) return normalise(m[1]!, m[2]!);
  if (/^\d+$/.test(s)) return `EPSG:${Number(s)}`;
  if (/^CRS:?84$/i.test(s)) return 'OGC:CRS84';
  return s;
}

function normalise(authority: string, code: string): string {
  const auth = authority.toUpperCase();
  const c = code.toUpperCase();
  if (auth === 'EPSG' && /^\d+$/.test(c)) return `EPSG:${Number(c)}`;
  return `${auth}:${c}`;
}

/** The OGC URI of an "EPSG:n" or "OGC:x" id; empty for anything else. */
export function crsUri(id: string): string {
  const m = /^(EPSG|OGC):(.+)$/.exec(id);
  if (!m) return '';
  if (m[1] === 'OGC') return `http://www.opengis.net/def/crs/OGC/1.3/${m[2]}`;
  return `http://www.opengis.net/def/crs/EPSG/0/${m[2]}`;
}
