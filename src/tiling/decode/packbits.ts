/**
 * PackBits decoder (TIFF 6.0 Part 1 §9), written by hand: a dozen lines, and no npm package
 * offers it outside a whole-image TIFF reader.
 *
 * Each header byte n (read as signed): 0..127 copies the next n+1 bytes literally; -127..-1
 * repeats the next byte 1-n times; -128 is a no-op.
 */

export class PackBitsError extends Error {}

/** Decode into exactly `expectedBytes` bytes; a run crossing the end is clipped (libtiff warns and clips too). */
export function packBitsDecode(input: Uint8Array, expectedBytes: number): Uint8Array {
  const out = new Uint8Array(expectedBytes);
  let ip = 0;
  let op = 0;
  while (op < expectedBytes && ip < input.length) {
    const n = (input[ip++]! << 24) >> 24; // sign-extend the header byte
    if (n >= 0) {
      const count = Math.min(n + 1, expectedBytes - op, input.length - ip);
      out.set(input.subarray(ip, ip + count), op);
      ip += n + 1;
      op += count;
    } else if (n !== -128) {
      if (ip >= input.length) break;
      const value = input[ip++]!;
      const count = Math.min(1 - n, expectedBytes - op);
      out.fill(value, op, op + count);
      op += count;
    }
  }
  if (op < expectedBytes) {
    throw new PackBitsError(`stream ended after ${op} of ${expectedBytes} bytes`);
  }
  return out;
}
