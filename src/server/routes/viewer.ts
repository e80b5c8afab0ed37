import Router from '@koa/router';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { AppDeps, RequestState } from '../context.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

/**
 * The map viewer: `GET /` is its page, `GET /viewer/{file}` its bundled script and styles
 * (OpenLayers from npm, built into the folder by `npm run build`; no CDN). The files are
 * read once at start-up and served from memory: only names that exist can be asked for.
 */
export function viewerRoutes(deps: AppDeps): Router<RequestState> {
  const router = new Router<RequestState>();
  const files = new Map<string, Buffer>();
  try {
    for (const name of readdirSync(deps.viewerDir)) if (TYPES[extname(name)]) files.set(name, readFileSync(join(deps.viewerDir, name)));
  } catch {
    deps.logger.warn({ dir: deps.viewerDir }, 'map viewer not built: GET / serves a plain list of collections');
  }
  router.get('/', (ctx) => {
    const page = files.get('index.html');
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = page ?? plainList(deps);
  });
  router.get('/viewer/:file', (ctx) => {
    const name = ctx.params['file']!;
    const body = files.get(name);
    if (!body) {
      ctx.status = 404;
      ctx.body = { code: 'NotFound', description: `no viewer file "${name}"` };
      return;
    }
    ctx.type = TYPES[extname(name)]!;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = body;
  });
  return router;
}

function plainList(deps: AppDeps): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const items = deps.catalog.list().map((c) => `<li><a href="api/v1/collections/${encodeURIComponent(c.id)}">${esc(c.title)}</a></li>`).join('');
  return `<!doctype html><meta charset="utf-8"><title>Tilewright</title><h1>Tilewright</h1><ul>${items}</ul>`;
}
