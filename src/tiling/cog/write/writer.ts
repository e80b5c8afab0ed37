/**
 * The COG writer: streams a raster (strips of full-width rows) into a Cloud-Optimized GeoTIFF
 * with the layout of GDAL's COG driver.
 *
 * Pass 1 reads the full resolution one block row at a time. Each level keeps one block row of
 * its own; when it is full, its tiles are encoded (concurrently: zlib and sharp run on the
 * libuv pool) and appended, in row-major order, to that level's temporary file, each tile with
 * GDAL's 4-byte size leader and 4-byte trailer and followed by its mask tile; then the block row
 * is halved (overviews.ts) and handed to the next level. Memory stays at about two block rows of
 * the full resolution plus the tiles in flight, whatever the image height.
 *
 * Pass 2 knows every tile size, so it lays out header, ghost area and IFDs (tiff.ts), writes
 * them, and copies the levels' temporary files behind them from the smallest overview to the
 * full resolution. The file is written under a temporary name and renamed at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { throwIfAborted } from '../../../errors.js';
import type { SampleArray } from '../../decode/types.js';
import type { DataType } from '../types.js';
import { arrayFor } from '../window.js';
import {
  checkCodec, COMPRESSION_CODE, defaultPredictor, maskCompression, maskEncoder, tileEncoder, type CogCompression, type TileFormat,
} from './codecs.js';
import { CogWriteError } from './errors.js';
import { gdalMetadataXml, nodataText, StatisticsAccumulator, type FullStatistics, type GeoTiffTags } from './geotags.js';
import { downsampleStrip, type OverviewResampling, type Strip } from './overviews.js';
import { TempFile } from './temp.js';
import { mapLimit } from './limit.js';
import { FieldType, ghostArea, layoutTiff, Tag, type IfdSpec, type TagEntry } from './tiff.js';

export type { Strip } from './overviews.js';

/**
 * A raster to write: its description and a source of full-width strips. `read(y, h)` is called
 * with consecutive, non-overlapping row ranges from the top (each at most one block tall).
 */
export interface CogRaster {
  readonly width: number;
  readonly height: number;
  readonly dataType: DataType;
  /** Samples per pixel, alpha included. */
  readonly bandCount: number;
  /** TIFF PhotometricInterpretation: 1 MinIsBlack, 0 MinIsWhite, 2 RGB, 3 palette. */
  readonly photometric: number;
  /** ExtraSamples of the bands after the colour ones: 2 unassociated alpha, 1 associated alpha, 0 unspecified. */
  readonly extraSamples?: readonly number[];
  /** TIFF ColorMap: all reds, then greens, then blues, 16-bit, 3 x 2^bits values. */
  readonly colorMap?: ArrayLike<number>;
  readonly nodata?: number;
  /** GDAL_NODATA as a source stored it (kept verbatim); default derived from `nodata`. */
  readonly nodataText?: string;
  /** Strips carry a validity mask, written as TIFF mask IFDs (GDAL's internal mask). */
  readonly mask: boolean;
  readonly geoTags: GeoTiffTags;
  /** A source's GDAL_METADATA XML: kept, except statistics (recomputed) when `statistics` is on. */
  readonly gdalMetadata?: string;
  readonly bandDescriptions?: readonly (string | undefined)[];
  read(y: number, height: number, signal?: AbortSignal): Promise<Strip>;
}

export interface CogWriteOptions {
  /** Default 'deflate'. */
  compression?: CogCompression;
  /** DEFLATE level 1–9 (default 6) or ZSTD level 1–22 (default 9). */
  level?: number;
  /** JPEG/WebP quality 1–100, default 75 (GDAL's default). */
  quality?: number;
  webpLossless?: boolean;
  /** Predictor for DEFLATE/ZSTD: true (default) = 2 for integers, 3 for floats; palettes get none. */
  predictor?: boolean;
  /** Tile size in pixels, a multiple of 16; default 512 (GDAL's COG default). */
  blockSize?: number;
  /** Overview kernel; default 'average' ('nearest' for palettes). */
  overviewResampling?: OverviewResampling;
  /** Overview levels; default: halve until the level fits in one block (GDAL's COG rule). */
  overviewCount?: number;
  /**
   * Write STATISTICS_* of the full resolution into GDAL_METADATA (default true for lossless
   * codecs; JPEG/WebP store other pixels than those counted, so they get none).
   */
  statistics?: boolean;
  /** BigTIFF: 'auto' (default) when the file would pass 4 GiB. */
  bigTiff?: boolean | 'auto';
  /** Folder for the temporary tile files (default: the output's folder, to avoid a RAM-backed /tmp). */
  tempDir?: string;
  signal?: AbortSignal;
  /** How messages name the input (default "the raster"), e.g. its path. */
  label?: string;
  /** Called after each block row of the full resolution. */
  onProgress?: (rowsDone: number, rows: number) => void;
}

export interface CogWriteResult {
  path: string;
  bytes: number;
  bigTiff: boolean;
  compression: CogCompression;
  predictor: number;
  blockSize: number;
  photometric: number;
  bandCount: number;
  /** Full resolution first, then the overviews. */
  levels: { width: number; height: number }[];
  mask: boolean;
  statistics: (FullStatistics | undefined)[] | undefined;
  /** Notes about conversions made (e.g. an alpha band turned into a mask for JPEG). */
  notes: string[];
}

/** Overview sizes: halved (rounding up) while wider or taller than one block. */
export function overviewSizes(width: number, height: number, blockSize: number, count?: number): { width: number; height: number }[] {
  const out = [{ width, height }];
  let w = width, h = height;
  while (count !== undefined ? out.length <= count : w > blockSize || h > blockSize) {
    if (w === 1 && h === 1) break;
    w = Math.ceil(w / 2);
    h = Math.ceil(h / 2);
    out.push({ width: w, height: h });
  }
  return out;
}

/** Tiles being encoded at once: enough to keep the libuv pool (4 threads) busy. */
const TILES_IN_FLIGHT = 8;

const SAMPLE_FORMAT: Record<DataType, number> = { uint8: 1, uint16: 1, uint32: 1, int8: 2, int16: 2, int32: 2, float32: 3, float64: 3 };
const BITS: Record<DataType, number> = { uint8: 8, int8: 8, uint16: 16, int16: 16, uint32: 32, int32: 32, float32: 32, float64: 64 };

interface TileRecord {
  offsets: number[];
  lengths: number[];
  maskOffsets: number[];
  maskLengths: number[];
}

/** What the output holds once codec constraints are applied (e.g. RGBA → RGB + mask for JPEG). */
interface OutputShape {
  bandCount: number;
  photometric: number;
  extraSamples: readonly number[];
  alphaBand: number | undefined;
  mask: boolean;
  /** Band of the input to turn into the mask and drop (JPEG of RGBA). */
  alphaToMask: number | undefined;
  /** A colour map is written (photometric 3, or MinIsWhite + ColorMap as some files have). */
  palette: boolean;
  notes: string[];
}

function outputShape(raster: CogRaster, compression: CogCompression, label: string): OutputShape {
  const extra = raster.extraSamples ?? [];
  const colour = raster.bandCount - extra.length;
  const alphaIdx = extra.findIndex((v) => v === 1 || v === 2);
  const alphaBand = alphaIdx >= 0 ? colour + alphaIdx : undefined;
  const palette = raster.colorMap !== undefined;
  if (raster.photometric === 3 && !palette) throw new CogWriteError('a palette image (photometric 3) needs a colour map');
  if (compression === 'jpeg' && alphaBand !== undefined && raster.bandCount === 4 && raster.dataType === 'uint8') {
    // GDAL's COG driver does the same: JPEG cannot hold alpha, so it becomes the internal mask.
    return {
      bandCount: 3, photometric: 6, extraSamples: [], alphaBand: undefined, mask: true, alphaToMask: alphaBand, palette: false,
      notes: ['JPEG cannot store an alpha band: band 4 (alpha) is written as an internal mask (valid where alpha > 0)'],
    };
  }
  checkCodec(compression, raster.dataType, raster.bandCount, palette, label);
  let photometric = raster.photometric;
  if (photometric === 6) photometric = 2;
  // JPEG of RGB is stored as YCbCr 4:2:0 (what libjpeg-turbo writes; GDAL's default too):
  // with Photometric RGB, libtiff would hand the YCbCr samples out unconverted.
  if (compression === 'jpeg' && raster.bandCount === 3) photometric = 6;
  return { bandCount: raster.bandCount, photometric, extraSamples: extra, alphaBand, mask: raster.mask, alphaToMask: undefined, palette, notes: [] };
}

/**
 * Writes `raster` as a Cloud-Optimized GeoTIFF at `path` (replaced atomically). Memory is
 * bounded by a few block rows of the full resolution; tile data goes through temporary files
 * in `tempDir` (default: next to `path`).
 */
export async function writeCog(raster: CogRaster, path: string, options: CogWriteOptions = {}): Promise<CogWriteResult> {
  try {
    return (await write(raster, path, options)).result;
  } catch (err) {
    // File system failures (no such folder, no permission, disk full) are the command's failure, not a bug.
    const e = err as NodeJS.ErrnoException;
    if (typeof e?.code === 'string' && typeof e.syscall === 'string') throw new CogWriteError(`cannot write ${path}: ${e.message}`, { cause: err });
    throw err;
  }
}

/**
 * Writes `raster` as a COG held in memory: the same layout, tags and codecs as `writeCog`,
 * for small rasters made on request (an OGC API data tile is one block: a 256x256 GeoTIFF
 * answered from a buffer, no file touched). `tempDir` and `bigTiff` do not apply.
 */
export async function writeCogToMemory(raster: CogRaster, options: CogWriteOptions = {}): Promise<{ bytes: Uint8Array; result: CogWriteResult }> {
  const { result, bytes } = await write(raster, undefined, { ...options, bigTiff: false });
  return { bytes: bytes!, result };
}

/** The tile data of one level while the pyramid is computed: appended, copied into the COG at the end. */
interface LevelData {
  readonly size: number;
  append(bytes: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

/** A level's tile data in memory (`writeCogToMemory`); the file writer uses a TempFile. */
class MemoryLevel implements LevelData {
  readonly chunks: Uint8Array[] = [];
  size = 0;

  async append(bytes: Uint8Array): Promise<number> {
    const at = this.size;
    this.chunks.push(bytes);
    this.size += bytes.length;
    return at;
  }

  async close(): Promise<void> {}
}

/** Writes to `path`, or to memory when `path` is undefined (then `bytes` holds the file). */
async function write(raster: CogRaster, path: string | undefined, options: CogWriteOptions): Promise<{ result: CogWriteResult; bytes?: Uint8Array }> {
  const compression = options.compression ?? 'deflate';
  const blockSize = options.blockSize ?? 512;
  if (!Number.isInteger(blockSize) || blockSize < 16 || blockSize > 4096 || blockSize % 16 !== 0) {
    throw new CogWriteError(`block size must be a multiple of 16 between 16 and 4096, got ${blockSize}`);
  }
  if (!(raster.width > 0 && raster.height > 0 && raster.bandCount > 0)) throw new CogWriteError('the raster is empty');
  const shape = outputShape(raster, compression, options.label ?? 'the raster');
  const palette = shape.palette;
  const lossy = compression === 'jpeg' || compression === 'webp';
  const predicted = compression === 'deflate' || compression === 'zstd';
  const predictor = predicted && options.predictor !== false && !palette ? defaultPredictor(raster.dataType) : 1;
  const resampling: OverviewResampling = palette ? 'nearest' : options.overviewResampling ?? 'average';
  const sizes = overviewSizes(raster.width, raster.height, blockSize, options.overviewCount);
  const signal = options.signal;

  const encode = tileEncoder({
    compression, predictor,
    ...(options.level !== undefined ? { level: options.level } : {}),
    ...(options.quality !== undefined ? { quality: options.quality } : {}),
    ...(options.webpLossless !== undefined ? { webpLossless: options.webpLossless } : {}),
  });
  const encodeMask = maskEncoder(compression, predicted ? options.level : undefined);
  const stats = options.statistics === false || (options.statistics === undefined && lossy)
    ? undefined : new StatisticsAccumulator(shape.bandCount, raster.nodata, raster.dataType);
  const tileFormat: TileFormat = { width: blockSize, height: blockSize, samplesPerPixel: shape.bandCount, dataType: raster.dataType };

  const tempRoot = path === undefined ? undefined : await mkdtemp(join(options.tempDir ?? dirname(path), '.cogify-'));
  const temps: LevelData[] = [];
  try {
    for (let i = 0; i < sizes.length; i++) temps.push(tempRoot === undefined ? new MemoryLevel() : await TempFile.create(join(tempRoot, `level${i}.bin`)));
    const records: TileRecord[] = sizes.map(() => ({ offsets: [], lengths: [], maskOffsets: [], maskLengths: [] }));

    // Per level, a block row being filled (allocated on first need: a level whose rows arrive a
    // whole block row at a time, like the full resolution, encodes them without a copy).
    const Arr = arrayFor[raster.dataType];
    const levels = sizes.map((s, i) => ({
      ...s, index: i, rowTop: 0, rows: 0,
      bands: undefined as SampleArray[] | undefined,
      mask: undefined as Uint8Array | undefined,
    }));

    const appendTile = async (level: number, bytes: Uint8Array, isMask: boolean) => {
      const t = temps[level]!;
      const leader = new Uint8Array(4);
      new DataView(leader.buffer).setUint32(0, bytes.length, true);
      await t.append(leader);
      const at = await t.append(bytes);
      // GDAL's trailer: the last 4 bytes of the tile repeated (lets a reader detect a torn file).
      const trailer = new Uint8Array(4);
      trailer.set(bytes.subarray(Math.max(0, bytes.length - 4)));
      await t.append(trailer);
      const r = records[level]!;
      if (isMask) { r.maskOffsets.push(at); r.maskLengths.push(bytes.length); } else { r.offsets.push(at); r.lengths.push(bytes.length); }
    };

    const flush = async (lv: (typeof levels)[number], strip: Strip): Promise<void> => {
      const rows = strip.height;
      const across = Math.ceil(lv.width / blockSize);
      // Tiles are cut and encoded a few at a time (zlib and sharp run them on the libuv pool).
      const encoded = await mapLimit(Array.from({ length: across }, (_, tx) => tx), TILES_IN_FLIGHT, (tx) => {
        const x0 = tx * blockSize;
        const cols = Math.min(blockSize, lv.width - x0);
        const tile = extractTile(strip.bands, lv.width, x0, cols, rows, blockSize, raster.dataType, lossy);
        const maskTile = shape.mask ? extractMask(strip.mask!, lv.width, x0, cols, rows, blockSize) : undefined;
        return Promise.all([encode(tile, tileFormat), maskTile ? encodeMask(maskTile, blockSize, blockSize) : undefined]);
      });
      for (const [img, m] of encoded) {
        await appendTile(lv.index, img, false);
        if (m) await appendTile(lv.index, m, true);
      }
      lv.rowTop += rows;
      lv.rows = 0;
      const next = levels[lv.index + 1];
      if (next) await push(next, downsampleStrip(strip, { dataType: raster.dataType, nodata: raster.nodata, alphaBand: shape.alphaBand, resampling }));
    };

    const push = async (lv: (typeof levels)[number], strip: Strip): Promise<void> => {
      if (strip.width !== lv.width || lv.rows + strip.height > blockSize) throw new Error(`strip of ${strip.width}x${strip.height} does not fit level ${lv.index}`);
      const complete = (rows: number) => rows === blockSize || lv.rowTop + rows === lv.height;
      if (lv.rows === 0 && complete(strip.height)) {
        await flush(lv, strip);
        return;
      }
      lv.bands ??= Array.from({ length: shape.bandCount }, () => new Arr(lv.width * blockSize));
      if (shape.mask) lv.mask ??= new Uint8Array(lv.width * blockSize);
      const n = strip.width * strip.height;
      const at = lv.rows * lv.width;
      strip.bands.forEach((b, i) => lv.bands![i]!.set(b.subarray(0, n) as never, at));
      if (lv.mask) lv.mask.set(strip.mask!.subarray(0, n), at);
      lv.rows += strip.height;
      if (complete(lv.rows)) {
        const rows = lv.rows;
        await flush(lv, {
          width: lv.width, height: rows,
          bands: lv.bands.map((b) => b.subarray(0, lv.width * rows)),
          ...(lv.mask ? { mask: lv.mask.subarray(0, lv.width * rows) } : {}),
        });
      }
    };

    const read = (y: number) => raster.read(y, Math.min(blockSize, raster.height - y), signal).then((s) => conform(s, shape));
    let pending = read(0);
    pending.catch(() => undefined);
    for (let y = 0; y < raster.height; y += blockSize) {
      throwIfAborted(signal);
      const strip = await pending;
      const h = Math.min(blockSize, raster.height - y);
      if (strip.width !== raster.width || strip.height !== h || strip.bands.length !== shape.bandCount) {
        throw new Error(`read(${y}, ${h}) returned a ${strip.width}x${strip.height} strip of ${strip.bands.length} bands`);
      }
      if (y + blockSize < raster.height) {
        // Read ahead while this block row is encoded.
        pending = read(y + blockSize);
        pending.catch(() => undefined);
      }
      stats?.add(strip.bands, raster.width * h);
      await push(levels[0]!, strip);
      options.onProgress?.(y + h, raster.height);
    }
    throwIfAborted(signal);

    // Pass 2: metadata, then the levels' data from the smallest overview to full resolution.
    const statistics = stats?.result();
    const ifds = buildIfds(raster, shape, sizes, blockSize, compression, predictor, statistics);
    const dataSize = temps.reduce((s, t) => s + t.size, 0);
    let bigTiff = options.bigTiff === true;
    let layout = layoutTiff({ bigTiff, ghost: ghostArea(shape.mask), ifds: ifds.map((d) => d.spec) });
    if (options.bigTiff !== false && !bigTiff && layout.dataStart + dataSize > 0xffffffff) {
      bigTiff = true;
      layout = layoutTiff({ bigTiff, ghost: ghostArea(shape.mask), ifds: ifds.map((d) => d.spec) });
    }
    if (!bigTiff && layout.dataStart + dataSize > 0xffffffff) throw new CogWriteError('the COG is larger than 4 GiB: allow BigTIFF');
    const base: number[] = new Array(sizes.length);
    let pos = layout.dataStart;
    for (let i = sizes.length - 1; i >= 0; i--) {
      base[i] = pos;
      pos += temps[i]!.size;
    }
    const header = layout.serialize((k) => {
      const { level, mask } = ifds[k]!;
      const r = records[level]!;
      const offs = mask ? r.maskOffsets : r.offsets;
      return { offsets: offs.map((o) => o + base[level]!), byteCounts: mask ? r.maskLengths : r.lengths };
    });

    const result: CogWriteResult = {
      path: path ?? '', bytes: pos, bigTiff, compression, predictor, blockSize, photometric: shape.photometric, bandCount: shape.bandCount,
      levels: sizes, mask: shape.mask, statistics, notes: shape.notes,
    };
    if (path === undefined) {
      const bytes = new Uint8Array(pos);
      bytes.set(header, 0);
      temps.forEach((t, i) => {
        let at = base[i]!;
        for (const chunk of (t as MemoryLevel).chunks) {
          bytes.set(chunk, at);
          at += chunk.length;
        }
      });
      return { result, bytes };
    }
    const partial = `${path}.partial-${randomBytes(4).toString('hex')}`;
    const out = await open(partial, 'w');
    try {
      await out.write(header, 0, header.length, 0);
      for (let i = sizes.length - 1; i >= 0; i--) {
        throwIfAborted(signal);
        await (temps[i] as TempFile).copyTo(out, base[i]!);
      }
      await out.close();
      await rename(partial, path);
    } catch (err) {
      await out.close().catch(() => undefined);
      await rm(partial, { force: true });
      throw err;
    }
    return { result };
  } finally {
    await Promise.all(temps.map((t) => t.close().catch(() => undefined)));
    if (tempRoot !== undefined) await rm(tempRoot, { recursive: true, force: true });
  }
}

/** Applies the output shape to a strip read from the raster (alpha → mask for JPEG). */
function conform(strip: Strip, shape: OutputShape): Strip {
  if (shape.alphaToMask === undefined) {
    if (shape.mask && !strip.mask) return { ...strip, mask: new Uint8Array(strip.width * strip.height).fill(1) };
    return strip;
  }
  const alpha = strip.bands[shape.alphaToMask]!;
  const n = strip.width * strip.height;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = alpha[i]! > 0 && (!strip.mask || strip.mask[i]) ? 1 : 0;
  return { width: strip.width, height: strip.height, bands: strip.bands.filter((_, b) => b !== shape.alphaToMask), mask };
}

/**
 * One tile, pixel-interleaved, from planar block-row arrays. Outside the image the tile is 0,
 * except for lossy codecs, which get the edge pixels repeated (no ringing from a hard edge).
 */
function extractTile(bands: SampleArray[], width: number, x0: number, cols: number, rows: number, bs: number, dataType: DataType, replicate: boolean): SampleArray {
  const spp = bands.length;
  const tile = new arrayFor[dataType](bs * bs * spp);
  for (let y = 0; y < bs; y++) {
    if (y >= rows && !replicate) break;
    const src = Math.min(y, rows - 1) * width + x0;
    let o = y * bs * spp;
    if (spp === 1) {
      const band = bands[0]!;
      tile.set(band.subarray(src, src + cols) as never, o);
      if (replicate) tile.fill(band[src + cols - 1]!, o + cols, o + bs);
      continue;
    }
    for (let b = 0; b < spp; b++) {
      const band = bands[b]!;
      for (let x = 0, i = o + b; x < cols; x++, i += spp) tile[i] = band[src + x]!;
    }
    o += cols * spp;
    if (replicate) for (let x = cols; x < bs; x++) for (let b = 0; b < spp; b++) tile[o++] = bands[b]![src + cols - 1]!;
  }
  return tile;
}

function extractMask(mask: Uint8Array, width: number, x0: number, cols: number, rows: number, bs: number): Uint8Array {
  const out = new Uint8Array(bs * bs);
  for (let y = 0; y < rows; y++) out.set(mask.subarray(y * width + x0, y * width + x0 + cols), y * bs);
  return out;
}

interface BuiltIfd {
  spec: IfdSpec;
  level: number;
  mask: boolean;
}

/** IFDs in GDAL's COG order: main, main mask, overviews (largest first), overview masks. */
function buildIfds(
  raster: CogRaster, shape: OutputShape, sizes: { width: number; height: number }[], bs: number,
  compression: CogCompression, predictor: number, statistics: (FullStatistics | undefined)[] | undefined,
): BuiltIfd[] {
  const spp = shape.bandCount;
  const tiles = (s: { width: number; height: number }) => Math.ceil(s.width / bs) * Math.ceil(s.height / bs);
  const S = FieldType.SHORT, L = FieldType.LONG, D = FieldType.DOUBLE, A = FieldType.ASCII;
  const nodata = raster.nodataText ?? (raster.nodata !== undefined ? nodataText(raster.nodata) : undefined);
  let colorMap: number[] | undefined;
  if (shape.palette) {
    const bits = BITS[raster.dataType];
    const entries = 2 ** bits;
    const cm = Array.from(raster.colorMap!);
    const given = cm.length / 3;
    if (!Number.isInteger(given) || given > entries) throw new CogWriteError(`the colour map has ${cm.length} values; a ${bits}-bit palette takes 3 x ${entries}`);
    // A palette of fewer entries (from a 1/2/4-bit source expanded to 8 bits) is padded with black.
    colorMap = new Array(3 * entries).fill(0);
    for (let c = 0; c < 3; c++) for (let i = 0; i < given; i++) colorMap[c * entries + i] = cm[c * given + i]!;
  }
  const image = (i: number): TagEntry[] => {
    const s = sizes[i]!;
    const t: TagEntry[] = [
      { tag: Tag.ImageWidth, type: L, values: [s.width] },
      { tag: Tag.ImageLength, type: L, values: [s.height] },
      { tag: Tag.BitsPerSample, type: S, values: new Array(spp).fill(BITS[raster.dataType]) },
      { tag: Tag.Compression, type: S, values: [COMPRESSION_CODE[compression]] },
      { tag: Tag.PhotometricInterpretation, type: S, values: [shape.photometric] },
      { tag: Tag.SamplesPerPixel, type: S, values: [spp] },
      { tag: Tag.PlanarConfiguration, type: S, values: [1] },
      { tag: Tag.TileWidth, type: S, values: [bs] },
      { tag: Tag.TileLength, type: S, values: [bs] },
      { tag: Tag.SampleFormat, type: S, values: new Array(spp).fill(SAMPLE_FORMAT[raster.dataType]) },
    ];
    if (i > 0) t.push({ tag: Tag.NewSubfileType, type: L, values: [1] });
    if (predictor !== 1) t.push({ tag: Tag.Predictor, type: S, values: [predictor] });
    if (colorMap) t.push({ tag: Tag.ColorMap, type: S, values: colorMap });
    if (shape.extraSamples.length) t.push({ tag: Tag.ExtraSamples, type: S, values: [...shape.extraSamples] });
    if (shape.photometric === 6) t.push({ tag: Tag.YCbCrSubSampling, type: S, values: [2, 2] });
    if (nodata !== undefined) t.push({ tag: Tag.GdalNodata, type: A, values: nodata });
    if (i === 0) {
      const g = raster.geoTags;
      if (g.modelPixelScale) t.push({ tag: Tag.ModelPixelScale, type: D, values: [...g.modelPixelScale] });
      if (g.modelTiepoint) t.push({ tag: Tag.ModelTiepoint, type: D, values: [...g.modelTiepoint] });
      if (g.modelTransformation) t.push({ tag: Tag.ModelTransformation, type: D, values: [...g.modelTransformation] });
      t.push({ tag: Tag.GeoKeyDirectory, type: S, values: [...g.geoKeyDirectory] });
      if (g.geoDoubleParams?.length) t.push({ tag: Tag.GeoDoubleParams, type: D, values: [...g.geoDoubleParams] });
      if (g.geoAsciiParams) t.push({ tag: Tag.GeoAsciiParams, type: A, values: g.geoAsciiParams });
      const md = gdalMetadataXml(raster.gdalMetadata, statistics, raster.bandDescriptions);
      if (md) t.push({ tag: Tag.GdalMetadata, type: A, values: md });
    }
    return t;
  };
  const mask = (i: number): TagEntry[] => {
    const s = sizes[i]!;
    return [
      { tag: Tag.NewSubfileType, type: L, values: [i === 0 ? 4 : 5] },
      { tag: Tag.ImageWidth, type: L, values: [s.width] },
      { tag: Tag.ImageLength, type: L, values: [s.height] },
      { tag: Tag.BitsPerSample, type: S, values: [1] },
      { tag: Tag.Compression, type: S, values: [COMPRESSION_CODE[maskCompression(compression)]] },
      { tag: Tag.PhotometricInterpretation, type: S, values: [4] },
      { tag: Tag.SamplesPerPixel, type: S, values: [1] },
      { tag: Tag.PlanarConfiguration, type: S, values: [1] },
      { tag: Tag.TileWidth, type: S, values: [bs] },
      { tag: Tag.TileLength, type: S, values: [bs] },
    ];
  };
  const out: BuiltIfd[] = [{ spec: { tags: image(0), tileCount: tiles(sizes[0]!) }, level: 0, mask: false }];
  if (shape.mask) out.push({ spec: { tags: mask(0), tileCount: tiles(sizes[0]!) }, level: 0, mask: true });
  for (let i = 1; i < sizes.length; i++) out.push({ spec: { tags: image(i), tileCount: tiles(sizes[i]!) }, level: i, mask: false });
  if (shape.mask) for (let i = 1; i < sizes.length; i++) out.push({ spec: { tags: mask(i), tileCount: tiles(sizes[i]!) }, level: i, mask: true });
  return out;
}
