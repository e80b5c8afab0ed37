/**
 * Block decoding: the compressed bytes of one TIFF tile or strip, plus what its IFD says about
 * it, in; pixel-interleaved samples in host byte order out.
 *
 * | code  | codec                      | implementation                                         |
 * |-------|----------------------------|--------------------------------------------------------|
 * | 1     | none                       | —                                                      |
 * | 5     | LZW                        | hand-written (lzw.ts)                                  |
 * | 7     | JPEG (TIFF TN2)            | sharp / libjpeg-turbo, JPEGTables merged               |
 * | 8     | Deflate (Adobe)            | node:zlib (async on the thread pool, or sync)          |
 * | 32773 | PackBits                   | hand-written (packbits.ts)                             |
 * | 32946 | Deflate (old code)         | node:zlib                                              |
 * | 34887 | LERC (+ deflate / zstd)    | `lerc` (Esri, wasm)                                    |
 * | 50000 | ZSTD                       | `zstddec` (wasm)                                       |
 * | 50001 | WebP                       | sharp / libwebp                                        |
 *
 * Predictors 2 and 3, bit unpacking and byte swapping are hand-written in samples.ts.
 *
 * Entry points:
 * - {@link decodeBlock}: samples only (the common case);
 * - {@link decodeBlockWithMask}: samples plus the validity mask a LERC blob may carry, and the
 *   only entry that returns 64-bit integer samples (BigInt64Array / BigUint64Array);
 * - {@link decodeBlockSync}: same result without leaving the calling thread, for worker threads;
 *   LERC/ZSTD need {@link loadWasmCodecs} first and JPEG/WebP are refused (sharp is async-only).
 *
 * Errors: {@link UnsupportedCompressionError} (unknown Compression code, `.compression` holds it),
 * {@link UnsupportedSampleLayoutError} (known codec, impossible layout), {@link BlockDecodeError}
 * (corrupt/truncated data; message names the codec, `cause` keeps the library error). An aborted
 * `signal` rejects with AbortedError.
 */
import { AbortedError, throwIfAborted } from '../../errors.js';
import { BlockDecodeError, UnsupportedCompressionError, UnsupportedSampleLayoutError } from './errors.js';
import { inflateAsync, inflateSync } from './deflate.js';
import { decodeJpegBlock, decodeWebpBlock } from './image.js';
import { decodeLercBlob, lercSupports } from './lerc.js';
import { lzwDecode } from './lzw.js';
import { packBitsDecode } from './packbits.js';
import { blockByteLength, blockSampleCount, bytesToSamples, checkSampleLayout } from './samples.js';
import { Compression, type BlockLayout, type DecodedBlock, type SampleArray } from './types.js';
import { lercModule, loadLerc, loadZstd, zstdDecoder } from './wasm.js';
import { zstdDecompressKnownSize, zstdDecompressUnknownSize } from './zstd.js';

export type { BigSampleArray, BlockLayout, DecodedBlock, SampleArray } from './types.js';
export { Compression, compressionLabel, compressionNames } from './types.js';
export { BlockDecodeError, UnsupportedCompressionError, UnsupportedSampleLayoutError } from './errors.js';
export { loadWasmCodecs } from './wasm.js';

const SUPPORTED = new Set<number>(Object.values(Compression));

/** Decode one block to samples. 64-bit integer blocks are refused here: use {@link decodeBlockWithMask}. */
export async function decodeBlock(bytes: Uint8Array, layout: BlockLayout, signal?: AbortSignal): Promise<SampleArray> {
  const { samples } = await decodeBlockWithMask(bytes, layout, signal);
  return narrow(samples, layout);
}

/** Decode one block to samples plus the codec's validity mask (LERC only; see DecodedBlock). */
export async function decodeBlockWithMask(
  bytes: Uint8Array,
  layout: BlockLayout,
  signal?: AbortSignal,
): Promise<DecodedBlock> {
  throwIfAborted(signal);
  validate(layout);
  const { compression } = layout;
  const expected = blockByteLength(layout);
  const guarded = <T>(work: Promise<T>): Promise<T> => withAbort(wrapErrors(work, compression), signal);

  switch (compression) {
    case Compression.AdobeDeflate:
    case Compression.Deflate: {
      const raw = await guarded(inflateAsync(bytes, expected));
      return finish(raw, layout, true);
    }
    case Compression.Jpeg: {
      const samples = await guarded(decodeJpegBlock(bytes, layout));
      return { samples };
    }
    case Compression.Webp: {
      const samples = await guarded(decodeWebpBlock(bytes, layout));
      return { samples };
    }
    case Compression.Zstd:
      await guarded(loadZstd());
      break;
    case Compression.Lerc: {
      await guarded(loadLerc());
      if (lercWrapper(layout) === 1) {
        const blob = await guarded(inflateAsync(bytes));
        throwIfAborted(signal);
        return wrapErrorsSync(compression, () => decodeLerc(blob, layout));
      }
      if (lercWrapper(layout) === 2) await guarded(loadZstd());
      break;
    }
  }
  throwIfAborted(signal);
  return decodeBlockSync(bytes, layout);
}

/**
 * Decode one block in the calling thread (deflate with zlib's synchronous API).
 * Meant for worker threads. LERC and ZSTD need `await loadWasmCodecs()` once beforehand;
 * JPEG and WebP blocks throw, since sharp only decodes asynchronously.
 */
/**
 * True when `decodeBlockSync` can decode this layout right now: not JPEG/WebP (sharp decodes
 * asynchronously only), and for ZSTD/LERC once the wasm decoders are loaded.
 */
export function canDecodeSync(layout: BlockLayout): boolean {
  switch (layout.compression) {
    case Compression.Jpeg:
    case Compression.Webp:
      return false;
    case Compression.Zstd:
      return zstdDecoder() !== undefined;
    case Compression.Lerc:
      return lercModule() !== undefined && (lercWrapper(layout) !== 2 || zstdDecoder() !== undefined);
    default:
      return true;
  }
}

export function decodeBlockSync(bytes: Uint8Array, layout: BlockLayout): DecodedBlock {
  validate(layout);
  const { compression } = layout;
  const expected = blockByteLength(layout);
  return wrapErrorsSync(compression, () => {
    switch (compression) {
      case Compression.None:
        if (bytes.length < expected) {
          throw new BlockDecodeError(compression, `block has ${bytes.length} bytes, ${expected} expected`);
        }
        return finish(bytes, layout, false);
      case Compression.Lzw:
        return finish(lzwDecode(bytes, expected), layout, true);
      case Compression.PackBits:
        return finish(packBitsDecode(bytes, expected), layout, true);
      case Compression.AdobeDeflate:
      case Compression.Deflate:
        return finish(inflateSync(bytes, expected), layout, true);
      case Compression.Zstd:
        return finish(zstdDecompressKnownSize(requireZstd(compression), bytes, expected), layout, true);
      case Compression.Lerc: {
        const wrapper = lercWrapper(layout);
        let blob = bytes;
        if (wrapper === 1) blob = inflateSync(bytes);
        else if (wrapper === 2) blob = zstdDecompressUnknownSize(requireZstd(compression), bytes, lercBlobLimit(layout));
        return decodeLerc(blob, layout);
      }
      default:
        throw new BlockDecodeError(
          compression,
          'this codec decodes asynchronously only (sharp); use decodeBlock or decodeBlockWithMask',
        );
    }
  });
}

function validate(layout: BlockLayout): void {
  if (!SUPPORTED.has(layout.compression)) throw new UnsupportedCompressionError(layout.compression);
  checkSampleLayout(layout);
  const { compression, bitsPerSample, sampleFormat, samplesPerPixel, predictor } = layout;
  if (compression === Compression.Jpeg || compression === Compression.Webp) {
    if (bitsPerSample !== 8 || sampleFormat !== 1) {
      throw new UnsupportedSampleLayoutError(compression, `${bitsPerSample}-bit SampleFormat ${sampleFormat} samples (8-bit unsigned only)`);
    }
    if (predictor !== 1) throw new UnsupportedSampleLayoutError(compression, `Predictor ${predictor}`);
    if (compression === Compression.Webp && samplesPerPixel !== 3 && samplesPerPixel !== 4) {
      throw new UnsupportedSampleLayoutError(compression, `${samplesPerPixel} samples per pixel (WebP holds 3 or 4)`);
    }
    if (compression === Compression.Jpeg && samplesPerPixel !== 1 && samplesPerPixel !== 3) {
      throw new UnsupportedSampleLayoutError(compression, `${samplesPerPixel} samples per pixel (1 or 3 supported)`);
    }
  }
  if (compression === Compression.Lerc) {
    if (!lercSupports(layout)) {
      throw new UnsupportedSampleLayoutError(compression, `${bitsPerSample}-bit SampleFormat ${sampleFormat} samples`);
    }
    if (predictor !== 1) throw new UnsupportedSampleLayoutError(compression, `Predictor ${predictor}`);
    const wrapper = lercWrapper(layout);
    if (wrapper !== 0 && wrapper !== 1 && wrapper !== 2) {
      throw new UnsupportedSampleLayoutError(compression, `LercParameters additional compression ${wrapper}`);
    }
  }
}

/** LercParameters[1]: 0 none, 1 deflate, 2 zstd (absent tag: none). */
function lercWrapper(layout: BlockLayout): number {
  return layout.lercParameters?.[1] ?? 0;
}

/** Upper bound for an unwrapped LERC blob: raw samples, one mask per band, and generous headers. */
function lercBlobLimit(layout: BlockLayout): number {
  const pixels = layout.width * layout.height;
  return blockByteLength(layout) * 2 + pixels * layout.samplesPerPixel + (1 << 20);
}

function decodeLerc(blob: Uint8Array, layout: BlockLayout): DecodedBlock {
  const lerc = lercModule();
  if (!lerc) {
    throw new BlockDecodeError(layout.compression, 'the LERC decoder is not loaded: await loadWasmCodecs() first');
  }
  return decodeLercBlob(lerc, blob, layout);
}

function requireZstd(compression: number) {
  const decoder = zstdDecoder();
  if (!decoder) throw new BlockDecodeError(compression, 'the ZSTD decoder is not loaded: await loadWasmCodecs() first');
  return decoder;
}

function finish(raw: Uint8Array, layout: BlockLayout, owned: boolean): DecodedBlock {
  const expected = blockByteLength(layout);
  if (raw.length < expected) {
    throw new BlockDecodeError(layout.compression, `decompressed ${raw.length} bytes, ${expected} expected`);
  }
  return { samples: bytesToSamples(raw, layout, owned) };
}

function narrow(samples: DecodedBlock['samples'], layout: BlockLayout): SampleArray {
  if (samples instanceof BigInt64Array || samples instanceof BigUint64Array) {
    throw new UnsupportedSampleLayoutError(
      layout.compression,
      '64-bit integer samples are returned as BigInt arrays by decodeBlockWithMask only',
    );
  }
  if (samples.length !== blockSampleCount(layout)) {
    throw new BlockDecodeError(layout.compression, `decoded ${samples.length} samples, ${blockSampleCount(layout)} expected`);
  }
  return samples;
}

function toDecodeError(error: unknown, compression: number): unknown {
  if (error instanceof BlockDecodeError) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new BlockDecodeError(compression, detail, { cause: error });
}

function wrapErrorsSync<T>(compression: number, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw toDecodeError(error, compression);
  }
}

function wrapErrors<T>(work: Promise<T>, compression: number): Promise<T> {
  return work.catch((error: unknown) => {
    throw toDecodeError(error, compression);
  });
}

/**
 * Reject as soon as `signal` aborts. Native work already handed to the thread pool (zlib, libvips)
 * cannot be interrupted; it finishes in the background and its result is dropped.
 */
function withAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) throw new AbortedError();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
