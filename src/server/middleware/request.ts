import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import { jsonErrorResponse } from '../../ogc/common/errors.js';
import { problemResponse } from '../../ogc/common/problem.js';
import { exceptionReportXml, owsErrorResponse } from '../../ogc/wmts/index.js';
import type { AppDeps, RequestState } from '../context.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The frame of every request: a request id (the client's X-Request-Id when sane, else a new
 * UUID, echoed in the response), an AbortSignal that fires when the client goes away or the
 * request runs past `requestTimeoutMs`, error mapping (one table per protocol; 5xx bodies
 * carry only the request id and are logged once), one structured log line and the metrics.
 */
export function requestFrame(deps: AppDeps): Koa.Middleware<RequestState> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const given = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(given) ? given : randomUUID();
    ctx.set('X-Request-Id', requestId);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), deps.config.requestTimeoutMs);
    const onClose = () => { if (!ctx.res.writableFinished) ac.abort(); };
    ctx.res.once('close', onClose);
    ctx.state.requestId = requestId;
    ctx.state.log = deps.logger.child({ reqId: requestId });
    ctx.state.signal = ac.signal;
    ctx.state.errorFormat = 'json';
    try {
      await next();
    } catch (err) {
      if (ac.signal.aborted && ctx.res.destroyed) {
        // The client went away: nobody to answer.
        ctx.status = 499;
      } else {
        const mapped = deps.errorMappers[ctx.state.errorFormat](err, ctx);
        ctx.status = mapped.status;
        ctx.type = mapped.type;
        ctx.body = mapped.body;
        if (mapped.internal) ctx.state.log.error({ err, url: ctx.url }, 'request failed');
      }
    } finally {
      clearTimeout(timer);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
    const labels = { route: String(route), method: ctx.method, status: String(ctx.status) };
    deps.metrics.requests.inc(labels);
    deps.metrics.latency.observe(labels, seconds);
    ctx.state.log.info({ method: ctx.method, url: ctx.url, status: ctx.status, ms: Math.round(seconds * 1e4) / 10, route }, 'request');
  };
}

/** An error mapped to an HTTP answer. */
export interface MappedError {
  status: number;
  type: string;
  body: unknown;
  internal: boolean;
}

export type ErrorMapper = (err: unknown, ctx: Koa.ParameterizedContext<RequestState>) => MappedError;

/** JSON faces: `{code, description[, parameter]}`, plus the request id on server errors. */
export const jsonErrors: ErrorMapper = (err, ctx) => {
  const r = jsonErrorResponse(err);
  const body = r.internal ? { ...r.body, requestId: ctx.state.requestId } : r.body;
  return { status: r.status, type: 'application/json', body, internal: r.internal };
};

/** OGC API: RFC 7807 problem details (src/ogc/common/problem.ts, built on the JSON table). */
export const ogcapiErrors: ErrorMapper = (err, ctx) => {
  const r = problemResponse(err);
  const body = r.internal ? { ...r.body, requestId: ctx.state.requestId } : r.body;
  return { status: r.status, type: 'application/json', body, internal: r.internal };
};

/** WMTS: OWS 1.1 ExceptionReports (src/ogc/wmts/exceptions.ts holds the table). */
export const owsErrors: ErrorMapper = (err, ctx) => {
  const r = owsErrorResponse(err, { restful: ctx.state.restful === true, requestId: ctx.state.requestId });
  return { status: r.status, type: 'text/xml', body: exceptionReportXml(r), internal: r.internal };
};
