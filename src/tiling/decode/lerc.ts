/**
 * LERC blocks (Compression 34887) through Esri's `lerc` package (LERC decoder compiled to
 * WebAssembly). The optional deflate/zstd wrapper named by LercParameters is removed by the caller.
 *
 * How GDAL/libtiff write LERC into TIFF: one LERC2 blob per block, with the samples of a pixel
 * either as LERC "depth" values (nDepth = samplesPerPixel, one band) or, since libtiff 4.5 for
 * some multi-sample data, as separate LERC bands (nBands = samplesPerPixel) each with its own
 * mask. Both shapes are turned into pixel-interleaved samples here.
 */
import type * as LercModule from 'lerc';
import type { BlockLayout, DecodedBlock, SampleArray } from './types.js';
import { blockSampleCount } from './samples.js';

export class LercBlockError extends Error {}

type Lerc = typeof LercModule;

const lercTypeBySample: Record<string, string> = {
  '1/8': 'U8',
  '2/8': 'S8',
  '1/16': 'U16',
  '2/16': 'S16',
  '1/32': 'U32',
  '2/32': 'S32',
  '3/32': 'F32',
  '3/64': 'F64',
};

export function lercSupports(layout: BlockLayout): boolean {
  return `${layout.sampleFormat}/${layout.bitsPerSample}` in lercTypeBySample;
}

function allocate(layout: BlockLayout, n: number): SampleArray {
  switch (lercTypeBySample[`${layout.sampleFormat}/${layout.bitsPerSample}`]) {
    case 'U8':
      return new Uint8Array(n);
    case 'S8':
      return new Int8Array(n);
    case 'U16':
      return new Uint16Array(n);
    case 'S16':
      return new Int16Array(n);
    case 'U32':
      return new Uint32Array(n);
    case 'S32':
      return new Int32Array(n);
    case 'F32':
      return new Float32Array(n);
    default:
      return new Float64Array(n);
  }
}

/**
 * Decode one LERC blob into pixel-interleaved samples of the layout's type, plus the validity
 * mask (see DecodedBlock): invalid samples are NaN for floats (as libtiff fills them) and 0 for
 * integers.
 *
 * Known oddity: libtiff 4.5 writes NaN samples of a multi-sample float pixel whose other samples
 * are valid as -FLT_MAX inside a valid pixel; they are returned as stored (GDAL 3.6 itself fails
 * to read such blocks).
 */
export function decodeLercBlob(lerc: Lerc, blob: Uint8Array, layout: BlockLayout): DecodedBlock {
  const spp = layout.samplesPerPixel;
  const pixelCount = layout.width * layout.height;
  let result: LercModule.LercData;
  try {
    result = lerc.decode(blob, { returnInterleaved: true });
  } catch (error) {
    throw new LercBlockError(error instanceof Error ? error.message : String(error));
  }
  if (result.width !== layout.width || result.height !== layout.height) {
    throw new LercBlockError(
      `blob is ${result.width}x${result.height}, block is ${layout.width}x${layout.height}`,
    );
  }
  const bandCount = result.pixels.length;
  const depth = result.depthCount || 1;
  const samples = allocate(layout, blockSampleCount(layout));
  const isFloat = layout.sampleFormat === 3;

  if (bandCount === 1 && depth === spp) {
    // Depth values were returned pixel-interleaved: exactly TIFF's chunky order.
    copyInto(samples, result.pixels[0]!, 0, 1, pixelCount * spp);
  } else if (depth === 1 && bandCount === spp) {
    for (let band = 0; band < spp; band++) copyInto(samples, result.pixels[band]!, band, spp, pixelCount);
  } else {
    throw new LercBlockError(
      `blob has ${bandCount} band(s) of depth ${depth}, block has ${spp} sample(s) per pixel`,
    );
  }

  // One mask for the whole pixel (depth layout, or a single band), or one per band (band layout).
  // Invalid samples get the fill value; a pixel is reported valid only if valid in every mask.
  const fill = isFloat ? NaN : 0;
  const perBand = depth === 1 && bandCount === spp && result.bandMasks && result.bandMasks.length === spp;
  const masks: (Uint8Array | null | undefined)[] = perBand ? result.bandMasks! : [result.mask];
  let validMask: Uint8Array | undefined;
  masks.forEach((mask, band) => {
    if (!mask) return;
    for (let p = 0; p < pixelCount; p++) {
      if (mask[p] !== 0) continue;
      validMask ??= new Uint8Array(pixelCount).fill(1);
      validMask[p] = 0;
      if (perBand) samples[p * spp + band] = fill;
      else samples.fill(fill, p * spp, p * spp + spp);
    }
  });
  return validMask ? { samples, validMask } : { samples };
}

/** Copy `count` values from `source` into `target[offset + i*stride]`, converting type if needed. */
function copyInto(target: SampleArray, source: ArrayLike<number>, offset: number, stride: number, count: number): void {
  if (stride === 1 && offset === 0 && source.constructor === target.constructor) {
    target.set(source as SampleArray);
    return;
  }
  for (let i = 0; i < count; i++) target[offset + i * stride] = source[i]!;
}
