/**
 * The tile matrix sets a server offers, by id (OGC API - Tiles `/tileMatrixSets`, WMTS
 * `TileMatrixSet` in Capabilities). Ids are case-sensitive and unique (TMS 2.0 clause 6,
 * TileMatrixSet table note g). Every set is validated on the way in and stored deeply frozen,
 * so what `get()` returns can be shared across requests.
 */
import { builtInTileMatrixSets } from './builtins.js';
import { DuplicateTileMatrixSet, UnknownTileMatrixSet } from './errors.js';
import type { TileMatrixSet } from './model.js';
import { parseTileMatrixSet } from './validate.js';

export class TileMatrixSetRegistry {
  private readonly sets = new Map<string, TileMatrixSet>();

  constructor(sets: Iterable<TileMatrixSet> = []) {
    for (const tms of sets) this.register(tms);
  }

  /** The set with this id; throws `UnknownTileMatrixSet` when there is none. */
  get(id: string): TileMatrixSet {
    const tms = this.sets.get(id);
    if (!tms) throw new UnknownTileMatrixSet(id);
    return tms;
  }

  /** The set with this id, or `undefined`. */
  tryGet(id: string): TileMatrixSet | undefined {
    return this.sets.get(id);
  }

  has(id: string): boolean {
    return this.sets.has(id);
  }

  /** All sets, in registration order (built-ins first for the default registry). */
  list(): TileMatrixSet[] {
    return [...this.sets.values()];
  }

  /**
   * Adds a set after the same validation as `fromJson` (a typed object can still hold a
   * matrixWidth of 0). Throws `InvalidTileMatrixSet`, or `DuplicateTileMatrixSet` when the id
   * is taken. Returns the stored (frozen) set.
   */
  register(tms: TileMatrixSet): TileMatrixSet {
    return this.add(parseTileMatrixSet(tms));
  }

  /**
   * Adds a set from an OGC TMS 2.0 JSON document, parsed or as text (e.g. the content of a
   * file named in the configuration; reading it is the caller's business). Throws
   * `InvalidTileMatrixSet` naming every bad field, or `DuplicateTileMatrixSet`.
   */
  fromJson(json: unknown): TileMatrixSet {
    return this.add(parseTileMatrixSet(json));
  }

  private add(tms: TileMatrixSet): TileMatrixSet {
    if (this.sets.has(tms.id)) throw new DuplicateTileMatrixSet(tms.id);
    this.sets.set(tms.id, tms);
    return tms;
  }
}

/**
 * A registry holding the built-in sets: the 69 registered OGC sets (WebMercatorQuad,
 * WorldCRS84Quad, WorldMercatorWGS84Quad, EuropeanETRS89_LAEAQuad, CanadianNAD83_LCC,
 * UPSArcticWGS84Quad, UPSAntarcticWGS84Quad, CDB1GlobalGrid, GNOSISGlobalGrid,
 * UTM01WGS84Quad..UTM60WGS84Quad) and the southern UTM twins UTM01SWGS84Quad..UTM60SWGS84Quad.
 */
export function createDefaultRegistry(): TileMatrixSetRegistry {
  return new TileMatrixSetRegistry(builtInTileMatrixSets());
}
