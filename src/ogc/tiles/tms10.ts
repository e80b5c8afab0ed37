/**
 * The OGC Two Dimensional Tile Matrix Set 1.0 JSON encoding (OGC 17-083r2, §8 JSON encoding:
 * `"type": "TileMatrixSetType"`, `identifier`, `supportedCRS`, `tileMatrix[]` with
 * `topLeftCorner`) of a TMS 2.0 set, for clients that read only the first version — GDAL up to
 * 3.6 parses nothing else for OGC API tilesets. Linked from tileset metadata as a second
 * tiling-scheme link, after the TMS 2.0 one. Undefined for sets 1.0 cannot describe
 * (a bottom-left corner of origin).
 */
import type { TileMatrixSet } from '../../tilematrixsets/index.js';

export function tileMatrixSet10(tms: TileMatrixSet) {
  if (tms.tileMatrices.some((m) => (m.cornerOfOrigin ?? 'topLeft') !== 'topLeft')) return undefined;
  const crs = typeof tms.crs === 'string' ? tms.crs : 'uri' in tms.crs ? tms.crs.uri : undefined;
  if (!crs) return undefined;
  return {
    type: 'TileMatrixSetType',
    ...(tms.title ? { title: tms.title } : {}),
    identifier: tms.id,
    supportedCRS: crs,
    ...(tms.wellKnownScaleSet ? { wellKnownScaleSet: tms.wellKnownScaleSet } : {}),
    ...(tms.boundingBox ? {
      boundingBox: { type: 'BoundingBoxType', crs, lowerCorner: [...tms.boundingBox.lowerLeft], upperCorner: [...tms.boundingBox.upperRight] },
    } : {}),
    tileMatrix: tms.tileMatrices.map((m) => ({
      type: 'TileMatrixType',
      identifier: m.id,
      scaleDenominator: m.scaleDenominator,
      topLeftCorner: [...m.pointOfOrigin],
      tileWidth: m.tileWidth,
      tileHeight: m.tileHeight,
      matrixWidth: m.matrixWidth,
      matrixHeight: m.matrixHeight,
      ...(m.variableMatrixWidths?.length ? {
        variableMatrixWidth: m.variableMatrixWidths.map((v) => ({ type: 'VariableMatrixWidthType', coalesce: v.coalesce, minTileRow: v.minTileRow, maxTileRow: v.maxTileRow })),
      } : {}),
    })),
  };
}
