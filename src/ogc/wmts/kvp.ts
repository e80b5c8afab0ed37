/**
 * KVP request parameters (OGC 06-121r3 §11.5.2, OGC 07-057r7 §8): parameter NAMES are
 * case-insensitive (`service`, `SERVICE` and `Service` are one parameter) while parameter
 * VALUES are case-sensitive (`REQUEST=getTile` is not the GetTile operation).
 */
import { OwsException } from './exceptions.js';

export type RawQuery = Record<string, string | string[] | undefined>;

export class KvpParameters {
  readonly #values = new Map<string, string>();

  /**
   * Folds names to lower case. A parameter given twice with different values is ambiguous:
   * InvalidParameterValue naming it (the same value twice is accepted).
   */
  constructor(query: RawQuery) {
    for (const [name, raw] of Object.entries(query)) {
      if (raw === undefined) continue;
      for (const value of Array.isArray(raw) ? raw : [raw]) {
        const key = name.toLowerCase();
        const seen = this.#values.get(key);
        if (seen !== undefined && seen !== value) {
          throw new OwsException('InvalidParameterValue', name, `parameter ${name} is given more than once with different values`);
        }
        this.#values.set(key, value);
      }
    }
  }

  /** The value, or undefined when absent. */
  get(name: string): string | undefined {
    return this.#values.get(name.toLowerCase());
  }

  /** The value; MissingParameterValue (locator = `name`) when absent or empty. */
  require(name: string): string {
    const v = this.get(name);
    if (v === undefined || v === '') throw new OwsException('MissingParameterValue', name, `parameter ${name} is required`);
    return v;
  }
}

/** Splits a comma-separated list value (OWS 06-121r3 §11.5.2), dropping surrounding blanks. */
export function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * An integer KVP or path value (TileRow, TileCol, I, J), else InvalidParameterValue on `name`.
 * Negative values parse: they are then outside the matrix or tile (TileOutOfRange,
 * PointIJOutOfRange), not malformed.
 */
export function integer(value: string, name: string): number {
  if (!/^[-+]?\d{1,9}$/.test(value)) throw new OwsException('InvalidParameterValue', name, `${name} must be an integer, got "${value}"`);
  return Number(value);
}
