import { InvalidParameterError } from '../../errors.js';
import type { SampleArray } from '../decode/types.js';
import type { BandStatistics } from '../cog/metadata.js';
import type { DataType } from '../cog/types.js';
import { colormapNames, getColormap } from './colormaps.js';
import { nativeKernels } from '../native.js';
import { take } from '../scratch.js';

/** How raw values become colours (all optional; defaults depend on the data). */
export interface StyleParams {
  /** 1-based band numbers: one (grey or colour map) or three (RGB). */
  bands?: readonly number[];
  /** [min, max] per selected band; one pair applies to every band. */
  rescale?: readonly (readonly [number, number])[];
  /** Colour map name for single-band output (see colormaps.ts), e.g. "viridis". */
  colormap?: string;
}

/** Warped raw values of one tile: colour bands (alpha excluded) and the validity alpha. */
export interface RasterTile {
  width: number;
  height: number;
  dataType: DataType;
  bands: SampleArray[];
  /** 0 = no data, 255 = fully valid. */
  alpha: Uint8Array;
}

/** Validates style parameters against a source's band count; throws InvalidParameterError. */
export function checkStyle(style: StyleParams, bandCount: number): void {
  if (style.bands) {
    if (style.bands.length !== 1 && style.bands.length !== 3) {
      throw new InvalidParameterError('bands', `bands must list 1 or 3 band numbers, got ${style.bands.length}`);
    }
    for (const b of style.bands) {
      if (!Number.isInteger(b) || b < 1 || b > bandCount) {
        throw new InvalidParameterError('bands', `band ${b} does not exist (the source has ${bandCount} band${bandCount === 1 ? '' : 's'})`);
      }
    }
  }
  if (style.rescale) {
    const n = style.bands?.length ?? Math.min(bandCount >= 3 ? 3 : 1, bandCount);
    if (style.rescale.length !== 1 && style.rescale.length !== n) {
      throw new InvalidParameterError('rescale', n === 1
        ? `rescale needs one min,max pair, got ${style.rescale.length}`
        : `rescale needs 1 or ${n} min,max pairs, got ${style.rescale.length}`);
    }
    for (const [lo, hi] of style.rescale) {
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo === hi) {
        throw new InvalidParameterError('rescale', `rescale range ${lo},${hi} must be two different finite numbers`);
      }
    }
  }
  if (style.colormap !== undefined) {
    if (!getColormap(style.colormap)) {
      throw new InvalidParameterError('colormap', `unknown colormap "${style.colormap}" (known: ${colormapNames.join(', ')})`);
    }
    if ((style.bands?.length ?? (bandCount >= 3 ? 3 : 1)) !== 1) {
      throw new InvalidParameterError('colormap', 'a colormap applies to one band: add bands=N');
    }
  }
}

/**
 * Turns raw values into RGBA bytes: band selection, then a linear rescale of each band to
 * 0..255 (explicit ranges, else the file's statistics, else none for 8-bit data), then a
 * colour map for single-band output. The alpha channel is the warp's validity.
 */
export function applyStyle(tile: RasterTile, style: StyleParams, statistics: readonly (BandStatistics | undefined)[]): Uint8Array {
  const n = tile.width * tile.height;
  const count = tile.bands.length;
  const selected = style.bands?.map((b) => b - 1) ?? (count >= 3 ? [0, 1, 2] : [0]);
  const ranges = selected.map((b, i) => style.rescale?.[style.rescale.length === 1 ? 0 : i]
    ?? defaultRange(tile.dataType, statistics[b]));
  // Every byte is written: R, G, B by the selected band(s) (one band through a palette fills all three), A by the alpha.
  const out = take(Uint8Array, n * 4);
  const alpha = tile.alpha;
  const cmap = selected.length === 1 && style.colormap ? getColormap(style.colormap)! : undefined;
  const fast = nativeKernels();
  for (let k = 0; k < selected.length; k++) {
    const src = tile.bands[selected[k]!]!;
    const range = ranges[k];
    const lo = range ? range[0] : 0;
    const span = range ? range[1] - range[0] : 255;
    const scale = (v: number) => {
      const s = ((v - lo) * 255) / span;
      return s !== s ? 0 : s < 0 ? 0 : s > 255 ? 255 : Math.round(s);
    };
    // Integer data of up to 16 bits goes through a lookup table (one entry per possible value).
    const offset = tile.dataType === 'int8' ? 128 : tile.dataType === 'int16' ? 32768 : 0;
    const size = tile.dataType === 'uint8' || tile.dataType === 'int8' ? 256 : tile.dataType === 'uint16' || tile.dataType === 'int16' ? 65536 : 0;
    const lut = size ? Uint8Array.from({ length: size }, (_, v) => scale(v - offset)) : undefined;
    // One grey or colour-mapped band fills R, G and B; otherwise band k fills channel k.
    const palette = selected.length === 1 ? cmap ?? GREY : undefined;
    if (fast?.styleBand(out, k, src, lut, offset, lo, span, palette)) continue;
    if (lut && !palette) {
      for (let i = 0, o = k; i < n; i++, o += 4) out[o] = lut[src[i]! + offset]!;
    } else if (!palette) {
      for (let i = 0, o = k; i < n; i++, o += 4) out[o] = scale(src[i]!);
    } else {
      for (let i = 0, o = 0; i < n; i++, o += 4) {
        const v = 4 * (lut ? lut[src[i]! + offset]! : scale(src[i]!));
        out[o] = palette[v]!; out[o + 1] = palette[v + 1]!; out[o + 2] = palette[v + 2]!;
      }
    }
  }
  // Pixels without data are transparent black (JPEG, which drops alpha, shows them black).
  if (fast) {
    fast.styleAlpha(out, alpha);
    return out;
  }
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    const a = alpha[i]!;
    out[o + 3] = a;
    if (a === 0) out[o] = out[o + 1] = out[o + 2] = 0;
  }
  return out;
}

const GREY = getColormap('gray')!;

/** 8-bit data is shown as is; other types need a range: the stored/computed statistics. */
function defaultRange(dataType: DataType, stats: BandStatistics | undefined): readonly [number, number] | undefined {
  if (dataType === 'uint8') return undefined;
  if (stats && stats.maximum > stats.minimum) return [stats.minimum, stats.maximum];
  if (dataType === 'int8') return [-128, 127];
  if (dataType === 'uint16') return [0, 65535];
  if (dataType === 'int16') return [-32768, 32767];
  return [0, 1];
}
