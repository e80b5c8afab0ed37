/**
 * Links of the OGC API documents (OGC 19-072 OGC API - Common Part 1, §8.2 "Link relations";
 * the OGC link relation register http://www.opengis.net/def/rel/ogc/1.0/). Every href is
 * absolute: built from the server's public base URL, never from the request path.
 */

/** `link.yaml` of OGC API - Tiles / Common: href and rel required, the rest hints. */
export interface Link {
  href: string;
  rel: string;
  type?: string;
  title?: string;
  /** True when `href` is a URI template (e.g. `{tileMatrix}/{tileRow}/{tileCol}`). */
  templated?: boolean;
}

const OGC_REL = 'http://www.opengis.net/def/rel/ogc/1.0/';

/** Link relation types used by the OGC API faces. */
export const REL = {
  self: 'self',
  alternate: 'alternate',
  item: 'item',
  /** IANA `service-desc`: the API definition (OpenAPI) — /req/landing-page/root-success. */
  serviceDesc: 'service-desc',
  /** IANA `service-doc`: the API documentation for people. */
  serviceDoc: 'service-doc',
  conformance: 'conformance',
  ogcConformance: `${OGC_REL}conformance`,
  data: 'data',
  ogcData: `${OGC_REL}data`,
  tilingSchemes: `${OGC_REL}tiling-schemes`,
  tilingScheme: `${OGC_REL}tiling-scheme`,
  tilesetsMap: `${OGC_REL}tilesets-map`,
  tilesetsCoverage: `${OGC_REL}tilesets-coverage`,
  map: `${OGC_REL}map`,
  /** IANA `describedby`. */
  describedBy: 'describedby',
  /** Back to the browser map (Tilewright's own viewer page). */
  viewer: 'related',
} as const;

export const MEDIA = {
  json: 'application/json',
  html: 'text/html',
  openapi: 'application/vnd.oai.openapi+json;version=3.0',
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  geotiff: 'image/tiff; application=geotiff',
} as const;

/** A path segment: percent-encoded (RFC 3986) so ids with spaces, `%` or `?` make valid URLs. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

export function link(rel: string, type: string | undefined, href: string, title?: string): Link {
  return { href, rel, ...(type ? { type } : {}), ...(title ? { title } : {}) };
}

/**
 * The self link and the alternate representations of a metadata resource (JSON and HTML,
 * chosen by `f`): /req/json/definition, /req/html/definition of OGC API - Common Part 1.
 */
export function selfAndAlternates(href: string, current: 'json' | 'html', title: string): Link[] {
  const json = link(current === 'json' ? REL.self : REL.alternate, MEDIA.json, `${href}?f=json`, `${title} (JSON)`);
  const html = link(current === 'html' ? REL.self : REL.alternate, MEDIA.html, `${href}?f=html`, `${title} (HTML)`);
  return current === 'json' ? [{ ...json, href }, html] : [html, json];
}
