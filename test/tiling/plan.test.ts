/**
 * Read planning (src/tiling/warp/plan.ts) is pure: overview choice, source windows, chunk
 * lists and the plan of a real tile are asserted field by field.
 *
 * Expected values are derived by hand from the gdalwarp rules in notes/gdal-warp.md §1–2
 * (the derivation is written next to each row), from the empirical overview table of that
 * note, and, where gdalwarp is installed, from GDAL's own `CPL_DEBUG` output
 * ("Selecting overview level N", "Src=x,y,WxH Dst=x,y,WxH" once per chunk).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import type { Cog } from '../../src/tiling/cog/types.js';
import { CogCache } from '../../src/tiling/cog/cache.js';
import type { PixelMapper } from '../../src/tiling/coords.js';
import type { TargetGrid } from '../../src/tiling/grid.js';
import {
  FILTER_RADIUS, chooseLevel, collectChunks, computeSourceWindow, planRead, type DstRect, type Resampling, type SourceWindow,
} from '../../src/tiling/warp/plan.js';
import { getCrs } from '../../src/crs/index.js';
import {
  tileCrsBounds, tileForLonLat, tileMatrixSetCrs, webMercatorQuad, worldCrs84Quad, type TileMatrixSet,
} from '../../src/tilematrixsets/index.js';
import { CORPUS, hasCommand, needTool } from '../helpers/services.js';

/** A hand-made affine PixelMapper: x = ox + sx*u, y = oy + sy*v (destination corners → source pixels). */
const affine = (ox: number, sx: number, oy: number, sy: number): PixelMapper => (u, v) => [ox + sx * u, oy + sy * v];

/** A stand-in Cog for chooseLevel: only the full width and the level widths matter. */
function fakeCog(levelWidths: number[]): Cog {
  return { width: levelWidths[0], levels: levelWidths.map((width, index) => ({ index, width, height: width })) } as unknown as Cog;
}

const rect = (x: number, y: number, width: number, height: number): DstRect => ({ x, y, width, height });

describe('plan: chooseLevel (gdalwarp -ovr AUTO with -te/-ts)', () => {
  // cogeo-like pyramid: ratios 1, 2, 4, 8, 16, 32, 64.
  const pow2 = fakeCog([1024, 512, 256, 128, 64, 32, 16]);
  // TCI pyramid: real sizes, ratios 1, 2, 3.9927 (1098/275), 7.957, 15.91, 31.37.
  const tci = fakeCog([1098, 549, 275, 138, 69, 35]);
  // The mapper stretches X by `target`: a 10x10 corner grid spans target*width source pixels,
  // so the target ratio is exactly `target` (x only).
  const cases: Array<[string, Cog, number, number, string]> = [
    ['pow2', pow2, 0.5, 0, 'upsampling: full resolution'],
    ['pow2', pow2, 1, 0, 'ratio 1: full resolution'],
    ['pow2', pow2, 1.5, 0, 'between 1 and 2: full resolution (coarsest level with ratio <= target)'],
    ['pow2', pow2, 1.99, 0, 'just below ratio 2: still full resolution (the 0.1 tolerance does not round up)'],
    ['pow2', pow2, 2, 1, 'exactly ratio 2: that overview (tolerance branch)'],
    ['pow2', pow2, 2.05, 1, 'just above 2: ovr0'],
    ['pow2', pow2, 3.95, 1, 'below 4: ovr0'],
    ['pow2', pow2, 4, 2, 'exactly 4: ovr1'],
    ['pow2', pow2, 16, 4, 'exactly 16: ovr3'],
    ['pow2', pow2, 64, 6, 'exactly the last ratio: the last level'],
    ['pow2', pow2, 500, 6, 'past the last level: the last level'],
    ['tci', tci, 3.99, 1, 'TCI 399 m/px: below the real ovr1 ratio 3.9927 → ovr0'],
    ['tci', tci, 3.995, 2, 'TCI 399.5 m/px: above 3.9927 → ovr1'],
    ['tci', tci, 4, 2, 'TCI 400 m/px → ovr1'],
    ['tci', tci, 1.99, 0, 'TCI 199 m/px → full'],
    ['tci', tci, 2, 1, 'TCI 200 m/px → ovr0'],
  ];
  for (const [name, cog, target, want, why] of cases) {
    it(`${name} target ${target} → level ${want}: ${why}`, () => {
      expect(chooseLevel(cog, affine(37, target, 11, target), 256, 256)).to.equal(want);
    });
  }

  it('uses the X extent only (a tall Y stretch does not move the choice)', () => {
    expect(chooseLevel(pow2, affine(0, 1.5, 0, 8), 256, 256)).to.equal(0);
    expect(chooseLevel(pow2, affine(0, 8, 0, 1.5), 256, 256)).to.equal(3);
  });

  it('samples the grid edges (corners included): a point only at u = width counts', () => {
    // Identity everywhere except on the right edge column, which lands 16*256 pixels further.
    const edge: PixelMapper = (u, v) => [u === 256 ? 16 * 256 : u, v];
    expect(chooseLevel(pow2, edge, 256, 256)).to.equal(4);
  });

  it('drops failed (NaN) points and uses the rest', () => {
    const holes: PixelMapper = (u, v) => (v > 200 ? [NaN, NaN] : [4 * u, 4 * v]);
    expect(chooseLevel(pow2, holes, 256, 256)).to.equal(2);
    expect(chooseLevel(pow2, () => [NaN, NaN], 256, 256), 'nothing transforms').to.equal(0);
  });

  it('a file without overviews always reads level 0', () => {
    expect(chooseLevel(fakeCog([1024]), affine(0, 64, 0, 64), 256, 256)).to.equal(0);
  });
});

describe('plan: computeSourceWindow (GDAL ComputeSourceWindow + PerformWarp scale)', () => {
  type Want = Omit<SourceWindow, 'fill'> & { fill?: number };
  // [name, mapper, chunk, W, H, radius, expected]. Derivations use the notes' formulae:
  // r = ceil(R/scale) below 0.95 else R; start = trunc(min) - r; len = trunc(min(ceil(max), W)) - start + r, clamped.
  const T = rect(0, 0, 256, 256);
  const cases: Array<[string, PixelMapper, DstRect, number, number, number, Want | undefined]> = [
    // x: 10..266, r=1 → 9, 266-9+1 = 258; y alike from 20; window covers the tile's 256 → scale 1.
    ['1:1 bilinear pads by R = 1', affine(10, 1, 20, 1), T, 1000, 1000, 1, { x: 9, y: 19, width: 258, height: 258, scaleX: 1, scaleY: 1, fill: 1 }],
    ['1:1 nearest: no padding', affine(10, 1, 20, 1), T, 1000, 1000, 0, { x: 10, y: 20, width: 256, height: 256, scaleX: 1, scaleY: 1, fill: 1 }],
    // x: 100..612, scale 0.5 → r = ceil(1/0.5) = 2 → 98, 612-98+2 = 516.
    ['2:1 bilinear pads ceil(1/0.5) = 2', affine(100, 2, 50, 2), T, 2000, 2000, 1, { x: 98, y: 48, width: 516, height: 516, scaleX: 0.5, scaleY: 0.5 }],
    ['2:1 cubic pads ceil(2/0.5) = 4', affine(100, 2, 50, 2), T, 2000, 2000, 2, { x: 96, y: 46, width: 520, height: 520, scaleX: 0.5, scaleY: 0.5 }],
    ['2:1 lanczos pads ceil(3/0.5) = 6', affine(100, 2, 50, 2), T, 2000, 2000, 3, { x: 94, y: 44, width: 524, height: 524, scaleX: 0.5, scaleY: 0.5 }],
    // x: 100..740, scale 0.4: bilinear r = ceil(2.5) = 3 → 97, 740-97+3 = 646; 1/0.4 = 2.5 is not near an integer: no snap.
    ['scale 0.4 bilinear pads ceil(2.5) = 3', affine(100, 2.5, 50, 2.5), T, 2000, 2000, 1, { x: 97, y: 47, width: 646, height: 646, scaleX: 0.4, scaleY: 0.4 }],
    ['scale 0.4 lanczos pads ceil(7.5) = 8', affine(100, 2.5, 50, 2.5), T, 2000, 2000, 3, { x: 92, y: 42, width: 656, height: 656, scaleX: 0.4, scaleY: 0.4 }],
    // x: 100..366.67, scale 0.96 >= 0.95 → r = R = 1 → 99, 367-99+1 = 269; kernel: 1/0.96 = 1.042 is within 0.05 of 1 → scale 1.
    ['scale 0.96: pads R (threshold 0.95), kernel scale snaps to 1', affine(100, 1 / 0.96, 100, 1 / 0.96), T, 2000, 2000, 1, { x: 99, y: 99, width: 269, height: 269, scaleX: 1, scaleY: 1 }],
    // x: 100..372.34, scale 0.94 → r = ceil(1.064) = 2 → 98, 373-98+2 = 277; 1/0.94 = 1.064: no snap.
    ['scale 0.94: pads ceil(R/0.94) = 2, no snap', affine(100, 1 / 0.94, 100, 1 / 0.94), T, 2000, 2000, 1, { x: 98, y: 98, width: 277, height: 277, scaleX: 0.94, scaleY: 0.94 }],
    // x: 100..622.45, r = ceil(2.04) = 3 → 97, 623-97+3 = 529; 1/0.49 = 2.041 is within 0.05 of 2 → 1/2.
    ['scale 0.49 snaps to 1/2', affine(100, 1 / 0.49, 100, 1 / 0.49), T, 2000, 2000, 1, { x: 97, y: 97, width: 529, height: 529, scaleX: 0.5, scaleY: 0.5 }],
    // x: 100..644.68, r = ceil(2.13) = 3 → 97, 645-97+3 = 551; 1/0.47 = 2.128: no snap.
    ['scale 0.47 does not snap', affine(100, 1 / 0.47, 100, 1 / 0.47), T, 2000, 2000, 1, { x: 97, y: 97, width: 551, height: 551, scaleX: 0.47, scaleY: 0.47 }],
    // x: 100..355 (255 source pixels for 256): the padded window (257) covers the tile → scale 1, not 256/255.
    ['slight upsampling covered by the padding: scale 1', affine(100, 255 / 256, 100, 255 / 256), T, 2000, 2000, 1, { x: 99, y: 99, width: 257, height: 257, scaleX: 1, scaleY: 1 }],
    ['2x upsampling keeps scale 2', affine(100, 0.5, 100, 0.5), T, 2000, 2000, 1, { x: 99, y: 99, width: 130, height: 130, scaleX: 2, scaleY: 2 }],
    // Y stretched 4:1, X 1:1: y 20..1044, r = 4 → 16, 1044-16+4 = 1032.
    ['axes are independent (x 1:1, y 4:1)', affine(10, 1, 20, 4), T, 2000, 2000, 1, { x: 9, y: 16, width: 258, height: 1032, scaleX: 1, scaleY: 0.25 }],
    // x: -50..206 → start clamp(0-1) = 0, len 206-0+1 = 207; raw stays 256 (not clipped on the left) → scale 1.
    ['clamped at the left edge', affine(-50, 1, 100, 1), T, 1000, 1000, 1, { x: 0, y: 99, width: 207, height: 258, scaleX: 1, scaleY: 1, fill: 207 / 258 }],
    // x: 900..1156 → start 899, len clamp(1000-899+1, 0, 101) = 101; raw clipped to 100 → scale 2.56.
    ['clamped at the right edge (raw width clipped → scale 2.56)', affine(900, 1, 100, 1), T, 1000, 1000, 1, { x: 899, y: 99, width: 101, height: 258, scaleX: 2.56, scaleY: 1, fill: 101 / 258 }],
    ['clamped at the bottom edge', affine(100, 1, 900, 1), T, 1000, 1000, 1, { x: 99, y: 899, width: 258, height: 101, scaleX: 1, scaleY: 2.56, fill: 101 / 258 }],
    // min 9.9999995 snaps to 10 (within 1e-6) → start 9 and max 265.9999995 → 266: the 1:1 window.
    ['bbox snapped to integers within 1e-6', affine(10 - 5e-7, 1, 20 + 5e-7, 1), T, 1000, 1000, 1, { x: 9, y: 19, width: 258, height: 258, scaleX: 1, scaleY: 1 }],
    // min 9.999995 is 5e-6 away: trunc → 9, start 8, len 266-8+1 = 259 (y: 20.000005 → 20, ceil(276.000005) = 277 → 19, 259).
    ['no snapping beyond 1e-6', affine(10 - 5e-6, 1, 20 + 5e-6, 1), T, 1000, 1000, 1, { x: 8, y: 19, width: 259, height: 259, scaleX: 1, scaleY: 1 }],
    // W = 280: the 256-pixel footprint covers more than 0.9*280 = 252 → the whole width (antimeridian rule).
    ['> 90% of the width: whole width', affine(10, 1, 10, 1), T, 280, 1000, 1, { x: 0, y: 9, width: 280, height: 258, scaleX: 1, scaleY: 1 }],
    ['exactly at 90% (256 > 0.9*285 fails): padded window', affine(10, 1, 10, 1), T, 285, 1000, 1, { x: 9, y: 9, width: 258, height: 258, scaleX: 1, scaleY: 1 }],
    ['a sub-rectangle of the tile (chunk offset)', affine(10, 1, 20, 1), rect(64, 32, 128, 64), 1000, 1000, 1, { x: 73, y: 51, width: 130, height: 66, scaleX: 1, scaleY: 1, fill: 1 }],
    ['disjoint (right of the raster)', affine(2000, 1, 0, 1), T, 1000, 1000, 1, undefined],
    ['disjoint (above the raster)', affine(0, 1, -500, 1), T, 1000, 1000, 1, undefined],
    // max x is exactly 0: touching, so not disjoint; nearest gets a 0-wide window → nothing to read.
    ['touching the left edge, nearest: empty window', affine(-256, 1, 0, 1), T, 1000, 1000, 0, undefined],
    ['touching the left edge, bilinear: the 1-pixel padding', affine(-256, 1, 0, 1), T, 1000, 1000, 1, { x: 0, y: 0, width: 1, height: 257, scaleX: 1, scaleY: 1 }],
  ];
  for (const [name, map, chunk, W, H, radius, want] of cases) {
    it(name, () => {
      const got = computeSourceWindow(map, chunk, W, H, radius);
      if (want === undefined) {
        expect(got).to.equal(undefined);
        return;
      }
      expect(got, 'window').to.not.equal(undefined);
      expect({ x: got!.x, y: got!.y, width: got!.width, height: got!.height }).to.deep.equal({ x: want.x, y: want.y, width: want.width, height: want.height });
      expect(got!.scaleX, 'scaleX').to.be.closeTo(want.scaleX, 1e-12);
      expect(got!.scaleY, 'scaleY').to.be.closeTo(want.scaleY, 1e-12);
      if (want.fill !== undefined) expect(got!.fill, 'fill').to.be.closeTo(want.fill, 1e-12);
    });
  }

  it('failed outline points switch to grid sampling and widen the padding by 10', () => {
    // NaN for u < 5: the outline fails, the 23x23 grid (ratios 0.5/256, 0, 0.05 … 1, 1-0.5/256)
    // still fails at u = 0 and 0.5, so r = 1 + 10 = 11; the first valid column is u = 12.8.
    // x: 112.8..356 → start 112-11 = 101, len 356-101+11 = 266; y: 20..276 → 9, 276-9+11 = 278.
    const map: PixelMapper = (u, v) => (u < 5 ? [NaN, NaN] : [100 + u, 20 + v]);
    const w = computeSourceWindow(map, rect(0, 0, 256, 256), 1000, 1000, 1)!;
    expect([w.x, w.y, w.width, w.height]).to.deep.equal([101, 9, 266, 278]);
    expect([w.scaleX, w.scaleY]).to.deep.equal([1, 1]);
  });

  it('too many failed points: no window', () => {
    expect(computeSourceWindow(() => [NaN, NaN], rect(0, 0, 256, 256), 1000, 1000, 1)).to.equal(undefined);
  });

  it('grid mode adds the "starting from source" points; outline mode ignores them', () => {
    const sourcePoints = () => [[5, 7]] as [number, number][];
    // Grid: x 10..266 plus the point (5, 7) → x 5..266, y 7..276; scale 256/261 = 0.98 >= 0.95 → r = 1.
    // x: 4, 266-4+1 = 263 (kernel 256/261: within 0.05 of 1 → 1); y: 6, 276-6+1 = 271 (256/269 = 0.9517: 1/0.9517 = 1.0508, no snap).
    const g = computeSourceWindow(affine(10, 1, 20, 1), rect(0, 0, 256, 256), 1000, 1000, 1, { useGrid: true, sourcePoints })!;
    expect([g.x, g.y, g.width, g.height]).to.deep.equal([4, 6, 263, 271]);
    expect(g.scaleX).to.equal(1);
    expect(g.scaleY).to.be.closeTo(256 / 269, 1e-12);
    const o = computeSourceWindow(affine(10, 1, 20, 1), rect(0, 0, 256, 256), 1000, 1000, 1, { sourcePoints })!;
    expect([o.x, o.y, o.width, o.height]).to.deep.equal([9, 19, 258, 258]);
  });

  it('filter radii are GDAL\'s', () => {
    expect(FILTER_RADIUS).to.deep.equal({ nearest: 0, bilinear: 1, cubic: 2, lanczos: 3, average: 0 });
  });
});

describe('plan: collectChunks (fill < 0.5 splits along the longer side when > 100 px)', () => {
  const dsts = (chunks: ReturnType<typeof collectChunks>) => chunks.map((c) => c.dst);

  it('a tile inside the raster is one chunk', () => {
    const chunks = collectChunks(affine(100, 1, 100, 1), rect(0, 0, 256, 256), 1000, 1000, 1);
    expect(dsts(chunks)).to.deep.equal([rect(0, 0, 256, 256)]);
    expect(chunks[0]!.window).to.include({ x: 99, y: 99, width: 258, height: 258 });
  });

  it('a square tile hanging over the right edge: halves by height, then the empty right halves vanish', () => {
    // Whole tile: fill 101*258/258² = 0.39 → split (square → by height). Each 256x128 half:
    // fill 101*130/(258*130) = 0.39 → split by width (longer); left 128x128 has fill 101/130 = 0.78
    // and stays, right 128x128 maps to x >= 1028 > W and is dropped.
    const chunks = collectChunks(affine(900, 1, 100, 1), rect(0, 0, 256, 256), 1000, 1000, 1);
    expect(dsts(chunks)).to.deep.equal([rect(0, 0, 128, 128), rect(0, 128, 128, 128)]);
    // Each chunk has its own window: x 899 + 101 columns; y padded around its own rows.
    expect(chunks.map((c) => [c.window.x, c.window.y, c.window.width, c.window.height])).to.deep.equal([[899, 99, 101, 130], [899, 227, 101, 130]]);
    // Kernel scale from the clipped raw width: 128 dst pixels over 100 source pixels.
    expect(chunks[0]!.window.scaleX).to.be.closeTo(1.28, 1e-12);
  });

  it('a wide tile splits along its width first', () => {
    // 300x200, x 900..1200: fill 101/302 → split at 150; left fill 101/152 = 0.66 stays.
    expect(dsts(collectChunks(affine(900, 1, 100, 1), rect(0, 0, 300, 200), 1000, 1000, 1))).to.deep.equal([rect(0, 0, 150, 200)]);
  });

  it('chunks of 100 px or less are never split', () => {
    // x 980..1080: fill 21/102 = 0.21 but 100 is not > 100.
    expect(dsts(collectChunks(affine(980, 1, 100, 1), rect(0, 0, 100, 100), 1000, 1000, 1))).to.deep.equal([rect(0, 0, 100, 100)]);
    // 101x101: split by height (square) at 50, then each 101-wide half by width at 50; the 50-wide parts stop.
    expect(dsts(collectChunks(affine(980, 1, 100, 1), rect(0, 0, 101, 101), 1000, 1000, 1))).to.deep.equal([rect(0, 0, 50, 50), rect(0, 50, 50, 51)]);
  });

  it('a tile over the top-left corner recurses down to the one quarter-of-a-quarter with data', () => {
    // x, y: -200..56. Derivation: 256² (fill .05) → by height: top empty, bottom 256x128 (.10) → by width:
    // left empty, right 128x128 (.19) → by height: top empty, bottom 128x64 (.38) → by width: left empty, right 64x64 (.75) stays.
    const chunks = collectChunks(affine(-200, 1, -200, 1), rect(0, 0, 256, 256), 1000, 1000, 1);
    expect(dsts(chunks)).to.deep.equal([rect(192, 192, 64, 64)]);
    expect(chunks[0]!.window).to.include({ x: 0, y: 0, width: 57, height: 57 });
  });

  it('no chunk when the tile misses the raster', () => {
    expect(collectChunks(affine(5000, 1, 0, 1), rect(0, 0, 256, 256), 1000, 1000, 1)).to.deep.equal([]);
  });
});

describe('plan: planRead on corpus files', function () {
  this.timeout(60_000);
  const cache = new CogCache();
  const wmq = webMercatorQuad();
  const gridOf = (tms: TileMatrixSet, z: string, lon: number, lat: number, size = 256): TargetGrid => {
    const t = tileForLonLat(tms, z, lon, lat)!;
    const b = tileCrsBounds(tms, t);
    return { crs: tileMatrixSetCrs(tms), crsBounds: [b.minX, b.minY, b.maxX, b.maxY], width: size, height: size };
  };
  // A point inside cogeo.tif (128°39'19"E..128°39'39"E, 37°39'59"N..37°40'15"N).
  const COGEO: [number, number] = [128.6595, 37.6705];

  // notes/gdal-warp.md §1, empirical table (GDAL's "Selecting overview level"): level = ovr + 1.
  const table: Array<[string, number, number, string]> = [
    ['12', 256, 6, 'ratio 64 → ovr5'],
    ['14', 256, 4, 'ratio 16 → ovr3'],
    ['16', 256, 2, 'ratio 4 → ovr1'],
    ['17', 256, 1, 'ratio exactly 2.0 → ovr0 (tolerance)'],
    ['18', 256, 0, 'ratio 1 → full resolution'],
    ['16', 512, 1, '512 px: ratio 2 → ovr0'],
  ];
  for (const [z, size, level, why] of table) {
    it(`cogeo.tif EPSG:3857 z${z} at ${size} px reads level ${level} (${why})`, async () => {
      const { cog } = await cache.open(CORPUS + 'cogeo.tif');
      const plan = planRead(cog, gridOf(wmq, z, ...COGEO, size), { resampling: 'bilinear', maxError: 0 })!;
      expect(plan.level).to.equal(level);
      expect([plan.coords.width, plan.coords.height]).to.deep.equal([size, size]);
    });
  }

  it('cogeo.tif z16: one chunk, window inside the level, exact pixel-centre coordinates', async () => {
    const { cog } = await cache.open(CORPUS + 'cogeo.tif');
    const grid = gridOf(wmq, '16', ...COGEO);
    const plan = planRead(cog, grid, { resampling: 'bilinear', maxError: 0.01 })!;
    expect(plan.resampling).to.equal('bilinear');
    expect(plan.corners).to.equal(undefined);
    expect(plan.chunks).to.have.length(1);
    const { dst, window: w } = plan.chunks[0]!;
    expect(dst).to.deep.equal(rect(0, 0, 256, 256));
    // Level 2 is the 256x256 overview: the window is clamped to it.
    expect(w.x).to.be.at.least(0);
    expect(w.y).to.be.at.least(0);
    expect(w.x + w.width).to.be.at.most(256);
    expect(w.y + w.height).to.be.at.most(256);
    // Same CRS: the map is affine. Origin and pixel size from gdalinfo, overview pixel 4x (1024/256).
    const originX = 14321853.115736903622746, originY = 4533021.525424092076719, px = 0.597164034843445 * 4;
    const [minX, , maxX, maxY] = grid.crsBounds, res = (maxX - minX) / 256;
    expect(plan.coords.exactPoints, 'affine maps need no transformer calls').to.equal(0);
    for (const [col, row] of [[0, 0], [255, 0], [17, 200], [255, 255]] as const) {
      const i = row * 256 + col;
      expect(plan.coords.x[i]).to.be.closeTo((minX + (col + 0.5) * res - originX) / px, 1e-6);
      expect(plan.coords.y[i]).to.be.closeTo((originY - (maxY - (row + 0.5) * res)) / px, 1e-6);
    }
    // Every sample point of the tile lies inside the chunk's source window (up to a pixel at the
    // raster edge, where the kernel skips it).
    for (let i = 0; i < 256 * 256; i++) {
      const x = plan.coords.x[i]!, y = plan.coords.y[i]!;
      if (x < 0 || y < 0 || x >= 256 || y >= 256) continue;
      expect(x >= w.x && x <= w.x + w.width && y >= w.y && y <= w.y + w.height, `pixel ${i}`).to.equal(true);
    }
  });

  it('average plans carry the corner map ((w+1) x (h+1), half a pixel up-left of the centres)', async () => {
    const { cog } = await cache.open(CORPUS + 'cogeo.tif');
    const plan = planRead(cog, gridOf(wmq, '16', ...COGEO), { resampling: 'average', maxError: 0 })!;
    expect(plan.resampling).to.equal('average');
    const c = plan.corners!;
    expect([c.width, c.height]).to.deep.equal([257, 257]);
    // Corner (col, row) is the top-left corner of centre (col, row): half a destination pixel away.
    const half = (plan.coords.x[1]! - plan.coords.x[0]!) / 2;
    expect(c.x[0]).to.be.closeTo(plan.coords.x[0]! - half, 1e-9);
    expect(c.y[257 * 3 + 5]).to.be.closeTo(plan.coords.y[256 * 3 + 5]! - half, 1e-9);
  });

  it('a tile away from the file has no plan', async () => {
    const { cog } = await cache.open(CORPUS + 'cogeo.tif');
    expect(planRead(cog, gridOf(wmq, '16', 10, 10), { resampling: 'bilinear', maxError: 0 })).to.equal(undefined);
  });

  describe('grid-aligned copies (GDALTransformIsTranslationOnPixelBoundaries) force nearest', () => {
    // TCI.tif: EPSG:32634, origin (699960, 3600000), 100 m pixels, 1098 px; ovr0 549 px = 200 m.
    const utm = getCrs('EPSG:32634');
    const grid = (col: number, row: number, res: number, size = 256): TargetGrid => {
      const minX = 699960 + col * 100, maxY = 3600000 - row * 100;
      return { crs: utm, crsBounds: [minX, maxY - size * res, minX + size * res, maxY], width: size, height: size };
    };
    const cases: Array<[string, TargetGrid, Resampling, number, Resampling, number[] | undefined]> = [
      // [name, grid, asked, level, applied, window [x, y, w, h] of the single chunk when known]
      ['100 m grid on pixel boundaries: a copy of pixels 100..355', grid(100, 200, 100), 'bilinear', 0, 'nearest', [100, 200, 256, 256]],
      ['cubic is forced to nearest as well', grid(100, 200, 100), 'cubic', 0, 'nearest', [100, 200, 256, 256]],
      // 200 m over 256 px: ratio 2 → ovr0 whose pixels are 200 m: aligned on the overview (GDAL: GWKNearestByte Src=50,100).
      ['200 m grid: aligned with ovr0, copied from it', grid(100, 200, 200), 'bilinear', 1, 'nearest', [50, 100, 256, 256]],
      ['half a pixel off: a real resampling', grid(100.5, 200, 100), 'bilinear', 0, 'bilinear', undefined],
      ['150 m pixels: a real resampling', grid(100, 200, 150), 'bilinear', 0, 'bilinear', undefined],
    ];
    for (const [name, g, asked, level, applied, win] of cases) {
      it(name, async () => {
        const { cog } = await cache.open(CORPUS + 'TCI.tif');
        const plan = planRead(cog, g, { resampling: asked, maxError: 0 })!;
        expect(plan.level).to.equal(level);
        expect(plan.resampling).to.equal(applied);
        if (!win) return;
        expect(plan.chunks.map((c) => [c.window.x, c.window.y, c.window.width, c.window.height])).to.deep.equal([win]);
        // A copy samples pixel centres exactly: destination pixel (c, r) ↔ source pixel (x0 + c, y0 + r).
        for (const [c, r] of [[0, 0], [255, 255], [31, 140]] as const) {
          expect(plan.coords.x[r * 256 + c]).to.be.closeTo(win[0]! + c + 0.5, 1e-9);
          expect(plan.coords.y[r * 256 + c]).to.be.closeTo(win[1]! + r + 0.5, 1e-9);
        }
      });
    }
  });

  describe('against gdalwarp CPL_DEBUG (overview level and every chunk\'s Src/Dst)', function () {
    before(function () { needTool(this, 'gdalwarp', 'GDAL (gdal-bin)'); });
    const cases: Array<[string, TileMatrixSet, string, number, number, number, Resampling, string]> = [
      ['cogeo.tif', wmq, '14', ...COGEO, 512, 'bilinear', 'tile over the raster corner: 3 chunks'],
      ['cogeo.tif', wmq, '12', ...COGEO, 256, 'cubic', 'deep overview, edge chunk'],
      ['TCI.tif', wmq, '9', 24.25, 31.52, 256, 'bilinear', 'UTM → 3857, ovr0, edge tile'],
      ['TCI.tif', worldCrs84Quad(), '7', 24.25, 31.52, 256, 'lanczos', 'UTM → CRS84'],
      ['cog_dateline.tif', wmq, '7', 179.5, 51, 256, 'cubic', 'antimeridian'],
    ];
    for (const [file, tms, z, lon, lat, size, resampling, why] of cases) {
      it(`${file} ${tms.id} z${z} ${size}px ${resampling}: ${why}`, async () => {
        const { cog } = await cache.open(CORPUS + file);
        const grid = gridOf(tms, z, lon, lat, size);
        const plan = planRead(cog, grid, { resampling, maxError: 0 });
        const g = gdalwarpDebug(CORPUS + file, grid, resampling);
        expect(plan, 'GDAL warps something').to.not.equal(undefined);
        expect(plan!.level, 'level').to.equal(g.level);
        expect(plan!.chunks.map((c) => [c.window.x, c.window.y, c.window.width, c.window.height, c.dst.x, c.dst.y, c.dst.width, c.dst.height]))
          .to.deep.equal(g.chunks);
      });
    }
  });
});

/** gdalwarp's own overview choice and chunk list for a grid (`-et 0 -te -ts`, CPL_DEBUG=ON). */
function gdalwarpDebug(file: string, grid: TargetGrid, resampling: Resampling): { level: number; chunks: number[][] } {
  if (!hasCommand('gdalwarp')) throw new Error('gdalwarp missing');
  const srs = grid.crs.id === 'OGC:CRS84' ? 'EPSG:4326' : grid.crs.id;
  const p = spawnSync('gdalwarp', [
    '-overwrite', '-et', '0', '-t_srs', srs, '-te', ...grid.crsBounds.map((v) => v.toPrecision(17)),
    '-ts', String(grid.width), String(grid.height), '-r', resampling, '-of', 'MEM', file, '/vsimem/plan-test',
  ], { env: { ...process.env, CPL_DEBUG: 'ON' }, encoding: 'utf8' });
  if (p.status !== 0) throw new Error(`gdalwarp failed: ${p.stderr}`);
  const out = p.stderr + p.stdout;
  const level = /Selecting overview level (\d+)/.exec(out);
  const chunks = [...out.matchAll(/Src=(\d+),(\d+),(\d+)x(\d+) Dst=(\d+),(\d+),(\d+)x(\d+)/g)].map((m) => m.slice(1).map(Number));
  return { level: level ? Number(level[1]) + 1 : 0, chunks };
}
