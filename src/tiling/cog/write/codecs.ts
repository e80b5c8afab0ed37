/**
 * Tile encoders of the COG writer: predictors (TIFF 6.0 §14 horizontal differencing; Adobe
 * TIFF Technical Note 3 floating point), DEFLATE (node:zlib, TIFF Compression 8), ZSTD (50000),
 * JPEG (7, TIFF Technical Note 2: one complete JPEG stream per tile, no JPEGTables), WebP (50001,
 * GDAL's code) and 1-bit transparency masks. Every encoder takes one full tile, pixel-interleaved
 * in host order (the file is little-endian, as every host Node runs on here), and returns the
 * bytes to store. sharp stays inside this module (DESIGN.md: third-party types do not leak).
 */
import { promisify } from 'node:util';
import { deflate as deflateCb } from 'node:zlib';
import sharp from 'sharp';
import type { SampleArray } from '../../decode/types.js';
import type { DataType } from '../types.js';
import { CogWriteError } from './errors.js';

const deflate = promisify(deflateCb);

export type CogCompression = 'deflate' | 'zstd' | 'jpeg' | 'webp' | 'none';
export const COG_COMPRESSIONS: readonly CogCompression[] = ['deflate', 'zstd', 'jpeg', 'webp', 'none'];

/** TIFF Compression tag values (TIFF 6.0; 50000 ZSTD and 50001 WEBP are GDAL/libtiff's codes). */
export const COMPRESSION_CODE: Record<CogCompression, number> = { none: 1, jpeg: 7, deflate: 8, zstd: 50000, webp: 50001 };

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  // Typed-array bytes are written as they are; a big-endian host would need byte swapping.
  throw new Error('the COG writer needs a little-endian host');
}

/**
 * ZSTD compressor: `@hpcc-js/wasm-zstd` (the official zstd C library compiled to WebAssembly,
 * part of HPCC Systems' hpcc-js-wasm, released every few weeks). Chosen because Node 20 has no
 * zstd in node:zlib, and the npm alternatives either download binaries from GitHub at install
 * time (zstd-napi via prebuild-install, falling back to a node-gyp build), need a native build,
 * are unmaintained emscripten builds (zstd-codec, last release 2018) or decode only (fzstd,
 * zstddec). The package has no dependencies and no install scripts; the wasm is inside its
 * JavaScript. Loaded on first use, so nothing runs at import time.
 */
let zstdLoading: Promise<{ compress(data: Uint8Array, level?: number): Uint8Array }> | undefined;
function loadZstd() {
  zstdLoading ??= import('@hpcc-js/wasm-zstd').then((m) => m.Zstd.load()).catch((err: unknown) => {
    zstdLoading = undefined;
    throw new CogWriteError(`ZSTD compression is unavailable: the zstd WebAssembly module (@hpcc-js/wasm-zstd) could not be loaded (${(err as Error).message})`);
  });
  return zstdLoading;
}

/** What a tile encoder needs to know about the pixels (all tiles of a level share it). */
export interface TileFormat {
  width: number;
  height: number;
  samplesPerPixel: number;
  dataType: DataType;
}

export interface CodecOptions {
  compression: CogCompression;
  /** 1 none, 2 horizontal, 3 floating point (DEFLATE/ZSTD only). */
  predictor: 1 | 2 | 3;
  /** DEFLATE 1–9 (GDAL's ZLEVEL default 6), ZSTD 1–22 (GDAL's ZSTD_LEVEL default 9). */
  level?: number;
  /** JPEG / WebP quality 1–100 (GDAL's JPEG_QUALITY and WEBP_LEVEL default 75). */
  quality?: number;
  webpLossless?: boolean;
}

/** Encodes one tile (pixel-interleaved samples, tile-sized, host order; the encoder may overwrite them). */
export type TileEncoder = (samples: SampleArray, format: TileFormat) => Promise<Uint8Array>;

function bytesOf(a: SampleArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** TIFF 6.0 §14: each sample minus the same sample of the previous pixel, per row, modulo 2^bits. */
export function applyHorizontalPredictor(samples: SampleArray, format: TileFormat, inPlace = false): Uint8Array {
  const bytes = inPlace ? bytesOf(samples) : bytesOf(samples).slice();
  const bits = samples.BYTES_PER_ELEMENT * 8;
  const n = bytes.length / samples.BYTES_PER_ELEMENT;
  const view = bits === 8 ? bytes : bits === 16 ? new Uint16Array(bytes.buffer, bytes.byteOffset, n) : new Uint32Array(bytes.buffer, bytes.byteOffset, n);
  const spp = format.samplesPerPixel;
  const perRow = format.width * spp;
  for (let row = 0; row < format.height; row++) {
    const start = row * perRow;
    for (let i = start + perRow - 1; i >= start + spp; i--) view[i] = view[i]! - view[i - spp]!; // stores wrap
  }
  return bytes;
}

/**
 * Adobe TIFF Technical Note 3: per row, the samples' bytes become planes, most significant
 * byte first (big-endian order whatever the file's byte order), then the row is byte-differenced
 * with a stride of samplesPerPixel.
 */
export function applyFloatingPointPredictor(samples: SampleArray, format: TileFormat): Uint8Array {
  const src = bytesOf(samples);
  const bps = samples.BYTES_PER_ELEMENT;
  const spp = format.samplesPerPixel;
  const wc = format.width * spp;
  const rowBytes = wc * bps;
  const out = new Uint8Array(rowBytes * format.height);
  for (let row = 0; row < format.height; row++) {
    const base = row * rowBytes;
    for (let b = 0; b < bps; b++) {
      const plane = base + b * wc;
      let s = base + (bps - 1 - b); // little-endian host: byte bps-1 is the most significant
      for (let i = 0; i < wc; i++, s += bps) out[plane + i] = src[s]!;
    }
    for (let i = base + rowBytes - 1; i >= base + spp; i--) out[i] = (out[i]! - out[i - spp]!) & 0xff;
  }
  return out;
}

/** The predictor GDAL's PREDICTOR=YES picks: 3 for floating point, 2 for integers. */
export function defaultPredictor(dataType: DataType): 2 | 3 {
  return dataType === 'float32' || dataType === 'float64' ? 3 : 2;
}

export function tileEncoder(options: CodecOptions): TileEncoder {
  const { compression, predictor } = options;
  const predict = (samples: SampleArray, format: TileFormat): Uint8Array =>
    predictor === 2 ? applyHorizontalPredictor(samples, format, true)
      : predictor === 3 ? applyFloatingPointPredictor(samples, format)
        : bytesOf(samples);
  switch (compression) {
    case 'none':
      return async (samples, format) => predict(samples, format).slice();
    case 'deflate': {
      const level = options.level ?? 6;
      return async (samples, format) => new Uint8Array(await deflate(predict(samples, format), { level }));
    }
    case 'zstd': {
      const level = options.level ?? 9;
      return async (samples, format) => (await loadZstd()).compress(predict(samples, format), level).slice();
    }
    case 'jpeg': {
      const quality = options.quality ?? 75;
      return async (samples, format) => {
        const spp = format.samplesPerPixel as 1 | 3;
        // 4:2:0 always (sharp would drop subsampling at quality ≥ 90): the IFD declares
        // YCbCrSubSampling 2,2 for three-band tiles, and libtiff checks the stream against it.
        const out = await sharp(bytesOf(samples), { raw: { width: format.width, height: format.height, channels: spp } })
          .jpeg({ quality, chromaSubsampling: '4:2:0' })
          .toBuffer();
        return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      };
    }
    case 'webp': {
      const quality = options.quality ?? 75;
      const lossless = options.webpLossless ?? false;
      return async (samples, format) => {
        const spp = format.samplesPerPixel as 3 | 4;
        const out = await sharp(bytesOf(samples), { raw: { width: format.width, height: format.height, channels: spp } })
          // Lossless keeps the colour under transparent pixels too (`exact`, as libtiff does for
          // lossless WebP); lossy lets libwebp simplify it, which is what GDAL's files get.
          .webp({ quality, lossless, alphaQuality: 100, exact: lossless, effort: 4 })
          .toBuffer();
        return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      };
    }
  }
}

/** Packs a tile's validity (non-zero = valid) into TIFF 1-bit rows, most significant bit first, rows padded to bytes. */
export function packMask(valid: Uint8Array, width: number, height: number): Uint8Array {
  const rowBytes = (width + 7) >> 3;
  const out = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const src = y * width, dst = y * rowBytes;
    for (let x = 0; x < width; x++) if (valid[src + x]) out[dst + (x >> 3)]! |= 0x80 >> (x & 7);
  }
  return out;
}

/** Mask tiles: 1-bit, DEFLATE or ZSTD like the imagery (DEFLATE when the imagery is JPEG/WebP). */
export function maskCompression(compression: CogCompression): CogCompression {
  return compression === 'jpeg' || compression === 'webp' ? 'deflate' : compression;
}

export function maskEncoder(compression: CogCompression, level?: number): (valid: Uint8Array, width: number, height: number) => Promise<Uint8Array> {
  const c = maskCompression(compression);
  const encode = tileEncoder({ compression: c, predictor: 1, ...(level !== undefined ? { level } : {}) });
  return (valid, width, height) => encode(packMask(valid, width, height), { width: (width + 7) >> 3, height, samplesPerPixel: 1, dataType: 'uint8' });
}

/**
 * Checks that a codec can hold the data, as GDAL's COG driver does: JPEG takes 8-bit data with
 * 1 or 3 bands (RGBA is written as RGB + mask by the caller), WebP 8-bit data with 3 or 4 bands.
 */
export function checkCodec(compression: CogCompression, dataType: DataType, bands: number, palette: boolean, what: string): void {
  if (compression === 'jpeg') {
    if (dataType !== 'uint8' || (bands !== 1 && bands !== 3) || palette) {
      throw new CogWriteError(`JPEG compression needs 8-bit data with 1 or 3 bands and no palette; ${what} has ${bands} ${dataType} band${bands === 1 ? '' : 's'}${palette ? ' with a palette' : ''} (use deflate or zstd)`);
    }
  } else if (compression === 'webp') {
    if (dataType !== 'uint8' || (bands !== 3 && bands !== 4) || palette) {
      throw new CogWriteError(`WebP compression needs 8-bit data with 3 or 4 bands; ${what} has ${bands} ${dataType} band${bands === 1 ? '' : 's'}${palette ? ' with a palette' : ''} (use deflate or zstd)`);
    }
  }
}
