/**
 * The optional native kernels (native/, an N-API addon in C built by scripts/build-native.mjs).
 * They are twins of the hottest per-pixel loops (warp/kernels.ts, style/style.ts, png.ts,
 * encode.ts, coords.ts) with the same arithmetic, so tiles are byte-identical either way; the TypeScript loops stay the reference and the fallback
 * (no compiler at install time, an unsupported case, or `engine.nativeKernels` false).
 */
import { createRequire } from 'node:module';

export interface NativeKernels {
  /**
   * Runs one kernel call; false when this case is not handled natively. `params`:
   * tw, winX, winY, W, H, dstX, dstY, dstW, dstH, isInt, lo, hi, scaleX, scaleY, masked.
   */
  warp(
    mode: number, src: readonly ArrayBufferView[], out: readonly ArrayBufferView[], alpha: Uint8Array,
    cx: Float64Array, cy: Float64Array, params: Float64Array,
    all: Uint8Array | undefined, unified: Uint8Array | undefined, density: Float32Array | undefined,
    band: readonly (Uint8Array | undefined)[] | undefined,
  ): boolean;
  /** style.ts: one band into RGBA channel `channel` (or RGB through `palette`); false for an unsupported case. */
  styleBand(
    out: Uint8Array, channel: number, src: ArrayBufferView, lut: Uint8Array | undefined, offset: number,
    lo: number, span: number, palette: Uint8Array | undefined,
  ): boolean;
  /** style.ts: alpha into channel 3, transparent black where it is 0. */
  styleAlpha(out: Uint8Array, alpha: Uint8Array): void;
  /** png.ts: the Up filter of every row, alpha dropped when `channels` is 3. */
  pngFilterUp(rgba: Uint8Array, width: number, height: number, channels: 3 | 4, filtered: Uint8Array): void;
  /** encode.ts: every alpha byte is 255. */
  rgbaOpaque(rgba: Uint8Array): boolean;
  /** coords.ts: bilinear interpolation of one cell (corners tl, tr, bl, br as x,y pairs) into the pixels not done exactly. */
  interpolateCell(xs: Float64Array, ys: Float64Array, exactDone: Uint8Array, width: number, c0: number, c1: number, r0: number, r1: number, corners: Float64Array): void;
  /** coords.ts: the affine coordinate map. */
  affineCoords(width: number, height: number, dst: Float64Array, srcInverse: Float64Array, xs: Float64Array, ys: Float64Array): void;
}

/** Kernel modes of native/kernels.h. */
export const NativeMode = { nearest: 0, bilinear4: 1, genericBilinear: 2, genericCubic: 3 } as const;

/** Native kernel calls per mode in this thread (shows which loops ran natively). */
export const nativeRuns: number[] = [0, 0, 0, 0];

function load(): { kernels: NativeKernels | undefined; status: string } {
  const path = new URL('../../../native/build/Release/tilewright_native.node', import.meta.url);
  try {
    const kernels = createRequire(import.meta.url)(path.pathname) as NativeKernels;
    return { kernels, status: 'native' };
  } catch (err) {
    return { kernels: undefined, status: `typescript (native addon not loaded: ${(err as Error).message.split('\n')[0]})` };
  }
}

const loaded = load();
let enabled = true;

/** The native kernels, or undefined when the TypeScript kernels are to be used. */
export function nativeKernels(): NativeKernels | undefined {
  return enabled ? loaded.kernels : undefined;
}

/** Which kernels this thread uses, for the start-up log and the benchmark. */
export function kernelImplementation(): string {
  return enabled ? loaded.status : 'typescript (native kernels switched off: engine.nativeKernels)';
}

/** Switches the native kernels off and on in this thread (tests compare both implementations). */
export function setNativeKernels(on: boolean): void {
  enabled = on;
}
