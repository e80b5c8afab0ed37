/**
 * Georeferencing and GDAL metadata tags for the COG writer.
 *
 * - GeoKeys for a CRS with an EPSG code (GeoTIFF 1.1, OGC 19-008r4 §7: GeoKeyDirectoryTag header
 *   1.1.0, keys sorted by id; GTModelTypeGeoKey 1 projected / 2 geographic, GTRasterTypeGeoKey 1
 *   PixelIsArea, ProjectedCSTypeGeoKey or GeographicTypeGeoKey = the EPSG code, citations in
 *   GeoAsciiParams separated by '|'). A user-defined CRS has no such encoding here: callers that
 *   copy a file pass its GeoKey tags verbatim instead (`GeoTiffTags`).
 * - ModelPixelScale + ModelTiepoint for north-up images, ModelTransformation otherwise
 *   (GeoTIFF 1.1 §7.2 "raster to model transformation").
 * - GDAL_METADATA (tag 42112): GDAL's `<GDALMetadata><Item …>` XML; statistics items are written
 *   the way GDAL writes them, other items of a source are kept as they were.
 */
import type { Crs } from '../../../crs/index.js';
import type { GeoTransform } from '../georef.js';
import type { BandStatistics } from '../metadata.js';
import { CogWriteError } from './errors.js';

/** The raw georeferencing tags of a GeoTIFF (values as stored), copied verbatim by cogify. */
export interface GeoTiffTags {
  geoKeyDirectory: readonly number[];
  geoDoubleParams?: readonly number[];
  geoAsciiParams?: string;
  modelPixelScale?: readonly number[];
  modelTiepoint?: readonly number[];
  modelTransformation?: readonly number[];
}

const KEY = {
  GTModelType: 1024, GTRasterType: 1025, GTCitation: 1026,
  GeographicType: 2048, GeogCitation: 2049, GeogAngularUnits: 2054,
  ProjectedCSType: 3072,
} as const;

/** The EPSG code behind a Crs id ("EPSG:32633"; OGC:CRS84 is EPSG:4326 with the other axis order, which GeoTIFF does not record). */
export function epsgCodeOf(crs: Crs): number | undefined {
  if (crs.id === 'OGC:CRS84') return 4326;
  const m = /^EPSG:(\d+)$/.exec(crs.id);
  return m ? Number(m[1]) : undefined;
}

/** GeoKeys naming an EPSG CRS, as GDAL writes them for an EPSG-coded CRS (plus the citation). */
export function epsgGeoKeys(crs: Crs): Pick<GeoTiffTags, 'geoKeyDirectory' | 'geoAsciiParams'> {
  const code = epsgCodeOf(crs);
  if (code === undefined) {
    throw new CogWriteError(`cannot write GeoKeys for ${crs.id} (${crs.name}): only CRSs with an EPSG code are encoded; pass the source's GeoKey tags to keep a user-defined CRS`);
  }
  const citation = `${crs.name.replace(/\|/g, '/')}|`;
  const keys: [number, number, number, number][] = crs.isGeographic
    ? [
      [KEY.GTModelType, 0, 1, 2],
      [KEY.GTRasterType, 0, 1, 1],
      [KEY.GeographicType, 0, 1, code],
      [KEY.GeogCitation, 34737, citation.length, 0],
      [KEY.GeogAngularUnits, 0, 1, 9102],
    ]
    : [
      [KEY.GTModelType, 0, 1, 1],
      [KEY.GTRasterType, 0, 1, 1],
      [KEY.GTCitation, 34737, citation.length, 0],
      [KEY.ProjectedCSType, 0, 1, code],
    ];
  return { geoKeyDirectory: [1, 1, 0, keys.length, ...keys.flat()], geoAsciiParams: citation };
}

/** ModelPixelScale + ModelTiepoint for north-up images, else ModelTransformation (PixelIsArea, corner convention). */
export function georefTagsFor(gt: GeoTransform): Pick<GeoTiffTags, 'modelPixelScale' | 'modelTiepoint' | 'modelTransformation'> {
  if (gt[2] === 0 && gt[4] === 0 && gt[1] > 0 && gt[5] < 0) {
    return { modelPixelScale: [gt[1], -gt[5], 0], modelTiepoint: [0, 0, 0, gt[0], gt[3], 0] };
  }
  return { modelTransformation: [gt[1], gt[2], 0, gt[0], gt[4], gt[5], 0, gt[3], 0, 0, 0, 0, 0, 0, 0, 1] };
}

/** Georeferencing tags for a CRS with an EPSG code and a geotransform. */
export function geoTiffTagsFor(crs: Crs, gt: GeoTransform): GeoTiffTags {
  return { ...epsgGeoKeys(crs), ...georefTagsFor(gt) };
}

/** Full statistics of one band as GDAL stores them (STATISTICS_* items). */
export interface FullStatistics extends BandStatistics {
  mean: number;
  stdDev: number;
  /** Share of valid pixels, 0–100. */
  validPercent: number;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const ITEM = /<Item\s[^>]*>[\s\S]*?<\/Item>|<Item\s[^>]*\/>/g;

/**
 * GDAL_METADATA for the output: the source's items (kept verbatim) without its per-band
 * statistics, plus fresh statistics and band descriptions when given. Undefined when empty.
 */
export function gdalMetadataXml(source: string | undefined, statistics?: readonly (FullStatistics | undefined)[], descriptions?: readonly (string | undefined)[]): string | undefined {
  const items: string[] = [];
  for (const m of (source ?? '').matchAll(ITEM)) {
    const item = m[0];
    if (statistics && /\bsample="\d+"/.test(item) && /name="STATISTICS_[A-Z_]+"/.test(item)) continue;
    if (descriptions && /\brole="description"/.test(item)) continue;
    items.push(item);
  }
  // Shortest text that reads back to the same double: a float32 minimum stays exact.
  const num = (v: number) => String(v);
  statistics?.forEach((s, b) => {
    if (!s) return;
    const add = (name: string, v: number) => items.push(`<Item name="${name}" sample="${b}">${num(v)}</Item>`);
    add('STATISTICS_MAXIMUM', s.maximum);
    add('STATISTICS_MEAN', s.mean);
    add('STATISTICS_MINIMUM', s.minimum);
    add('STATISTICS_STDDEV', s.stdDev);
    add('STATISTICS_VALID_PERCENT', s.validPercent);
  });
  descriptions?.forEach((d, b) => {
    if (d !== undefined) items.push(`<Item name="DESCRIPTION" sample="${b}" role="description">${escapeXml(d)}</Item>`);
  });
  if (items.length === 0) return undefined;
  return `<GDALMetadata>\n${items.map((i) => `  ${i}\n`).join('')}</GDALMetadata>\n`;
}

/** GDAL_NODATA text for a value: "nan", "-9999", "1e+30" (GDAL reads any C double syntax). */
export function nodataText(nodata: number): string {
  if (Number.isNaN(nodata)) return 'nan';
  if (nodata === Infinity) return 'inf';
  if (nodata === -Infinity) return '-inf';
  return String(nodata);
}

/**
 * Running per-band statistics over valid pixels (nodata and NaN excluded, as GDAL's
 * ComputeStatistics; masks are not consulted, as in GDAL 3.6). 8- and 16-bit integers are
 * counted in a histogram (exact, one pass); other types merge each strip's mean and sum of
 * squared deviations (two passes) with Chan et al.'s pairwise formula, so the standard
 * deviation stays exact to double precision over billions of pixels.
 */
export class StatisticsAccumulator {
  readonly #hist: Float64Array[] | undefined;
  readonly #histOffset: number;
  readonly #min: number[];
  readonly #max: number[];
  readonly #mean: number[];
  readonly #m2: number[];
  readonly #count: number[];
  #pixels = 0;

  constructor(bands: number, private readonly nodata: number | undefined, dataType?: string) {
    const small = dataType === 'uint8' || dataType === 'int8' || dataType === 'uint16' || dataType === 'int16';
    this.#histOffset = dataType === 'int8' ? 128 : dataType === 'int16' ? 32768 : 0;
    this.#hist = small ? Array.from({ length: bands }, () => new Float64Array(dataType.endsWith('8') ? 256 : 65536)) : undefined;
    this.#min = new Array(bands).fill(Infinity);
    this.#max = new Array(bands).fill(-Infinity);
    this.#mean = new Array(bands).fill(0);
    this.#m2 = new Array(bands).fill(0);
    this.#count = new Array(bands).fill(0);
  }

  add(bands: readonly ArrayLike<number>[], pixels: number): void {
    this.#pixels += pixels;
    if (this.#hist) {
      const off = this.#histOffset;
      // Four interleaved histograms, so consecutive equal values do not wait on each other's increment.
      const size = this.#hist[0]!.length;
      const counts = new Uint32Array(4 * size);
      for (let b = 0; b < bands.length; b++) {
        const a = bands[b]!, h = this.#hist[b]!;
        counts.fill(0);
        const s1 = size + off, s2 = 2 * size + off, s3 = 3 * size + off;
        let i = 0;
        for (; i + 3 < pixels; i += 4) {
          counts[a[i]! + off]!++;
          counts[a[i + 1]! + s1]!++;
          counts[a[i + 2]! + s2]!++;
          counts[a[i + 3]! + s3]!++;
        }
        for (; i < pixels; i++) counts[a[i]! + off]!++;
        for (let k = 0; k < size; k++) {
          const c = counts[k]! + counts[k + size]! + counts[k + 2 * size]! + counts[k + 3 * size]!;
          if (c) h[k]! += c;
        }
      }
      return;
    }
    const nd = this.nodata;
    const checkNodata = nd !== undefined && !Number.isNaN(nd);
    for (let b = 0; b < bands.length; b++) {
      const a = bands[b]!;
      let min = this.#min[b]!, max = this.#max[b]!, sum = 0, count = 0;
      for (let i = 0; i < pixels; i++) {
        const v = a[i]!;
        if (v !== v || (checkNodata && v === nd)) continue; // NaN or nodata
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
        count++;
      }
      if (count === 0) continue;
      const mean = sum / count;
      let m2 = 0;
      for (let i = 0; i < pixels; i++) {
        const v = a[i]!;
        if (v !== v || (checkNodata && v === nd)) continue;
        m2 += (v - mean) * (v - mean);
      }
      const n0 = this.#count[b]!, n = n0 + count;
      const delta = mean - this.#mean[b]!;
      this.#mean[b] = this.#mean[b]! + (delta * count) / n;
      this.#m2[b] = this.#m2[b]! + m2 + (delta * delta * n0 * count) / n;
      this.#count[b] = n;
      this.#min[b] = min;
      this.#max[b] = max;
    }
  }

  result(): (FullStatistics | undefined)[] {
    if (this.#hist) {
      const off = this.#histOffset;
      const skip = this.nodata !== undefined && Number.isInteger(this.nodata) ? this.nodata + off : -1;
      return this.#hist.map((h) => {
        let n = 0, sum = 0, min = -1, max = -1;
        for (let k = 0; k < h.length; k++) {
          const c = h[k]!;
          if (c === 0 || k === skip) continue;
          if (min < 0) min = k;
          max = k;
          n += c;
          sum += c * (k - off);
        }
        if (n === 0) return undefined;
        const mean = sum / n;
        let m2 = 0;
        for (let k = min; k <= max; k++) if (k !== skip && h[k]) m2 += h[k]! * (k - off - mean) ** 2;
        return { minimum: min - off, maximum: max - off, mean, stdDev: Math.sqrt(m2 / n), validPercent: (100 * n) / this.#pixels };
      });
    }
    return this.#count.map((n, b) => {
      if (n === 0) return undefined;
      return {
        minimum: this.#min[b]!, maximum: this.#max[b]!, mean: this.#mean[b]!, stdDev: Math.sqrt(this.#m2[b]! / n),
        validPercent: this.#pixels > 0 ? (100 * n) / this.#pixels : 0,
      };
    });
  }
}
