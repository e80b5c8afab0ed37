/**
 * Which sources of a collection a tile touches, and their current versions — known before any
 * pixel is read, from the files' headers alone (opened once, revalidated by the COG cache).
 * This is what cache keys and ETags are made of: when one file changes, exactly the tiles it
 * touches get new keys.
 */
import { tileCrsBounds, tileMatrixSetCrs, transformBounds, type Bounds, type TileAddress, type TileMatrixSet } from '../tilematrixsets/index.js';
import { footprintBounds } from './cog/georef.js';
import type { Cog } from './cog/types.js';

export interface SourceVersion {
  location: string;
  version: string;
  lastModified: number | undefined;
}

export interface HeaderReader {
  /** The file's header, reopened when its version changed (see CogCache). */
  open(location: string, signal?: AbortSignal): Promise<{ cog: Cog }>;
  /** The header without waiting, when its version is trusted right now (else undefined). */
  peek?(location: string): { cog: Cog } | undefined;
}

export class SourceIndex {
  /** Footprint rectangles of a file version in a set's CRS (several when split at the antimeridian). */
  readonly #footprints = new Map<string, Bounds[]>();

  constructor(private readonly headers: HeaderReader) {}

  /**
   * The sources (in priority order) whose footprint overlaps the tile's interior, with their
   * versions. A tile that only touches a footprint's edge does not count.
   */
  async touching(sources: readonly string[], tms: TileMatrixSet, tile: TileAddress, signal?: AbortSignal): Promise<SourceVersion[]> {
    const t = tileCrsBounds(tms, tile);
    const out: SourceVersion[] = [];
    for (const location of sources) {
      const { cog } = await this.headers.open(location, signal);
      if (this.#overlaps(cog, tms, t)) {
        out.push({ location, version: cog.version, lastModified: cog.lastModified });
      }
    }
    return out;
  }

  /**
   * `touching` without waiting: the answer when every source's header is open and its version
   * trusted right now, else undefined (then `touching` does the work). `seen` receives every
   * source's header object, in order (a memo of the answer is valid while they stay the same).
   */
  touchingNow(sources: readonly string[], tms: TileMatrixSet, tile: TileAddress, seen?: Cog[]): SourceVersion[] | undefined {
    const peek = this.headers.peek;
    if (!peek) return undefined;
    const t = tileCrsBounds(tms, tile);
    const out: SourceVersion[] = [];
    for (const location of sources) {
      const opened = peek.call(this.headers, location);
      if (!opened) return undefined;
      const { cog } = opened;
      seen?.push(cog);
      if (this.#overlaps(cog, tms, t)) out.push({ location, version: cog.version, lastModified: cog.lastModified });
    }
    return out;
  }

  #overlaps(cog: Cog, tms: TileMatrixSet, t: Bounds): boolean {
    return this.footprint(cog, tms).some((b) => b.minX < t.maxX && b.maxX > t.minX && b.minY < t.maxY && b.maxY > t.minY);
  }

  /** True while every source's header is open, trusted and the same object as in `seen`. */
  unchanged(sources: readonly string[], seen: readonly Cog[]): boolean {
    const peek = this.headers.peek;
    if (!peek || seen.length !== sources.length) return false;
    for (let i = 0; i < sources.length; i++) if (peek.call(this.headers, sources[i]!)?.cog !== seen[i]) return false;
    return true;
  }

  footprint(cog: Cog, tms: TileMatrixSet): Bounds[] {
    const key = `${cog.url}@${cog.version}|${tms.id}`;
    let rects = this.#footprints.get(key);
    if (!rects) {
      const [minX, minY, maxX, maxY] = footprintBounds(cog.geoTransform, cog.width, cog.height);
      try {
        rects = transformBounds({ minX, minY, maxX, maxY }, cog.crs, tileMatrixSetCrs(tms));
      } catch {
        rects = [];
      }
      // A footprint that cannot be placed in the set's CRS is treated as touching everything.
      if (rects.length === 0 || rects.some((r) => ![r.minX, r.minY, r.maxX, r.maxY].every(Number.isFinite))) {
        rects = [{ minX: -Infinity, minY: -Infinity, maxX: Infinity, maxY: Infinity }];
      } else {
        // The densified outline can cut a curved edge short: widen by 1% so the test errs on
        // the side of "touching" (a wrongly skipped file would be missing from the tile).
        rects = rects.map((r) => {
          const dx = (r.maxX - r.minX) * 0.01, dy = (r.maxY - r.minY) * 0.01;
          return { minX: r.minX - dx, minY: r.minY - dy, maxX: r.maxX + dx, maxY: r.maxY + dy };
        });
      }
      if (this.#footprints.size > 10_000) this.#footprints.clear();
      this.#footprints.set(key, rects);
    }
    return rects;
  }
}
