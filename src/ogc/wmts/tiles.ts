/**
 * From a WMTS GetTile/GetFeatureInfo request (either binding) to the project's TileRequest:
 * every value checked against the layer as the capabilities describe it, with the exception
 * code and locator 07-057r7 Table 23 gives (InvalidParameterValue naming the parameter for an
 * unknown Layer, Style, Format, TileMatrixSet or TileMatrix; TileOutOfRange naming TileRow or
 * TileCol outside the matrix or the layer's TileMatrixSetLimits).
 */
import type { Catalog, Collection } from '../../catalog/types.js';
import { tryGetTileMatrix, type TileMatrixSet, type TileMatrixSetRegistry } from '../../tilematrixsets/index.js';
import type { TileRequest } from '../../tiling/service.js';
import { OwsException } from './exceptions.js';
import { IMAGE_MIME, imageFormatOfMime } from './formats.js';
import { inLimits, layerExtent } from './limits.js';
import type { TileParams } from './requests.js';
import { isWmtsCompatible, tmsRowOfWmtsRow } from './tilematrixset.js';

/** The one style of every layer (a collection has one default style, offered under this name). */
export const DEFAULT_STYLE = 'default';

export interface WmtsCatalog {
  catalog: Catalog;
  registry: TileMatrixSetRegistry;
}

/** The tile matrix sets of a collection that WMTS 1.0 can describe, in the collection's order. */
export function wmtsTileMatrixSets(c: Collection, registry: TileMatrixSetRegistry): TileMatrixSet[] {
  return c.info.tileMatrixSets.map((t) => registry.tryGet(t.tileMatrixSetId)).filter((t): t is TileMatrixSet => t !== undefined && isWmtsCompatible(t));
}

export function layerOf(layer: string, deps: WmtsCatalog): Collection {
  const c = deps.catalog.tryGet(layer);
  if (!c) throw new OwsException('InvalidParameterValue', 'Layer', `no layer "${layer}"`);
  return c;
}

export interface ResolvedTile {
  collection: Collection;
  tileMatrixSet: TileMatrixSet;
  request: TileRequest;
}

export function resolveTile(p: TileParams, deps: WmtsCatalog): ResolvedTile {
  const collection = layerOf(p.layer, deps);
  // 07-057r7 Table 22: Style is mandatory; an empty value (STYLE=, sent by some clients) means the default.
  if (p.style !== DEFAULT_STYLE && p.style !== '') {
    throw new OwsException('InvalidParameterValue', 'Style', `layer "${collection.id}" has no style "${p.style}" (styles: ${DEFAULT_STYLE})`);
  }
  const format = imageFormatOfMime(p.format);
  if (!format || !collection.formats.includes(format)) {
    throw new OwsException('InvalidParameterValue', 'Format', `layer "${collection.id}" is not offered as "${p.format}" (formats: ${collection.formats.map((f) => IMAGE_MIME[f]).join(', ')})`);
  }
  const tms = wmtsTileMatrixSets(collection, deps.registry).find((t) => t.id === p.tileMatrixSet);
  if (!tms) {
    throw new OwsException('InvalidParameterValue', 'TileMatrixSet', `layer "${collection.id}" is not offered in tile matrix set "${p.tileMatrixSet}"`);
  }
  const matrix = tryGetTileMatrix(tms, p.tileMatrix);
  if (!matrix) throw new OwsException('InvalidParameterValue', 'TileMatrix', `tile matrix set ${tms.id} has no tile matrix "${p.tileMatrix}"`);
  const extent = layerExtent(collection, tms);
  const limits = extent.limits.get(matrix.id);
  const rowRange = limits ? `${limits.minTileRow}..${limits.maxTileRow}` : 'none';
  if (p.tileRow < 0 || p.tileRow >= matrix.matrixHeight || !limits || p.tileRow < limits.minTileRow || p.tileRow > limits.maxTileRow) {
    throw new OwsException('TileOutOfRange', 'TileRow', `TileRow ${p.tileRow} is outside the rows of layer "${collection.id}" in tile matrix ${matrix.id} of ${tms.id} (${rowRange})`);
  }
  if (!inLimits(extent, matrix.id, p.tileRow, p.tileCol) || p.tileCol >= matrix.matrixWidth) {
    throw new OwsException('TileOutOfRange', 'TileCol', `TileCol ${p.tileCol} is outside the columns of layer "${collection.id}" in tile matrix ${matrix.id} of ${tms.id} (${limits.minTileCol}..${limits.maxTileCol})`);
  }
  return {
    collection,
    tileMatrixSet: tms,
    request: {
      collectionId: collection.id,
      tileMatrixSetId: tms.id,
      tile: { tileMatrix: matrix.id, row: tmsRowOfWmtsRow(matrix, p.tileRow), col: p.tileCol },
      format,
      style: {},
    },
  };
}
