/**
 * The WMTS 1.0 ServiceMetadata (Capabilities) document (07-057r7 §7.1.1, procedure-oriented
 * KVP GetCapabilities and the RESTful `/wmts/1.0.0/WMTSCapabilities.xml` share it), built with
 * xmlbuilder2 and valid against wmtsGetCapabilities_response.xsd v1.0.2 and the OGC test
 * suite's copy.
 *
 * - OperationsMetadata (06-121r3 §7.4.6): GetCapabilities, GetTile and GetFeatureInfo, each
 *   with exactly one HTTP Get endpoint, the KVP base URL ending in `?` (06-121r3 §11.5.1),
 *   constrained to GetEncoding = KVP (07-057r7 §8.1). The RESTful binding is announced by the
 *   ResourceURL templates of every layer and by ServiceMetadataURL (§10.1).
 * - Contents: every collection as a Layer (layer.ts) and every tile matrix set a layer links
 *   to, once (tilematrixset.ts).
 * - `updateSequence` on the root (06-121r3 §7.3.4); Sections select children (§7.3.3).
 */
import { create } from 'xmlbuilder2';
import type { Catalog } from '../../catalog/types.js';
import type { TileMatrixSet, TileMatrixSetRegistry } from '../../tilematrixsets/index.js';
import { appendLayer } from './layer.js';
import { SECTIONS, type Section } from './negotiation.js';
import { OPERATIONS, WMTS_VERSION } from './requests.js';
import { wmtsTileMatrixSet } from './tilematrixset.js';
import { wmtsTileMatrixSets } from './tiles.js';
import { NS, position, SCHEMA_LOCATION, xsDouble } from './xml.js';

type Builder = ReturnType<typeof create>;

export interface ServiceDescription {
  title: string;
  abstract: string;
  providerName: string;
}

export const DEFAULT_SERVICE: ServiceDescription = {
  title: 'Tilewright WMTS',
  abstract: 'Map tiles rendered from Cloud-Optimized GeoTIFFs.',
  providerName: 'Tilewright',
};

export interface CapabilitiesInput {
  /** Absolute base URL of the server, without a trailing slash. */
  base: string;
  catalog: Catalog;
  registry: TileMatrixSetRegistry;
  updateSequence: string;
  service?: ServiceDescription;
}

export function kvpEndpoint(base: string): string {
  return `${base}/wmts?`;
}

export function restCapabilitiesUrl(base: string): string {
  return `${base}/wmts/1.0.0/WMTSCapabilities.xml`;
}

function root(updateSequence: string): Builder {
  return create({ version: '1.0', encoding: 'UTF-8' })
    .ele(NS.wmts, 'Capabilities')
    .att('xmlns:ows', NS.ows)
    .att('xmlns:xlink', NS.xlink)
    .att(NS.xsi, 'xsi:schemaLocation', SCHEMA_LOCATION.wmts)
    .att('version', WMTS_VERSION)
    .att('updateSequence', updateSequence);
}

function text(parent: Builder, ns: string, name: string, value: string): void {
  parent.ele(ns, name).txt(value);
}

/** The "current" answer of 06-121r3 Table 6: the root element with version and updateSequence only. */
export function currentCapabilitiesXml(updateSequence: string): string {
  return root(updateSequence).end({ prettyPrint: true });
}

export function capabilitiesXml(input: CapabilitiesInput, sections: ReadonlySet<Section>): string {
  const service = input.service ?? DEFAULT_SERVICE;
  const doc = root(input.updateSequence);
  if (sections.has('ServiceIdentification')) {
    const si = doc.ele(NS.ows, 'ows:ServiceIdentification');
    text(si, NS.ows, 'ows:Title', service.title);
    text(si, NS.ows, 'ows:Abstract', service.abstract);
    text(si, NS.ows, 'ows:ServiceType', 'OGC WMTS');
    text(si, NS.ows, 'ows:ServiceTypeVersion', WMTS_VERSION);
    text(si, NS.ows, 'ows:Fees', 'none');
    text(si, NS.ows, 'ows:AccessConstraints', 'none');
  }
  if (sections.has('ServiceProvider')) {
    const sp = doc.ele(NS.ows, 'ows:ServiceProvider');
    text(sp, NS.ows, 'ows:ProviderName', service.providerName);
    sp.ele(NS.ows, 'ows:ProviderSite').att(NS.xlink, 'xlink:href', `${input.base}/`);
    sp.ele(NS.ows, 'ows:ServiceContact');
  }
  if (sections.has('OperationsMetadata')) {
    const om = doc.ele(NS.ows, 'ows:OperationsMetadata');
    for (const name of OPERATIONS) {
      const get = om.ele(NS.ows, 'ows:Operation').att('name', name)
        .ele(NS.ows, 'ows:DCP').ele(NS.ows, 'ows:HTTP')
        .ele(NS.ows, 'ows:Get').att(NS.xlink, 'xlink:href', kvpEndpoint(input.base));
      get.ele(NS.ows, 'ows:Constraint').att('name', 'GetEncoding')
        .ele(NS.ows, 'ows:AllowedValues').ele(NS.ows, 'ows:Value').txt('KVP');
    }
  }
  if (sections.has('Contents')) {
    const contents = doc.ele(NS.wmts, 'Contents');
    const sets = new Map<string, TileMatrixSet>();
    for (const c of input.catalog.list()) {
      appendLayer(contents, input.base, c, input.registry);
      for (const tms of wmtsTileMatrixSets(c, input.registry)) sets.set(tms.id, tms);
    }
    for (const tms of sets.values()) appendTileMatrixSet(contents, tms);
  }
  // Not a section: only the whole document carries it, so a Sections answer holds nothing else.
  if (SECTIONS.every((s) => sections.has(s))) doc.ele(NS.wmts, 'ServiceMetadataURL').att(NS.xlink, 'xlink:href', restCapabilitiesUrl(input.base));
  return doc.end({ prettyPrint: true });
}

function appendTileMatrixSet(contents: Builder, tms: TileMatrixSet): void {
  const w = wmtsTileMatrixSet(tms);
  const e = contents.ele(NS.wmts, 'TileMatrixSet');
  if (w.title) text(e, NS.ows, 'ows:Title', w.title);
  text(e, NS.ows, 'ows:Identifier', w.identifier);
  text(e, NS.ows, 'ows:SupportedCRS', w.supportedCrs);
  if (w.wellKnownScaleSet) text(e, NS.wmts, 'WellKnownScaleSet', w.wellKnownScaleSet);
  for (const m of w.tileMatrices) {
    const tm = e.ele(NS.wmts, 'TileMatrix');
    text(tm, NS.ows, 'ows:Identifier', m.identifier);
    text(tm, NS.wmts, 'ScaleDenominator', xsDouble(m.scaleDenominator));
    text(tm, NS.wmts, 'TopLeftCorner', position(m.topLeftCorner));
    text(tm, NS.wmts, 'TileWidth', String(m.tileWidth));
    text(tm, NS.wmts, 'TileHeight', String(m.tileHeight));
    text(tm, NS.wmts, 'MatrixWidth', String(m.matrixWidth));
    text(tm, NS.wmts, 'MatrixHeight', String(m.matrixHeight));
  }
}
