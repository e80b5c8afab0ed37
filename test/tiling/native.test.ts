/**
 * The native kernels (native/, C) against their TypeScript twins (warp/kernels.ts): every
 * corpus file, tiles at several zooms in two tile matrix sets (interior and edge tiles, see
 * test/accuracy/tiles.ts), at 256 px and at 173 px (a scale below 0.95 takes the widened
 * kernels), nearest/bilinear/cubic: the warped bands and alpha must be identical bit for bit;
 * and the encoded PNG of each tile (styling, opaque check, PNG filter, affine coordinates) must
 * be identical byte for byte, with the default style and, for single-band files, a rescale
 * with a colour map.
 * Also: the glue refuses malformed arguments with a TypeError instead of reading memory.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { createDefaultRegistry } from '../../src/tilematrixsets/index.js';
import { Engine } from '../../src/tiling/engine.js';
import { kernelImplementation, nativeKernels, nativeRuns, NativeMode, setNativeKernels } from '../../src/tiling/native.js';
import type { Resampling } from '../../src/tiling/warp/plan.js';
import type { StyleParams } from '../../src/tiling/style/style.js';
import type { RasterTile } from '../../src/tiling/style/style.js';
import { CORPUS } from '../helpers/services.js';
import { dataAnchor, selectTiles } from '../accuracy/tiles.js';

const METHODS: Resampling[] = ['nearest', 'bilinear', 'cubic'];
const SIZES = [256, 173];
const files = readdirSync(CORPUS).filter((f) => /\.tiff?$/.test(f) && f !== 'cog_gcps_ovr.tif').sort();

function bytesOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** First difference between two rasters, or undefined when they are identical. */
function difference(a: RasterTile | undefined, b: RasterTile | undefined): string | undefined {
  if (!a || !b) return a === b ? undefined : `one result is empty (native ${a ? 'has data' : 'empty'})`;
  if (a.bands.length !== b.bands.length) return 'band counts differ';
  if (!bytesOf(a.alpha).equals(bytesOf(b.alpha))) return 'alpha differs';
  for (let k = 0; k < a.bands.length; k++) {
    const x = bytesOf(a.bands[k]!), y = bytesOf(b.bands[k]!);
    if (!x.equals(y)) {
      const i = x.findIndex((v, j) => v !== y[j]);
      return `band ${k + 1} differs from byte ${i}`;
    }
  }
  return undefined;
}

/** A rescale range inside the type's values (a real range for the colour map test). */
function cogLo(t: string): number {
  return t === 'int8' ? -50 : t.startsWith('int') ? -100 : t.startsWith('float') ? -10 : 10;
}
function cogHi(t: string): number {
  return t === 'uint8' || t === 'int8' ? 100 : t.startsWith('float') ? 300 : 1000;
}

describe('native kernels (C) equal the TypeScript kernels', function () {
  this.timeout(300_000);
  const engine = new Engine({ maxError: 0.01 });
  const registry = createDefaultRegistry();
  let compared = 0;
  let encoded = 0;

  before(function () {
    if (nativeKernels()) return;
    const why = `native kernels not loaded: ${kernelImplementation()}`;
    if (process.env['CI'] === 'true') throw new Error(`${why} (CI builds them: TILEWRIGHT_NATIVE_REQUIRED=1 in .ci/run)`);
    console.warn(`\n  *** SKIP: ${why} ***\n`);
    this.skip();
  });
  after(async () => {
    setNativeKernels(true);
    await engine.close();
  });

  for (const file of files) {
    it(file, async () => {
      const path = CORPUS + file;
      const { cog } = await engine.open(path);
      const anchor = await dataAnchor(engine, path);
      const failures: string[] = [];
      for (const tms of [registry.get('WebMercatorQuad'), registry.get('WorldCRS84Quad')]) {
        for (const { tile } of selectTiles(cog, tms, anchor)) {
          for (const size of SIZES) {
            const grid = engine.tileGrid(tms, tile, size);
            for (const method of METHODS) {
              setNativeKernels(true);
              const before = nativeRuns.reduce((s, v) => s + v, 0);
              const fast = await engine.warp([path], grid, method);
              const ranNative = nativeRuns.reduce((s, v) => s + v, 0) > before;
              setNativeKernels(false);
              const reference = await engine.warp([path], grid, method);
              const diff = difference(fast, reference);
              if (diff) failures.push(`${tms.id} ${tile.tileMatrix}/${tile.row}/${tile.col} ${size}px ${method}: ${diff}`);
              if (ranNative) compared++;
            }
          }
          const styles: StyleParams[] = [{}];
          if (cog.sampleCount === 1 && !cog.colorMap) styles.push({ rescale: [[cogLo(cog.dataType), cogHi(cog.dataType)]], colormap: 'viridis' });
          for (const style of styles) {
            const job = { sources: [path], tileMatrixSet: tms, tile, resampling: 'bilinear' as const, style, format: 'png' as const };
            setNativeKernels(true);
            const fast = await engine.renderTile(job);
            setNativeKernels(false);
            const reference = await engine.renderTile(job);
            const same = fast.kind === reference.kind && (fast.kind !== 'image' || reference.kind !== 'image' || Buffer.from(fast.bytes).equals(Buffer.from(reference.bytes)));
            if (!same) failures.push(`${tms.id} ${tile.tileMatrix}/${tile.row}/${tile.col} PNG ${JSON.stringify(style)}: encoded tiles differ`);
            if (fast.kind === 'image') encoded++;
          }
        }
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });
  }

  it('ran every native mode on the corpus', () => {
    expect(compared).to.be.greaterThan(100);
    expect(encoded).to.be.greaterThan(50);
    for (const [name, mode] of Object.entries(NativeMode)) expect(nativeRuns[mode], `native ${name} calls`).to.be.greaterThan(0);
  });

  it('refuses malformed arguments with a TypeError', () => {
    setNativeKernels(true);
    const n = nativeKernels()!;
    const tile = 4, win = 4;
    const params = Float64Array.of(2, 0, 0, 2, 2, 0, 0, 2, 2, 1, 0, 255, 1, 1, 0);
    const ok = () => n.warp(1, [new Uint8Array(win)], [new Uint8Array(tile)], new Uint8Array(tile), new Float64Array(tile), new Float64Array(tile), params, undefined, undefined, undefined, undefined);
    expect(ok()).to.equal(true);
    // A source band shorter than the window, an output shorter than the tile, a rectangle outside the tile, wrong params.
    expect(() => n.warp(1, [new Uint8Array(3)], [new Uint8Array(tile)], new Uint8Array(tile), new Float64Array(tile), new Float64Array(tile), params, undefined, undefined, undefined, undefined)).to.throw(TypeError);
    expect(() => n.warp(1, [new Uint8Array(win)], [new Uint8Array(3)], new Uint8Array(tile), new Float64Array(tile), new Float64Array(tile), params, undefined, undefined, undefined, undefined)).to.throw(TypeError);
    const outside = Float64Array.of(2, 0, 0, 2, 2, 0, 1, 2, 2, 1, 0, 255, 1, 1, 0);
    expect(() => n.warp(1, [new Uint8Array(win)], [new Uint8Array(tile)], new Uint8Array(tile), new Float64Array(tile), new Float64Array(tile), outside, undefined, undefined, undefined, undefined)).to.throw(TypeError);
    expect(() => n.warp(1, [new Uint8Array(win)], [new Uint8Array(tile)], new Uint8Array(tile), new Float64Array(tile), new Float64Array(tile), new Float64Array(3), undefined, undefined, undefined, undefined)).to.throw(TypeError);
    // A coordinate-map cell outside the map, a palette too short for 256 entries.
    const xs = new Float64Array(16), ys = new Float64Array(16), done = new Uint8Array(16), corners = new Float64Array(8);
    expect(() => n.interpolateCell(xs, ys, done, 4, 0, 3, 0, 3, corners)).to.not.throw();
    expect(() => n.interpolateCell(xs, ys, done, 4, 0, 4, 0, 3, corners)).to.throw(TypeError);
    expect(() => n.interpolateCell(xs, ys, done, 4, 0, 3, 1, 4, corners)).to.throw(TypeError);
    expect(() => n.styleBand(new Uint8Array(16), 0, new Float32Array(4), undefined, 0, 0, 1, new Uint8Array(100))).to.throw(TypeError);
    // Mixed sample types are not handled natively: the caller falls back to TypeScript.
    expect(n.warp(1, [new Uint8Array(win)], [new Uint16Array(tile)], new Uint8Array(tile), new Float64Array(tile), new Float64Array(tile), params, undefined, undefined, undefined, undefined)).to.equal(false);
  });
});
