/**
 * Which source pixels count, built per read window as gdalwarp does it (GDAL 3.6
 * GDALWarpNoDataMasker / GDALWarpSrcAlphaMasker / per-dataset mask): nodata per band with a
 * pixel invalid only when every band is nodata; NaN nodata; alpha as a density in 0..1;
 * an internal mask only when there is neither alpha nor nodata.
 */
import type { SampleArray } from '../decode/types.js';
import type { DataType } from '../cog/types.js';

export interface Validity {
  /** 1 = the pixel takes part, 0 = it does not (all bands nodata, masked out). */
  unified: Uint8Array | undefined;
  /** Per colour band, when bands carry nodata separately (multi-band nodata). */
  bands: (Uint8Array | undefined)[] | undefined;
  /** Alpha density in [0, 1] (alpha / alpha max). */
  density: Float32Array | undefined;
}

const RANGE: Partial<Record<DataType, [number, number]>> = {
  uint8: [0, 255], int8: [-128, 127], uint16: [0, 65535], int16: [-32768, 32767],
  uint32: [0, 4294967295], int32: [-2147483648, 2147483647],
};
const ALPHA_MAX: Partial<Record<DataType, number>> = { uint8: 255, uint16: 65535, int16: 32767 };
const FLT_EPSILON = 1.1920928955078125e-7;

export interface ValiditySource {
  dataType: DataType;
  nodata: number | undefined;
  /** The alpha band's samples, if the source has one. */
  alpha: SampleArray | undefined;
  /** Internal (TIFF mask IFD) or codec mask: 1 valid, 0 invalid. */
  mask: Uint8Array | undefined;
}

export function buildValidity(colour: readonly SampleArray[], src: ValiditySource): Validity {
  const n = colour[0]?.length ?? 0;
  let density: Float32Array | undefined;
  if (src.alpha) {
    const inv = Math.fround(1 / (ALPHA_MAX[src.dataType] ?? 255));
    density = new Float32Array(n);
    let allOpaque = true;
    for (let i = 0; i < n; i++) {
      const d = Math.min(1, Math.fround(src.alpha[i]! * inv));
      density[i] = d;
      if (d < 1) allOpaque = false;
    }
    if (allOpaque) density = undefined;
  }

  let unified: Uint8Array | undefined;
  let bands: (Uint8Array | undefined)[] | undefined;
  if (src.nodata !== undefined) {
    const masks = colour.map((band) => nodataMask(band, src.nodata!, src.dataType));
    if (masks.some((m) => m !== undefined)) {
      if (colour.length === 1) {
        unified = masks[0];
      } else {
        unified = new Uint8Array(n);
        for (const m of masks) {
          if (!m) { unified.fill(1); break; }
          for (let i = 0; i < n; i++) unified[i] |= m[i]!;
        }
        bands = masks;
      }
    }
  } else if (!src.alpha && src.mask) {
    unified = src.mask;
  }
  return { unified, bands, density };
}

/** 1 where the value is not nodata; undefined when no pixel of the window is nodata. */
function nodataMask(band: SampleArray, nodata: number, dataType: DataType): Uint8Array | undefined {
  const n = band.length;
  const out = new Uint8Array(n);
  let any = false;
  const range = RANGE[dataType];
  if (range) {
    const nd = Math.floor(nodata + 1e-6);
    if (!Number.isFinite(nodata) || nd < range[0] || nd > range[1]) return undefined;
    for (let i = 0; i < n; i++) {
      if (band[i] === nd) any = true;
      else out[i] = 1;
    }
  } else if (Number.isNaN(nodata)) {
    for (let i = 0; i < n; i++) {
      const v = band[i]!;
      if (v !== v) any = true;
      else out[i] = 1;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = band[i]!;
      if (v === nodata || Math.abs(v - nodata) < FLT_EPSILON * Math.abs(v + nodata) * 2) any = true;
      else out[i] = 1;
    }
  }
  return any ? out : undefined;
}
