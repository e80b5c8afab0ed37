/**
 * The XYZ / TileJSON API under /api/v1 (a thin face: parse, call the TileService, answer).
 */
import Router, { type RouterContext } from '@koa/router';
import { InvalidParameterError, NotFoundError } from '../../errors.js';
import { single } from '../../ogc/common/params.js';
import { collectionDocument, tileJson } from '../../ogc/xyz/metadata.js';
import { parseXyzRequest, type XyzPath } from '../../ogc/xyz/tiles.js';
import { parseFormat, type ImageFormat } from '../../tiling/encode.js';
import type { TileRequest } from '../../tiling/service.js';
import type { AppDeps, RequestState } from '../context.js';
import { sendTile } from '../tile-response.js';
import { baseUrl } from '../url.js';

type Ctx = RouterContext<RequestState>;

const FORMAT_TYPES: Record<string, ImageFormat> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' };

export function apiRoutes(deps: AppDeps): Router<RequestState> {
  const router = new Router<RequestState>({ prefix: '/api/v1' });
  const { catalog } = deps;

  router.get('/collections', (ctx) => {
    const base = baseUrl(ctx, deps.config);
    ctx.body = {
      collections: catalog.list().map((c) => collectionDocument(base, c)),
      links: [{ rel: 'self', type: 'application/json', href: `${base}/api/v1/collections` }],
    };
  });

  router.get('/collections/:id', (ctx) => {
    ctx.body = collectionDocument(baseUrl(ctx, deps.config), catalog.get(ctx.params['id']!));
  });

  router.get('/collections/:id/tilejson.json', (ctx) => {
    const query = ctx.query as Record<string, string | string[]>;
    const f = single(query, 'f') ?? single(query, 'format');
    const format = f === undefined ? undefined : parseQueryFormat(f);
    ctx.body = tileJson(baseUrl(ctx, deps.config), catalog.get(ctx.params['id']!), single(query, 'tileMatrixSet') ?? 'WebMercatorQuad', format);
  });

  router.get('/collections/:id/tiles/:tms/:z/:x/:y', (ctx) => serveTile(ctx, deps, {
    collectionId: ctx.params['id']!, tileMatrixSetId: ctx.params['tms']!, z: ctx.params['z']!, x: ctx.params['x']!, y: ctx.params['y']!,
  }));

  // The required short route: the default collection in WebMercatorQuad.
  router.get('/tiles/:z/:x/:y', (ctx) => {
    const c = catalog.defaultCollection();
    if (!c) throw new NotFoundError('collection', 'the server has no collections');
    return serveTile(ctx, deps, { collectionId: c.id, tileMatrixSetId: 'WebMercatorQuad', z: ctx.params['z']!, x: ctx.params['x']!, y: ctx.params['y']! });
  });

  return router;
}

function parseQueryFormat(f: string): ImageFormat {
  try {
    return parseFormat(f);
  } catch {
    throw new InvalidParameterError('f', `f must be png, jpeg or webp, got "${f}"`);
  }
}

/** The format Accept asks for, when the path has no extension; undefined for "anything". */
function negotiated(ctx: Ctx, offered: readonly ImageFormat[]): ImageFormat | undefined {
  const accept = ctx.get('accept');
  if (!accept || /^\s*\*\/\*\s*$/.test(accept)) return undefined;
  const types = offered.map((f) => `image/${f}`);
  const best = ctx.accepts(...types);
  if (best === false) throw new InvalidParameterError('Accept', `none of ${types.join(', ')} is acceptable (Accept: ${accept})`);
  return FORMAT_TYPES[best as string];
}

async function serveTile(ctx: Ctx, deps: AppDeps, path: XyzPath): Promise<void> {
  const collection = deps.catalog.get(path.collectionId);
  const hasExtension = /\.[A-Za-z]+$/.test(path.y);
  const query = ctx.query as Record<string, string | string[]>;
  const f = single(query, 'f');
  const fromQuery = f !== undefined ? parseQueryFormat(f) : undefined;
  const accept = hasExtension ? undefined : fromQuery ?? negotiated(ctx, collection.formats);
  const req: TileRequest = parseXyzRequest(path, query, accept);
  if (fromQuery && req.format !== fromQuery) {
    throw new InvalidParameterError('f', `f=${f} contradicts the tile's extension (.${path.y.split('.').pop()})`);
  }
  if (!hasExtension && f === undefined) ctx.vary('Accept');
  await sendTile(ctx, deps, collection, req);
}
