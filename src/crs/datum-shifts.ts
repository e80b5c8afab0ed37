/**
 * Which datum shift to WGS 84 a CRS gets, reproducing PROJ 9.1's choice (GDAL 3.6 delegates to it).
 *
 * PROJ does not use one "+towgs84" per datum. `proj_create_crs_to_crs` collects every candidate operation
 * (EPSG Helmert, concatenated and grid transformations); then, for each point, `proj_trans` keeps the
 * candidates whose area of use contains the point, skips those that cannot run (a grid that is not installed),
 * and takes the one with the best (smallest) EPSG accuracy; on equal accuracy the smaller area wins, and an
 * area whose name says "offshore" loses to any onshore one. With no candidate left it falls back to the
 * "ballpark" operation, which leaves longitude/latitude unchanged. The area test is done in the source CRS's
 * own coordinates, on the area's bounding box reprojected with 21 points per edge.
 *
 * Evidence gathered with PROJ 9.1.1 / proj-data 9.1.1 on Debian 12 (tests re-check each claim with gdaltransform):
 * - NAD27 / UTM 11N (EPSG:26711, corpus byte.tif in California): `projinfo -s EPSG:26711 -t EPSG:4326
 *   --spatial-test intersects --bbox -118,33,-117,34` lists EPSG:1175 "NAD27 to WGS 84 (6)" (-8,159,175; 7 m)
 *   first; the better grid operations (us_noaa_conus.tif) are "at least one grid missing". East of the
 *   Mississippi EPSG:1173 (-8,160,176; 10 m) beats EPSG:1174 (11 m).
 * - OSGB36 (EPSG:27700): OSTN15 grid not installed, so EPSG:1314 "OSGB36 to WGS 84 (6)" (7-parameter, 2 m).
 * - DHDN (EPSG:31467): proj-data ships BETA2007.gsb, so EPSG:15949 "DHDN to WGS 84 (4)" (grid, 1 m) when the grid
 *   is registered (`registerGrid`), else EPSG:1777 "DHDN to WGS 84 (2)" (7-parameter, 3 m) as PROJ does without it
 *   (checked with PROJ_DATA pointing at a folder holding only proj.db).
 * - NTF (Paris) (EPSG:27572): EPSG:8094 = longitude rotation + EPSG:1193 (-168,-60,320), with or without
 *   ntf_r93.gsb (PROJ ranks the direct Helmert first).
 * - NZGD49 (EPSG:27200): EPSG:1670 (nzgd2kgrid0005.gsb) when registered, else EPSG:1564 (7-parameter, 4 m).
 * - NAD27(76), NAD27(CGQ77), ATS77, Corrego Alegre 1961: no Helmert in EPSG and grids absent -> ballpark.
 * The full candidate lists are generated into epsg-data.ts (DATUM_SHIFTS) from proj.db and projinfo.
 */
import proj4 from 'proj4';
import { DATUM_SHIFTS, type DatumShiftRow } from './epsg-data.js';
import { withDatumShift, withoutDatumShift } from './proj4-string.js';
import type { DatumShift } from './types.js';

const grids = new Set<string>();
let generation = 0;

/**
 * Makes an NTv2 grid (.gsb bytes) available to datum shifts, under the file name PROJ uses for it
 * (e.g. "BETA2007.gsb", "nzgd2kgrid0005.gsb", as installed in /usr/share/proj by Debian's proj-data).
 * GDAL uses such a grid whenever it is installed, so a deployment with proj-data should register the same
 * grids to keep matching GDAL. Call at start-up, before resolving CRSs: CRSs resolved earlier keep their choice.
 */
export function registerGrid(name: string, ntv2: ArrayBuffer): void {
  (proj4 as unknown as { nadgrid(key: string, data: ArrayBuffer): unknown }).nadgrid(name, ntv2);
  grids.add(name);
  generation++;
}

export function isGridRegistered(name: string): boolean {
  return grids.has(name);
}

/** Changes whenever a grid is registered, so caches of resolved CRSs can be dropped. */
export function gridGeneration(): number {
  return generation;
}

/** The tabulated candidates for an EPSG datum, or undefined when the datum is not in the table. */
export function datumShiftRows(datumCode: number | undefined): readonly DatumShiftRow[] | undefined {
  return datumCode === undefined ? undefined : DATUM_SHIFTS[datumCode];
}

/** Builds the candidate list of a CRS from its definition without datum shift; grid rows only when registered. */
export function buildDatumShifts(baseDef: string, rows: readonly DatumShiftRow[]): DatumShift[] {
  const base = withoutDatumShift(baseDef);
  const out: DatumShift[] = [];
  for (const r of rows) {
    if (r.grid && !grids.has(r.grid)) continue;
    const shift: { towgs84?: readonly number[]; grid?: string } = r.grid ? { grid: r.grid } : { towgs84: r.towgs84 ?? [0, 0, 0] };
    out.push({
      op: `EPSG:${r.op}`,
      name: r.name,
      accuracy: r.accuracy,
      bbox: r.bbox,
      proj4: withDatumShift(base, shift),
      ...(r.grid ? { grid: r.grid } : {}),
    });
  }
  return out;
}

/** Pseudo-area used by PROJ to break accuracy ties (degrees², narrower at high latitude). */
function pseudoArea(b: readonly [number, number, number, number]): number {
  const [w, s, e, n] = b;
  const width = e >= w ? e - w : e + 360 - w;
  return width * (Math.sin((n * Math.PI) / 180) - Math.sin((s * Math.PI) / 180));
}

function isOffshore(name: string): boolean {
  return /- offshore/i.test(name);
}

/**
 * Index of the candidate PROJ would use for a point, given each candidate's area as a box in the point's
 * coordinates; -1 means the ballpark operation.
 */
export function pickShift(
  shifts: readonly DatumShift[],
  boxes: ReadonlyArray<readonly [number, number, number, number] | undefined>,
  x: number,
  y: number,
): number {
  let best = -1;
  for (let i = 0; i < shifts.length; i++) {
    const box = boxes[i];
    if (!box) continue;
    // Geographic boxes crossing the antimeridian are stored with east > 180.
    const xx = box[2] > 180 && x < box[0] ? x + 360 : x;
    if (!(xx >= box[0] && y >= box[1] && xx <= box[2] && y <= box[3])) continue;
    const alt = shifts[i]!;
    if (best < 0) { best = i; continue; }
    // Mirrors pj_get_suggested_operation(): keep the first match, then prefer better accuracy, then smaller
    // area, never switching to an offshore-only area once something matched.
    const cur = shifts[best]!;
    const a = alt.accuracy, b = cur.accuracy;
    let better: boolean;
    if (a === null) better = false;
    else if (b === null) better = true;
    else if (a < b) better = true;
    else if (a === b) better = pseudoArea(alt.bbox) < pseudoArea(cur.bbox);
    else better = false;
    if (better && !isOffshore(alt.name)) best = i;
  }
  return best;
}

/**
 * The candidate's area of use as a box in the coordinates of `def` (degrees when `def` is geographic), by
 * projecting 21 points along each edge of the lon/lat box, as PROJ does. Undefined when nothing projects.
 */
export function areaBoxIn(def: string, lonLatDef: string, bbox: readonly [number, number, number, number]): [number, number, number, number] | undefined {
  const [w, s, e0, n] = bbox;
  const e = e0 >= w ? e0 : e0 + 360;
  const conv = def === lonLatDef ? undefined : proj4(lonLatDef, def);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const add = (lon: number, lat: number) => {
    const l = lon > 180 ? lon - 360 : lon;
    let p: number[];
    if (!conv) p = [l, lat];
    else {
      try { p = conv.forward([l, lat]); } catch { return; }
    }
    const px = p[0]!, py = p[1]!;
    if (!Number.isFinite(px) || !Number.isFinite(py)) return;
    minX = Math.min(minX, px); maxX = Math.max(maxX, px);
    minY = Math.min(minY, py); maxY = Math.max(maxY, py);
  };
  const N = 21;
  for (let i = 0; i < N; i++) {
    const t = i / (N - 1);
    add(w + (e - w) * t, s);
    add(w + (e - w) * t, n);
    add(w, s + (n - s) * t);
    add(e, s + (n - s) * t);
  }
  if (!conv && e0 < w) return [w, s, e0 + 360, n];
  return minX <= maxX ? [minX, minY, maxX, maxY] : undefined;
}
