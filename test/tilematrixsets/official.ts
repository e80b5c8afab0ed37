/**
 * Test helpers: the registered OGC definitions (`../shared/tilematrixsets/*.json`, read at test
 * time, never copied into the project) and a comparison that respects how many digits they store.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** dist/test/tilematrixsets/ → repository root → ../shared/tilematrixsets */
export const OFFICIAL_DIR = fileURLToPath(new URL('../../../../shared/tilematrixsets/', import.meta.url));

export interface OfficialVariableWidth { coalesce: number; minTileRow: number; maxTileRow: number }
export interface OfficialMatrix {
  id: string;
  scaleDenominator: number;
  cellSize: number;
  cornerOfOrigin?: string;
  pointOfOrigin: [number, number];
  tileWidth: number;
  tileHeight: number;
  matrixWidth: number;
  matrixHeight: number;
  variableMatrixWidths?: OfficialVariableWidth[];
}
export interface OfficialSet {
  id: string;
  title?: string;
  uri?: string;
  crs: string;
  orderedAxes?: string[];
  wellKnownScaleSet?: string;
  tileMatrices: OfficialMatrix[];
}

export function officialIds(): string[] {
  return readdirSync(OFFICIAL_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
}

export function readOfficial(id: string): OfficialSet {
  return JSON.parse(readFileSync(`${OFFICIAL_DIR}${id}.json`, 'utf8')) as OfficialSet;
}

export function readOfficialText(id: string): string {
  return readFileSync(`${OFFICIAL_DIR}${id}.json`, 'utf8');
}

/**
 * Half a unit in the last significant digit the file stores for `value`. `toExponential()`
 * without an argument prints the shortest digits that round-trip, i.e. the file's digits
 * (minus trailing zeros): 128443.4324 → 5e-5, 9.313e-10 → 5e-14.
 */
export function storedHalfUnit(value: number): number {
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '').length;
  return 0.5 * 10 ** (Number(exponent) - (digits - 1));
}

/**
 * |actual − official| within a relative 1e-9, or within half a unit of the last digit the file
 * stores when it stores fewer than ~10 (UPS cell sizes, CDB1/GNOSIS finest levels): then the
 * official number must be exactly our full-precision value rounded to its digits.
 */
export function closeToOfficial(actual: number, official: number): { ok: boolean; tolerance: number; byDigits: boolean } {
  const relative = 1e-9 * Math.abs(official);
  const digits = storedHalfUnit(official) * (1 + 1e-12);
  const tolerance = Math.max(relative, digits);
  return { ok: Math.abs(actual - official) <= tolerance, tolerance, byDigits: digits > relative };
}

/** Deterministic PRNG (mulberry32) so random-point tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
