/**
 * Validation of OGC TMS 2.0 JSON documents (OGC 17-083r4 clause 7/9 JSON encoding; the
 * `tileMatrixSet.json`/`tileMatrix.json`/`variableMatrixWidth.json` schemas) plus the
 * semantic rules the schemas cannot express (clause 6, TileMatrixSet/TileMatrix tables):
 * unique matrix ids and scale denominators, row bands inside the matrix.
 *
 * Every problem is reported, each with the path of the offending field
 * (`tileMatrices[3].matrixWidth: must be an integer >= 1, got 0`), because these documents
 * come from configuration and the operator wants one round of fixes, not one per restart.
 */
import { getCrs } from '../crs/index.js';
import { axisOrderFromOrderedAxes } from './axes.js';
import { InvalidTileMatrixSet, type TileMatrixSetIssue } from './errors.js';
import type { CornerOfOrigin, CrsAxisOrderPoint, CrsReference, TileMatrix, TileMatrixSet, TmsBoundingBox, VariableMatrixWidth } from './model.js';

type Json = Record<string, unknown>;

/**
 * Ids appear in URL paths, WMTS KVP values and URL templates: any Unicode text without `/`, `\`,
 * `{`, `}` or control characters and without surrounding spaces ("Web Mercator – Zürich" is
 * fine; faces percent-encode it in URLs and escape it in XML), and not `.` or `..`, which URL
 * path normalisation would remove.
 */
const SAFE_ID = /^(?!\.\.?$)(?!\s)[^/\\{}\p{Cc}]+(?<!\s)$/u;

class Issues {
  readonly list: TileMatrixSetIssue[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (isRecord(value)) return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function optionalString(doc: Json, key: string, path: string, issues: Issues): string | undefined {
  const value = doc[key];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  issues.add(path, `must be a string, got ${show(value)}`);
  return undefined;
}

function optionalStrings(doc: Json, key: string, path: string, issues: Issues): string[] | undefined {
  const value = doc[key];
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return [...value] as string[];
  issues.add(path, `must be an array of strings, got ${show(value)}`);
  return undefined;
}

function positiveNumber(doc: Json, key: string, path: string, issues: Issues): number {
  const value = doc[key];
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  issues.add(path, value === undefined ? 'required' : `must be a finite number > 0, got ${show(value)}`);
  return NaN;
}

function integer(doc: Json, key: string, path: string, min: number, issues: Issues): number {
  const value = doc[key];
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return value;
  issues.add(path, value === undefined ? 'required' : `must be an integer >= ${min}, got ${show(value)}`);
  return NaN;
}

function point(value: unknown, path: string, issues: Issues): CrsAxisOrderPoint | undefined {
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return [value[0] as number, value[1] as number];
  }
  issues.add(path, value === undefined ? 'required' : `must be an array of 2 finite numbers (CRS axis order), got ${show(value)}`);
  return undefined;
}

/** Checks the shape of a `crs.json` value; returns the URI-like id when there is one. */
function crsReference(value: unknown, path: string, issues: Issues): { ref?: CrsReference; id?: string } {
  if (typeof value === 'string' && value.trim() !== '') return { ref: value, id: value };
  if (isRecord(value)) {
    if (typeof value.uri === 'string' && value.uri.trim() !== '') return { ref: { uri: value.uri }, id: value.uri };
    if ('wkt' in value || 'referenceSystem' in value) {
      issues.add(path, 'embedded CRS definitions (wkt, referenceSystem) are not supported; '
        + 'give a CRS URI such as "http://www.opengis.net/def/crs/EPSG/0/3857"');
      return {};
    }
  }
  issues.add(path, value === undefined ? 'required' : `must be a CRS URI string or {"uri": ...}, got ${show(value)}`);
  return {};
}

function resolvable(id: string, path: string, issues: Issues): void {
  try {
    getCrs(id);
  } catch {
    issues.add(path, `unknown coordinate reference system ${JSON.stringify(id)}`);
  }
}

function orderedAxes(doc: Json, path: string, issues: Issues): string[] | undefined {
  const axes = optionalStrings(doc, 'orderedAxes', path, issues);
  if (axes === undefined) return undefined;
  if (axisOrderFromOrderedAxes(axes) === undefined) {
    issues.add(path, `cannot tell the east and the north axis in ${JSON.stringify(axes)}; `
      + 'use two axis abbreviations such as ["E","N"], ["X","Y"], ["Lon","Lat"] or ["Lat","Lon"]');
    return undefined;
  }
  return axes;
}

function boundingBox(value: unknown, path: string, issues: Issues): TmsBoundingBox | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    issues.add(path, `must be an object with lowerLeft and upperRight, got ${show(value)}`);
    return undefined;
  }
  const lowerLeft = point(value.lowerLeft, `${path}.lowerLeft`, issues);
  const upperRight = point(value.upperRight, `${path}.upperRight`, issues);
  if (lowerLeft && upperRight && (lowerLeft[0] > upperRight[0] || lowerLeft[1] > upperRight[1])) {
    issues.add(path, `lowerLeft ${JSON.stringify(lowerLeft)} is not below and left of upperRight ${JSON.stringify(upperRight)}`);
  }
  const crs = value.crs === undefined ? undefined : crsReference(value.crs, `${path}.crs`, issues).ref;
  const axes = value.orderedAxes === undefined ? undefined : orderedAxes(value, `${path}.orderedAxes`, issues);
  if (!lowerLeft || !upperRight) return undefined;
  return {
    lowerLeft,
    upperRight,
    ...(crs !== undefined ? { crs } : {}),
    ...(axes !== undefined ? { orderedAxes: [axes[0]!, axes[1]!] as const } : {}),
  };
}

function variableMatrixWidths(value: unknown, path: string, matrixHeight: number, issues: Issues): VariableMatrixWidth[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    issues.add(path, `must be an array, got ${show(value)}`);
    return undefined;
  }
  const out: VariableMatrixWidth[] = [];
  value.forEach((entry: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(entry)) {
      issues.add(at, `must be an object {coalesce, minTileRow, maxTileRow}, got ${show(entry)}`);
      return;
    }
    const coalesce = integer(entry, 'coalesce', `${at}.coalesce`, 2, issues);
    const minTileRow = integer(entry, 'minTileRow', `${at}.minTileRow`, 0, issues);
    const maxTileRow = integer(entry, 'maxTileRow', `${at}.maxTileRow`, 0, issues);
    if (maxTileRow < minTileRow) issues.add(`${at}.maxTileRow`, `must be >= minTileRow (${minTileRow}), got ${maxTileRow}`);
    if (maxTileRow >= matrixHeight) issues.add(`${at}.maxTileRow`, `must be < matrixHeight (${matrixHeight}), got ${maxTileRow}`);
    if ([coalesce, minTileRow, maxTileRow].every(Number.isFinite)) out.push({ coalesce, minTileRow, maxTileRow });
  });
  const sorted = out.map((v, i) => ({ v, i })).sort((a, b) => a.v.minTileRow - b.v.minTileRow);
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1]!;
    const cur = sorted[k]!;
    if (cur.v.minTileRow <= prev.v.maxTileRow) {
      issues.add(`${path}[${cur.i}]`, `rows ${cur.v.minTileRow}..${cur.v.maxTileRow} overlap ${path}[${prev.i}] (rows ${prev.v.minTileRow}..${prev.v.maxTileRow})`);
    }
  }
  return out;
}

function tileMatrix(value: unknown, path: string, issues: Issues): TileMatrix | undefined {
  if (!isRecord(value)) {
    issues.add(path, `must be an object (a TileMatrix), got ${show(value)}`);
    return undefined;
  }
  const id = value.id;
  if (typeof id !== 'string' || id === '') issues.add(`${path}.id`, id === undefined ? 'required' : `must be a non-empty string, got ${show(id)}`);
  const title = optionalString(value, 'title', `${path}.title`, issues);
  const description = optionalString(value, 'description', `${path}.description`, issues);
  const keywords = optionalStrings(value, 'keywords', `${path}.keywords`, issues);
  const scaleDenominator = positiveNumber(value, 'scaleDenominator', `${path}.scaleDenominator`, issues);
  const cellSize = positiveNumber(value, 'cellSize', `${path}.cellSize`, issues);
  let cornerOfOrigin: CornerOfOrigin | undefined;
  if (value.cornerOfOrigin !== undefined) {
    if (value.cornerOfOrigin === 'topLeft' || value.cornerOfOrigin === 'bottomLeft') cornerOfOrigin = value.cornerOfOrigin;
    else issues.add(`${path}.cornerOfOrigin`, `must be "topLeft" or "bottomLeft", got ${show(value.cornerOfOrigin)}`);
  }
  if (value.pointOfOrigin === undefined && value.topLeftCorner !== undefined) {
    issues.add(`${path}.pointOfOrigin`, 'required (found topLeftCorner, the WMTS 1.0 / TMS 1.0 name: rename it pointOfOrigin)');
  }
  const pointOfOrigin = value.pointOfOrigin === undefined && value.topLeftCorner !== undefined
    ? undefined : point(value.pointOfOrigin, `${path}.pointOfOrigin`, issues);
  const tileWidth = integer(value, 'tileWidth', `${path}.tileWidth`, 1, issues);
  const tileHeight = integer(value, 'tileHeight', `${path}.tileHeight`, 1, issues);
  const matrixWidth = integer(value, 'matrixWidth', `${path}.matrixWidth`, 1, issues);
  const matrixHeight = integer(value, 'matrixHeight', `${path}.matrixHeight`, 1, issues);
  const widths = variableMatrixWidths(value.variableMatrixWidths, `${path}.variableMatrixWidths`, matrixHeight, issues);
  if (typeof id !== 'string' || id === '' || !pointOfOrigin) return undefined;
  return {
    id,
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(keywords !== undefined ? { keywords } : {}),
    scaleDenominator,
    cellSize,
    ...(cornerOfOrigin !== undefined ? { cornerOfOrigin } : {}),
    pointOfOrigin,
    tileWidth,
    tileHeight,
    matrixWidth,
    matrixHeight,
    ...(widths !== undefined && widths.length > 0 ? { variableMatrixWidths: widths } : {}),
  };
}

function tileMatrices(doc: Json, issues: Issues): TileMatrix[] {
  const value = doc.tileMatrices;
  if (value === undefined && doc.tileMatrix !== undefined) {
    issues.add('tileMatrices', 'required (found tileMatrix, the TMS 1.0 / WMTS name: rename it tileMatrices)');
    return [];
  }
  if (!Array.isArray(value) || value.length === 0) {
    issues.add('tileMatrices', value === undefined ? 'required' : `must be a non-empty array of tile matrices, got ${show(value)}`);
    return [];
  }
  const out: TileMatrix[] = [];
  const ids = new Map<string, number>();
  const scales = new Map<number, number>();
  let previous: { cellSize: number; index: number } | undefined;
  value.forEach((entry: unknown, i) => {
    const path = `tileMatrices[${i}]`;
    const m = tileMatrix(entry, path, issues);
    if (!m) return;
    const seenId = ids.get(m.id);
    if (seenId !== undefined) issues.add(`${path}.id`, `duplicate tile matrix id ${JSON.stringify(m.id)} (also tileMatrices[${seenId}])`);
    else ids.set(m.id, i);
    const seenScale = scales.get(m.scaleDenominator);
    if (seenScale !== undefined) {
      issues.add(`${path}.scaleDenominator`, `duplicate ${m.scaleDenominator} (also tileMatrices[${seenScale}]); each tile matrix needs its own scale`);
    } else if (Number.isFinite(m.scaleDenominator)) {
      scales.set(m.scaleDenominator, i);
    }
    if (previous && Number.isFinite(m.cellSize) && !(m.cellSize < previous.cellSize)) {
      issues.add(`${path}.cellSize`, `tile matrices must go from the coarsest to the finest: ${m.cellSize} is not smaller than `
        + `tileMatrices[${previous.index}].cellSize ${previous.cellSize}`);
    }
    if (Number.isFinite(m.cellSize)) previous = { cellSize: m.cellSize, index: i };
    out.push(m);
  });
  return out;
}

/** Parses JSON text when given a string; anything else is taken as an already parsed document. */
function parsed(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input) as unknown;
  } catch (err) {
    throw new InvalidTileMatrixSet(undefined, [{ path: '', message: `not valid JSON: ${(err as Error).message}` }]);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Validates a TMS 2.0 JSON document (parsed, or as JSON text) and returns a clean, deeply
 * frozen `TileMatrixSet` holding only the members of the model. Unknown members (e.g.
 * `links`) are dropped. Throws `InvalidTileMatrixSet` listing every problem.
 */
export function parseTileMatrixSet(input: unknown): TileMatrixSet {
  const doc = parsed(input);
  if (!isRecord(doc)) {
    throw new InvalidTileMatrixSet(undefined, [{ path: '', message: `must be a JSON object (a TileMatrixSet), got ${show(doc)}` }]);
  }
  const issues = new Issues();
  const id = doc.id;
  if (typeof id !== 'string' || !SAFE_ID.test(id)) {
    issues.add('id', id === undefined ? 'required (the registry and every protocol address a set by its id)'
      : `must be a non-empty string of letters, digits, spaces and punctuation other than "/", "\\", "{" or "}", without surrounding spaces (it appears in URLs), got ${show(id)}`);
  }
  const title = optionalString(doc, 'title', 'title', issues);
  const description = optionalString(doc, 'description', 'description', issues);
  const keywords = optionalStrings(doc, 'keywords', 'keywords', issues);
  const uri = optionalString(doc, 'uri', 'uri', issues);
  const { ref: crs, id: crsId } = crsReference(doc.crs, 'crs', issues);
  if (crsId !== undefined) resolvable(crsId, 'crs', issues);
  const axes = orderedAxes(doc, 'orderedAxes', issues);
  const wellKnownScaleSet = optionalString(doc, 'wellKnownScaleSet', 'wellKnownScaleSet', issues);
  const bbox = boundingBox(doc.boundingBox, 'boundingBox', issues);
  const matrices = tileMatrices(doc, issues);
  const name = typeof id === 'string' ? id : undefined;
  if (issues.list.length > 0 || crs === undefined || name === undefined) throw new InvalidTileMatrixSet(name, issues.list);
  return deepFreeze({
    id: name,
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(keywords !== undefined ? { keywords } : {}),
    ...(uri !== undefined ? { uri } : {}),
    crs,
    ...(axes !== undefined ? { orderedAxes: axes } : {}),
    ...(wellKnownScaleSet !== undefined ? { wellKnownScaleSet } : {}),
    ...(bbox !== undefined ? { boundingBox: bbox } : {}),
    tileMatrices: matrices,
  });
}
