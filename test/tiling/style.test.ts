/**
 * Styling (src/tiling/style/style.ts) and colour maps (colormaps.ts). Expected colours come
 * from the definition of a linear rescale (v - lo) * 255 / (hi - lo), rounded and clamped,
 * and from published matplotlib colours (viridis quartiles #440154 #3b528b #21918c #5ec962
 * #fde725; terrain's segment data), not from the module under test.
 */
import { expect } from 'chai';
import { InvalidParameterError } from '../../src/errors.js';
import type { BandStatistics } from '../../src/tiling/cog/metadata.js';
import type { DataType } from '../../src/tiling/cog/types.js';
import type { SampleArray } from '../../src/tiling/decode/types.js';
import { colormapNames, getColormap } from '../../src/tiling/style/colormaps.js';
import { applyStyle, checkStyle, type RasterTile, type StyleParams } from '../../src/tiling/style/style.js';

const ARRAYS: Record<DataType, new (v: number[]) => SampleArray> = {
  uint8: Uint8Array, int8: Int8Array, uint16: Uint16Array, int16: Int16Array,
  uint32: Uint32Array, int32: Int32Array, float32: Float32Array, float64: Float64Array,
};

/** A 1-row tile: bands[b][i] is pixel i of band b; alpha defaults to 255 everywhere. */
function tile(dataType: DataType, bands: number[][], alpha?: number[]): RasterTile {
  const n = bands[0]!.length;
  return { width: n, height: 1, dataType, bands: bands.map((b) => new ARRAYS[dataType](b)), alpha: new Uint8Array(alpha ?? new Array(n).fill(255)) };
}

/** RGBA of pixel i. */
const px = (rgba: Uint8Array, i: number) => Array.from(rgba.subarray(4 * i, 4 * i + 4));
const stats = (minimum: number, maximum: number): BandStatistics => ({ minimum, maximum, mean: (minimum + maximum) / 2, stdDev: 1 });
const hexRgb = (h: string) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));

describe('style: applyStyle', () => {
  describe('band selection', () => {
    const rgb = tile('uint8', [[10, 11], [20, 21], [30, 31]]);
    const cases: Array<[string, StyleParams, number[][]]> = [
      ['default: the first three bands as RGB', {}, [[10, 20, 30, 255], [11, 21, 31, 255]]],
      ['bands 3,2,1 swap red and blue', { bands: [3, 2, 1] }, [[30, 20, 10, 255], [31, 21, 11, 255]]],
      ['bands 1,1,1', { bands: [1, 1, 1] }, [[10, 10, 10, 255], [11, 11, 11, 255]]],
      ['one band: grey', { bands: [2] }, [[20, 20, 20, 255], [21, 21, 21, 255]]],
    ];
    for (const [name, style, want] of cases) {
      it(name, () => {
        const out = applyStyle(rgb, style, []);
        expect([px(out, 0), px(out, 1)]).to.deep.equal(want);
      });
    }

    it('four bands (RGB + NIR): the default is the first three, bands=4 shows NIR as grey', () => {
      const t = tile('uint8', [[1], [2], [3], [4]]);
      expect(px(applyStyle(t, {}, []), 0)).to.deep.equal([1, 2, 3, 255]);
      expect(px(applyStyle(t, { bands: [4] }, []), 0)).to.deep.equal([4, 4, 4, 255]);
    });

    it('one or two bands: the first band as grey', () => {
      expect(px(applyStyle(tile('uint8', [[77]]), {}, []), 0)).to.deep.equal([77, 77, 77, 255]);
      expect(px(applyStyle(tile('uint8', [[77], [99]]), {}, []), 0)).to.deep.equal([77, 77, 77, 255]);
    });
  });

  describe('rescale', () => {
    it('one pair per band', () => {
      // 200 of [0,1000] → 51; 210 of [0,2000] → 26.775 → 27; 210 of [100,300] → 140.25 → 140.
      // (Values avoid exact .5 ties: the module's float arithmetic does not define them.)
      const t = tile('uint16', [[200], [210], [210]]);
      const out = applyStyle(t, { rescale: [[0, 1000], [0, 2000], [100, 300]] }, []);
      expect(px(out, 0)).to.deep.equal([51, 27, 140, 255]);
    });

    it('a single pair applies to every band', () => {
      const t = tile('uint16', [[0], [400], [1000]]);
      expect(px(applyStyle(t, { rescale: [[0, 1000]] }, []), 0)).to.deep.equal([0, 102, 255, 255]);
    });

    it('values outside the range clamp to 0 and 255', () => {
      const t = tile('int16', [[-5, 5000, 100]]);
      const out = applyStyle(t, { rescale: [[0, 1000]] }, []);
      expect([px(out, 0), px(out, 1), px(out, 2)]).to.deep.equal([[0, 0, 0, 255], [255, 255, 255, 255], [26, 26, 26, 255]]);
    });

    it('a reversed range inverts', () => {
      const t = tile('uint8', [[0, 55, 255]]);
      const out = applyStyle(t, { rescale: [[255, 0]] }, []);
      expect([0, 1, 2].map((i) => px(out, i)[0])).to.deep.equal([255, 200, 0]);
    });

    it('an explicit rescale wins over statistics, and also applies to 8-bit data', () => {
      const out = applyStyle(tile('uint8', [[110]]), { rescale: [[50, 150]] }, [stats(0, 10)]);
      expect(px(out, 0)).to.deep.equal([153, 153, 153, 255]);
    });

    it('follows the selected bands: rescale[k] belongs to the k-th selected band', () => {
      const t = tile('uint16', [[1000], [1000], [3000]]);
      const out = applyStyle(t, { bands: [3, 1, 2], rescale: [[0, 3000], [0, 1000], [0, 4000]] }, []);
      // band 3 (3000 of 3000) → 255, band 1 (1000 of 1000) → 255, band 2 (1000 of 4000) → 63.75 → 64.
      expect(px(out, 0)).to.deep.equal([255, 255, 64, 255]);
    });

    it('floats: fractional values rescale linearly, NaN becomes 0', () => {
      const t = tile('float32', [[0.25, 0.75, NaN]]);
      const out = applyStyle(t, { rescale: [[0, 1]] }, []);
      // 0.25*255 = 63.75 → 64; 0.75*255 = 191.25 → 191.
      expect([0, 1, 2].map((i) => px(out, i)[0])).to.deep.equal([64, 191, 0]);
    });
  });

  describe('defaults without rescale', () => {
    const cases: Array<[string, DataType, number, (BandStatistics | undefined)[], number]> = [
      ['uint8 is shown as is, even with statistics', 'uint8', 37, [stats(30, 40)], 37],
      ['uint16 uses the statistics', 'uint16', 150, [stats(100, 300)], 64], // 50/200*255 = 63.75
      ['uint16 without statistics: the full type range', 'uint16', 13107, [], 51], // 13107/65535*255 = 51.0
      ['int16 without statistics: -32768..32767', 'int16', -32768, [], 0],
      ['int16 top of the range', 'int16', 32767, [], 255],
      ['int8 without statistics: -128..127', 'int8', -1, [], 127], // 127/255*255 = 127
      ['float32 without statistics: 0..1', 'float32', 0.2, [], 51],
      ['float32 with statistics', 'float32', -500, [stats(-1000, 1000)], 64], // 500/2000*255 = 63.75
      ['statistics with min = max are ignored (type default)', 'uint16', 65535, [stats(7, 7)], 255],
    ];
    for (const [name, dataType, value, st, want] of cases) {
      it(name, () => {
        expect(px(applyStyle(tile(dataType, [[value]]), {}, st), 0)).to.deep.equal([want, want, want, 255]);
      });
    }

    it('each band uses its own statistics', () => {
      const t = tile('uint16', [[120], [120], [120]]);
      const out = applyStyle(t, {}, [stats(0, 100), stats(0, 200), stats(100, 200)]);
      expect(px(out, 0)).to.deep.equal([255, 153, 51, 255]);
    });
  });

  describe('colour maps and alpha', () => {
    it('a single band through viridis: ends are the published end colours', () => {
      const out = applyStyle(tile('uint8', [[0, 255]]), { colormap: 'viridis' }, []);
      expect(px(out, 0)).to.deep.equal([...hexRgb('#440154'), 255]);
      expect(px(out, 1)).to.deep.equal([...hexRgb('#fde725'), 255]);
    });

    it('the colour map applies after the rescale (and to the selected band)', () => {
      const t = tile('float32', [[5], [-3]]);
      const out = applyStyle(t, { bands: [2], rescale: [[-3, 10]], colormap: 'viridis_r' }, []);
      // -3 → 0 → viridis_r[0] = viridis[255].
      expect(px(out, 0)).to.deep.equal([...hexRgb('#fde725'), 255]);
    });

    it('alpha is the validity, passed through; pixels with alpha 0 are zeroed', () => {
      const t = tile('uint8', [[10, 20, 30], [40, 50, 60], [70, 80, 90]], [0, 128, 255]);
      const out = applyStyle(t, {}, []);
      expect([px(out, 0), px(out, 1), px(out, 2)]).to.deep.equal([[0, 0, 0, 0], [20, 50, 80, 128], [30, 60, 90, 255]]);
      const grey = applyStyle(tile('uint8', [[200, 200]], [0, 255]), { colormap: 'gray' }, []);
      expect([px(grey, 0), px(grey, 1)]).to.deep.equal([[0, 0, 0, 0], [200, 200, 200, 255]]);
    });

    it('output size is width x height x 4', () => {
      const t: RasterTile = { width: 3, height: 2, dataType: 'uint8', bands: [new Uint8Array(6)], alpha: new Uint8Array(6).fill(255) };
      expect(applyStyle(t, {}, []).length).to.equal(24);
    });
  });
});

describe('style: checkStyle errors name the parameter', () => {
  const bad: Array<[string, StyleParams, number, string, RegExp]> = [
    ['two bands', { bands: [1, 2] }, 3, 'bands', /1 or 3/],
    ['four bands', { bands: [1, 2, 3, 4] }, 4, 'bands', /1 or 3/],
    ['band 0', { bands: [0] }, 3, 'bands', /band 0 does not exist/],
    ['band past the count', { bands: [4] }, 3, 'bands', /band 4 does not exist \(the source has 3 bands\)/],
    ['band of a one-band file', { bands: [2] }, 1, 'bands', /the source has 1 band\)/],
    ['fractional band', { bands: [1.5] }, 3, 'bands', /1\.5/],
    ['two pairs for three bands', { rescale: [[0, 1], [0, 2]] }, 3, 'rescale', /1 or 3/],
    ['three pairs for one selected band', { bands: [2], rescale: [[0, 1], [0, 1], [0, 1]] }, 3, 'rescale', /one min,max pair, got 3/],
    ['min = max', { rescale: [[5, 5]] }, 1, 'rescale', /different finite/],
    ['NaN', { rescale: [[NaN, 5]] }, 1, 'rescale', /finite/],
    ['infinite', { rescale: [[0, Infinity]] }, 1, 'rescale', /finite/],
    ['unknown colormap', { colormap: 'rainbow-unicorn' }, 1, 'colormap', /unknown colormap "rainbow-unicorn".*viridis/],
    ['colormap on a 3-band default', { colormap: 'viridis' }, 3, 'colormap', /one band/],
    ['colormap with 3 selected bands', { bands: [1, 2, 3], colormap: 'viridis' }, 4, 'colormap', /one band/],
  ];
  for (const [name, style, count, parameter, message] of bad) {
    it(`${name} → InvalidParameterError(${parameter})`, () => {
      let err: unknown;
      try { checkStyle(style, count); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(InvalidParameterError);
      expect((err as InvalidParameterError).parameter).to.equal(parameter);
      expect((err as InvalidParameterError).code).to.equal('InvalidParameterValue');
      expect((err as Error).message).to.match(message);
    });
  }

  const good: Array<[string, StyleParams, number]> = [
    ['nothing', {}, 3],
    ['three bands of four', { bands: [4, 3, 2] }, 4],
    ['one pair for three bands', { rescale: [[0, 1000]] }, 3],
    ['three pairs for three bands', { rescale: [[0, 1], [0, 2], [0, 3]] }, 3],
    ['reversed range', { rescale: [[10, 0]] }, 1],
    ['colormap on a one-band file', { colormap: 'terrain' }, 1],
    ['colormap on one selected band of three', { bands: [2], colormap: 'VIRIDIS_R' }, 3],
    ['colormap on a two-band file (default is band 1)', { colormap: 'magma' }, 2],
  ];
  for (const [name, style, count] of good) {
    it(`accepts: ${name}`, () => {
      expect(() => checkStyle(style, count)).to.not.throw();
    });
  }
});

describe('colormaps', () => {
  const rgbAt = (name: string, i: number) => Array.from(getColormap(name)!.subarray(4 * i, 4 * i + 3));
  const near = (got: number[], want: number[], tol: number, what: string) =>
    got.forEach((g, c) => expect(Math.abs(g - want[c]!), `${what} channel ${c}: ${got} vs ${want}`).to.be.at.most(tol));

  it('every name (and its _r twin) is a 256-entry opaque RGBA table', () => {
    expect(colormapNames).to.include.members(['viridis', 'viridis_r', 'terrain', 'terrain_r', 'gray', 'magma', 'inferno', 'plasma', 'cividis']);
    for (const name of colormapNames) {
      const t = getColormap(name)!;
      expect(t.length, name).to.equal(1024);
      for (let i = 0; i < 256; i++) expect(t[4 * i + 3], name).to.equal(255);
    }
  });

  it('unknown names are undefined; lookup ignores case', () => {
    expect(getColormap('nope')).to.equal(undefined);
    expect(getColormap('_r')).to.equal(undefined);
    expect(getColormap('Viridis')).to.deep.equal(getColormap('viridis'));
  });

  it('viridis matches matplotlib\'s quartile colours', () => {
    near(rgbAt('viridis', 0), hexRgb('#440154'), 0, 'viridis(0)');
    near(rgbAt('viridis', 255), hexRgb('#fde725'), 0, 'viridis(1)');
    // Interior entries are interpolated between anchors: a few levels of tolerance.
    near(rgbAt('viridis', 64), hexRgb('#3b528b'), 3, 'viridis(0.25)');
    near(rgbAt('viridis', 128), hexRgb('#21918c'), 3, 'viridis(0.5)');
    near(rgbAt('viridis', 191), hexRgb('#5ec962'), 3, 'viridis(0.75)');
  });

  it('viridis lightness (CIE L*) increases monotonically', () => {
    const lin = (c: number) => { const v = c / 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    const L = (i: number) => {
      const [r, g, b] = rgbAt('viridis', i);
      const y = 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
      return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y;
    };
    // Byte rounding can make neighbouring entries tie or dip by a hair; over 8 entries it must rise.
    for (let i = 1; i < 256; i++) expect(L(i) - L(i - 1), `L*(${i}) - L*(${i - 1})`).to.be.above(-0.1);
    for (let i = 8; i < 256; i++) expect(L(i), `L*(${i}) > L*(${i - 8})`).to.be.above(L(i - 8));
    expect(L(255) - L(0)).to.be.above(70);
  });

  it('terrain matches matplotlib\'s segment data', () => {
    // matplotlib _terrain_data: 0 (0.2,0.2,0.6), 0.15 (0,0.6,1), 0.25 (0,0.8,0.4), 0.5 (1,1,0.6), 0.75 (0.5,0.36,0.33), 1 white.
    near(rgbAt('terrain', 0), [51, 51, 153], 0, 'terrain(0)');
    near(rgbAt('terrain', 255), [255, 255, 255], 0, 'terrain(1)');
    near(rgbAt('terrain', 38), [0, 153, 255], 3, 'terrain(0.15)');
    near(rgbAt('terrain', 64), [0, 204, 102], 3, 'terrain(0.25)');
    near(rgbAt('terrain', 128), [255, 255, 153], 3, 'terrain(0.5)');
    near(rgbAt('terrain', 191), [128, 92, 84], 3, 'terrain(0.75)');
  });

  it('_r is the reversed table', () => {
    for (const name of ['viridis', 'terrain', 'magma', 'rdylgn']) {
      // ±1: the two directions round interpolation ties differently.
      for (let i = 0; i < 256; i++) near(rgbAt(`${name}_r`, i), rgbAt(name, 255 - i), 1, `${name}_r[${i}]`);
    }
  });

  it('gray is the identity ramp, greys its inverse', () => {
    for (const i of [0, 1, 77, 128, 254, 255]) {
      expect(rgbAt('gray', i)).to.deep.equal([i, i, i]);
      expect(rgbAt('greys', i)).to.deep.equal([255 - i, 255 - i, 255 - i]);
    }
  });
});
