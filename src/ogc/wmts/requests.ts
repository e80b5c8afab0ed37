/**
 * WMTS 1.0 operation requests, whichever binding carried them: the KVP binding (07-057r7 §8,
 * `GET /wmts?SERVICE=WMTS&REQUEST=…`) parsed here, the RESTful binding (§10.2) in `rest.ts`.
 */
import { KvpParameters, list, integer, type RawQuery } from './kvp.js';
import { OwsException } from './exceptions.js';

export const WMTS_VERSION = '1.0.0';

/** GetTile (07-057r7 §7.2.2.1, Table 22). Values exactly as given: validated against the layer later. */
export interface TileParams {
  layer: string;
  /** '' when a sloppy client sent `STYLE=` (taken as the default style). */
  style: string;
  /** A MIME type (KVP `Format`) or the format an extension named (RESTful). */
  format: string;
  tileMatrixSet: string;
  tileMatrix: string;
  tileRow: number;
  tileCol: number;
}

/** GetFeatureInfo (07-057r7 §7.3.1, Table 25): a GetTile plus a pixel and the answer's format. */
export interface FeatureInfoParams extends TileParams {
  i: number;
  j: number;
  infoFormat: string;
}

/** GetCapabilities (OGC 06-121r3 §7.2, Table 3); absent parameters are undefined. */
export interface CapabilitiesParams {
  acceptVersions?: string[];
  sections?: string[];
  updateSequence?: string;
  acceptFormats?: string[];
}

export type WmtsRequest =
  | { operation: 'GetCapabilities'; params: CapabilitiesParams }
  | { operation: 'GetTile'; params: TileParams }
  | { operation: 'GetFeatureInfo'; params: FeatureInfoParams };

export const OPERATIONS = ['GetCapabilities', 'GetTile', 'GetFeatureInfo'] as const;

/**
 * Parses a KVP request. SERVICE must be `WMTS` (06-121r3 §7.2.1: mandatory in every request),
 * REQUEST one of the three operations (else OperationNotSupported, locator `request`),
 * VERSION `1.0.0` for GetTile and GetFeatureInfo (GetCapabilities negotiates versions with
 * AcceptVersions instead, §7.3.2, and ignores a VERSION parameter).
 */
export function parseKvpRequest(query: RawQuery): WmtsRequest {
  const p = new KvpParameters(query);
  const service = p.require('service');
  if (service !== 'WMTS') throw new OwsException('InvalidParameterValue', 'service', `SERVICE must be WMTS, got "${service}"`);
  const request = p.require('request');
  switch (request) {
    case 'GetCapabilities':
      return { operation: 'GetCapabilities', params: capabilitiesParams(p) };
    case 'GetTile':
      checkVersion(p);
      return { operation: 'GetTile', params: tileParams(p) };
    case 'GetFeatureInfo': {
      checkVersion(p);
      const tile = tileParams(p);
      const j = integer(p.require('J'), 'J');
      const i = integer(p.require('I'), 'I');
      return { operation: 'GetFeatureInfo', params: { ...tile, i, j, infoFormat: p.require('InfoFormat') } };
    }
    default:
      throw new OwsException('OperationNotSupported', 'request', `operation "${request}" is not supported (GetCapabilities, GetTile, GetFeatureInfo)`);
  }
}

function checkVersion(p: KvpParameters): void {
  const version = p.require('Version');
  if (version !== WMTS_VERSION) throw new OwsException('InvalidParameterValue', 'Version', `VERSION must be ${WMTS_VERSION}, got "${version}"`);
}

function tileParams(p: KvpParameters): TileParams {
  const layer = p.require('Layer');
  const style = p.get('Style');
  if (style === undefined) throw new OwsException('MissingParameterValue', 'Style', 'parameter Style is required');
  const format = p.require('Format');
  const tileMatrixSet = p.require('TileMatrixSet');
  const tileMatrix = p.require('TileMatrix');
  const tileRow = integer(p.require('TileRow'), 'TileRow');
  const tileCol = integer(p.require('TileCol'), 'TileCol');
  return { layer, style, format, tileMatrixSet, tileMatrix, tileRow, tileCol };
}

function capabilitiesParams(p: KvpParameters): CapabilitiesParams {
  const out: CapabilitiesParams = {};
  const versions = p.get('AcceptVersions');
  if (versions !== undefined) out.acceptVersions = list(versions);
  const sections = p.get('Sections');
  if (sections !== undefined) out.sections = list(sections);
  const updateSequence = p.get('updateSequence');
  if (updateSequence !== undefined && updateSequence !== '') out.updateSequence = updateSequence;
  const formats = p.get('AcceptFormats');
  if (formats !== undefined) out.acceptFormats = list(formats);
  return out;
}
