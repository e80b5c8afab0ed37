/**
 * OGC API exceptions (OGC 19-072 §7.6, /req/core/… "exception" schema `exception.yaml` of
 * OGC API - Tiles: RFC 7807 problem details, `type` required). Built on the JSON faces' one
 * table (errors.ts) so every face agrees on statuses; adds 406 for failed negotiation. The
 * extension members `code` and `parameter` keep the machine-readable code of the other faces.
 */
import { STATUS_CODES } from 'node:http';
import { jsonErrorResponse } from './errors.js';
import { NotAcceptableError } from './negotiate.js';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  parameter?: string;
}

export interface ProblemResponse {
  status: number;
  body: ProblemDetails;
  internal: boolean;
}

export function problemResponse(err: unknown): ProblemResponse {
  const r = err instanceof NotAcceptableError
    ? { status: 406, body: { code: err.code, description: err.message }, internal: false }
    : jsonErrorResponse(err);
  const body: ProblemDetails = {
    // RFC 7807 §4.2: "about:blank" when the status says it all; `code` refines it.
    type: 'about:blank',
    title: STATUS_CODES[r.status] ?? 'Error',
    status: r.status,
    detail: r.body.description,
    code: r.body.code,
    ...('parameter' in r.body && r.body.parameter !== undefined ? { parameter: r.body.parameter } : {}),
  };
  return { status: r.status, body, internal: r.internal };
}
