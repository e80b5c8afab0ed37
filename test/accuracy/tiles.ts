/**
 * Deterministic tile selection for the GDAL accuracy tests: for one file and one tile
 * matrix set, a few zooms around the file's native resolution (native−4 and native−2 read
 * through overviews, native, native+1 upsampling), and per zoom a tile fully inside the
 * raster footprint (when one exists) plus a tile on the footprint edge (containing a corner
 * of the raster when a corner has an image in the set), so that edges, nodata collars,
 * chunk splitting and overview choice are all exercised. The selection itself is pure
 * (metadata and the CRS layer); it is aimed at data by a "data anchor", a valid source pixel
 * near the centre that `dataAnchor` finds on a coarse engine render.
 */
import { getCrs, getTransformer, type Crs, type Transformer } from '../../src/crs/index.js';
import type { Engine } from '../../src/tiling/engine.js';
import type { Cog } from '../../src/tiling/cog/types.js';
import { applyGeoTransform, footprintBounds, invertGeoTransform, type GeoTransform } from '../../src/tiling/cog/georef.js';
import {
  isValidTile, tileCrsBounds, tileForCrsPoint, tileMatrixSetCrs, type TileAddress, type TileMatrixSet, type TileMatrixSetRegistry,
} from '../../src/tilematrixsets/index.js';

export type ZoomRole = 'native-4' | 'native-2' | 'native' | 'native+1';
export type TileKind = 'interior' | 'edge';

export interface TileCase {
  tile: TileAddress;
  role: ZoomRole;
  /** interior: fully inside the footprint; edge: holds a raster corner (or another boundary point). */
  kind: TileKind;
}

/** A point of the source in full-resolution pixel coordinates (col, row), continuous. */
export type PixelPoint = readonly [number, number];

export const ZOOM_ROLES: readonly ZoomRole[] = ['native-4', 'native-2', 'native', 'native+1'];
const DELTA: Record<ZoomRole, number> = { 'native-4': -4, 'native-2': -2, native: 0, 'native+1': 1 };

/** Source pixel (col,row) -> set CRS (east, north), and back. NaN where there is no image. */
export class SourceToSet {
  readonly setCrs: Crs;
  readonly #t: Transformer;
  readonly #invGt: GeoTransform;
  constructor(readonly cog: Cog, readonly tms: TileMatrixSet) {
    this.setCrs = tileMatrixSetCrs(tms);
    this.#t = getTransformer(cog.crs, this.setCrs);
    this.#invGt = invertGeoTransform(cog.geoTransform);
  }

  toSet(col: number, row: number): [number, number] {
    const [x, y] = applyGeoTransform(this.cog.geoTransform, col, row);
    return this.#t.forward(x, y);
  }

  toPixel(x: number, y: number): [number, number] {
    const [sx, sy] = this.#t.inverse(x, y);
    if (!Number.isFinite(sx) || !Number.isFinite(sy)) return [NaN, NaN];
    return applyGeoTransform(this.#invGt, sx, sy);
  }
}

/**
 * Index (in `tms.tileMatrices`) of the matrix closest, in log scale, to the source's
 * full-resolution pixel size at `at`, measured in the set's CRS as the square root of the
 * area of one source pixel's image.
 */
export function nativeMatrixIndex(cog: Cog, tms: TileMatrixSet, at: PixelPoint = [cog.width / 2, cog.height / 2]): number {
  const map = new SourceToSet(cog, tms);
  const [c, r] = at;
  const p0 = map.toSet(c, r), p1 = map.toSet(c + 1, r), p2 = map.toSet(c, r + 1);
  const area = Math.abs((p1[0] - p0[0]) * (p2[1] - p0[1]) - (p1[1] - p0[1]) * (p2[0] - p0[0]));
  const res = Math.sqrt(area);
  if (!Number.isFinite(res) || res <= 0) throw new Error(`${cog.url}: no pixel size in ${tms.id} at pixel ${c},${r}`);
  let best = 0, bestErr = Infinity;
  tms.tileMatrices.forEach((m, i) => {
    const err = Math.abs(Math.log(m.cellSize / res));
    if (err < bestErr) { best = i; bestErr = err; }
  });
  return best;
}

/** True when the whole tile (boundary densified, plus its centre) maps inside the raster [0,W]x[0,H]. */
export function tileInsideFootprint(map: SourceToSet, tile: TileAddress, pointsPerEdge = 8): boolean {
  const b = tileCrsBounds(map.tms, tile);
  const { width: W, height: H } = map.cog;
  const pts: [number, number][] = [[(b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2]];
  for (let i = 0; i <= pointsPerEdge; i++) {
    const t = i / pointsPerEdge;
    const x = b.minX + t * (b.maxX - b.minX), y = b.minY + t * (b.maxY - b.minY);
    pts.push([x, b.minY], [x, b.maxY], [b.minX, y], [b.maxX, y]);
  }
  return pts.every(([x, y]) => {
    const [c, r] = map.toPixel(x, y);
    return c >= 0 && c <= W && r >= 0 && r <= H;
  });
}

function tileAt(map: SourceToSet, matrixId: string, p: PixelPoint): TileAddress | undefined {
  const [x, y] = map.toSet(p[0], p[1]);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
  // A point that does not map back to itself (outside the projection's domain) has no tile.
  const [c, r] = map.toPixel(x, y);
  if (!(Math.abs(c - p[0]) < 0.01 && Math.abs(r - p[1]) < 0.01)) return undefined;
  return tileForCrsPoint(map.tms, matrixId, x, y);
}

/**
 * Boundary points of the raster (pixel centres of the outermost pixels), corners first
 * starting at corner `first` (0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left), then
 * 32 points along every edge.
 */
function boundaryPoints(cog: Cog, first: number): PixelPoint[] {
  const W = cog.width, H = cog.height;
  const corners: PixelPoint[] = [[0.5, 0.5], [W - 0.5, 0.5], [W - 0.5, H - 0.5], [0.5, H - 0.5]];
  const out: PixelPoint[] = [];
  for (let k = 0; k < 4; k++) out.push(corners[(first + k) % 4]!);
  const n = 32;
  for (let i = 1; i < n; i++) {
    const t = i / n;
    out.push([0.5 + t * (W - 1), 0.5], [W - 0.5, 0.5 + t * (H - 1)], [0.5 + t * (W - 1), H - 0.5], [0.5, 0.5 + t * (H - 1)]);
  }
  return out;
}

/**
 * The tile of matrix `matrixId` that contains `anchor` if it lies fully inside the raster
 * footprint, else the fully-inside tile nearest to it within `rings` rings of tiles, else
 * undefined (`orAnchorTile`: the anchor's own tile instead of undefined).
 */
export function interiorTileNear(map: SourceToSet, matrixId: string, anchor: PixelPoint, rings = 3, orAnchorTile = false): TileAddress | undefined {
  const centre = tileAt(map, matrixId, anchor);
  if (!centre) return undefined;
  for (let ring = 0; ring <= rings; ring++) {
    for (let dr = -ring; dr <= ring; dr++) {
      for (let dc = -ring; dc <= ring; dc++) {
        if (Math.max(Math.abs(dr), Math.abs(dc)) !== ring) continue;
        const t = { tileMatrix: matrixId, row: centre.row + dr, col: centre.col + dc };
        if (isValidTile(map.tms, t) && tileInsideFootprint(map, t)) return t;
      }
    }
  }
  return orAnchorTile ? centre : undefined;
}

const same = (a: TileAddress, b: TileAddress) => a.tileMatrix === b.tileMatrix && a.row === b.row && a.col === b.col;

/**
 * The tiles to compare for one file in one set. `anchor` is a full-resolution pixel that
 * holds data (default the raster centre); zooms are taken from the pixel size there and
 * clamped to the set's matrices (a zoom reached twice is used once). Per zoom: the interior
 * tile nearest the anchor (within 3 rings of its tile), if one is fully inside the
 * footprint, and the edge tile of the first raster corner (the starting corner rotates with
 * the zoom) that has an image in the set, else of the first such point along the edges.
 */
export function selectTiles(
  cog: Cog, tms: TileMatrixSet, anchor: PixelPoint = [cog.width / 2, cog.height / 2], roles: readonly ZoomRole[] = ZOOM_ROLES,
): TileCase[] {
  const map = new SourceToSet(cog, tms);
  const native = nativeMatrixIndex(cog, tms, anchor);
  const last = tms.tileMatrices.length - 1;
  const seenZoom = new Set<number>();
  const cases: TileCase[] = [];
  roles.forEach((role) => {
    const roleIndex = ZOOM_ROLES.indexOf(role);
    const zi = Math.max(0, Math.min(last, native + DELTA[role]));
    if (seenZoom.has(zi)) return;
    seenZoom.add(zi);
    const matrix = tms.tileMatrices[zi]!;
    const picked: TileCase[] = [];
    const add = (tile: TileAddress | undefined, kind: TileKind) => {
      if (tile && isValidTile(tms, tile) && !picked.some((c) => same(c.tile, tile))) picked.push({ tile, role, kind });
    };
    // (a) interior: the anchor's tile if fully inside, else the nearest fully-inside tile within 3 rings.
    const interior = interiorTileNear(map, matrix.id, anchor);
    add(interior, 'interior');
    // (b) edge: the first raster corner (rotating with the zoom) or boundary point that has a tile.
    for (const p of boundaryPoints(cog, roleIndex)) {
      const t = tileAt(map, matrix.id, p);
      if (t && isValidTile(tms, t)) { add(t, 'edge'); break; }
    }
    cases.push(...picked);
  });
  return cases;
}

/**
 * UTM set for a source: its own zone for EPSG:326nn / 327nn (the southern twin
 * UTMnnSWGS84Quad for 327nn), otherwise the zone of `lon` (the data anchor's longitude) in
 * the registered (northern) set.
 */
export function utmTileMatrixSetFor(cog: Cog, registry: TileMatrixSetRegistry, lon: number): TileMatrixSet {
  const m = /^EPSG:327(\d\d)$/.exec(cog.crs.id) ?? /^EPSG:326(\d\d)$/.exec(cog.crs.id);
  if (m) {
    const zz = m[1]!;
    return registry.get(cog.crs.id.startsWith('EPSG:327') ? `UTM${zz}SWGS84Quad` : `UTM${zz}WGS84Quad`);
  }
  const zone = Number.isFinite(lon) ? Math.min(60, Math.max(1, Math.floor((((lon + 180) % 360 + 360) % 360) / 6) + 1)) : 33;
  return registry.get(`UTM${String(zone).padStart(2, '0')}WGS84Quad`);
}

/**
 * A full-resolution source pixel holding data, as close as possible to the raster centre:
 * found on a coarse (≈128 px) nearest render of the whole raster in its own CRS (through
 * the overviews). Used only to aim the tile selection at data; falls back to the centre.
 */
export async function dataAnchor(engine: Engine, path: string): Promise<PixelPoint> {
  const { cog } = await engine.open(path);
  const centre: PixelPoint = [cog.width / 2, cog.height / 2];
  const [minX, minY, maxX, maxY] = footprintBounds(cog.geoTransform, cog.width, cog.height);
  const scale = 128 / Math.max(maxX - minX, maxY - minY);
  const width = Math.max(1, Math.round((maxX - minX) * scale)), height = Math.max(1, Math.round((maxY - minY) * scale));
  const r = await engine.warp([path], { crs: cog.crs, crsBounds: [minX, minY, maxX, maxY], width, height }, 'nearest');
  if (!r) return centre;
  const inv = invertGeoTransform(cog.geoTransform);
  let best: PixelPoint = centre, bestD = Infinity;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const k = j * width + i;
      if (r.alpha[k] === 0 || r.bands.some((b) => Number.isNaN(b[k]!))) continue;
      const x = minX + ((i + 0.5) * (maxX - minX)) / width, y = maxY - ((j + 0.5) * (maxY - minY)) / height;
      const [c, rr] = applyGeoTransform(inv, x, y);
      const d = (c - centre[0]) ** 2 + (rr - centre[1]) ** 2;
      if (d < bestD) { bestD = d; best = [c, rr]; }
    }
  }
  return best;
}

/** Longitude of a source pixel (for choosing a UTM zone). */
export function lonOf(cog: Cog, p: PixelPoint): number {
  const [x, y] = applyGeoTransform(cog.geoTransform, p[0], p[1]);
  return getTransformer(cog.crs, getCrs('OGC:CRS84')).forward(x, y)[0];
}
