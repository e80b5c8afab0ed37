/**
 * What the block decoder needs to know about one TIFF tile or strip.
 *
 * Every field comes straight from the IFD that owns the block (TIFF 6.0 Part 1 §3, §8, §15 and
 * the TIFF Technical Notes cited on {@link Compression}); the caller resolves defaults
 * (e.g. Predictor absent → 1, SampleFormat absent → 1, PlanarConfiguration 2 → samplesPerPixel 1).
 */
export interface BlockLayout {
  /** TIFF Compression tag (259); see {@link Compression} for the codes understood here. */
  compression: number;
  /** Predictor tag (317): 1 none, 2 horizontal differencing, 3 floating point (Adobe TN3). */
  predictor: number;
  /** Block width in pixels: TileWidth for tiles, ImageWidth for strips. */
  width: number;
  /** Rows in this block: TileLength for tiles, the real row count for strips (last strip may be shorter). */
  height: number;
  /** Samples stored in this block (1 when PlanarConfiguration = 2). */
  samplesPerPixel: number;
  /** BitsPerSample: 1, 2, 4, 8, 16, 32 or 64, the same for all samples of the block. */
  bitsPerSample: number;
  /** SampleFormat tag (339): 1 unsigned integer, 2 signed integer, 3 IEEE float. */
  sampleFormat: 1 | 2 | 3;
  /** Byte order of the file ("II" → true, "MM" → false). */
  littleEndian: boolean;
  /** PhotometricInterpretation (262): 0/1 gray, 2 RGB, 3 palette, 4 transparency mask, 6 YCbCr. */
  photometric: number;
  /** JPEGTables tag (347): an abbreviated JPEG stream (SOI, DQT/DHT…, EOI) shared by all blocks. */
  jpegTables?: Uint8Array;
  /** LercParameters tag (50674): [LERC version, additional compression: 0 none, 1 deflate, 2 zstd]. */
  lercParameters?: number[];
}

/**
 * Decoded samples, pixel-interleaved (`[p0s0, p0s1, …, p1s0, …]`), in host byte order.
 *
 * The array type follows sampleFormat/bitsPerSample: uint8 → Uint8Array, int16 → Int16Array,
 * float32 → Float32Array … Sub-byte samples (1, 2 and 4 bits) come out one Uint8 per sample;
 * 16-bit floats (half precision) come out as Float32Array, since Node 20 has no Float16Array.
 */
export type SampleArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/**
 * 64-bit integer samples (GDAL Int64/UInt64, GDAL ≥ 3.5). They are kept apart from
 * {@link SampleArray} so that code doing arithmetic on ordinary samples never meets a `bigint`;
 * only {@link decodeBlockWithMask} returns them.
 */
export type BigSampleArray = BigInt64Array | BigUint64Array;

/**
 * A decoded block together with the validity mask carried by the codec, if any.
 *
 * Only LERC carries a per-pixel validity mask inside the compressed block (a LERC2 blob stores
 * "valid pixel" bits next to the values). How it is reported:
 * - `validMask` is `undefined` when every pixel of the block is valid (no mask in the blob, or a
 *   mask that is all ones) and for every other codec: TIFF keeps masks in separate IFDs
 *   (NewSubfileType bit 2, PhotometricInterpretation 4), which decode as ordinary 1-bit blocks.
 * - otherwise it holds one byte per pixel (`width*height`, row-major), 1 = valid, 0 = invalid.
 *   When the blob has one mask per band (LERC with several bands) a pixel is reported valid
 *   only if it is valid in every band.
 * - invalid samples (the whole pixel, or only the band whose mask says so) are filled the way
 *   libtiff fills them for GDAL, so both readers agree pixel for pixel: NaN for float data
 *   (tested against GDAL), 0 for integers (what the LERC decoder leaves; GDAL never writes
 *   integer LERC masks).
 * Consumers that need nodata semantics combine `validMask` with the dataset's nodata value;
 * the decoder knows nothing of GDAL_NODATA.
 */
export interface DecodedBlock {
  samples: SampleArray | BigSampleArray;
  validMask?: Uint8Array;
}

/**
 * TIFF Compression tag (259) values understood by the decoder.
 *
 * Sources: TIFF 6.0 §3 (1, 32773), §13 (5), TIFF Technical Note 2 (7), Adobe "TIFF Specification
 * Supplement 2" and the libtiff registry tiff.h (8, 32946), Esri LERC for TIFF (34887),
 * GDAL's private codes for ZSTD and WebP registered in libtiff (50000, 50001).
 */
export const Compression = {
  /** 1: no compression (samples packed into bytes, rows padded to a byte boundary). */
  None: 1,
  /** 5: LZW, TIFF 6.0 §13, "new style" (MSB-first codes, early change). */
  Lzw: 5,
  /** 7: JPEG per TIFF Technical Note 2 (JPEGTables + one interchange stream per block). */
  Jpeg: 7,
  /** 8: Adobe Deflate (zlib stream, RFC 1950). */
  AdobeDeflate: 8,
  /** 32773: PackBits run-length encoding, TIFF 6.0 §9. */
  PackBits: 32773,
  /** 32946: Deflate, the older PKZIP-era code for the same zlib stream as 8. */
  Deflate: 32946,
  /** 34887: LERC (Esri Limited Error Raster Compression), optionally wrapped in deflate or zstd. */
  Lerc: 34887,
  /** 50000: Zstandard (GDAL/libtiff private code). */
  Zstd: 50000,
  /** 50001: WebP (GDAL/libtiff private code), 3 (RGB) or 4 (RGBA) bands of 8 bits. */
  Webp: 50001,
} as const;

/** Human-readable names used in error messages, e.g. "LZW (5)". */
export const compressionNames: Readonly<Record<number, string>> = {
  1: 'NONE',
  2: 'CCITT RLE',
  3: 'CCITT Group 3',
  4: 'CCITT Group 4',
  5: 'LZW',
  6: 'old-style JPEG',
  7: 'JPEG',
  8: 'DEFLATE',
  32773: 'PACKBITS',
  32946: 'DEFLATE',
  34676: 'SGILOG',
  34712: 'JPEG2000',
  34887: 'LERC',
  34925: 'LZMA',
  50000: 'ZSTD',
  50001: 'WEBP',
  50002: 'JPEGXL',
};

/** "LZW (5)", "unknown (12345)". */
export function compressionLabel(code: number): string {
  return `${compressionNames[code] ?? 'unknown'} (${code})`;
}
