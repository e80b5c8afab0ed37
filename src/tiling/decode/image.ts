/**
 * JPEG (Compression 7) and WebP (50001) blocks through sharp (libvips with libjpeg-turbo/mozjpeg
 * and libwebp). sharp keeps its types inside this module: callers get typed samples only.
 */
import sharp from 'sharp';
import type { BlockLayout } from './types.js';

export class ImageCodecError extends Error {}

const SOI = 0xd8;
const EOI = 0xd9;

/**
 * Build a complete JPEG interchange stream for one block (TIFF Technical Note 2): the JPEGTables
 * stream without its EOI, then the block's stream without its SOI.
 *
 * The colour transform is made explicit with an Adobe APP14 marker right after SOI, so that
 * libjpeg does what libtiff tells it to do inside GDAL rather than guess from component ids:
 * - PhotometricInterpretation 6 (YCbCr): transform 1, i.e. YCbCr → RGB by libjpeg, as libtiff's
 *   JPEGCOLORMODE_RGB (GDAL's default) does;
 * - 3 samples in any other photometric (RGB): transform 0, no conversion (libtiff decodes with
 *   jpeg_color_space = JCS_UNKNOWN, leaving samples as stored).
 * One-sample (gray) streams are left alone.
 */
export function assembleJpeg(block: Uint8Array, layout: BlockLayout): Uint8Array {
  if (block.length < 4 || block[0] !== 0xff || block[1] !== SOI) {
    throw new ImageCodecError('block does not start with a JPEG SOI marker');
  }
  let tables = layout.jpegTables;
  if (tables && tables.length >= 4 && tables[0] === 0xff && tables[1] === SOI) {
    const end = tables.length;
    tables = tables[end - 2] === 0xff && tables[end - 1] === EOI ? tables.subarray(2, end - 2) : tables.subarray(2);
  } else {
    tables = undefined;
  }
  const adobe = layout.samplesPerPixel === 3 ? adobeApp14(layout.photometric === 6 ? 1 : 0) : undefined;
  const body = block.subarray(2);
  const out = new Uint8Array(2 + (adobe?.length ?? 0) + (tables?.length ?? 0) + body.length);
  out[0] = 0xff;
  out[1] = SOI;
  let offset = 2;
  if (adobe) {
    out.set(adobe, offset);
    offset += adobe.length;
  }
  if (tables) {
    out.set(tables, offset);
    offset += tables.length;
  }
  out.set(body, offset);
  return out;
}

/** Adobe APP14 segment: "Adobe", version 100, flags 0/0, colour transform (0 none, 1 YCbCr). */
function adobeApp14(transform: 0 | 1): Uint8Array {
  return Uint8Array.of(0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, transform);
}

interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

async function decodeRaw(encoded: Uint8Array, gray: boolean): Promise<RawImage> {
  // failOn 'error': libjpeg warnings (e.g. extraneous bytes) are warnings for GDAL too.
  let pipeline = sharp(encoded, { failOn: 'error', limitInputPixels: false });
  // sharp outputs sRGB unless told otherwise, which would triplicate a one-component JPEG.
  if (gray) pipeline = pipeline.toColourspace('b-w');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
    channels: info.channels,
  };
}

/**
 * Fit the decoded image to the block: JPEG tiles at the image edge are full tile size, and the
 * last JPEG strip may hold only the remaining rows, so the image must be as wide as the block and
 * at least as tall as the rows asked for; extra rows are dropped.
 * Channels are reconciled for WebP: a 4-band block whose WebP has no alpha chunk (libwebp drops an
 * all-opaque alpha) gets alpha 255, as libtiff's WebPDecodeRGBA gives; a 3-band block drops alpha.
 */
function fitToBlock(image: RawImage, layout: BlockLayout): Uint8Array {
  const { width, height, samplesPerPixel: spp } = layout;
  if (image.width !== width || image.height < height) {
    throw new ImageCodecError(`decoded image is ${image.width}x${image.height}, block is ${width}x${height}`);
  }
  const pixels = width * height;
  if (image.channels === spp) {
    return image.channels * pixels === image.data.length ? image.data : image.data.subarray(0, pixels * spp);
  }
  if (spp === 4 && image.channels === 3) {
    const out = new Uint8Array(pixels * 4);
    for (let p = 0, i = 0, o = 0; p < pixels; p++) {
      out[o++] = image.data[i++]!;
      out[o++] = image.data[i++]!;
      out[o++] = image.data[i++]!;
      out[o++] = 255;
    }
    return out;
  }
  if (spp === 3 && image.channels === 4) {
    const out = new Uint8Array(pixels * 3);
    for (let p = 0, i = 0, o = 0; p < pixels; p++, i++) {
      out[o++] = image.data[i++]!;
      out[o++] = image.data[i++]!;
      out[o++] = image.data[i++]!;
    }
    return out;
  }
  throw new ImageCodecError(`decoded image has ${image.channels} channel(s), block has ${spp} sample(s) per pixel`);
}

export async function decodeJpegBlock(block: Uint8Array, layout: BlockLayout): Promise<Uint8Array> {
  const stream = assembleJpeg(block, layout);
  return fitToBlock(await decodeRaw(stream, layout.samplesPerPixel === 1), layout);
}

export async function decodeWebpBlock(block: Uint8Array, layout: BlockLayout): Promise<Uint8Array> {
  return fitToBlock(await decodeRaw(block, false), layout);
}
