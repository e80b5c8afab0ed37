/**
 * WMTS 1.0 (OGC 07-057r7) formats: the MIME types of `Format` (tiles, §7.2.4.6.4) and
 * `InfoFormat` (GetFeatureInfo, §7.2.4.6.5), and the file extensions the RESTful binding uses
 * for them in ResourceURL templates (§10.2.1: the template ends in an extension that
 * "indicates the format").
 */
import type { ImageFormat } from '../../tiling/encode.js';

export const IMAGE_MIME: Readonly<Record<ImageFormat, string>> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/** Extensions of the RESTful tile URLs: the first of each format is the one templates use. */
const IMAGE_EXTENSIONS: Readonly<Record<ImageFormat, readonly string[]>> = { png: ['png'], jpeg: ['jpg', 'jpeg'], webp: ['webp'] };

export type InfoFormat = 'text/plain' | 'text/html' | 'application/json' | 'application/xml';

/** Offered in this order; the extension is the RESTful FeatureInfo URL's. */
export const INFO_FORMATS: readonly { mime: InfoFormat; ext: string }[] = [
  { mime: 'text/plain', ext: 'txt' },
  { mime: 'text/html', ext: 'html' },
  { mime: 'application/json', ext: 'json' },
  { mime: 'application/xml', ext: 'xml' },
];

/** The image format of a `Format` value (case-sensitive, as every KVP value), or undefined. */
export function imageFormatOfMime(mime: string): ImageFormat | undefined {
  return (Object.keys(IMAGE_MIME) as ImageFormat[]).find((f) => IMAGE_MIME[f] === mime);
}

export function imageExtension(format: ImageFormat): string {
  return IMAGE_EXTENSIONS[format][0]!;
}

/** The image format of a RESTful tile URL's extension ("png", "jpg", "jpeg", "webp"), or undefined. */
export function imageFormatOfExtension(ext: string): ImageFormat | undefined {
  return (Object.keys(IMAGE_EXTENSIONS) as ImageFormat[]).find((f) => IMAGE_EXTENSIONS[f].includes(ext));
}

export function infoFormatOfMime(mime: string): InfoFormat | undefined {
  return INFO_FORMATS.find((f) => f.mime === mime)?.mime;
}

export function infoFormatOfExtension(ext: string): InfoFormat | undefined {
  return INFO_FORMATS.find((f) => f.ext === ext)?.mime;
}
