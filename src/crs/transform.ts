/**
 * Transformers between CRSs, in engine (east, north) order, with PROJ's per-point datum-shift choice
 * (see datum-shifts.ts for the rule and the evidence).
 */
import proj4 from 'proj4';
import { areaBoxIn, pickShift } from './datum-shifts.js';
import { registerProjections } from './ortho.js';
import { geographicOf, parseProj4, withoutDatumShift } from './proj4-string.js';
import type { Crs, DatumShift, Transformer } from './types.js';

type Conv = (x: number, y: number) => [number, number];
type Box = readonly [number, number, number, number] | undefined;

/** proj4's datum types with parameters (Datum.js: PJD_3PARAM, PJD_7PARAM, PJD_GRIDSHIFT). */
const SHIFTED_DATUM = new Set([1, 2, 3]);
interface ProjDatum { datum?: { datum_type: number }; datumCode?: string }

/**
 * True when proj4 would go through WGS84 between the two (transformInternal: one side has a
 * datum shift and the other is not WGS84). proj4 then builds a new WGS84 Projection for every
 * point (~1 µs each, ~0.4 ms per reprojected tile); `converter` makes the same two steps with
 * one WGS84 Projection: same operations, same results.
 */
function hopsThroughWgs84(a: ProjDatum, b: ProjDatum): boolean {
  if (!a.datum || !b.datum) return false;
  return (SHIFTED_DATUM.has(a.datum.datum_type) && b.datumCode !== 'WGS84')
    || (SHIFTED_DATUM.has(b.datum.datum_type) && a.datumCode !== 'WGS84');
}

type Converter = { forward: (c: [number, number]) => number[]; inverse: (c: [number, number]) => number[] };

function proj4Converter(fromDef: string, toDef: string): Converter {
  const Proj = proj4.Proj as unknown as new (def: string) => ProjDatum;
  const from = new Proj(fromDef), to = new Proj(toDef);
  const direct = (a: unknown, b: unknown) => (proj4 as unknown as (a: unknown, b: unknown) => Converter)(a, b);
  if (!hopsThroughWgs84(from, to)) return direct(from, to);
  const toWgs84 = direct(from, proj4.WGS84), fromWgs84 = direct(proj4.WGS84, to);
  return {
    forward: (c) => fromWgs84.forward(toWgs84.forward(c) as [number, number]),
    inverse: (c) => toWgs84.inverse(fromWgs84.inverse(c) as [number, number]),
  };
}

function converter(fromDef: string, toDef: string): { forward: Conv; inverse: Conv } {
  const conv = proj4Converter(fromDef, toDef);
  const safe = (f: (c: [number, number]) => number[]): Conv => (x, y) => {
    try {
      const r = f([x, y]);
      const rx = r[0], ry = r[1];
      return rx !== undefined && ry !== undefined && Number.isFinite(rx) && Number.isFinite(ry) ? [rx, ry] : [NaN, NaN];
    } catch {
      return [NaN, NaN];
    }
  };
  return { forward: safe((c) => conv.forward(c)), inverse: safe((c) => conv.inverse(c)) };
}

/** Geographic definition on the CRS's ellipsoid with the Greenwich meridian: the frame of EPSG areas of use. */
function greenwichLonLat(def: string): string {
  return geographicOf(def).replace(/\s*\+pm=\S+/, '');
}

/** The candidate shifts of one side of a transformer, with lazily computed area boxes. */
class Side {
  readonly shifts: readonly DatumShift[];
  readonly ballpark: string;
  private readonly boxes = new Map<string, Box[]>();

  constructor(readonly crs: Crs) {
    this.shifts = crs.datumShifts ?? [];
    this.ballpark = withoutDatumShift(crs.proj4);
  }

  get active(): boolean {
    return this.shifts.length > 0;
  }

  def(i: number): string {
    return i < 0 ? this.ballpark : this.shifts[i]!.proj4;
  }

  /** Index of the candidate for a point given in the coordinates of `coordsDef`; -1 = ballpark. */
  pick(coordsDef: string, x: number, y: number): number {
    if (!this.active) return -1;
    let b = this.boxes.get(coordsDef);
    if (!b) {
      const source = greenwichLonLat(this.crs.proj4);
      const target = withoutDatumShift(coordsDef);
      const p = parseProj4(target);
      const plainLonLat = p.some(([k, v]) => k === 'proj' && v === 'longlat') && !p.some(([k]) => k === 'pm');
      b = this.shifts.map((s) => areaBoxIn(plainLonLat ? source : target, source, s.bbox));
      this.boxes.set(coordsDef, b);
    }
    return pickShift(this.shifts, b, x, y);
  }
}

const transformers = new WeakMap<Crs, WeakMap<Crs, Transformer>>();

const isWebMercator = (c: Crs) => c.id === 'EPSG:3857' || c.id === 'EPSG:900913' || c.id === 'EPSG:3785';
const isWgs84LonLat = (c: Crs) => c.id === 'EPSG:4326' || c.id === 'OGC:CRS84';
const R = 6378137;
const RAD_TO_DEG = 57.29577951308232;

/**
 * EPSG:3857 to WGS 84 longitude/latitude in closed form, as GDAL does it instead of calling
 * PROJ (OGRProjCT's Web Mercator fast path): the longitude is wrapped to [-π, π] with values
 * within 1e-14 of ±π snapped to ±π, so x = 20037508.342789244 gives exactly 180 — which
 * decides whether a tile edge wraps round a geographic source (see warp/plan.ts CENTER_LONG).
 */
function webMercatorToLonLat(x: number, y: number): [number, number] {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return [NaN, NaN];
  let lon = x / R;
  if (Math.abs(lon - Math.PI) < 1e-14) lon = Math.PI;
  else if (Math.abs(lon + Math.PI) < 1e-14) lon = -Math.PI;
  else if (lon > Math.PI || lon < -Math.PI) lon = ((((lon + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) - Math.PI;
  const lat = Math.PI / 2 - 2 * Math.atan(Math.exp(-y / R));
  return [lon * RAD_TO_DEG, lat * RAD_TO_DEG];
}

/**
 * Transformer between two CRSs, in engine (east, north) order. Built once per pair of
 * Crs objects (proj4 setup is costly; tiles ask for the same pairs again and again).
 */
export function getTransformer(from: Crs, to: Crs): Transformer {
  let inner = transformers.get(from);
  if (!inner) {
    inner = new WeakMap();
    transformers.set(from, inner);
  }
  let t = inner.get(to);
  if (!t) {
    t = createTransformer(from, to);
    inner.set(to, t);
  }
  return t;
}

function createTransformer(from: Crs, to: Crs): Transformer {
  registerProjections();
  if (from.proj4 === to.proj4 && !from.datumShifts && !to.datumShifts) {
    const id = (x: number, y: number): [number, number] => [x, y];
    return { forward: id, inverse: id, identity: true };
  }
  const src = new Side(from), dst = new Side(to);
  if (isWebMercator(from) && isWgs84LonLat(to)) return { ...converter(from.proj4, to.proj4), forward: webMercatorToLonLat, identity: false };
  if (!src.active && !dst.active) return { ...converter(from.proj4, to.proj4), identity: false };

  const cache = new Map<string, { forward: Conv; inverse: Conv }>();
  const pair = (i: number, j: number) => {
    const key = `${i}|${j}`;
    let c = cache.get(key);
    if (!c) {
      c = converter(src.def(i), dst.def(j));
      cache.set(key, c);
    }
    return c;
  };
  return {
    identity: false,
    // PROJ tests the source coordinates against each candidate's area (PJ_FWD) and the target coordinates in the
    // inverse direction (PJ_INV).
    forward: (x, y) => pair(src.pick(from.proj4, x, y), dst.pick(from.proj4, x, y)).forward(x, y),
    inverse: (x, y) => pair(src.pick(to.proj4, x, y), dst.pick(to.proj4, x, y)).inverse(x, y),
  };
}
