import type Koa from 'koa';
import type { ServerConfig } from '../config.js';

/** Absolute base URL for links: the configured public URL, else this request's origin. */
export function baseUrl(ctx: Koa.Context | Koa.ParameterizedContext<unknown>, config: ServerConfig): string {
  return (config.publicUrl ?? `${ctx.protocol}://${ctx.host}`).replace(/\/+$/, '');
}
