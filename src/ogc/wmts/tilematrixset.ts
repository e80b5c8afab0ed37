/**
 * A TMS 2.0 tile matrix set (src/tilematrixsets) as WMTS 1.0 describes it (07-057r7 §6.1 and
 * §7.1.1.1.2, Table 8 TileMatrixSet and Table 9 TileMatrix): an identifier, a SupportedCRS, and
 * per matrix a ScaleDenominator, a TopLeftCorner in the CRS's AXIS ORDER (latitude first for
 * EPSG:4326, longitude first for OGC:CRS84), tile and matrix sizes.
 *
 * WMTS 1.0 numbers rows from the top left only and has no variable matrix widths, so a set with
 * `bottomLeft` matrices is described by its top-left corner (rows renumbered, see
 * `tmsRowOfWmtsRow`) and a set with coalesced rows (CDB1GlobalGrid, GNOSISGlobalGrid) cannot be
 * offered through WMTS at all.
 */
import type { Crs } from '../../crs/index.js';
import {
  metresPerUnit, scaleDenominatorForCellSize, tileMatrixCrsBounds, tileMatrixSetAxisOrder, tileMatrixSetCrs, toCrsAxisOrder,
  type TileMatrix, type TileMatrixSet,
} from '../../tilematrixsets/index.js';

export interface WmtsTileMatrix {
  identifier: string;
  scaleDenominator: number;
  /** In CRS axis order. */
  topLeftCorner: [number, number];
  tileWidth: number;
  tileHeight: number;
  matrixWidth: number;
  matrixHeight: number;
}

export interface WmtsTileMatrixSet {
  identifier: string;
  title: string | undefined;
  /** URN of the CRS (OGC 07-092r3), the form 07-057r7's examples and most clients expect. */
  supportedCrs: string;
  /** Only for GoogleMapsCompatible-shaped sets (07-057r7 Annex E.4). */
  wellKnownScaleSet: string | undefined;
  tileMatrices: WmtsTileMatrix[];
}

/** True when WMTS 1.0 can describe the set: no variable matrix widths (TMS 2.0 coalescence). */
export function isWmtsCompatible(tms: TileMatrixSet): boolean {
  return tms.tileMatrices.every((m) => !m.variableMatrixWidths?.length);
}

/**
 * `urn:ogc:def:crs:EPSG::3857`, `urn:ogc:def:crs:OGC:1.3:CRS84` (OGC 07-092r3 §7.5.2; the
 * empty version of an EPSG code means "latest"). A CRS without an EPSG/OGC id keeps its URI.
 */
export function crsUrn(crs: Crs): string {
  const m = /^(EPSG|OGC):(.+)$/.exec(crs.id);
  if (!m) return crs.uri || crs.id;
  return m[1] === 'OGC' ? `urn:ogc:def:crs:OGC:1.3:${m[2]}` : `urn:ogc:def:crs:EPSG::${m[2]}`;
}

/**
 * The scale denominator at the standardized 0.28 mm pixel (07-057r7 §6.1, Annex E), computed
 * afresh from cellSize at full double precision rather than copied from a document that may
 * have rounded it.
 */
export function scaleDenominatorOf(tms: TileMatrixSet, matrix: TileMatrix): number {
  return scaleDenominatorForCellSize(matrix.cellSize, metresPerUnit(tileMatrixSetCrs(tms)));
}

/** The top-left corner of a matrix in CRS axis order, also for `bottomLeft` matrices. */
export function topLeftCorner(tms: TileMatrixSet, matrix: TileMatrix): [number, number] {
  if (matrix.cornerOfOrigin !== 'bottomLeft') return [matrix.pointOfOrigin[0], matrix.pointOfOrigin[1]];
  const b = tileMatrixCrsBounds(tms, matrix.id);
  return toCrsAxisOrder(b.minX, b.maxY, tileMatrixSetAxisOrder(tms));
}

/** The TMS row of a WMTS TileRow (counted from the top): the same unless the matrix counts from the bottom. */
export function tmsRowOfWmtsRow(matrix: TileMatrix, wmtsRow: number): number {
  return matrix.cornerOfOrigin === 'bottomLeft' ? matrix.matrixHeight - 1 - wmtsRow : wmtsRow;
}

/** The WMTS TileRow of a TMS row (its own inverse). */
export const wmtsRowOfTmsRow = tmsRowOfWmtsRow;

const GOOGLE_MAPS_COMPATIBLE = 'urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible';
/** 07-057r7 Annex E.4: level 0 is one 256-pixel tile of EPSG:3857 at this scale. */
const GOOGLE_LEVEL0_SCALE = 559082264.0287178;
const HALF_WORLD = 20037508.342789244;

/**
 * The GoogleMapsCompatible well-known scale set (07-057r7 Annex E.4) by shape, not by name:
 * EPSG:3857, level i has 2^i × 2^i tiles of 256 pixels from (−20037508.34, 20037508.34) at
 * scale 559082264.0287178 / 2^i. ArcGIS recognises Web Mercator layers by this declaration.
 */
export function isGoogleMapsCompatible(tms: TileMatrixSet): boolean {
  if (tileMatrixSetCrs(tms).id !== 'EPSG:3857') return false;
  return tms.tileMatrices.every((m, i) => {
    const [x, y] = topLeftCorner(tms, m);
    return m.tileWidth === 256 && m.tileHeight === 256 && m.matrixWidth === 2 ** i && m.matrixHeight === 2 ** i
      && Math.abs(scaleDenominatorOf(tms, m) / (GOOGLE_LEVEL0_SCALE / 2 ** i) - 1) < 1e-9
      && Math.abs(x + HALF_WORLD) < 1e-3 && Math.abs(y - HALF_WORLD) < 1e-3;
  });
}

export function wmtsTileMatrixSet(tms: TileMatrixSet): WmtsTileMatrixSet {
  return {
    identifier: tms.id,
    title: tms.title,
    supportedCrs: crsUrn(tileMatrixSetCrs(tms)),
    wellKnownScaleSet: isGoogleMapsCompatible(tms) ? GOOGLE_MAPS_COMPATIBLE : undefined,
    tileMatrices: tms.tileMatrices.map((m) => ({
      identifier: m.id,
      scaleDenominator: scaleDenominatorOf(tms, m),
      topLeftCorner: topLeftCorner(tms, m),
      tileWidth: m.tileWidth,
      tileHeight: m.tileHeight,
      matrixWidth: m.matrixWidth,
      matrixHeight: m.matrixHeight,
    })),
  };
}
