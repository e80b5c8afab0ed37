/**
 * Shared CRS types and errors (kept apart from index.ts so the sub-modules do not import each other in a cycle).
 */
import { DomainError, UnsupportedGeoreferencingError } from '../errors.js';

export type AxisOrder = 'xy' | 'yx';

/**
 * One coordinate operation that PROJ may pick to move a datum to WGS 84, as a proj4 definition of the CRS that
 * applies it. PROJ 9 chooses among such candidates point by point (see `datum-shifts.ts`).
 */
export interface DatumShift {
  /** EPSG coordinate operation, e.g. "EPSG:1175" (NAD27 to WGS 84 (6)). */
  readonly op: string;
  readonly name: string;
  /** EPSG accuracy in metres, null when unknown. */
  readonly accuracy: number | null;
  /** Area of use [west, south, east, north] in degrees (west > east when it crosses the antimeridian). */
  readonly bbox: readonly [number, number, number, number];
  /** The CRS's proj4 definition with this operation's +towgs84 or +nadgrids. */
  readonly proj4: string;
  /** NTv2 grid the operation needs (available only after `registerGrid`). */
  readonly grid?: string;
}

export interface Crs {
  /** Canonical short id, e.g. "EPSG:3857", "OGC:CRS84", or "CUSTOM:<hash>" for user-defined GeoKeys. */
  readonly id: string;
  /** OGC URI, e.g. "http://www.opengis.net/def/crs/EPSG/0/3857". Empty for custom CRSs. */
  readonly uri: string;
  /**
   * proj4 definition (never carries +axis: engine coordinates are always east/north). For datums with
   * several possible shifts to WGS 84 this holds the one PROJ would use at the centre of the CRS's area;
   * `getTransformer` refines the choice per point from `datumShifts`.
   */
  readonly proj4: string;
  /** Official axis order of the CRS: 'yx' for EPSG:4326 (lat, lon), EPSG:3035 (N, E) ... */
  readonly axisOrder: AxisOrder;
  readonly isGeographic: boolean;
  /** Human name, e.g. "WGS 84 / Pseudo-Mercator". */
  readonly name: string;
  /** Candidate datum shifts to WGS 84 in PROJ's order, when the datum has a tabulated set (see epsg-data.ts). */
  readonly datumShifts?: readonly DatumShift[];
}

export interface Transformer {
  /** from -> to, engine (east, north) order. Returns [NaN, NaN] where the point has no image. */
  forward(x: number, y: number): [number, number];
  /** to -> from. */
  inverse(x: number, y: number): [number, number];
  /** True when both CRSs are the same (forward is the identity). */
  readonly identity: boolean;
}

export class UnknownCrsError extends DomainError {
  readonly code: string = 'UnknownCrs';
  constructor(readonly crs: string) {
    super(`unknown coordinate reference system: ${crs}`);
  }
}

/**
 * A GeoTIFF's CRS that Tilewright cannot represent: geocentric model (GTModelTypeGeoKey = 3), missing keys,
 * or a projection method proj4js lacks. The message names the key and value at fault.
 */
export class UnsupportedCrsError extends UnsupportedGeoreferencingError {
  override readonly code: string = 'UnsupportedCrs';
}
