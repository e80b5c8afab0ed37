/**
 * TIFF LZW decoder (TIFF 6.0 Part 2 §13), written by hand: no npm package decodes TIFF's flavour
 * of LZW (MSB-first codes, 9 to 12 bits, "early change" of the code width one code before the
 * table fills each width, ClearCode 256, EndOfInformation 257) into a preallocated buffer.
 *
 * The table is kept as parallel typed arrays (prefix code, last byte, first byte, length), and a
 * string is written straight into the output back to front, so decoding allocates nothing per
 * code. Old-style (pre-6.0, LSB-first) LZW is rejected with a clear message: GDAL cannot write it
 * and no COG uses it.
 */

const CLEAR = 256;
const EOI = 257;
const FIRST_FREE = 258;
const TABLE_SIZE = 4096;

/** Why decoding stopped short; the caller turns it into a BlockDecodeError naming LZW. */
export class LzwError extends Error {}

/**
 * Decode `input` into exactly `expectedBytes` bytes.
 *
 * Extra output produced by the stream is dropped (libtiff does the same); a stream that ends
 * (EOI or input exhausted) before `expectedBytes` throws, as libtiff's "Not enough data" does.
 */
export function lzwDecode(input: Uint8Array, expectedBytes: number): Uint8Array {
  if (input.length >= 2 && input[0] === 0 && (input[1]! & 1) === 1) {
    throw new LzwError('old-style (pre-TIFF 6.0, LSB-first) LZW is not supported');
  }
  const out = new Uint8Array(expectedBytes);
  const prefix = new Uint16Array(TABLE_SIZE);
  const suffix = new Uint8Array(TABLE_SIZE);
  const first = new Uint8Array(TABLE_SIZE);
  const length = new Uint16Array(TABLE_SIZE);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    first[i] = i;
    length[i] = 1;
  }

  const inLength = input.length;
  const totalBits = inLength * 8;
  let bitPos = 0;
  let nbits = 9;
  let nextCode = FIRST_FREE;
  let prev = -1;
  let pos = 0;

  while (pos < expectedBytes) {
    if (bitPos + nbits > totalBits) break; // input exhausted without EOI
    // Read `nbits` bits MSB-first; 3 bytes always hold a code of at most 12 bits plus a 7-bit offset.
    const byteIndex = bitPos >>> 3;
    const b0 = input[byteIndex]!;
    const b1 = byteIndex + 1 < inLength ? input[byteIndex + 1]! : 0;
    const b2 = byteIndex + 2 < inLength ? input[byteIndex + 2]! : 0;
    const window = (b0 << 16) | (b1 << 8) | b2;
    const code = (window >>> (24 - (bitPos & 7) - nbits)) & ((1 << nbits) - 1);
    bitPos += nbits;

    if (code === CLEAR) {
      nbits = 9;
      nextCode = FIRST_FREE;
      prev = -1;
      continue;
    }
    if (code === EOI) break;

    if (prev === -1) {
      // First code after a clear must be a literal byte.
      if (code > 255) throw new LzwError(`invalid code ${code} after ClearCode at bit ${bitPos - nbits}`);
      out[pos++] = code;
      prev = code;
      continue;
    }

    let entry: number;
    if (code < nextCode) {
      entry = code;
      if (nextCode < TABLE_SIZE) {
        prefix[nextCode] = prev;
        suffix[nextCode] = first[code]!;
        first[nextCode] = first[prev]!;
        length[nextCode] = length[prev]! + 1;
        nextCode++;
      }
    } else if (code === nextCode && nextCode < TABLE_SIZE) {
      // The KwKwK case: the code being defined is the string of prev plus prev's first byte.
      prefix[nextCode] = prev;
      suffix[nextCode] = first[prev]!;
      first[nextCode] = first[prev]!;
      length[nextCode] = length[prev]! + 1;
      entry = nextCode;
      nextCode++;
    } else {
      throw new LzwError(`invalid code ${code} (next free code ${nextCode}) at bit ${bitPos - nbits}`);
    }

    // Write the string back to front, clipping whatever falls past the end of the block.
    const len = length[entry]!;
    let p = pos + len - 1;
    let c = entry;
    while (c >= FIRST_FREE) {
      if (p < expectedBytes) out[p] = suffix[c]!;
      p--;
      c = prefix[c]!;
    }
    if (p < expectedBytes) out[p] = c;
    pos += len;
    prev = code;

    // Early change: the width grows when the next free code reaches 2^nbits - 1 (511, 1023, 2047).
    if (nextCode >= (1 << nbits) - 1 && nbits < 12) nbits++;
  }

  if (pos < expectedBytes) {
    throw new LzwError(`stream ended after ${pos} of ${expectedBytes} bytes`);
  }
  return out;
}
