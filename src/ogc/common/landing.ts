/**
 * The landing page (OGC 19-072 §7.2, /req/landing-page/root-success): title, description and
 * links to the API definition (service-desc, service-doc), the conformance declaration, the
 * collections (data), the tiling schemes, the dataset tilesets and the map viewer.
 */
import { link, MEDIA, REL, selfAndAlternates, type Link } from './links.js';

export interface LandingInput {
  base: string;
  /** Path of the landing page under base (`/ogcapi`). */
  path: string;
  title: string;
  description: string;
  format: 'json' | 'html';
  /** Extra links the mounted faces contribute (dataset tilesets, the viewer …). */
  links: readonly Link[];
}

export function landingPage(input: LandingInput) {
  const { base } = input;
  return {
    title: input.title,
    description: input.description,
    links: [
      ...selfAndAlternates(`${base}${input.path}`, input.format, 'this landing page'),
      link(REL.serviceDesc, MEDIA.openapi, `${base}/api`, 'the API definition (OpenAPI 3.0, JSON)'),
      link(REL.serviceDoc, MEDIA.html, `${base}/api?f=html`, 'the API documentation (HTML)'),
      link(REL.conformance, MEDIA.json, `${base}/conformance`, 'conformance classes implemented'),
      link(REL.ogcConformance, MEDIA.json, `${base}/conformance`, 'conformance classes implemented'),
      link(REL.data, MEDIA.json, `${base}/collections`, 'the collections'),
      link(REL.ogcData, MEDIA.json, `${base}/collections`, 'the collections'),
      link(REL.tilingSchemes, MEDIA.json, `${base}/tileMatrixSets`, 'the tile matrix sets (tiling schemes)'),
      ...input.links,
    ],
  };
}
