/**
 * Zstandard through `zstddec` (the reference zstd decoder compiled to WebAssembly).
 * zstddec does not check zstd's error codes itself, so every result is checked here.
 */
import type { ZSTDDecoder } from 'zstddec/stream';

export class ZstdError extends Error {}

/** Decompress a block whose decompressed size is known (TIFF ZSTD blocks). */
export function zstdDecompressKnownSize(decoder: ZSTDDecoder, bytes: Uint8Array, expectedBytes: number): Uint8Array {
  const out = decoder.decode(bytes, expectedBytes);
  // On failure ZSTD_decompress returns an error code, which zstddec turns into a short slice.
  if (out.length !== expectedBytes) {
    throw new ZstdError(`decompressed ${out.length} of ${expectedBytes} bytes (corrupt or truncated frame)`);
  }
  return out;
}

/**
 * Decompress a stream of unknown size (the zstd layer inside LERC_ZSTD blocks: libtiff writes it
 * with the streaming API, so the frame header carries no content size).
 *
 * zstddec's streaming loop never stops on a corrupt frame (the input position stops moving and it
 * keeps calling), so calls that produce no output are counted and the loop is abandoned after a
 * few: with the whole input available, a healthy decoder fills its 128 KiB output buffer or
 * consumes all input on every call.
 */
export function zstdDecompressUnknownSize(decoder: ZSTDDecoder, bytes: Uint8Array, maxBytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let idle = 0;
  const iterator = decoder.decodeStreaming([bytes]);
  try {
    for (const part of iterator) {
      if (part.length === 0) {
        if (++idle > 8) throw new ZstdError('corrupt frame: decoder makes no progress');
        continue;
      }
      idle = 0;
      total += part.length;
      if (total > maxBytes) throw new ZstdError(`decompressed data exceeds ${maxBytes} bytes`);
      parts.push(part);
    }
  } catch (error) {
    if (error instanceof ZstdError) {
      iterator.return(undefined);
      throw error;
    }
    throw new ZstdError(error instanceof Error ? error.message : String(error));
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
