/**
 * Protocol-free errors of the tile matrix set layer. They extend the project's domain error
 * bases (`src/errors.ts`) so each protocol's error table maps them without knowing this
 * module: an unknown set is a `NotFoundError`, an unknown matrix a `TileOutOfRangeError`
 * on `TileMatrix` (WMTS 1.0 GetTile TileOutOfRange / OGC API 404).
 */
import { DomainError, NotFoundError, TileOutOfRangeError } from '../errors.js';

/** `registry.get(id)` for an id that is not registered. */
export class UnknownTileMatrixSet extends NotFoundError {
  constructor(readonly tileMatrixSetId: string) {
    super('tileMatrixSet', `unknown tile matrix set: ${JSON.stringify(tileMatrixSetId)}`);
  }
}

/** A tile matrix id that the set does not define. */
export class UnknownTileMatrix extends TileOutOfRangeError {
  constructor(readonly tileMatrixSetId: string, readonly tileMatrixId: string) {
    super('TileMatrix', `tile matrix set ${tileMatrixSetId} has no tile matrix ${JSON.stringify(tileMatrixId)}`);
  }
}

/** One problem found in a tile matrix set document; `path` names the field, e.g. `tileMatrices[3].matrixWidth`. */
export interface TileMatrixSetIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * A tile matrix set definition that cannot be used (bad JSON document, inconsistent
 * object). Raised at start-up or registration, never per request. Lists every problem found.
 */
export class InvalidTileMatrixSet extends DomainError {
  readonly code: string = 'InvalidTileMatrixSet';
  constructor(readonly tileMatrixSetId: string | undefined, readonly issues: readonly TileMatrixSetIssue[]) {
    const what = tileMatrixSetId === undefined ? 'tile matrix set' : `tile matrix set ${JSON.stringify(tileMatrixSetId)}`;
    super(`invalid ${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
  }
}

/** `register()` of an id that is already taken (ids are unique per server, TMS 2.0 clause 6, note g). */
export class DuplicateTileMatrixSet extends InvalidTileMatrixSet {
  override readonly code = 'DuplicateTileMatrixSet';
  constructor(tileMatrixSetId: string) {
    super(tileMatrixSetId, [{ path: 'id', message: `a tile matrix set with id ${JSON.stringify(tileMatrixSetId)} is already registered` }]);
  }
}

/**
 * Parent/child navigation between two matrices whose grids do not nest (the finer tile
 * span is not an integer fraction of the coarser one, or the origins differ), e.g.
 * CanadianNAD83_LCC. Asking for it is a programming error, hence a throw.
 */
export class TileMatricesNotNested extends DomainError {
  readonly code = 'TileMatricesNotNested';
  constructor(readonly tileMatrixSetId: string, readonly coarser: string, readonly finer: string) {
    super(`tile matrices ${coarser} and ${finer} of ${tileMatrixSetId} do not nest: no parent/child relation`);
  }
}
