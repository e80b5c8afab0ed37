import { getCrs } from '../crs/index.js';
import { transformBounds, type Bounds } from '../tilematrixsets/index.js';
import { footprintBounds } from './cog/georef.js';
import type { BandStatistics } from './cog/metadata.js';
import type { Cog, CogLayoutReport } from './cog/types.js';

/** What the engine understands of a file, as plain data (for `tilewright info` and metadata). */
export interface CogDescription {
  url: string;
  byteSize: number;
  width: number;
  height: number;
  bandCount: number;
  dataType: string;
  crs: { id: string; name: string; proj4: string };
  /** [minX, minY, maxX, maxY] in the file's CRS. */
  crsBounds: [number, number, number, number];
  /** [west, south, east, north] in degrees; west > east when the image crosses the antimeridian. */
  lonLatBounds: [number, number, number, number];
  /** Pixel size in CRS units, full resolution. */
  resolution: [number, number];
  rotated: boolean;
  levels: { width: number; height: number; blockWidth: number; blockHeight: number; tiled: boolean; mask: boolean }[];
  compression: string;
  predictor: number;
  photometric: string;
  nodata: number | null | undefined;
  alphaBand: number | undefined;
  internalMask: boolean;
  palette: number | undefined;
  statistics: (BandStatistics | null)[];
  cog: CogLayoutReport;
  ghost: Record<string, string>;
}

const PHOTOMETRIC: Record<number, string> = { 0: 'MinIsWhite', 1: 'MinIsBlack', 2: 'RGB', 3: 'Palette', 4: 'Mask', 5: 'CMYK', 6: 'YCbCr' };

export async function describeCog(cog: Cog): Promise<CogDescription> {
  const gt = cog.geoTransform;
  const [minX, minY, maxX, maxY] = footprintBounds(gt, cog.width, cog.height);
  const parts = transformBounds({ minX, minY, maxX, maxY }, cog.crs, getCrs('OGC:CRS84'));
  const lonLat = lonLatOf(parts);
  return {
    url: cog.url,
    byteSize: cog.byteSize,
    width: cog.width,
    height: cog.height,
    bandCount: cog.sampleCount,
    dataType: cog.dataType,
    crs: { id: cog.crs.id, name: cog.crs.name, proj4: cog.crs.proj4 },
    crsBounds: [minX, minY, maxX, maxY],
    lonLatBounds: lonLat,
    resolution: [Math.hypot(gt[1], gt[4]), Math.hypot(gt[2], gt[5])],
    rotated: gt[2] !== 0 || gt[4] !== 0,
    levels: cog.levels.map((l) => ({ width: l.width, height: l.height, blockWidth: l.blockWidth, blockHeight: l.blockHeight, tiled: l.tiled, mask: !!l.mask })),
    compression: cog.compression,
    predictor: cog.levels[0]!.layout.predictor,
    photometric: PHOTOMETRIC[cog.photometric] ?? String(cog.photometric),
    nodata: cog.nodata !== undefined && Number.isNaN(cog.nodata) ? null : cog.nodata,
    alphaBand: cog.alphaSample !== undefined ? cog.alphaSample + 1 : undefined,
    internalMask: cog.hasMask,
    palette: cog.colorMap ? cog.colorMap.length / 4 : undefined,
    statistics: Array.from({ length: cog.sampleCount }, (_, b) => cog.statistics[b] ?? null),
    cog: await cog.inspectLayout(),
    ghost: cog.ghost,
  };
}

function lonLatOf(parts: Bounds[]): [number, number, number, number] {
  if (parts.length === 1) {
    const b = parts[0]!;
    return [b.minX, b.minY, b.maxX, b.maxY];
  }
  // Split at the antimeridian: the eastern part starts at a western longitude > its end.
  const south = Math.min(...parts.map((p) => p.minY)), north = Math.max(...parts.map((p) => p.maxY));
  const west = Math.max(...parts.map((p) => p.minX)), east = Math.min(...parts.map((p) => p.maxX));
  return [west, south, east, north];
}
