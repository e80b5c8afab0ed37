/**
 * How the JSON faces (XYZ, TileJSON, OGC API) answer errors: one table from domain errors to
 * HTTP status and a JSON body `{code, description[, parameter]}` (the OGC API exception
 * shape). 5xx bodies never carry internal details: the server logs them with the request id.
 */
import { UnknownCrsError } from '../../crs/index.js';
import {
  AbortedError, InvalidParameterError, NotFoundError, SourceReadError, TileOutOfRangeError,
} from '../../errors.js';

export interface ErrorResponse {
  status: number;
  body: { code: string; description: string; parameter?: string };
  /** True when the error is the server's problem and must be logged. */
  internal: boolean;
}

export function jsonErrorResponse(err: unknown): ErrorResponse {
  if (err instanceof InvalidParameterError) {
    return { status: 400, body: { code: 'InvalidParameterValue', description: err.message, parameter: err.parameter }, internal: false };
  }
  if (err instanceof UnknownCrsError) {
    return { status: 400, body: { code: 'InvalidParameterValue', description: err.message }, internal: false };
  }
  if (err instanceof TileOutOfRangeError) {
    return { status: 404, body: { code: 'TileOutOfRange', description: err.message, parameter: err.parameter }, internal: false };
  }
  if (err instanceof NotFoundError) {
    return { status: 404, body: { code: 'NotFound', description: err.message }, internal: false };
  }
  if (err instanceof AbortedError) {
    return { status: 503, body: { code: 'Timeout', description: 'the request took too long and was cancelled' }, internal: true };
  }
  if (err instanceof SourceReadError) {
    return { status: 502, body: { code: 'SourceUnavailable', description: 'a source image of this collection could not be read' }, internal: true };
  }
  return { status: 500, body: { code: 'InternalError', description: 'internal error' }, internal: true };
}
