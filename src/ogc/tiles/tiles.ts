/**
 * Tile addresses of OGC API - Tiles URLs (OGC 20-057 /req/core/tc-op:
 * `…/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}`, rows and columns as TMS 2.0
 * counts them, from the matrix's corner of origin). A malformed row or column is 400; a tile
 * matrix the set lacks, or a tile outside the matrix or the tileset's limits, is 404
 * (/req/core/tc-error).
 */
import { InvalidParameterError, NotFoundError, TileOutOfRangeError } from '../../errors.js';
import { tryGetTileMatrix, type TileAddress, type TileMatrixSet, type TileMatrixSetLimits } from '../../tilematrixsets/index.js';
import { tileIndex } from '../common/params.js';
import { inLimits } from './limits.js';

export interface TilePath {
  tileMatrix: string;
  tileRow: string;
  tileCol: string;
}

/** The tile, checked against the set and the tileset's advertised limits. */
export function parseTileAddress(tms: TileMatrixSet, path: TilePath, limits: readonly TileMatrixSetLimits[]): TileAddress {
  const row = tileIndex(path.tileRow, 'tileRow');
  const col = tileIndex(path.tileCol, 'tileCol');
  const matrix = tryGetTileMatrix(tms, path.tileMatrix);
  if (!matrix) throw new TileOutOfRangeError('TileMatrix', `tile matrix set ${tms.id} has no tile matrix "${path.tileMatrix}"`);
  const tile = { tileMatrix: matrix.id, row, col };
  if (row >= matrix.matrixHeight || col >= matrix.matrixWidth || !inLimits(limits, tile)) {
    const l = limits.find((x) => x.tileMatrix === matrix.id);
    const range = l ? `rows ${l.minTileRow}..${l.maxTileRow}, columns ${l.minTileCol}..${l.maxTileCol}` : 'no tiles';
    throw new TileOutOfRangeError(row >= matrix.matrixHeight || (l && (row < l.minTileRow || row > l.maxTileRow)) ? 'TileRow' : 'TileCol',
      `tile ${matrix.id}/${row}/${col} is outside this tileset (tile matrix ${matrix.id} of ${tms.id}: ${range})`);
  }
  return tile;
}

/** The set named in the path, among those the tileset offers (404 otherwise). */
export function offeredTileMatrixSet(sets: readonly TileMatrixSet[], id: string, what: string): TileMatrixSet {
  const tms = sets.find((t) => t.id === id);
  if (!tms) throw new NotFoundError('tileMatrixSet', `${what} has no tileset in tile matrix set "${id}" (offered: ${sets.map((t) => t.id).join(', ')})`);
  return tms;
}

/**
 * `collections=a,b` of dataset tiles (OGC 20-057 /req/geodata-selection/collections-param):
 * identifiers separated by commas, each percent-encoded (so an id may hold a comma). Unknown
 * ids are 400.
 */
export function parseCollectionsParam(value: string | undefined, known: (id: string) => boolean): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((s) => {
    try {
      return decodeURIComponent(s.trim());
    } catch {
      throw new InvalidParameterError('collections', `collections: "${s}" is not a percent-encoded identifier`);
    }
  });
  if (ids.length === 0 || ids.some((id) => id === '')) throw new InvalidParameterError('collections', 'collections must list one or more collection ids separated by commas');
  const unknown = ids.filter((id) => !known(id));
  if (unknown.length) throw new InvalidParameterError('collections', `no collection ${unknown.map((u) => `"${u}"`).join(', ')}`);
  return ids;
}
