import { createHash } from 'node:crypto';
import type { TileAddress } from '../tilematrixsets/index.js';
import type { ImageFormat } from './encode.js';
import type { SourceVersion } from './source-index.js';
import type { StyleParams } from './style/style.js';
import type { Resampling } from './warp/plan.js';

/** Bump when the key layout or the rendering changes so that old cache entries are never served. */
const KEY_VERSION = 'tw1';

export interface TileKeyParts {
  collectionId: string;
  tileMatrixSetId: string;
  tile: TileAddress;
  format: ImageFormat;
  tileSize: number | undefined;
  resampling: Resampling;
  style: StyleParams;
  /** Identity and version of every source the tile touches, in priority order. */
  sources: readonly SourceVersion[];
  /** Bumped by operator purges that cover this tile (see src/cache/purge.ts). */
  purgeSeq: number;
  /** Settings that change pixels or bytes (transformer bound, encoders), fixed per process. */
  renderFingerprint: string;
}

/**
 * The cache key of a tile, which is also its strong ETag: a hash of everything that decides
 * its bytes, known before any pixel is read. Style fields are written in a fixed order, so
 * `bands=1&colormap=x` and `colormap=x&bands=1` share a key.
 */
export function tileKey(p: TileKeyParts): string {
  const style = JSON.stringify({ b: p.style.bands ?? null, r: p.style.rescale ?? null, c: p.style.colormap ?? null });
  const text = [
    KEY_VERSION, p.collectionId, p.purgeSeq, p.tileMatrixSetId, p.tile.tileMatrix, p.tile.row, p.tile.col,
    p.format, p.tileSize ?? '', p.resampling, style, p.renderFingerprint,
    ...p.sources.map((s) => `${s.location}@${s.version}`),
  ].join('\u0000');
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}
