/**
 * The RESTful binding (07-057r7 §10.2): resources at the URLs of the ResourceURL templates the
 * capabilities advertise,
 *
 *   tile:        /wmts/1.0.0/{Layer}/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.{ext}
 *   FeatureInfo: /wmts/1.0.0/{Layer}/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}/{J}/{I}.{infoExt}
 *
 * where the extension names the format (png, jpg/jpeg, webp; txt, html, json, xml). Segments
 * arrive percent-decoded ("Zürich%20Nord" → "Zürich Nord").
 */
import { OwsException } from './exceptions.js';
import { IMAGE_MIME, imageFormatOfExtension, infoFormatOfExtension } from './formats.js';
import { integer } from './kvp.js';
import type { FeatureInfoParams, TileParams } from './requests.js';

export interface RestTilePath {
  layer: string;
  style: string;
  tileMatrixSet: string;
  tileMatrix: string;
  tileRow: string;
  /** "{TileCol}.{ext}" */
  last: string;
}

export interface RestFeatureInfoPath extends Omit<RestTilePath, 'last'> {
  tileCol: string;
  j: string;
  /** "{I}.{infoExt}" */
  last: string;
}

/** "12.png" → ["12", "png"]; the extension is required (it is the format). */
function splitExtension(last: string, name: string): [string, string] {
  const m = /^(.*)\.([A-Za-z]+)$/.exec(last);
  if (!m) throw new OwsException('InvalidParameterValue', name, `the last path segment must be {${name}}.{extension}, got "${last}"`);
  return [m[1]!, m[2]!];
}

export function parseRestTile(path: RestTilePath): TileParams {
  const [col, ext] = splitExtension(path.last, 'TileCol');
  const format = imageFormatOfExtension(ext);
  if (!format) throw new OwsException('InvalidParameterValue', 'Format', `no tile format has the extension ".${ext}" (png, jpg, webp)`);
  return {
    layer: path.layer, style: path.style, format: IMAGE_MIME[format], tileMatrixSet: path.tileMatrixSet, tileMatrix: path.tileMatrix,
    tileRow: integer(path.tileRow, 'TileRow'), tileCol: integer(col, 'TileCol'),
  };
}

/**
 * The FeatureInfo resource has no image format in its URL; the tile part is checked against
 * the layer's default (first) format, which the caller fills in.
 */
export function parseRestFeatureInfo(path: RestFeatureInfoPath, defaultFormat: string): FeatureInfoParams {
  const [i, ext] = splitExtension(path.last, 'I');
  const infoFormat = infoFormatOfExtension(ext);
  if (!infoFormat) throw new OwsException('InvalidParameterValue', 'InfoFormat', `no feature info format has the extension ".${ext}" (txt, html, json, xml)`);
  return {
    layer: path.layer, style: path.style, format: defaultFormat, tileMatrixSet: path.tileMatrixSet, tileMatrix: path.tileMatrix,
    tileRow: integer(path.tileRow, 'TileRow'), tileCol: integer(path.tileCol, 'TileCol'),
    j: integer(path.j, 'J'), i: integer(i, 'I'), infoFormat,
  };
}
