/**
 * One collection as a WMTS Layer (07-057r7 §7.1.1.1.1, Table 6; element order from
 * wmtsGetCapabilities_response.xsd): ows:Title, ows:Abstract, ows:WGS84BoundingBox,
 * ows:Identifier, one ows:BoundingBox per offered CRS (CRS axis order), Style, Format,
 * InfoFormat, one TileMatrixSetLink per offered set with TileMatrixSetLimits, and the RESTful
 * ResourceURL templates for tiles and feature info (§10.2.1).
 */
import type { create } from 'xmlbuilder2';
import type { Collection } from '../../catalog/types.js';
import {
  tileMatrixSetAxisOrder, tileMatrixSetCrs, toCrsAxisOrder, type TileMatrixSet, type TileMatrixSetRegistry,
} from '../../tilematrixsets/index.js';
import { IMAGE_MIME, imageExtension, INFO_FORMATS } from './formats.js';
import { layerExtent } from './limits.js';
import { crsUrn } from './tilematrixset.js';
import { DEFAULT_STYLE, wmtsTileMatrixSets } from './tiles.js';
import { NS, position } from './xml.js';

type Builder = ReturnType<typeof create>;

/**
 * `{base}/wmts/1.0.0/{layer}/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}`: the
 * layer is a literal, percent-encoded (RFC 3986) so that spaces, `%`, `?`, `#` or non-ASCII
 * letters in its id make a valid URL; the rest are template variables (§10.2.1).
 */
export function restTileBase(base: string, layerId: string): string {
  return `${base}/wmts/1.0.0/${encodeURIComponent(layerId)}/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}`;
}

export function tileTemplate(base: string, layerId: string, ext: string): string {
  return `${restTileBase(base, layerId)}.${ext}`;
}

export function featureInfoTemplate(base: string, layerId: string, ext: string): string {
  return `${restTileBase(base, layerId)}/{J}/{I}.${ext}`;
}

function text(parent: Builder, ns: string, name: string, value: string): void {
  parent.ele(ns, name).txt(value);
}

export function appendLayer(contents: Builder, base: string, c: Collection, registry: TileMatrixSetRegistry): void {
  const layer = contents.ele(NS.wmts, 'Layer');
  text(layer, NS.ows, 'ows:Title', c.title);
  text(layer, NS.ows, 'ows:Abstract', c.description);
  const [w, s, e, n] = c.info.lonLatBounds;
  // OWS 1.1 §10.2.5: WGS84BoundingBox is longitude, latitude; west > east crosses the antimeridian.
  const wgs84 = layer.ele(NS.ows, 'ows:WGS84BoundingBox');
  text(wgs84, NS.ows, 'ows:LowerCorner', position([w, s]));
  text(wgs84, NS.ows, 'ows:UpperCorner', position([e, n]));
  text(layer, NS.ows, 'ows:Identifier', c.id);
  const sets = wmtsTileMatrixSets(c, registry);
  const seenCrs = new Set<string>();
  for (const tms of sets) {
    const urn = crsUrn(tileMatrixSetCrs(tms));
    const b = layerExtent(c, tms).crsBounds;
    if (!b || seenCrs.has(urn)) continue;
    seenCrs.add(urn);
    const order = tileMatrixSetAxisOrder(tms);
    const bbox = layer.ele(NS.ows, 'ows:BoundingBox').att('crs', urn);
    text(bbox, NS.ows, 'ows:LowerCorner', position(toCrsAxisOrder(b.minX, b.minY, order)));
    text(bbox, NS.ows, 'ows:UpperCorner', position(toCrsAxisOrder(b.maxX, b.maxY, order)));
  }
  const style = layer.ele(NS.wmts, 'Style').att('isDefault', 'true');
  text(style, NS.ows, 'ows:Title', 'Default');
  text(style, NS.ows, 'ows:Identifier', DEFAULT_STYLE);
  for (const f of c.formats) text(layer, NS.wmts, 'Format', IMAGE_MIME[f]);
  for (const f of INFO_FORMATS) text(layer, NS.wmts, 'InfoFormat', f.mime);
  for (const tms of sets) appendTileMatrixSetLink(layer, c, tms);
  for (const f of c.formats) {
    layer.ele(NS.wmts, 'ResourceURL').att({ format: IMAGE_MIME[f], resourceType: 'tile', template: tileTemplate(base, c.id, imageExtension(f)) });
  }
  for (const f of INFO_FORMATS) {
    layer.ele(NS.wmts, 'ResourceURL').att({ format: f.mime, resourceType: 'FeatureInfo', template: featureInfoTemplate(base, c.id, f.ext) });
  }
}

function appendTileMatrixSetLink(layer: Builder, c: Collection, tms: TileMatrixSet): void {
  const link = layer.ele(NS.wmts, 'TileMatrixSetLink');
  text(link, NS.wmts, 'TileMatrixSet', tms.id);
  const advertised = layerExtent(c, tms).advertised;
  if (advertised.length === 0) return;
  const limits = link.ele(NS.wmts, 'TileMatrixSetLimits');
  for (const l of advertised) {
    const e = limits.ele(NS.wmts, 'TileMatrixLimits');
    text(e, NS.wmts, 'TileMatrix', l.tileMatrix);
    text(e, NS.wmts, 'MinTileRow', String(l.minTileRow));
    text(e, NS.wmts, 'MaxTileRow', String(l.maxTileRow));
    text(e, NS.wmts, 'MinTileCol', String(l.minTileCol));
    text(e, NS.wmts, 'MaxTileCol', String(l.maxTileCol));
  }
}
