/**
 * The XYZ face: `/api/v1/collections/{id}/tiles/{tms}/{z}/{x}/{y}[@2x][.png|.jpg|.jpeg|.webp]`
 * and `/api/v1/tiles/{z}/{x}/{y}` (default collection, WebMercatorQuad). {z} is the tile
 * matrix id, {x} the column and {y} the row counted from the top, as in WebMercatorQuad's
 * XYZ ("slippy map") scheme.
 */
import { InvalidParameterError, TileOutOfRangeError } from '../../errors.js';
import { parseFormat, type ImageFormat } from '../../tiling/encode.js';
import type { TileRequest } from '../../tiling/service.js';
import { parseStyleQuery, tileIndex, type Query } from '../common/params.js';

export interface XyzPath {
  collectionId: string;
  tileMatrixSetId: string;
  z: string;
  x: string;
  /** The last segment: row, optional "@2x", optional extension. */
  y: string;
}

const LAST = /^(\d{1,9})(?:@([1-4])x)?(?:\.([A-Za-z]+))?$/;

/**
 * Parses an XYZ tile path and query into a TileRequest. `accept` picks the format when the
 * path has no extension (the caller passes what content negotiation chose, if anything).
 */
export function parseXyzRequest(path: XyzPath, query: Query, accept: ImageFormat | undefined): TileRequest {
  const m = LAST.exec(path.y);
  if (!m) throw new InvalidParameterError('y', `tile row must look like 12, 12@2x or 12.png, got "${path.y}"`);
  if (!/^-?\d{1,3}$/.test(path.z)) throw new TileOutOfRangeError('TileMatrix', `zoom level "${path.z}" is not a tile matrix of ${path.tileMatrixSetId}`);
  const col = tileIndex(path.x, 'x');
  const row = Number(m[1]);
  const scale = m[2] ? Number(m[2]) : 1;
  let format: ImageFormat | undefined = accept;
  if (m[3]) {
    try {
      format = parseFormat(m[3]);
    } catch {
      throw new InvalidParameterError('format', `unsupported tile format ".${m[3]}" (png, jpg, jpeg or webp)`);
    }
  }
  const { style, resampling } = parseStyleQuery(query);
  const req: TileRequest = { collectionId: path.collectionId, tileMatrixSetId: path.tileMatrixSetId, tile: { tileMatrix: path.z, row, col }, style };
  if (format) req.format = format;
  if (resampling) req.resampling = resampling;
  if (scale !== 1) req.scale = scale;
  return req;
}
