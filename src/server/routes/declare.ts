/**
 * Routes that describe themselves: `documentedGet` registers a GET route and its OpenAPI
 * operation together, so the API definition (/api) is generated from what the routers really
 * hold (src/server/openapi.ts walks them) and cannot drift from it.
 */
import type { Router, RouterMiddleware } from '@koa/router';
import type { OperationDoc } from '../../ogc/common/openapi.js';
import type { RequestState } from '../context.js';

const docs = new WeakMap<object, Map<string, OperationDoc>>();

/** The operations declared on a router, by router path (`/collections/:collectionId`). */
export function declaredOperations(router: Router<RequestState>): ReadonlyMap<string, OperationDoc> {
  return docs.get(router) ?? new Map();
}

export function documentedGet(router: Router<RequestState>, path: string, doc: OperationDoc, ...handlers: RouterMiddleware<RequestState>[]): void {
  let map = docs.get(router);
  if (!map) docs.set(router, (map = new Map()));
  if (map.has(path)) throw new Error(`route ${path} is declared twice`);
  map.set(path, doc);
  router.get(path, ...handlers);
}
