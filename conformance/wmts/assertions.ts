/**
 * Assertions of the WMTS 1.0 server conformance classes, written from the standard's abstract
 * test suite (OGC 07-057r7 Annex A) and OWS Common 1.1 (06-121r3), and modelled on what the
 * OGC test suite ets-wmts10 publicly describes: GetCapabilities, GetTile and GetFeatureInfo,
 * each in the KVP and the RESTful binding. Identifiers are this project's own.
 */
import { expand, type SuiteContext, type TileSample } from './context.js';
import { get, kvpUrl, mimeOf, type Response } from './http.js';
import { child, childText, children, descendants, elementChildren, OWS, parseXml, WMTS, XLINK } from './xml.js';

export type ConformanceClass = 'GetCapabilities' | 'GetTile' | 'GetFeatureInfo';
export type Binding = 'KVP' | 'RESTful';

export interface Assertion {
  id: string;
  conformanceClass: ConformanceClass;
  binding: Binding;
  /** Clause of OGC 07-057r7 (or 06-121r3) the assertion checks. */
  clause: string;
  title: string;
  run(ctx: SuiteContext): Promise<void>;
}

export class AssertionFailure extends Error {}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionFailure(message);
}

const XML_TYPES = ['text/xml', 'application/xml'];

/** The KVP endpoint of an operation: exactly one ows:Get (the CITE suite's rule), ending in `?`. */
function endpoint(ctx: SuiteContext, operation: string): string {
  const hrefs = ctx.kvp.get(operation);
  check(hrefs && hrefs.length === 1, `${operation}: expected exactly one ows:Get, found ${hrefs?.length ?? 0}`);
  return hrefs[0]!;
}

function samples(ctx: SuiteContext): TileSample[] {
  check(ctx.samples.length > 0, 'the capabilities document offers no layer with a tile matrix set');
  return ctx.samples;
}

function tileParams(s: TileSample, format = s.formats[0]!): Record<string, string | number> {
  return {
    SERVICE: 'WMTS', REQUEST: 'GetTile', VERSION: '1.0.0', LAYER: s.layer, STYLE: s.style, FORMAT: format,
    TILEMATRIXSET: s.tileMatrixSet, TILEMATRIX: s.tileMatrix, TILEROW: s.row, TILECOL: s.col,
  };
}

function infoParams(s: TileSample, infoFormat = s.infoFormats[0]!): Record<string, string | number> {
  return { ...tileParams(s), REQUEST: 'GetFeatureInfo', I: 0, J: 0, INFOFORMAT: infoFormat };
}

function without(params: Record<string, string | number>, name: string): Record<string, string | number> {
  const out = { ...params };
  delete out[name];
  return out;
}

/** The first bytes of each image format, to check that a tile is what its Content-Type says. */
function looksLike(format: string, body: Uint8Array): boolean {
  const b = (i: number) => body[i];
  if (format === 'image/png') return b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47;
  if (format === 'image/jpeg') return b(0) === 0xff && b(1) === 0xd8;
  if (format === 'image/webp') return new TextDecoder().decode(body.subarray(8, 12)) === 'WEBP';
  return body.length > 0;
}

/**
 * An OWS 1.1 ExceptionReport with this HTTP status, first exception code and locator (names
 * compare case-insensitively, as KVP names do), valid against owsExceptionReport.xsd when a
 * validator is given.
 */
async function expectException(ctx: SuiteContext, res: Response, status: number, code: string, locator?: string): Promise<void> {
  check(res.status === status, `${res.url}: expected HTTP ${status}, got ${res.status}`);
  check(XML_TYPES.includes(mimeOf(res.contentType)), `${res.url}: exception Content-Type ${res.contentType} is not XML`);
  const root = parseXml(res.text());
  check(root.namespaceURI === OWS && root.localName === 'ExceptionReport', `${res.url}: root is ${root.localName}, not ows:ExceptionReport`);
  check(root.hasAttribute('version'), `${res.url}: ExceptionReport has no version`);
  const ex = child(root, OWS, 'Exception');
  check(ex, `${res.url}: ExceptionReport has no Exception`);
  check(ex.getAttribute('exceptionCode') === code, `${res.url}: exceptionCode ${ex.getAttribute('exceptionCode')}, expected ${code}`);
  if (locator !== undefined) {
    check((ex.getAttribute('locator') ?? '').toLowerCase() === locator.toLowerCase(), `${res.url}: locator "${ex.getAttribute('locator')}", expected "${locator}"`);
  }
  if (ctx.validate) {
    const errors = await ctx.validate(res.text(), 'exception');
    check(errors === '', `${res.url}: ExceptionReport is not schema-valid: ${errors}`);
  }
}

function capabilitiesRoot(res: Response) {
  check(res.status === 200, `${res.url}: HTTP ${res.status}`);
  check(XML_TYPES.includes(mimeOf(res.contentType)), `${res.url}: Content-Type ${res.contentType}`);
  const root = parseXml(res.text());
  check(root.namespaceURI === WMTS && root.localName === 'Capabilities', `${res.url}: root is ${root.localName}, not wmts:Capabilities`);
  check(root.getAttribute('version') === '1.0.0', `${res.url}: version ${root.getAttribute('version')}`);
  return root;
}

const SECTION_ELEMENTS: Record<string, [string, string]> = {
  ServiceIdentification: [OWS, 'ServiceIdentification'],
  ServiceProvider: [OWS, 'ServiceProvider'],
  OperationsMetadata: [OWS, 'OperationsMetadata'],
  Contents: [WMTS, 'Contents'],
};

const caps = (ctx: SuiteContext, params: Record<string, string>) => get(kvpUrl(endpoint(ctx, 'GetCapabilities'), { SERVICE: 'WMTS', REQUEST: 'GetCapabilities', ...params }));

export const ASSERTIONS: readonly Assertion[] = [
  // ---------------------------------------------------------------- GetCapabilities, KVP
  {
    id: 'getcapabilities-kvp-mandatory', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '07-057r7 §7.1.1, A.3.2',
    title: 'SERVICE=WMTS&REQUEST=GetCapabilities answers a WMTS 1.0.0 Capabilities document with every section',
    async run(ctx) {
      const root = capabilitiesRoot(ctx.capabilities);
      const si = child(root, OWS, 'ServiceIdentification');
      check(si, 'no ows:ServiceIdentification');
      check(/WMTS/.test(childText(si, OWS, 'ServiceType') ?? ''), `ServiceType is ${childText(si, OWS, 'ServiceType')}`);
      check(children(si, OWS, 'ServiceTypeVersion').some((v) => v.textContent?.trim() === '1.0.0'), 'ServiceTypeVersion 1.0.0 missing');
      check(child(root, OWS, 'OperationsMetadata'), 'no ows:OperationsMetadata');
      check(child(root, WMTS, 'Contents'), 'no Contents');
    },
  },
  {
    id: 'getcapabilities-kvp-schema', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '07-057r7 §7.1.1.1, Annex B',
    title: 'the Capabilities document names wmts.xsd in xsi:schemaLocation and validates against the WMTS 1.0 schemas',
    async run(ctx) {
      const loc = ctx.root.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'schemaLocation') ?? '';
      check(/wmts\.xsd/.test(loc), `xsi:schemaLocation "${loc}" does not name wmts.xsd`);
      if (!ctx.validate) return;
      for (const schema of ['capabilities', 'capabilities-cite'] as const) {
        const errors = await ctx.validate(ctx.capabilities.text(), schema);
        check(errors === '', `not valid against the ${schema} schema: ${errors}`);
      }
    },
  },
  {
    id: 'getcapabilities-kvp-operations', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '06-121r3 §7.4.6, §11.5.1; 07-057r7 §8.1',
    title: 'OperationsMetadata lists GetCapabilities and GetTile, each with one KVP Get endpoint ending in "?" and GetEncoding=KVP',
    async run(ctx) {
      const ops = descendants(ctx.root, OWS, 'Operation');
      for (const name of ['GetCapabilities', 'GetTile']) check(ops.some((o) => o.getAttribute('name') === name), `operation ${name} missing`);
      for (const op of ops) {
        const gets = descendants(op, OWS, 'Get');
        check(gets.length === 1, `${op.getAttribute('name')}: ${gets.length} ows:Get elements`);
        const href = gets[0]!.getAttributeNS(XLINK, 'href') ?? '';
        check(/[?&]$/.test(href), `${op.getAttribute('name')}: KVP href "${href}" does not end in "?" or "&"`);
        const encodings = descendants(gets[0]!, OWS, 'Constraint').filter((c) => c.getAttribute('name') === 'GetEncoding')
          .flatMap((c) => descendants(c, OWS, 'Value').map((v) => v.textContent?.trim()));
        check(encodings.includes('KVP'), `${op.getAttribute('name')}: no GetEncoding constraint with value KVP`);
      }
    },
  },
  {
    id: 'getcapabilities-kvp-contents', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '07-057r7 §7.1.1.1.1-2, Tables 6-10',
    title: 'every Layer has Title, Identifier, WGS84BoundingBox, a default Style, Formats and TileMatrixSetLinks to TileMatrixSets of the document, with limits inside the matrices',
    async run(ctx) {
      const contents = child(ctx.root, WMTS, 'Contents')!;
      const sets = new Map(children(contents, WMTS, 'TileMatrixSet').map((t) => [childText(t, OWS, 'Identifier') ?? '', t]));
      check(sets.size === children(contents, WMTS, 'TileMatrixSet').length, 'TileMatrixSet identifiers are not unique');
      const layers = children(contents, WMTS, 'Layer');
      check(layers.length > 0, 'no Layer');
      const ids = new Set<string>();
      for (const layer of layers) {
        const id = childText(layer, OWS, 'Identifier') ?? '';
        check(id !== '' && !ids.has(id), `layer identifier "${id}" empty or repeated`);
        ids.add(id);
        check(childText(layer, OWS, 'Title'), `${id}: no Title`);
        check(child(layer, OWS, 'WGS84BoundingBox'), `${id}: no WGS84BoundingBox`);
        const styles = children(layer, WMTS, 'Style');
        check(styles.length > 0 && styles.filter((s) => s.getAttribute('isDefault') === 'true').length === 1, `${id}: needs exactly one default Style`);
        check(children(layer, WMTS, 'Format').length > 0, `${id}: no Format`);
        for (const link of children(layer, WMTS, 'TileMatrixSetLink')) {
          const tmsId = childText(link, WMTS, 'TileMatrixSet') ?? '';
          const tms = sets.get(tmsId);
          check(tms, `${id}: links to undefined TileMatrixSet ${tmsId}`);
          const matrices = new Map(children(tms, WMTS, 'TileMatrix').map((m) => [childText(m, OWS, 'Identifier') ?? '', m]));
          for (const l of descendants(link, WMTS, 'TileMatrixLimits')) {
            const m = matrices.get(childText(l, WMTS, 'TileMatrix') ?? '');
            check(m, `${id}/${tmsId}: limits for an undefined TileMatrix`);
            const n = (e: typeof l, k: string) => Number(childText(e, WMTS, k));
            check(n(l, 'MinTileRow') <= n(l, 'MaxTileRow') && n(l, 'MaxTileRow') < n(m, 'MatrixHeight'), `${id}/${tmsId}: row limits outside the matrix`);
            check(n(l, 'MinTileCol') <= n(l, 'MaxTileCol') && n(l, 'MaxTileCol') < n(m, 'MatrixWidth'), `${id}/${tmsId}: column limits outside the matrix`);
          }
        }
      }
      for (const [tmsId, tms] of sets) {
        check(childText(tms, OWS, 'SupportedCRS'), `${tmsId}: no SupportedCRS`);
        const scales = children(tms, WMTS, 'TileMatrix').map((m) => Number(childText(m, WMTS, 'ScaleDenominator')));
        check(scales.length > 0 && scales.every((s, i) => s > 0 && (i === 0 || s < scales[i - 1]!)), `${tmsId}: ScaleDenominators must decrease`);
      }
    },
  },
  {
    id: 'getcapabilities-kvp-missing-service', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '06-121r3 §7.2.1, Table 25',
    title: 'a request without SERVICE is 400 MissingParameterValue, locator service',
    async run(ctx) {
      await expectException(ctx, await get(kvpUrl(endpoint(ctx, 'GetCapabilities'), { REQUEST: 'GetCapabilities' })), 400, 'MissingParameterValue', 'service');
    },
  },
  {
    id: 'getcapabilities-kvp-invalid-service', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '06-121r3 §7.2.1, Table 25',
    title: 'SERVICE=WMS is 400 InvalidParameterValue, locator service',
    async run(ctx) {
      await expectException(ctx, await caps(ctx, { SERVICE: 'WMS' }), 400, 'InvalidParameterValue', 'service');
    },
  },
  {
    id: 'getcapabilities-kvp-missing-request', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '06-121r3 §7.2.1, Table 25',
    title: 'a request without REQUEST is 400 MissingParameterValue, locator request',
    async run(ctx) {
      await expectException(ctx, await get(kvpUrl(endpoint(ctx, 'GetCapabilities'), { SERVICE: 'WMTS' })), 400, 'MissingParameterValue', 'request');
    },
  },
  {
    id: 'getcapabilities-kvp-unknown-operation', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '06-121r3 Table 25; 07-057r7 Table 27',
    title: 'REQUEST=GetMap is 501 OperationNotSupported, locator request',
    async run(ctx) {
      await expectException(ctx, await caps(ctx, { REQUEST: 'GetMap' }), 501, 'OperationNotSupported', 'request');
    },
  },
  {
    id: 'getcapabilities-kvp-names-case-insensitive', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '06-121r3 §11.5.2',
    title: 'parameter names are case-insensitive (sErViCe=WMTS&rEqUeSt=GetCapabilities)',
    async run(ctx) {
      capabilitiesRoot(await get(kvpUrl(endpoint(ctx, 'GetCapabilities'), { sErViCe: 'WMTS', rEqUeSt: 'GetCapabilities' })));
    },
  },
  {
    id: 'getcapabilities-kvp-values-case-sensitive', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '06-121r3 §11.5.2',
    title: 'parameter values are case-sensitive: SERVICE=wmts is InvalidParameterValue, REQUEST=getcapabilities OperationNotSupported',
    async run(ctx) {
      await expectException(ctx, await caps(ctx, { SERVICE: 'wmts' }), 400, 'InvalidParameterValue', 'service');
      await expectException(ctx, await caps(ctx, { REQUEST: 'getcapabilities' }), 501, 'OperationNotSupported', 'request');
    },
  },
  {
    id: 'getcapabilities-kvp-acceptversions', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '06-121r3 §7.3.2',
    title: 'AcceptVersions=1.0.0 and AcceptVersions=2.0.0,1.0.0 answer version 1.0.0; AcceptVersions=0.0.1 is 400 VersionNegotiationFailed',
    async run(ctx) {
      capabilitiesRoot(await caps(ctx, { AcceptVersions: '1.0.0' }));
      capabilitiesRoot(await caps(ctx, { AcceptVersions: '2.0.0,1.0.0' }));
      await expectException(ctx, await caps(ctx, { AcceptVersions: '0.0.1' }), 400, 'VersionNegotiationFailed');
    },
  },
  {
    id: 'getcapabilities-kvp-sections', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '06-121r3 §7.3.3; 07-057r7 Table 3',
    title: 'Sections=X answers section X only, Sections=All every section, an unknown section is 400 InvalidParameterValue',
    async run(ctx) {
      for (const [name, [ns, local]] of Object.entries(SECTION_ELEMENTS)) {
        const root = capabilitiesRoot(await caps(ctx, { Sections: name }));
        const present = elementChildren(root).map((e) => `${e.namespaceURI}#${e.localName}`);
        check(present.includes(`${ns}#${local}`), `Sections=${name}: section missing`);
        for (const [other, [ons, olocal]] of Object.entries(SECTION_ELEMENTS)) {
          if (other !== name) check(!present.includes(`${ons}#${olocal}`), `Sections=${name}: ${other} present`);
        }
      }
      const all = capabilitiesRoot(await caps(ctx, { Sections: 'All' }));
      for (const [name, [ns, local]] of Object.entries(SECTION_ELEMENTS)) check(child(all, ns, local), `Sections=All: ${name} missing`);
      await expectException(ctx, await caps(ctx, { Sections: 'NoSuchSection' }), 400, 'InvalidParameterValue', 'Sections');
    },
  },
  {
    id: 'getcapabilities-kvp-updatesequence', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '06-121r3 §7.3.4, Table 6',
    title: 'updateSequence equal to the server\'s answers the bare root; lower answers the document; higher is 400 InvalidUpdateSequence',
    async run(ctx) {
      const current = ctx.root.getAttribute('updateSequence');
      if (current === null) return; // §7.3.4: a server without updateSequence ignores the parameter.
      const same = capabilitiesRoot(await caps(ctx, { updateSequence: current }));
      check(elementChildren(same).length === 0, 'updateSequence equal to the current one: the answer has child elements');
      const lower = capabilitiesRoot(await caps(ctx, { updateSequence: '0' }));
      check(child(lower, WMTS, 'Contents'), 'updateSequence lower than the current one: no Contents');
      await expectException(ctx, await caps(ctx, { updateSequence: `${current}~` }), 400, 'InvalidUpdateSequence', 'updateSequence');
    },
  },
  {
    id: 'getcapabilities-kvp-acceptformats', conformanceClass: 'GetCapabilities', binding: 'KVP', clause: '06-121r3 §7.3.5',
    title: 'AcceptFormats=text/xml answers text/xml; an unsupported format still answers the XML document',
    async run(ctx) {
      const xml = await caps(ctx, { AcceptFormats: 'text/xml' });
      capabilitiesRoot(xml);
      check(mimeOf(xml.contentType) === 'text/xml', `AcceptFormats=text/xml answered ${xml.contentType}`);
      capabilitiesRoot(await caps(ctx, { AcceptFormats: 'application/x-unsupported' }));
    },
  },
  // ---------------------------------------------------------------- GetCapabilities, RESTful
  {
    id: 'getcapabilities-rest-document', conformanceClass: 'GetCapabilities', binding: 'RESTful', clause: '07-057r7 §10.1',
    title: 'ServiceMetadataURL answers the Capabilities document with the same layers',
    async run(ctx) {
      const href = child(ctx.root, WMTS, 'ServiceMetadataURL')?.getAttributeNS(XLINK, 'href');
      check(href, 'no ServiceMetadataURL');
      const root = capabilitiesRoot(await get(href));
      const layers = (r: typeof root) => descendants(child(r, WMTS, 'Contents')!, WMTS, 'Layer').map((l) => childText(l, OWS, 'Identifier')).join(',');
      check(layers(root) === layers(ctx.root), 'the RESTful document lists other layers');
    },
  },
  {
    id: 'getcapabilities-rest-not-acceptable', conformanceClass: 'GetCapabilities', binding: 'RESTful', clause: '07-057r7 §10.1; RFC 7231 §6.5.6',
    title: 'the RESTful document asked with Accept: image/png is 406 Not Acceptable',
    async run(ctx) {
      const href = child(ctx.root, WMTS, 'ServiceMetadataURL')?.getAttributeNS(XLINK, 'href');
      check(href, 'no ServiceMetadataURL');
      const res = await get(href, { accept: 'image/png' });
      check(res.status === 406, `HTTP ${res.status}`);
    },
  },
  // ---------------------------------------------------------------- GetTile, KVP
  {
    id: 'gettile-kvp-formats', conformanceClass: 'GetTile', binding: 'KVP', clause: '07-057r7 §7.2.1-2, A.3.3',
    title: 'GetTile of a tile inside each layer\'s limits answers an image of every advertised Format',
    async run(ctx) {
      for (const s of samples(ctx)) {
        for (const format of s.formats) {
          const res = await get(kvpUrl(endpoint(ctx, 'GetTile'), tileParams(s, format)));
          check(res.status === 200, `${s.layer} ${format}: HTTP ${res.status}`);
          check(mimeOf(res.contentType) === format, `${s.layer} ${format}: Content-Type ${res.contentType}`);
          check(looksLike(format, res.body), `${s.layer} ${format}: body is not ${format}`);
        }
      }
    },
  },
  {
    id: 'gettile-kvp-missing-parameters', conformanceClass: 'GetTile', binding: 'KVP', clause: '07-057r7 Tables 22-23',
    title: 'a GetTile without each mandatory parameter is 400 MissingParameterValue naming it',
    async run(ctx) {
      const s = samples(ctx)[0]!;
      for (const name of ['VERSION', 'LAYER', 'STYLE', 'FORMAT', 'TILEMATRIXSET', 'TILEMATRIX', 'TILEROW', 'TILECOL']) {
        await expectException(ctx, await get(kvpUrl(endpoint(ctx, 'GetTile'), without(tileParams(s), name))), 400, 'MissingParameterValue', name);
      }
    },
  },
  {
    id: 'gettile-kvp-invalid-values', conformanceClass: 'GetTile', binding: 'KVP', clause: '07-057r7 Table 23',
    title: 'an unknown Layer, Style, Format, TileMatrixSet or TileMatrix is 400 InvalidParameterValue naming it',
    async run(ctx) {
      const s = samples(ctx)[0]!;
      for (const [name, value] of [['LAYER', 'no-such-layer'], ['STYLE', 'no-such-style'], ['FORMAT', 'image/x-none'], ['TILEMATRIXSET', 'NoSuchSet'], ['TILEMATRIX', 'no-such-matrix']]) {
        await expectException(ctx, await get(kvpUrl(endpoint(ctx, 'GetTile'), { ...tileParams(s), [name!]: value! })), 400, 'InvalidParameterValue', name);
      }
    },
  },
  {
    id: 'gettile-kvp-version', conformanceClass: 'GetTile', binding: 'KVP', clause: '06-121r3 §7.3.1; 07-057r7 Table 22',
    title: 'GetTile with VERSION=0.9.0 is 400 InvalidParameterValue, locator version',
    async run(ctx) {
      await expectException(ctx, await get(kvpUrl(endpoint(ctx, 'GetTile'), { ...tileParams(samples(ctx)[0]!), VERSION: '0.9.0' })), 400, 'InvalidParameterValue', 'version');
    },
  },
  {
    id: 'gettile-kvp-out-of-range', conformanceClass: 'GetTile', binding: 'KVP', clause: '07-057r7 Table 23, §7.1.1.1.1 TileMatrixSetLimits',
    title: 'TileRow/TileCol outside the matrix, or outside the layer\'s TileMatrixSetLimits, is 400 TileOutOfRange naming the parameter',
    async run(ctx) {
      const s = samples(ctx)[0]!;
      const url = (row: number, col: number) => kvpUrl(endpoint(ctx, 'GetTile'), { ...tileParams(s), TILEROW: row, TILECOL: col });
      await expectException(ctx, await get(url(s.matrixHeight, s.col)), 400, 'TileOutOfRange', 'TileRow');
      await expectException(ctx, await get(url(s.row, s.matrixWidth)), 400, 'TileOutOfRange', 'TileCol');
      if (s.limits && s.limits.maxRow + 1 < s.matrixHeight) await expectException(ctx, await get(url(s.limits.maxRow + 1, s.col)), 400, 'TileOutOfRange', 'TileRow');
      if (s.limits && s.limits.maxCol + 1 < s.matrixWidth) await expectException(ctx, await get(url(s.row, s.limits.maxCol + 1)), 400, 'TileOutOfRange', 'TileCol');
    },
  },
  {
    id: 'gettile-kvp-names-case-insensitive', conformanceClass: 'GetTile', binding: 'KVP', clause: '06-121r3 §11.5.2',
    title: 'GetTile parameter names in lower and mixed case are the same parameters',
    async run(ctx) {
      const s = samples(ctx)[0]!;
      const lower = Object.fromEntries(Object.entries(tileParams(s)).map(([k, v]) => [k.toLowerCase(), v]));
      const res = await get(kvpUrl(endpoint(ctx, 'GetTile'), lower));
      check(res.status === 200 && mimeOf(res.contentType) === s.formats[0], `lower-case names: HTTP ${res.status} ${res.contentType}`);
    },
  },
  {
    id: 'gettile-kvp-unknown-parameters', conformanceClass: 'GetTile', binding: 'KVP', clause: '07-057r7 §7.2.2.2',
    title: 'unknown parameters (TIME, ELEVATION, FOO) are ignored',
    async run(ctx) {
      const s = samples(ctx)[0]!;
      const res = await get(kvpUrl(endpoint(ctx, 'GetTile'), { ...tileParams(s), TIME: '2020-01-01', ELEVATION: '0', FOO: 'bar' }));
      check(res.status === 200, `HTTP ${res.status}`);
    },
  },
  // ---------------------------------------------------------------- GetTile, RESTful
  {
    id: 'gettile-rest-template', conformanceClass: 'GetTile', binding: 'RESTful', clause: '07-057r7 §10.2.1',
    title: 'every tile ResourceURL template, expanded, answers the same bytes as the KVP GetTile',
    async run(ctx) {
      for (const s of samples(ctx)) {
        check(s.tileTemplates.size > 0, `${s.layer}: no tile ResourceURL`);
        for (const [format, template] of s.tileTemplates) {
          const rest = await get(expand(template, { Style: s.style, TileMatrixSet: s.tileMatrixSet, TileMatrix: s.tileMatrix, TileRow: s.row, TileCol: s.col }));
          check(rest.status === 200 && mimeOf(rest.contentType) === format, `${s.layer} ${format}: HTTP ${rest.status} ${rest.contentType}`);
          const kvp = await get(kvpUrl(endpoint(ctx, 'GetTile'), tileParams(s, format)));
          check(Buffer.from(rest.body).equals(Buffer.from(kvp.body)), `${s.layer} ${format}: RESTful and KVP bodies differ`);
        }
      }
    },
  },
  {
    id: 'gettile-rest-not-found', conformanceClass: 'GetTile', binding: 'RESTful', clause: '07-057r7 §10.2; RFC 7231 §6.5.4',
    title: 'a RESTful tile URL naming no layer, or a tile outside the matrix, is 404',
    async run(ctx) {
      const s = samples(ctx)[0]!;
      const template = [...s.tileTemplates.values()][0]!;
      const values = { Style: s.style, TileMatrixSet: s.tileMatrixSet, TileMatrix: s.tileMatrix, TileRow: s.row, TileCol: s.col };
      const layerPart = encodeURIComponent(s.layer);
      const other = expand(template.replace(`/${layerPart}/`, '/no-such-layer/'), values);
      check((await get(other)).status === 404, `${other}: not 404`);
      const outside = expand(template, { ...values, TileRow: s.matrixHeight });
      check((await get(outside)).status === 404, `${outside}: not 404`);
    },
  },
  // ---------------------------------------------------------------- GetFeatureInfo, KVP
  {
    id: 'getfeatureinfo-kvp-formats', conformanceClass: 'GetFeatureInfo', binding: 'KVP', clause: '07-057r7 §7.3.1-2',
    title: 'GetFeatureInfo answers every advertised InfoFormat with that Content-Type',
    async run(ctx) {
      if (!ctx.kvp.has('GetFeatureInfo')) return;
      for (const s of samples(ctx)) {
        for (const format of s.infoFormats) {
          const res = await get(kvpUrl(endpoint(ctx, 'GetFeatureInfo'), infoParams(s, format)));
          check(res.status === 200 && mimeOf(res.contentType) === format, `${s.layer} ${format}: HTTP ${res.status} ${res.contentType}`);
          if (format === 'application/json') JSON.parse(res.text());
          if (/xml/.test(format)) parseXml(res.text());
        }
      }
    },
  },
  {
    id: 'getfeatureinfo-kvp-point-out-of-range', conformanceClass: 'GetFeatureInfo', binding: 'KVP', clause: '07-057r7 Tables 26-27',
    title: 'I or J outside the tile is 400 PointIJOutOfRange naming it',
    async run(ctx) {
      if (!ctx.kvp.has('GetFeatureInfo')) return;
      const s = samples(ctx)[0]!;
      await expectException(ctx, await get(kvpUrl(endpoint(ctx, 'GetFeatureInfo'), { ...infoParams(s), I: s.tileWidth })), 400, 'PointIJOutOfRange', 'I');
      await expectException(ctx, await get(kvpUrl(endpoint(ctx, 'GetFeatureInfo'), { ...infoParams(s), J: s.tileHeight })), 400, 'PointIJOutOfRange', 'J');
    },
  },
  {
    id: 'getfeatureinfo-kvp-parameters', conformanceClass: 'GetFeatureInfo', binding: 'KVP', clause: '07-057r7 Tables 25-26',
    title: 'a GetFeatureInfo without I, J or InfoFormat is 400 MissingParameterValue; an unknown InfoFormat InvalidParameterValue; a tile outside the matrix TileOutOfRange',
    async run(ctx) {
      if (!ctx.kvp.has('GetFeatureInfo')) return;
      const s = samples(ctx)[0]!;
      for (const name of ['I', 'J', 'INFOFORMAT']) {
        await expectException(ctx, await get(kvpUrl(endpoint(ctx, 'GetFeatureInfo'), without(infoParams(s), name))), 400, 'MissingParameterValue', name);
      }
      await expectException(ctx, await get(kvpUrl(endpoint(ctx, 'GetFeatureInfo'), { ...infoParams(s), INFOFORMAT: 'application/x-none' })), 400, 'InvalidParameterValue', 'InfoFormat');
      await expectException(ctx, await get(kvpUrl(endpoint(ctx, 'GetFeatureInfo'), { ...infoParams(s), TILEROW: s.matrixHeight })), 400, 'TileOutOfRange', 'TileRow');
    },
  },
  // ---------------------------------------------------------------- GetFeatureInfo, RESTful
  {
    id: 'getfeatureinfo-rest-template', conformanceClass: 'GetFeatureInfo', binding: 'RESTful', clause: '07-057r7 §10.2.1',
    title: 'every FeatureInfo ResourceURL template, expanded, answers its format; a pixel outside the tile is 404',
    async run(ctx) {
      for (const s of samples(ctx)) {
        for (const [format, template] of s.infoTemplates) {
          const values = { Style: s.style, TileMatrixSet: s.tileMatrixSet, TileMatrix: s.tileMatrix, TileRow: s.row, TileCol: s.col, I: 0, J: 0 };
          const res = await get(expand(template, values));
          check(res.status === 200 && mimeOf(res.contentType) === format, `${s.layer} ${format}: HTTP ${res.status} ${res.contentType}`);
          const outside = await get(expand(template, { ...values, I: s.tileWidth }));
          check(outside.status === 404, `${s.layer} ${format}: I outside the tile answered ${outside.status}`);
        }
      }
    },
  },
];
