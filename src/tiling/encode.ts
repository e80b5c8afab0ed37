import sharp from 'sharp';
import { InvalidParameterError } from '../errors.js';
import { encodePng } from './png.js';
import { nativeKernels } from './native.js';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export const contentTypes: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

export interface EncodeOptions {
  /** JPEG/WebP quality 1..100 (default 85). */
  quality?: number;
  /**
   * PNG encoder: 'fast' (default) is png.ts — Up filter + zlib run-length, ~1 ms per 256 px
   * tile; 'small' is libvips with adaptive row filters at zlib level 6, ~5–10% smaller tiles
   * for 3–5x the time (worth it when tiles are cached and bandwidth is what counts).
   */
  png?: 'fast' | 'small';
}

export function parseFormat(value: string): ImageFormat {
  const v = value.toLowerCase().replace(/^image\//, '');
  if (v === 'png') return 'png';
  if (v === 'jpg' || v === 'jpeg') return 'jpeg';
  if (v === 'webp') return 'webp';
  throw new InvalidParameterError('format', `unsupported image format "${value}" (png, jpeg or webp)`);
}

/**
 * Encodes RGBA pixels with sharp (libvips; runs on libuv's thread pool, not the event
 * loop). Fully opaque PNG/WebP tiles drop the alpha channel (smaller files); JPEG has no
 * alpha, so pixels without data come out black.
 */
export async function encodeRgba(rgba: Uint8Array, width: number, height: number, format: ImageFormat, options: EncodeOptions = {}): Promise<Uint8Array> {
  const fast = nativeKernels();
  let opaque = true;
  if (fast) opaque = fast.rgbaOpaque(rgba);
  else for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) { opaque = false; break; }
  const channels = opaque || format === 'jpeg' ? 3 : 4;
  // The PNG writer drops the alpha channel itself, while filtering (one pass less).
  if (format === 'png' && options.png !== 'small') return encodePng(rgba, width, height, channels, { level: 1, strategy: 'rle' });
  let pixels = rgba;
  if (channels === 3) {
    pixels = new Uint8Array(width * height * 3);
    for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
      pixels[j] = rgba[i]!; pixels[j + 1] = rgba[i + 1]!; pixels[j + 2] = rgba[i + 2]!;
    }
  }
  const img = sharp(pixels, { raw: { width, height, channels } });
  const quality = options.quality ?? 85;
  const out = format === 'png'
    ? img.png({ compressionLevel: 6, adaptiveFiltering: true })
    : format === 'jpeg' ? img.jpeg({ quality, mozjpeg: false }) : img.webp({ quality, alphaQuality: 100 });
  const buf = await out.toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

const blanks = new Map<string, Promise<Uint8Array>>();

/**
 * The fixed "no data here" tile of a format and size (transparent for PNG/WebP, black for
 * JPEG), encoded once per process. Callers get their own copy (results may be transferred
 * to another thread, which would detach a shared buffer).
 */
export async function blankTile(format: ImageFormat, width: number, height: number): Promise<Uint8Array> {
  const key = `${format}:${width}x${height}`;
  let p = blanks.get(key);
  if (!p) {
    p = encodeRgba(new Uint8Array(width * height * 4), width, height, format);
    blanks.set(key, p);
    p.catch(() => blanks.delete(key));
  }
  return (await p).slice();
}
