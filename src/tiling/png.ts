/**
 * A minimal PNG writer (8-bit RGB/RGBA, one IDAT) on node:zlib.
 *
 * Written here because sharp/libvips costs ~1.3 ms per PNG before compressing a byte (its
 * pipeline set-up), which is most of a 256-pixel tile's encoding time. With the "Up" row
 * filter and zlib's run-length strategy, a tile comes out about as small as libvips' PNG with
 * adaptive filtering in a third of the time (bench tiles: 68 kB in 1.1 ms vs 64.6 kB in 3.6 ms).
 * Format: PNG specification (ISO/IEC 15948), §5 datastream, §9 filtering, §11.2 IHDR.
 */
import { isMainThread } from 'node:worker_threads';
import { crc32, deflate, deflateSync, constants } from 'node:zlib';
import { promisify } from 'node:util';
import { nativeKernels } from './native.js';
import { recycle, take } from './scratch.js';

const deflateAsync = promisify(deflate);
const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export interface PngOptions {
  /** zlib level 1..9. */
  level: number;
  /** zlib strategy: run-length (fast, good after the Up filter) or the default. */
  strategy: 'rle' | 'default';
}

/**
 * Encodes RGBA pixels as an RGB (`channels` 3: alpha dropped) or RGBA PNG. Runs zlib
 * synchronously in worker threads (that is their job) and on the thread pool when called on
 * the main thread.
 */
export async function encodePng(rgba: Uint8Array, width: number, height: number, channels: 3 | 4, options: PngOptions): Promise<Uint8Array> {
  const stride = width * channels;
  const filtered = take(Uint8Array, (stride + 1) * height); // every byte is written
  const fast = nativeKernels();
  if (fast) fast.pngFilterUp(rgba, width, height, channels, filtered);
  else filterUp(rgba, width, height, channels, filtered);
  const zopts = { level: options.level, strategy: options.strategy === 'rle' ? constants.Z_RLE : constants.Z_DEFAULT_STRATEGY };
  const idat = isMainThread ? await deflateAsync(filtered, zopts) : deflateSync(filtered, zopts);
  recycle(filtered);

  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 4 ? 6 : 2; // colour type: truecolour with alpha / truecolour
  // compression 0 (deflate), filter method 0, interlace 0 (none)
  const out = new Uint8Array(SIGNATURE.length + chunkSize(13) + chunkSize(idat.length) + chunkSize(0));
  out.set(SIGNATURE, 0);
  let pos = SIGNATURE.length;
  pos = writeChunk(out, pos, 'IHDR', ihdr);
  pos = writeChunk(out, pos, 'IDAT', idat);
  writeChunk(out, pos, 'IEND', new Uint8Array(0));
  return out;
}

/** Filter type 2 ("Up") on every row: each byte minus the byte above (zero above the first row). */
function filterUp(rgba: Uint8Array, width: number, height: number, channels: 3 | 4, filtered: Uint8Array): void {
  const stride = width * channels, srcStride = width * 4;
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1) + 1, r = y * srcStride;
    filtered[o - 1] = 2;
    if (channels === 4) {
      if (y === 0) filtered.set(rgba.subarray(0, srcStride), o);
      else for (let i = 0; i < srcStride; i++) filtered[o + i] = (rgba[r + i]! - rgba[r - srcStride + i]!) & 255;
    } else if (y === 0) {
      for (let x = 0, j = o, i = r; x < width; x++, j += 3, i += 4) {
        filtered[j] = rgba[i]!; filtered[j + 1] = rgba[i + 1]!; filtered[j + 2] = rgba[i + 2]!;
      }
    } else {
      for (let x = 0, j = o, i = r; x < width; x++, j += 3, i += 4) {
        filtered[j] = (rgba[i]! - rgba[i - srcStride]!) & 255;
        filtered[j + 1] = (rgba[i + 1]! - rgba[i + 1 - srcStride]!) & 255;
        filtered[j + 2] = (rgba[i + 2]! - rgba[i + 2 - srcStride]!) & 255;
      }
    }
  }
}

function chunkSize(n: number): number {
  return 12 + n;
}

/** Length, type, data, CRC-32 of type + data (PNG §5.3). */
function writeChunk(out: Uint8Array, pos: number, type: string, data: Uint8Array): number {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setUint32(pos, data.length);
  for (let i = 0; i < 4; i++) out[pos + 4 + i] = type.charCodeAt(i);
  out.set(data, pos + 8);
  dv.setUint32(pos + 8 + data.length, crc32(out.subarray(pos + 4, pos + 8 + data.length)));
  return pos + 12 + data.length;
}
