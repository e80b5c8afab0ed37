/**
 * Representation of metadata resources (OGC 19-072 §7.7, /req/json and /req/html): the `f`
 * query parameter (`json` or `html`) wins, else the Accept header, else JSON. Framework-free:
 * the face passes a function that ranks media types against Accept (Koa's ctx.accepts).
 */
import { DomainError, InvalidParameterError } from '../../errors.js';
import { MEDIA } from './links.js';

export type MetadataFormat = 'json' | 'html';

/** The client accepts none of the representations offered (HTTP 406). */
export class NotAcceptableError extends DomainError {
  readonly code: string = 'NotAcceptable';
}

/** `accepts(...types)` returns the best acceptable type (the first one on a tie), or false. */
export type AcceptRanking = (...types: string[]) => string | false;

export function metadataFormat(f: string | undefined, accepts: AcceptRanking, accept: string): MetadataFormat {
  if (f !== undefined) {
    const v = f.toLowerCase();
    if (v === 'json' || v === 'application/json') return 'json';
    if (v === 'html' || v === 'text/html') return 'html';
    throw new InvalidParameterError('f', `f must be json or html, got "${f}"`);
  }
  if (!accept.trim()) return 'json';
  const best = accepts(MEDIA.json, MEDIA.html);
  if (best === false) throw new NotAcceptableError(`this resource is available as ${MEDIA.json} or ${MEDIA.html}, not ${accept}`);
  return best === MEDIA.html ? 'html' : 'json';
}
