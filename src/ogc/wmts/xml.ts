/**
 * Namespaces and number formatting shared by the WMTS documents. Documents are built with
 * xmlbuilder2, which escapes text and attribute values (identifiers with `&`, `<`, quotes or
 * any Unicode character come out well-formed).
 */
export const NS = {
  wmts: 'http://www.opengis.net/wmts/1.0',
  ows: 'http://www.opengis.net/ows/1.1',
  xlink: 'http://www.w3.org/1999/xlink',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** Public locations of the schemas, for xsi:schemaLocation (validation in the tests uses offline copies). */
export const SCHEMA_LOCATION = {
  // The CITE test suite runs its schema check only when the location names wmts.xsd.
  wmts: `${NS.wmts} http://schemas.opengis.net/wmts/1.0/wmts.xsd`,
  owsExceptionReport: `${NS.ows} http://schemas.opengis.net/ows/1.1.0/owsExceptionReport.xsd`,
} as const;

/**
 * A double as XML Schema `double` text: the shortest decimal that reads back as the same
 * number (ECMAScript Number::toString), e.g. 559082264.0287178, 0.703125, -20037508.342789244.
 * Exponents stay in a form xs:double accepts (1e-7).
 */
export function xsDouble(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return String(n);
}

/** An ows:PositionType (a space-separated list of doubles) of a point given in CRS axis order. */
export function position(p: readonly [number, number]): string {
  return `${xsDouble(p[0])} ${xsDouble(p[1])}`;
}
