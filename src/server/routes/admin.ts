import Router from '@koa/router';
import { timingSafeEqual } from 'node:crypto';
import { NotFoundError } from '../../errors.js';
import { parsePurgeQuery } from '../../ogc/common/purge.js';
import type { AppDeps, RequestState } from '../context.js';

/**
 * Operator endpoints, behind `server.adminToken` (Authorization: Bearer …); absent without one.
 * POST /api/v1/collections/{id}/cache/purge?zoom=0-12&bbox=w,s,e,n gives every cached tile of
 * the collection in that range a new key on every node (see src/cache/purge.ts).
 */
export function adminRoutes(deps: AppDeps): Router<RequestState> {
  const router = new Router<RequestState>({ prefix: '/api/v1' });
  const token = deps.config.adminToken;
  if (!token) return router;
  router.post('/collections/:id/cache/purge', async (ctx) => {
    const given = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1] ?? '';
    const a = Buffer.from(given), b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.body = { code: 'Unauthorized', description: 'a valid admin token is required' };
      return;
    }
    const collection = deps.catalog.tryGet(ctx.params['id']!);
    if (!collection) throw new NotFoundError('collection', `no collection "${ctx.params['id']}"`);
    const range = parsePurgeQuery(ctx.query as Record<string, string | string[]>);
    const record = await deps.purges.add({ collectionId: collection.id, ...range });
    ctx.status = 202;
    ctx.body = record;
  });
  return router;
}
