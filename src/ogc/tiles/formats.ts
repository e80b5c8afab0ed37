/**
 * Tile encodings (OGC 20-057 §7.x "Tile encodings" classes png, jpeg, tiff): the `f` values of
 * tile URLs, their media types, and content negotiation when `f` is absent (/req/core/tc-op
 * lets the server pick by Accept).
 */
import { InvalidParameterError } from '../../errors.js';
import type { ImageFormat } from '../../tiling/encode.js';
import { MEDIA } from '../common/links.js';
import { NotAcceptableError, type AcceptRanking } from '../common/negotiate.js';

export const MAP_MEDIA: Readonly<Record<ImageFormat, string>> = { png: MEDIA.png, jpeg: MEDIA.jpeg, webp: MEDIA.webp };

/** `f` of a map tile or map: png, jpeg (jpg) or webp; undefined when absent. */
export function mapFormatParam(f: string | undefined): ImageFormat | undefined {
  if (f === undefined) return undefined;
  const v = f.toLowerCase();
  if (v === 'png' || v === 'image/png') return 'png';
  if (v === 'jpeg' || v === 'jpg' || v === 'image/jpeg') return 'jpeg';
  if (v === 'webp' || v === 'image/webp') return 'webp';
  throw new InvalidParameterError('f', `f must be png, jpeg or webp, got "${f}"`);
}

/**
 * The format of a map tile or map: `f` when given (it must be offered), else the best of the
 * offered formats by Accept (the first offered on a tie or with no Accept header). 406 when
 * Accept excludes all of them.
 */
export function negotiateMapFormat(f: string | undefined, offered: readonly ImageFormat[], accepts: AcceptRanking, accept: string): ImageFormat {
  const given = mapFormatParam(f);
  if (given) {
    if (!offered.includes(given)) throw new InvalidParameterError('f', `f=${f} is not offered here (offered: ${offered.join(', ')})`);
    return given;
  }
  if (!accept.trim()) return offered[0]!;
  const best = accepts(...offered.map((o) => MAP_MEDIA[o]));
  if (best === false) throw new NotAcceptableError(`tiles here are ${offered.map((o) => MAP_MEDIA[o]).join(', ')}, none of which Accept: ${accept} allows`);
  return offered.find((o) => MAP_MEDIA[o] === best)!;
}

/** Coverage tiles: GeoTIFF only (`f=geotiff`, `tiff` or `tif`, or Accept image/tiff). */
export function negotiateCoverageFormat(f: string | undefined, accepts: AcceptRanking, accept: string): 'geotiff' {
  if (f !== undefined) {
    if (['geotiff', 'tiff', 'tif', 'image/tiff', MEDIA.geotiff].includes(f.toLowerCase())) return 'geotiff';
    throw new InvalidParameterError('f', `coverage tiles are GeoTIFF (f=geotiff), got f=${f}`);
  }
  if (accept.trim() && accepts('image/tiff') === false) throw new NotAcceptableError(`coverage tiles are ${MEDIA.geotiff}, which Accept: ${accept} does not allow`);
  return 'geotiff';
}
