/**
 * What the assertions need from the server under test, read once from its capabilities
 * document (as the OGC test suite bootstraps from it): the KVP endpoints per operation, the
 * RESTful ResourceURL templates, and for every layer a tile that must exist (the first
 * TileMatrixLimits of its first TileMatrixSetLink, else tile 0/0 of the first matrix).
 */
import { get, type Response } from './http.js';
import { child, childText, children, descendants, OWS, parseXml, WMTS, XLINK, type XmlElement } from './xml.js';

export interface TileSample {
  layer: string;
  style: string;
  formats: string[];
  infoFormats: string[];
  tileMatrixSet: string;
  tileMatrix: string;
  row: number;
  col: number;
  matrixWidth: number;
  matrixHeight: number;
  tileWidth: number;
  tileHeight: number;
  /** The TileMatrixLimits of this matrix when the layer gives them. */
  limits: { minRow: number; maxRow: number; minCol: number; maxCol: number } | undefined;
  /** ResourceURL templates by format. */
  tileTemplates: Map<string, string>;
  infoTemplates: Map<string, string>;
}

/** Validates a document against a schema: '' when valid, else the validator's messages. */
export type Validator = (xml: string, schema: 'capabilities' | 'capabilities-cite' | 'exception') => Promise<string>;

export interface SuiteContext {
  capabilitiesUrl: string;
  capabilities: Response;
  root: XmlElement;
  /** ows:Get xlink:href per operation name (the KVP endpoints). */
  kvp: Map<string, string[]>;
  samples: TileSample[];
  validate: Validator | undefined;
}

/** `http://host:port` → its KVP GetCapabilities URL; a URL that already names a request is kept. */
export function capabilitiesUrlOf(target: string): string {
  if (/[?&]request=/i.test(target) || /WMTSCapabilities\.xml$/i.test(target)) return target;
  return `${target.replace(/\/+$/, '')}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities`;
}

export async function buildContext(target: string, validate?: Validator): Promise<SuiteContext> {
  const capabilitiesUrl = capabilitiesUrlOf(target);
  const capabilities = await get(capabilitiesUrl);
  if (capabilities.status !== 200) throw new Error(`GetCapabilities answered HTTP ${capabilities.status}`);
  let root: XmlElement;
  try {
    root = parseXml(capabilities.text());
  } catch (err) {
    throw new Error(`the answer is not XML (${capabilities.contentType}): ${(err as Error).message.split('\n')[0]}`);
  }
  if (root.namespaceURI !== WMTS || root.localName !== 'Capabilities') throw new Error(`the root element is ${root.localName}, not wmts:Capabilities`);
  const kvp = new Map<string, string[]>();
  for (const op of descendants(root, OWS, 'Operation')) {
    const hrefs = descendants(op, OWS, 'Get').map((g) => g.getAttributeNS(XLINK, 'href') ?? '');
    kvp.set(op.getAttribute('name') ?? '', hrefs);
  }
  const contents = child(root, WMTS, 'Contents');
  const sets = new Map<string, XmlElement>();
  for (const tms of contents ? children(contents, WMTS, 'TileMatrixSet') : []) sets.set(childText(tms, OWS, 'Identifier') ?? '', tms);
  const samples: TileSample[] = [];
  for (const layer of contents ? children(contents, WMTS, 'Layer') : []) {
    const sample = sampleOf(layer, sets);
    if (sample) samples.push(sample);
  }
  return { capabilitiesUrl, capabilities, root, kvp, samples, validate };
}

function sampleOf(layer: XmlElement, sets: Map<string, XmlElement>): TileSample | undefined {
  const link = child(layer, WMTS, 'TileMatrixSetLink');
  if (!link) return undefined;
  const tmsId = childText(link, WMTS, 'TileMatrixSet') ?? '';
  const tms = sets.get(tmsId);
  if (!tms) return undefined;
  const limitsList = descendants(link, WMTS, 'TileMatrixLimits');
  const first = limitsList[0];
  const matrixId = first ? childText(first, WMTS, 'TileMatrix')! : childText(children(tms, WMTS, 'TileMatrix')[0]!, OWS, 'Identifier')!;
  const matrix = children(tms, WMTS, 'TileMatrix').find((m) => childText(m, OWS, 'Identifier') === matrixId);
  if (!matrix) return undefined;
  const num = (e: XmlElement, name: string) => Number(childText(e, WMTS, name));
  const limits = first ? { minRow: num(first, 'MinTileRow'), maxRow: num(first, 'MaxTileRow'), minCol: num(first, 'MinTileCol'), maxCol: num(first, 'MaxTileCol') } : undefined;
  const styles = children(layer, WMTS, 'Style');
  const style = styles.find((s) => s.getAttribute('isDefault') === 'true') ?? styles[0];
  const templates = (type: string) => new Map(children(layer, WMTS, 'ResourceURL')
    .filter((r) => r.getAttribute('resourceType') === type)
    .map((r) => [r.getAttribute('format') ?? '', r.getAttribute('template') ?? ''] as const));
  return {
    layer: childText(layer, OWS, 'Identifier') ?? '',
    style: style ? childText(style, OWS, 'Identifier') ?? '' : '',
    formats: children(layer, WMTS, 'Format').map((f) => f.textContent?.trim() ?? ''),
    infoFormats: children(layer, WMTS, 'InfoFormat').map((f) => f.textContent?.trim() ?? ''),
    tileMatrixSet: tmsId,
    tileMatrix: matrixId,
    row: limits?.minRow ?? 0,
    col: limits?.minCol ?? 0,
    matrixWidth: num(matrix, 'MatrixWidth'),
    matrixHeight: num(matrix, 'MatrixHeight'),
    tileWidth: num(matrix, 'TileWidth'),
    tileHeight: num(matrix, 'TileHeight'),
    limits,
    tileTemplates: templates('tile'),
    infoTemplates: templates('FeatureInfo'),
  };
}

/** Expands a ResourceURL template (07-057r7 §10.2.1); values are percent-encoded as URL path segments. */
export function expand(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? encodeURIComponent(String(values[name])) : m));
}
