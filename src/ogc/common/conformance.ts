/**
 * Conformance declaration (OGC 19-072 §7.4, /req/core/conformance-success): the classes come
 * from the faces that are mounted — each face module exports the classes it implements (this
 * module the Common ones, src/ogc/tiles and src/ogc/maps theirs) and the server lists the
 * union of the modules it mounts. There is no hand-written list of everything.
 */

/** OGC API - Common Part 1 (19-072) and Part 2 (collections) classes implemented by src/ogc/common and the collection documents. */
export const COMMON_CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page',
  'http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json',
  'http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections',
] as const;

/** `confClasses.yaml`: `{conformsTo: [uri…]}`, each class once, in the order the faces declare them. */
export function conformanceDocument(declared: readonly (readonly string[])[]) {
  return { conformsTo: [...new Set(declared.flat())] };
}
