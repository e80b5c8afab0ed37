/**
 * Deflate (Compression 8 and 32946) through node:zlib, i.e. native zlib.
 *
 * Two flavours, because both callers exist:
 * - {@link inflateAsync} runs on libuv's thread pool, so a server decoding on the main thread
 *   never blocks its event loop on a large block;
 * - {@link inflateSync} decodes in the calling thread: the right choice inside a worker thread,
 *   where hopping to the thread pool only adds latency (≈ 20–50 µs per block).
 * `bench/decode.ts` measures both against pako (pure JS) on corpus blocks.
 *
 * TIFF stores a zlib stream (RFC 1950). Like libtiff, which inflates until the block is full
 * and never asks for the stream's end, a stream cut after its last data byte (missing final
 * block or Adler-32) still decodes (Z_SYNC_FLUSH returns what was inflated); a stream that
 * yields fewer bytes than the block needs is then rejected by the caller, as libtiff's
 * "Not enough data" is. Extra output beyond the block is ignored.
 */
import { constants, inflate, inflateSync as zlibInflateSync, type ZlibOptions } from 'node:zlib';

/**
 * Bound on inflated output: a block never legitimately inflates past its raw size; the slack only
 * tolerates writers that pad strips, while stopping a "zip bomb" from exhausting memory.
 */
function outputLimit(expectedBytes: number | undefined): number {
  return expectedBytes === undefined ? 1 << 30 : Math.max(expectedBytes * 2, expectedBytes + (1 << 20));
}

function options(expectedBytes: number | undefined): ZlibOptions {
  return { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: outputLimit(expectedBytes) };
}

export function inflateAsync(bytes: Uint8Array, expectedBytes?: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    inflate(bytes, options(expectedBytes), (error, result) => {
      if (error) reject(error);
      else resolve(new Uint8Array(result.buffer, result.byteOffset, result.byteLength));
    });
  });
}

export function inflateSync(bytes: Uint8Array, expectedBytes?: number): Uint8Array {
  const result = zlibInflateSync(bytes, options(expectedBytes));
  return new Uint8Array(result.buffer, result.byteOffset, result.byteLength);
}
