/**
 * WMTS errors as OWS 1.1 ExceptionReports (OGC 06-121r3 §8, OGC 07-057r7 §7.1.1.3, §7.2.2.2,
 * §7.3.2.2): one table from the project's protocol-free domain errors to an exception code, a
 * locator (the parameter at fault) and an HTTP status, and the report's XML.
 *
 * HTTP status per exception code, 07-057r7 Tables 21, 24 and 27 (GetCapabilities, GetTile,
 * GetFeatureInfo): OperationNotSupported and OptionNotSupported 501; MissingParameterValue,
 * InvalidParameterValue, VersionNegotiationFailed, InvalidUpdateSequence, TileOutOfRange and
 * PointIJOutOfRange 400; NoApplicableCode 500 (503 for a request cancelled by its timeout, 502
 * for an unreadable source: same code, statuses that tell a client to retry). NoApplicableCode
 * texts never reveal internals; the server logs the cause with the request id.
 *
 * The RESTful binding (§10.2) answers with the HTTP semantics of a resource: a URL that names a
 * layer, style, tile matrix set, tile matrix, tile or pixel that does not exist is 404 Not
 * Found; the ExceptionReport body still carries the OWS code and locator.
 */
import { create } from 'xmlbuilder2';
import { UnknownCrsError } from '../../crs/index.js';
import {
  AbortedError, DomainError, InvalidParameterError, NotFoundError, PixelOutOfRangeError, SourceReadError, TileOutOfRangeError,
} from '../../errors.js';
import { NS, SCHEMA_LOCATION } from './xml.js';

export type OwsExceptionCode =
  | 'OperationNotSupported' | 'MissingParameterValue' | 'InvalidParameterValue' | 'VersionNegotiationFailed'
  | 'InvalidUpdateSequence' | 'OptionNotSupported' | 'NoApplicableCode' | 'TileOutOfRange' | 'PointIJOutOfRange';

const STATUS: Readonly<Record<OwsExceptionCode, number>> = {
  OperationNotSupported: 501,
  OptionNotSupported: 501,
  MissingParameterValue: 400,
  InvalidParameterValue: 400,
  VersionNegotiationFailed: 400,
  InvalidUpdateSequence: 400,
  TileOutOfRange: 400,
  PointIJOutOfRange: 400,
  NoApplicableCode: 500,
};

/** An error that only the WMTS face raises (request syntax, version and update sequence negotiation). */
export class OwsException extends DomainError {
  readonly code: string;
  constructor(readonly exceptionCode: OwsExceptionCode, readonly locator: string | undefined, message: string) {
    super(message);
    this.code = exceptionCode;
  }
}

export interface OwsErrorResponse {
  status: number;
  exceptionCode: OwsExceptionCode;
  locator: string | undefined;
  text: string;
  /** True when the error is the server's problem and must be logged. */
  internal: boolean;
}

/** Domain parameter names (shared with the JSON faces) as WMTS spells them in locators. */
const LOCATOR: Readonly<Record<string, string>> = {
  format: 'Format', tileMatrixSet: 'TileMatrixSet', collection: 'Layer', layer: 'Layer', style: 'Style',
};

function locatorOf(parameter: string): string {
  return LOCATOR[parameter] ?? parameter;
}

/**
 * The OWS answer to an error. `restful` selects the RESTful binding's statuses (404 for a
 * resource that does not exist). `requestId` goes into NoApplicableCode texts so that a user
 * can quote it.
 */
export function owsErrorResponse(err: unknown, options: { restful: boolean; requestId: string }): OwsErrorResponse {
  const r = classify(err, options.requestId);
  if (options.restful && r.status >= 400 && r.status < 500) return { ...r, status: 404 };
  return r;
}

function classify(err: unknown, requestId: string): OwsErrorResponse {
  const client = (exceptionCode: OwsExceptionCode, locator: string | undefined, text: string): OwsErrorResponse =>
    ({ status: STATUS[exceptionCode], exceptionCode, locator, text, internal: false });
  if (err instanceof OwsException) return client(err.exceptionCode, err.locator, err.message);
  if (err instanceof PixelOutOfRangeError) return client('PointIJOutOfRange', err.parameter, err.message);
  if (err instanceof TileOutOfRangeError) {
    // An unknown TileMatrix is a bad value (07-057r7 Table 23), not a tile outside its matrix.
    return err.parameter === 'TileMatrix'
      ? client('InvalidParameterValue', 'TileMatrix', err.message)
      : client('TileOutOfRange', err.parameter, err.message);
  }
  if (err instanceof InvalidParameterError) return client('InvalidParameterValue', locatorOf(err.parameter), err.message);
  if (err instanceof UnknownCrsError) return client('InvalidParameterValue', undefined, err.message);
  if (err instanceof NotFoundError) return client('InvalidParameterValue', locatorOf(err.resource), err.message);
  const server = (status: number, text: string): OwsErrorResponse =>
    ({ status, exceptionCode: 'NoApplicableCode', locator: undefined, text: `${text} (request ${requestId})`, internal: true });
  if (err instanceof AbortedError) return server(503, 'the request took too long and was cancelled');
  if (err instanceof SourceReadError) return server(502, 'a source image of this layer could not be read');
  return server(500, 'internal error');
}

/** The ExceptionReport document (owsExceptionReport.xsd; `version` is the WMTS version, as in 07-057r7's examples). */
export function exceptionReportXml(e: Pick<OwsErrorResponse, 'exceptionCode' | 'locator' | 'text'>): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' })
    .ele(NS.ows, 'ows:ExceptionReport')
    .att(NS.xsi, 'xsi:schemaLocation', SCHEMA_LOCATION.owsExceptionReport)
    .att('version', '1.0.0')
    .att(NS.xml, 'xml:lang', 'en');
  const ex = doc.ele(NS.ows, 'ows:Exception').att('exceptionCode', e.exceptionCode);
  // OWS 1.1 Table 25: NoApplicableCode has no locator.
  if (e.locator !== undefined && e.exceptionCode !== 'NoApplicableCode') ex.att('locator', e.locator);
  ex.ele(NS.ows, 'ows:ExceptionText').txt(e.text);
  return doc.end({ prettyPrint: true });
}
