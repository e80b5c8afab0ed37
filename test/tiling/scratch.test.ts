/**
 * Recycled per-tile buffers (src/tiling/scratch.ts): arrays come back zero-filled, views and
 * shared memory are never kept, the free lists are bounded; and an engine that recycles gives
 * every tile the same bytes as a fresh render (no stale pixels from the tile before).
 */
import { expect } from 'chai';
import { createDefaultRegistry } from '../../src/tilematrixsets/index.js';
import { Engine, type TileJob } from '../../src/tiling/engine.js';
import { recycle, take, takeZeroed } from '../../src/tiling/scratch.js';
import { CORPUS } from '../helpers/services.js';

describe('scratch buffers', () => {
  it('hands a recycled array back zero-filled, by type and length', () => {
    const a = takeZeroed(Float64Array, 1000);
    a.fill(7);
    recycle(a);
    const b = takeZeroed(Float64Array, 1000);
    expect(b).to.equal(a);
    expect(b.every((v) => v === 0)).to.equal(true);
    expect(takeZeroed(Float64Array, 1000)).to.not.equal(a); // taken: the next one is new
    recycle(b);
    expect(takeZeroed(Float32Array, 1000)).to.be.instanceOf(Float32Array); // another type: new
    expect(takeZeroed(Float64Array, 999)).to.have.length(999);
    takeZeroed(Float64Array, 1000); // drain
  });

  it('take() hands a recycled array back as it is (for callers that write every element)', () => {
    const a = take(Uint16Array, 321);
    a.fill(9);
    recycle(a);
    const b = take(Uint16Array, 321);
    expect(b).to.equal(a);
    expect(b[0]).to.equal(9);
  });

  it('keeps neither views of a larger buffer nor shared memory, nor the same array twice', () => {
    const big = new Uint8Array(4096);
    const view = big.subarray(0, 2048);
    recycle(view);
    expect(takeZeroed(Uint8Array, 2048)).to.not.equal(view);
    const shared = new Uint8Array(new SharedArrayBuffer(512));
    recycle(shared);
    expect(takeZeroed(Uint8Array, 512)).to.not.equal(shared);
    const a = new Uint8Array(333);
    recycle(a, a);
    expect(takeZeroed(Uint8Array, 333)).to.equal(a);
    expect(takeZeroed(Uint8Array, 333)).to.not.equal(a);
  });

  it('bounds each free list', () => {
    const arrays = Array.from({ length: 20 }, () => new Int16Array(77));
    recycle(...arrays);
    const back = new Set(Array.from({ length: 20 }, () => takeZeroed(Int16Array, 77)));
    expect(arrays.filter((a) => back.has(a)).length).to.be.within(1, 8);
  });

  it('an engine that recycles renders every tile as a fresh engine does', async () => {
    const tms = createDefaultRegistry().get('WebMercatorQuad');
    // Nodata collars and edges (the zero-initialised parts of a tile matter), mixed sizes and types.
    const jobs: TileJob[] = [
      { sources: [`${CORPUS}RGB.byte.tif`], tileMatrixSet: tms, tile: { tileMatrix: '8', row: 109, col: 72 }, resampling: 'bilinear', style: {}, format: 'png' },
      { sources: [`${CORPUS}RGB.byte.tif`], tileMatrixSet: tms, tile: { tileMatrix: '10', row: 439, col: 290 }, resampling: 'nearest', style: {}, format: 'png' },
      { sources: [`${CORPUS}cog_nodata.tif`], tileMatrixSet: tms, tile: { tileMatrix: '6', row: 12, col: 22 }, resampling: 'cubic', style: {}, format: 'png', tileSize: 512 },
      { sources: [`${CORPUS}dem.tif`], tileMatrixSet: tms, tile: { tileMatrix: '17', row: 46669, col: 68118 }, resampling: 'bilinear', style: { rescale: [[1600, 2020]], colormap: 'terrain' }, format: 'png' },
    ];
    const fresh: (Buffer | string)[] = [];
    for (const job of jobs) {
      const engine = new Engine();
      const r = await engine.renderTile(job);
      fresh.push(r.kind === 'image' ? Buffer.from(r.bytes) : r.kind);
      await engine.close();
    }
    expect(fresh.filter((f) => typeof f !== 'string').length, 'tiles with data').to.be.greaterThan(2);
    const engine = new Engine();
    for (let round = 0; round < 3; round++) {
      for (const [i, job] of [...jobs.entries()].reverse()) {
        const r = await engine.renderTile(job);
        const got = r.kind === 'image' ? Buffer.from(r.bytes) : r.kind;
        expect(typeof got === 'string' ? got : got.equals(fresh[i] as Buffer), `tile ${i}, round ${round}`).to.equal(typeof fresh[i] === 'string' ? fresh[i] : true);
      }
    }
    await engine.close();
  });
});
