/**
 * Turning decompressed TIFF bytes into typed samples: bit unpacking, byte swapping and the two
 * TIFF predictors.
 *
 * Written by hand (no library covers TIFF's rules): bit unpacking of 1/2/4-bit samples
 * (MSB-first, each row padded to a whole byte, TIFF 6.0 §8 BitsPerSample and FillOrder 1),
 * the horizontal predictor (TIFF 6.0 §14) and the floating-point predictor (Adobe Photoshop TIFF
 * Technical Note 3), and half-float widening. Byte swapping uses Node's native
 * Buffer#swap16/32/64.
 */
import type { BigSampleArray, BlockLayout, SampleArray } from './types.js';
import { UnsupportedSampleLayoutError } from './errors.js';

/** True on every platform Node 20 ships for; kept explicit so the predictor-3 unshuffle is honest. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes in one row of the block: samples are packed and each row starts on a byte boundary. */
export function rowByteLength(layout: BlockLayout): number {
  return Math.ceil((layout.width * layout.samplesPerPixel * layout.bitsPerSample) / 8);
}

/** Bytes of decompressed data the block must yield. */
export function blockByteLength(layout: BlockLayout): number {
  return rowByteLength(layout) * layout.height;
}

/** Number of samples decodeBlock returns: width × height × samplesPerPixel. */
export function blockSampleCount(layout: BlockLayout): number {
  return layout.width * layout.height * layout.samplesPerPixel;
}

/**
 * Check the sample layout before any work; throws UnsupportedSampleLayoutError naming the codec.
 * Accepted: uint/int 1, 2, 4, 8, 16, 32, 64 bits (sub-byte only unsigned or as stored bits),
 * float 16, 32, 64 bits; predictor 2 on 8/16/32/64-bit integers; predictor 3 on 16/32/64-bit floats.
 */
export function checkSampleLayout(layout: BlockLayout): void {
  const { bitsPerSample: bits, sampleFormat, predictor, compression } = layout;
  const fail = (detail: string): never => {
    throw new UnsupportedSampleLayoutError(compression, detail);
  };
  if (!Number.isInteger(layout.width) || layout.width <= 0) fail(`block width ${layout.width}`);
  if (!Number.isInteger(layout.height) || layout.height <= 0) fail(`block height ${layout.height}`);
  if (!Number.isInteger(layout.samplesPerPixel) || layout.samplesPerPixel <= 0) {
    fail(`samplesPerPixel ${layout.samplesPerPixel}`);
  }
  if (![1, 2, 4, 8, 16, 32, 64].includes(bits)) fail(`${bits}-bit samples`);
  if (sampleFormat !== 1 && sampleFormat !== 2 && sampleFormat !== 3) fail(`SampleFormat ${String(sampleFormat)}`);
  if (sampleFormat === 3 && bits < 16) fail(`${bits}-bit floating point samples`);
  if (predictor === 2) {
    if (bits < 8) fail(`horizontal predictor with ${bits}-bit samples (libtiff refuses it too)`);
    if (sampleFormat === 3) fail('horizontal predictor on floating point samples');
  } else if (predictor === 3) {
    if (sampleFormat !== 3) fail(`floating point predictor with SampleFormat ${sampleFormat}`);
  } else if (predictor !== 1) {
    fail(`Predictor ${predictor}`);
  }
}

/**
 * Decompressed block bytes → samples in host order.
 *
 * @param raw at least blockByteLength(layout) bytes, in file byte order
 * @param owned true when `raw` is a fresh buffer the decoder may modify in place; false when it
 *   is the caller's (uncompressed blocks), in which case it is copied first
 */
export function bytesToSamples(raw: Uint8Array, layout: BlockLayout, owned: boolean): SampleArray | BigSampleArray {
  const { bitsPerSample: bits, predictor } = layout;
  const byteLength = blockByteLength(layout);
  const data = raw.subarray(0, byteLength);

  if (bits < 8) return unpackBits(data, layout);

  if (predictor === 3) {
    const host = undoFloatingPointPredictor(data, layout);
    return typedFromHostBytes(host, layout);
  }

  const bytesPerSample = bits / 8;
  const needsSwap = bytesPerSample > 1 && layout.littleEndian !== HOST_LITTLE_ENDIAN;
  // A typed view needs a private, aligned buffer when we mutate it or when the offset is misaligned.
  let work = data;
  if (!owned || data.byteOffset % bytesPerSample !== 0) {
    work = new Uint8Array(byteLength);
    work.set(data);
  }
  if (needsSwap) swapBytes(work, bytesPerSample);
  if (predictor === 2) undoHorizontalPredictor(work, layout);
  return typedFromHostBytes(work, layout);
}

/** In-place byte swap of every `size`-byte word, via Node's native Buffer#swapN. */
export function swapBytes(bytes: Uint8Array, size: number): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 2) buf.swap16();
  else if (size === 4) buf.swap32();
  else if (size === 8) buf.swap64();
}

/** View host-order bytes as the typed array for the layout's sample format (half floats widened). */
export function typedFromHostBytes(bytes: Uint8Array, layout: BlockLayout): SampleArray | BigSampleArray {
  const { bitsPerSample: bits, sampleFormat } = layout;
  const n = blockSampleCount(layout);
  const { buffer, byteOffset } = bytes;
  if (sampleFormat === 3) {
    if (bits === 32) return new Float32Array(buffer, byteOffset, n);
    if (bits === 64) return new Float64Array(buffer, byteOffset, n);
    return halfToFloat32(new Uint16Array(buffer, byteOffset, n));
  }
  const signed = sampleFormat === 2;
  switch (bits) {
    case 8:
      return signed ? new Int8Array(buffer, byteOffset, n) : new Uint8Array(buffer, byteOffset, n);
    case 16:
      return signed ? new Int16Array(buffer, byteOffset, n) : new Uint16Array(buffer, byteOffset, n);
    case 32:
      return signed ? new Int32Array(buffer, byteOffset, n) : new Uint32Array(buffer, byteOffset, n);
    default:
      return signed ? new BigInt64Array(buffer, byteOffset, n) : new BigUint64Array(buffer, byteOffset, n);
  }
}

/**
 * Expand 1/2/4-bit samples to one byte each. TIFF packs samples MSB-first (FillOrder 1, the
 * only order GDAL writes) and pads every row to a whole byte.
 */
export function unpackBits(data: Uint8Array, layout: BlockLayout): Uint8Array {
  const bits = layout.bitsPerSample;
  const perRow = layout.width * layout.samplesPerPixel;
  const rowBytes = rowByteLength(layout);
  const out = new Uint8Array(perRow * layout.height);
  const mask = (1 << bits) - 1;
  const perByte = 8 / bits;
  let o = 0;
  for (let row = 0; row < layout.height; row++) {
    const rowStart = row * rowBytes;
    for (let i = 0; i < perRow; i++) {
      const byte = data[rowStart + Math.floor(i / perByte)]!;
      const shift = 8 - bits * ((i % perByte) + 1);
      out[o++] = (byte >> shift) & mask;
    }
  }
  return out;
}

/**
 * Horizontal predictor (TIFF 6.0 §14): each sample was stored as the difference from the same
 * sample of the previous pixel in the row. Works on host-order bytes, in place, with unsigned
 * wrap-around (the same bits whatever the signedness).
 */
export function undoHorizontalPredictor(bytes: Uint8Array, layout: BlockLayout): void {
  const spp = layout.samplesPerPixel;
  const perRow = layout.width * spp;
  const { buffer, byteOffset } = bytes;
  const n = perRow * layout.height;
  switch (layout.bitsPerSample) {
    case 8:
      accumulate(new Uint8Array(buffer, byteOffset, n), perRow, spp, layout.height);
      break;
    case 16:
      accumulate(new Uint16Array(buffer, byteOffset, n), perRow, spp, layout.height);
      break;
    case 32:
      accumulate(new Uint32Array(buffer, byteOffset, n), perRow, spp, layout.height);
      break;
    case 64: {
      const a = new BigUint64Array(buffer, byteOffset, n);
      for (let row = 0; row < layout.height; row++) {
        const start = row * perRow;
        for (let i = start + spp; i < start + perRow; i++) a[i] = a[i]! + a[i - spp]!; // stores wrap mod 2^64
      }
      break;
    }
  }
}

function accumulate(a: Uint8Array | Uint16Array | Uint32Array, perRow: number, spp: number, height: number): void {
  for (let row = 0; row < height; row++) {
    const start = row * perRow;
    const end = start + perRow;
    for (let i = start + spp; i < end; i++) a[i] = a[i]! + a[i - spp]!; // typed-array stores wrap
  }
}

/**
 * Floating-point predictor (Adobe TIFF Technical Note 3, 2005). Per row, the encoder wrote the
 * samples' bytes as planes — all most-significant bytes first, then the next, … — whatever the
 * file's byte order, and then byte-differenced the row with a stride of samplesPerPixel.
 * Undo both; the result is host-order, so no byte swap follows (libtiff skips it too).
 */
export function undoFloatingPointPredictor(data: Uint8Array, layout: BlockLayout): Uint8Array {
  const spp = layout.samplesPerPixel;
  const bytesPerSample = layout.bitsPerSample / 8;
  const wc = layout.width * spp; // samples per row
  const rowBytes = wc * bytesPerSample;
  const out = new Uint8Array(rowBytes * layout.height);
  const tmp = new Uint8Array(rowBytes);
  for (let row = 0; row < layout.height; row++) {
    const rowStart = row * rowBytes;
    tmp.set(data.subarray(rowStart, rowStart + rowBytes));
    for (let i = spp; i < rowBytes; i++) tmp[i] = tmp[i]! + tmp[i - spp]!;
    for (let b = 0; b < bytesPerSample; b++) {
      // plane 0 holds the most significant byte of every sample
      const plane = (HOST_LITTLE_ENDIAN ? bytesPerSample - 1 - b : b) * wc;
      let o = rowStart + b;
      for (let s = 0; s < wc; s++, o += bytesPerSample) out[o] = tmp[plane + s]!;
    }
  }
  return out;
}

/** IEEE 754 binary16 → binary32 (Node 20 has no Float16Array). */
export function halfToFloat32(half: Uint16Array): Float32Array {
  const out = new Float32Array(half.length);
  for (let i = 0; i < half.length; i++) out[i] = halfToNumber(half[i]!);
  return out;
}

export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
