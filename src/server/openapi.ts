/**
 * The live routes as OpenAPI operations: every route (GET, POST … ; HEAD and OPTIONS are implied) of every mounted router, described
 * by the router's own declarations (documentedGet) or, for the faces that predate them (XYZ,
 * WMTS, operations, viewer), by routes/route-docs.ts, keyed by method and router path (`GET /health`). A route
 * without a description still appears (its path parameters derived from the path) and is
 * reported by `undocumentedRoutes`, which the test suite requires to be empty.
 */
import type Router from '@koa/router';
import { openApiPath, PARAM, RESPONSE, type HttpMethod, type LiveOperation, type OperationDoc } from '../ogc/common/openapi.js';
import type { RequestState } from './context.js';
import { declaredOperations } from './routes/declare.js';
import { ROUTE_DOCS } from './routes/route-docs.js';

interface Layer {
  path: string;
  methods: string[];
  paramNames?: { name: string }[];
}

function layers(router: Router<RequestState>): Layer[] {
  return (router as unknown as { stack: Layer[] }).stack;
}

/** Catch-all routes (`/wmts/{*rest}`) answer "no such resource"; OpenAPI 3.0 cannot template them, so they are left out. */
function isWildcard(path: string): boolean {
  return /\{\*|\*/.test(path);
}

const METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

function fallbackDoc(method: HttpMethod, path: string, l: Layer): OperationDoc {
  return {
    operationId: `undocumented_${method}${path.replace(/[^A-Za-z0-9]+/g, '_')}`,
    summary: 'undocumented route',
    tags: ['undocumented'],
    parameters: (l.paramNames ?? []).map((p) => PARAM.path(p.name, p.name)),
    responses: { 200: RESPONSE.empty('success') },
  };
}

export function liveOperations(routers: readonly Router<RequestState>[]): { operations: LiveOperation[]; undocumented: string[] } {
  const operations: LiveOperation[] = [];
  const undocumented: string[] = [];
  const seen = new Set<string>();
  for (const router of routers) {
    const declared = declaredOperations(router);
    for (const l of layers(router)) {
      if (isWildcard(l.path)) continue;
      const path = openApiPath(l.path);
      for (const method of METHODS.filter((m) => l.methods.includes(m.toUpperCase()))) {
        // Two routers may answer one path (GET / is the viewer for browsers and the landing page for JSON clients): the first declares it.
        const key = `${method} ${path}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const doc = (method === 'get' ? declared.get(l.path) : undefined) ?? ROUTE_DOCS[`${method.toUpperCase()} ${l.path}`];
        if (!doc) undocumented.push(`${method.toUpperCase()} ${l.path}`);
        operations.push({ method, path, doc: doc ?? fallbackDoc(method, path, l) });
      }
    }
  }
  return { operations, undocumented };
}
