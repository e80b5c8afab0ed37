/**
 * The two WebAssembly codecs, LERC (Esri's `lerc` package) and Zstandard (`zstddec`), loaded
 * lazily and once. Following "cache the promise, evict it on failure", a failed load is retried
 * by the next caller instead of poisoning the process.
 *
 * Both decoders are synchronous once loaded, so a worker thread can `await loadWasmCodecs()` once
 * and then call `decodeBlockSync`.
 */
import * as Lerc from 'lerc';
import { ZSTDDecoder } from 'zstddec/stream';

let lercLoading: Promise<void> | undefined;
let zstdLoading: Promise<ZSTDDecoder> | undefined;
let zstd: ZSTDDecoder | undefined;

export function loadLerc(): Promise<void> {
  if (Lerc.isLoaded()) return Promise.resolve();
  lercLoading ??= Lerc.load().catch((error: unknown) => {
    lercLoading = undefined;
    throw error;
  });
  return lercLoading;
}

export function loadZstd(): Promise<ZSTDDecoder> {
  if (zstd) return Promise.resolve(zstd);
  zstdLoading ??= (async () => {
    const decoder = new ZSTDDecoder();
    await decoder.init();
    zstd = decoder;
    return decoder;
  })().catch((error: unknown) => {
    zstdLoading = undefined;
    throw error;
  });
  return zstdLoading;
}

/** Load both WebAssembly codecs; required before {@link decodeBlockSync} meets LERC or ZSTD blocks. */
export async function loadWasmCodecs(): Promise<void> {
  await Promise.all([loadLerc(), loadZstd()]);
}

export function lercModule(): typeof Lerc | undefined {
  return Lerc.isLoaded() ? Lerc : undefined;
}

export function zstdDecoder(): ZSTDDecoder | undefined {
  return zstd;
}
