/**
 * The COG writer's parts without GDAL: predictors against the engine's own decoders, the 2x2
 * overview kernel, statistics, GDAL's ghost area and overview sizes, and whole files written from
 * memory (Float32 DEM, RGB, palette + mask, BigTIFF) read back by the engine bit for bit, with
 * the structure rules of a COG checked by the tests' own TIFF parser.
 */
import { expect } from 'chai';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crsFromGeoKeys, getCrs } from '../../src/crs/index.js';
import { UnsupportedGeoreferencingError } from '../../src/errors.js';
import { applyFloatingPointPredictor, applyHorizontalPredictor, packMask } from '../../src/tiling/cog/write/codecs.js';
import { epsgGeoKeys, gdalMetadataXml, StatisticsAccumulator } from '../../src/tiling/cog/write/geotags.js';
import {
  CogWriteError, memoryRaster, overviewSizes, writeCog, writeCogFromArrays, type MemoryRasterInit,
} from '../../src/tiling/cog/write/index.js';
import { downsampleStrip } from '../../src/tiling/cog/write/overviews.js';
import { ghostArea } from '../../src/tiling/cog/write/tiff.js';
import { readWindow } from '../../src/tiling/cog/window.js';
import { undoFloatingPointPredictor, undoHorizontalPredictor } from '../../src/tiling/decode/samples.js';
import type { BlockLayout } from '../../src/tiling/decode/types.js';
import { Engine } from '../../src/tiling/engine.js';
import { cogProblems, parseTiff } from './helpers/tiff.js';

const UTM33 = getCrs('EPSG:32633');

function layout(width: number, height: number, spp: number, bits: number, fmt: 1 | 2 | 3): BlockLayout {
  return { compression: 1, predictor: 1, width, height, samplesPerPixel: spp, bitsPerSample: bits, sampleFormat: fmt, littleEndian: true, photometric: 1 };
}

/** A reproducible pseudo-random sequence (xorshift). */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

async function readBack(path: string) {
  const engine = new Engine();
  const { cog, source } = await engine.open(path);
  const levels = await Promise.all(cog.levels.map((l) => readWindow(source, engine.blocks, cog, l, { x: 0, y: 0, width: l.width, height: l.height })));
  await engine.close();
  return { cog, levels };
}

describe('cogify: writer parts', () => {
  describe('predictors round-trip through the engine decoder', () => {
    const cases: [string, () => Uint8Array | Uint16Array | Int16Array | Uint32Array | Float32Array | Float64Array, number, 1 | 2 | 3][] = [
      ['uint8 x3', () => Uint8Array.from({ length: 16 * 4 * 3 }, (_, i) => (i * 37) & 255), 3, 1],
      ['uint16', () => Uint16Array.from({ length: 16 * 4 }, (_, i) => (i * 4099) & 0xffff), 1, 1],
      ['int16', () => Int16Array.from({ length: 16 * 4 }, (_, i) => ((i * 4099) & 0xffff) - 32768), 1, 2],
      ['uint32 x2', () => Uint32Array.from({ length: 16 * 4 * 2 }, (_, i) => (i * 2654435761) >>> 0), 2, 1],
    ];
    for (const [name, make, spp, fmt] of cases) {
      it(`horizontal, ${name}`, () => {
        const a = make();
        const format = { width: 16, height: 4, samplesPerPixel: spp, dataType: 'uint8' as const };
        const coded = applyHorizontalPredictor(a, format);
        undoHorizontalPredictor(coded, layout(16, 4, spp, a.BYTES_PER_ELEMENT * 8, fmt));
        expect(Buffer.from(coded).equals(Buffer.from(a.buffer, a.byteOffset, a.byteLength))).to.equal(true);
      });
    }
    for (const [name, a, spp] of [
      ['float32', Float32Array.from({ length: 16 * 4 }, (_, i) => Math.sin(i) * 1000), 1],
      ['float32 x2 with NaN', Float32Array.from({ length: 16 * 4 * 2 }, (_, i) => (i % 7 === 0 ? NaN : i / 3)), 2],
      ['float64', Float64Array.from({ length: 16 * 4 }, (_, i) => Math.exp(i / 10)), 1],
    ] as const) {
      it(`floating point, ${name}`, () => {
        const format = { width: 16, height: 4, samplesPerPixel: spp, dataType: 'float32' as const };
        const coded = applyFloatingPointPredictor(a, format);
        const back = undoFloatingPointPredictor(coded, layout(16, 4, spp, a.BYTES_PER_ELEMENT * 8, 3));
        expect(Buffer.from(back).equals(Buffer.from(a.buffer))).to.equal(true);
      });
    }
    it('packs masks most significant bit first, rows padded to bytes', () => {
      expect([...packMask(Uint8Array.of(1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0), 9, 2)]).to.deep.equal([0b10110000, 0b10000000, 0b10000000, 0]);
    });
  });

  describe('2x2 overview kernel', () => {
    const strip = (w: number, h: number, values: number[], mask?: number[]) => ({
      width: w, height: h, bands: [Float32Array.from(values)], ...(mask ? { mask: Uint8Array.from(mask) } : {}),
    });
    const cases: { name: string; in: ReturnType<typeof strip>; nodata?: number; resampling: 'average' | 'nearest'; dataType?: 'float32' | 'uint8'; out: number[]; mask?: number[] }[] = [
      { name: 'average of four', in: strip(2, 2, [1, 2, 3, 5]), resampling: 'average', out: [2.75] },
      { name: 'odd width and height: edge pixels average what they have', in: strip(3, 3, [1, 2, 10, 3, 4, 20, 7, 9, 30]), resampling: 'average', out: [2.5, 15, 8, 30] },
      { name: 'nodata ignored', in: strip(2, 2, [-9, 2, -9, 4]), nodata: -9, resampling: 'average', out: [3] },
      { name: 'all nodata gives nodata', in: strip(2, 2, [-9, -9, -9, -9]), nodata: -9, resampling: 'average', out: [-9] },
      { name: 'NaN ignored', in: strip(2, 2, [NaN, 2, 6, NaN]), resampling: 'average', out: [4] },
      { name: 'masked pixels ignored, mask is any-valid', in: strip(4, 2, [100, 1, 100, 100, 3, 100, 100, 100], [0, 1, 0, 0, 1, 0, 0, 0]), resampling: 'average', out: [2, NaN], mask: [1, 0] },
      { name: 'nearest takes the top-left pixel', in: strip(3, 2, [1, 2, 3, 4, 5, 6], [0, 1, 1, 1, 1, 1]), resampling: 'nearest', out: [1, 3], mask: [0, 1] },
      { name: 'integers round half up', in: { width: 2, height: 2, bands: [Uint8Array.of(1, 2, 2, 2)] } as never, resampling: 'average', dataType: 'uint8', out: [2] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const out = downsampleStrip(c.in, { dataType: c.dataType ?? 'float32', nodata: c.nodata, alphaBand: undefined, resampling: c.resampling });
        expect([...out.bands[0]!]).to.deep.equal(c.out);
        if (c.mask) expect([...out.mask!]).to.deep.equal(c.mask);
      });
    }
    it('alpha: colour bands skip transparent pixels, the alpha band is averaged over all', () => {
      const out = downsampleStrip({ width: 2, height: 2, bands: [Uint8Array.of(200, 10, 30, 0), Uint8Array.of(255, 255, 255, 0)] }, { dataType: 'uint8', nodata: undefined, alphaBand: 1, resampling: 'average' });
      expect([out.bands[0]![0], out.bands[1]![0]]).to.deep.equal([80, 191]);
    });
  });

  it('statistics: histogram path (uint8) and pairwise path (float32) match a direct computation', () => {
    const rnd = random(7);
    for (const [type, make, nodata] of [
      ['uint8', (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256)), 0],
      ['float32', (n: number) => Float32Array.from({ length: n }, () => (rnd() < 0.1 ? NaN : 1e4 + rnd() * 3)), -9999],
    ] as const) {
      const parts = [make(1000), make(777), make(5)];
      const acc = new StatisticsAccumulator(1, nodata, type);
      for (const p of parts) acc.add([p], p.length);
      const all = parts.flatMap((p) => [...p]).filter((v) => !Number.isNaN(v) && v !== nodata);
      const mean = all.reduce((a, b) => a + b, 0) / all.length;
      const sd = Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length);
      const s = acc.result()[0]!;
      expect(s.minimum).to.equal(Math.min(...all));
      expect(s.maximum).to.equal(Math.max(...all));
      expect(s.mean).to.be.closeTo(mean, Math.abs(mean) * 1e-12);
      expect(s.stdDev).to.be.closeTo(sd, sd * 1e-9);
      expect(s.validPercent).to.be.closeTo((100 * all.length) / 1782, 1e-9);
    }
  });

  it('GDAL_METADATA keeps other items and replaces statistics', () => {
    const src = '<GDALMetadata>\n  <Item name="STATISTICS_MEAN" sample="0">3</Item>\n  <Item name="OFFSET" sample="0" role="offset">1.5</Item>\n  <Item name="TITLE">x &amp; y</Item>\n</GDALMetadata>';
    const xml = gdalMetadataXml(src, [{ minimum: 1, maximum: 2, mean: 1.25, stdDev: 0.5, validPercent: 100 }])!;
    expect(xml).to.contain('role="offset">1.5<').and.to.contain('<Item name="TITLE">x &amp; y</Item>').and.to.contain('name="STATISTICS_MEAN" sample="0">1.25<');
    expect(xml).not.to.contain('>3<');
  });

  it("ghost area is GDAL's, with an even size", () => {
    const text = new TextDecoder().decode(ghostArea(true));
    const [first, ...rest] = text.split('\n');
    const body = rest.join('\n');
    expect(first).to.equal(`GDAL_STRUCTURAL_METADATA_SIZE=${String(body.length).padStart(6, '0')} bytes`);
    expect(body.length % 2).to.equal(0);
    expect(body).to.contain('LAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\nBLOCK_LEADER=SIZE_AS_UINT4\nBLOCK_TRAILER=LAST_4_BYTES_REPEATED\nKNOWN_INCOMPATIBLE_EDITION=NO\nMASK_INTERLEAVED_WITH_IMAGERY=YES');
    expect(new TextDecoder().decode(ghostArea(false))).not.to.contain('MASK_INTERLEAVED');
  });

  it('overview sizes: halved (rounded up) until one block holds the level', () => {
    expect(overviewSizes(36000, 18000, 512).map((s) => `${s.width}x${s.height}`)).to.deep.equal(
      ['36000x18000', '18000x9000', '9000x4500', '4500x2250', '2250x1125', '1125x563', '563x282', '282x141']);
    expect(overviewSizes(512, 300, 512)).to.have.length(1);
    expect(overviewSizes(513, 10, 512).map((s) => s.width)).to.deep.equal([513, 257]);
    expect(overviewSizes(100, 100, 512, 2).map((s) => s.width)).to.deep.equal([100, 50, 25]);
  });

  it('EPSG GeoKeys name the same CRS again', () => {
    for (const id of ['EPSG:32633', 'EPSG:3857', 'EPSG:4326', 'EPSG:2056', 'OGC:CRS84']) {
      const keys = epsgGeoKeys(getCrs(id));
      const d = keys.geoKeyDirectory;
      const named: Record<string, unknown> = {};
      const NAMES: Record<number, string> = { 1024: 'GTModelTypeGeoKey', 1025: 'GTRasterTypeGeoKey', 1026: 'GTCitationGeoKey', 2048: 'GeographicTypeGeoKey', 2049: 'GeogCitationGeoKey', 2054: 'GeogAngularUnitsGeoKey', 3072: 'ProjectedCSTypeGeoKey' };
      for (let k = 4; k < d.length; k += 4) named[NAMES[d[k]!]!] = d[k + 1] === 34737 ? keys.geoAsciiParams!.slice(d[k + 3], d[k + 3]! + d[k + 2]! - 1) : d[k + 3];
      expect(crsFromGeoKeys(named).id).to.equal(id === 'OGC:CRS84' ? 'EPSG:4326' : id);
    }
  });

  describe('files written from memory, read back by the engine', () => {
    let dir: string;
    before(async () => { dir = await mkdtemp(join(tmpdir(), 'tilewright-cogify-')); });
    after(async () => { await rm(dir, { recursive: true, force: true }); });

    const dem = (): MemoryRasterInit => {
      const width = 1000, height = 700;
      const h = new Float32Array(width * height);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) h[y * width + x] = 500 + 300 * Math.sin(x / 90) * Math.cos(y / 70) + (x * y) / 5000;
      for (let i = 0; i < 5000; i++) h[i] = -9999;
      return { width, height, bands: [h], crs: UTM33, geoTransform: [500000, 10, 0, 5200000, 0, -10], nodata: -9999, bandDescriptions: ['elevation'] };
    };

    for (const [compression, blockSize, bigTiff] of [['deflate', 256, false], ['zstd', 512, false], ['none', 128, true]] as const) {
      it(`Float32 DEM, ${compression}, ${blockSize}px blocks${bigTiff ? ', BigTIFF' : ''}`, async () => {
        const init = dem();
        const path = join(dir, `dem-${compression}.tif`);
        const r = await writeCogFromArrays(path, init, { compression, blockSize, bigTiff });
        expect(r.bigTiff).to.equal(bigTiff);
        expect(r.predictor).to.equal(compression === 'none' ? 1 : 3);
        expect((await stat(path)).size).to.equal(r.bytes);
        const t = await parseTiff(path);
        expect(t.bigTiff).to.equal(bigTiff);
        expect(cogProblems(t)).to.deep.equal([]);
        const { cog, levels } = await readBack(path);
        expect(cog.crs.id).to.equal('EPSG:32633');
        expect([...cog.geoTransform]).to.deep.equal([500000, 10, 0, 5200000, 0, -10]);
        expect(cog.nodata).to.equal(-9999);
        expect(cog.levels.map((l) => [l.width, l.height])).to.deep.equal(r.levels.map((l) => [l.width, l.height]));
        expect(cog.levels.every((l) => l.tiled && l.blockWidth === blockSize)).to.equal(true);
        expect(Buffer.from(levels[0]!.bands[0]!.buffer).equals(Buffer.from(init.bands[0]!.buffer))).to.equal(true);
        expect(cog.bandDescriptions[0]).to.equal('elevation');
        expect(cog.statistics[0]!.minimum).to.be.greaterThan(0);
        // Overview 1 is the 2x2 average of the full resolution, nodata excluded.
        const full = init.bands[0]!, o = levels[1]!.bands[0]!;
        const at = (x: number, y: number) => full[y * 1000 + x]!;
        const vals = [at(20, 30), at(21, 30), at(20, 31), at(21, 31)];
        expect(o[15 * 500 + 10]).to.be.closeTo(vals.reduce((a, b) => a + b) / 4, 1e-3);
        expect(o[0]).to.equal(-9999);
      });
    }

    it('RGB uint8 with an internal mask, JPEG: YCbCr tiles, mask kept exactly', async () => {
      const width = 600, height = 400;
      const bands = [0, 1, 2].map((b) => Uint8Array.from({ length: width * height }, (_, i) => Math.round(20 + b * 40 + ((i % width) + Math.floor(i / width)) / 6)));
      const mask = Uint8Array.from({ length: width * height }, (_, i) => ((i % width) < 500 ? 1 : 0));
      const path = join(dir, 'rgb-jpeg.tif');
      const r = await writeCogFromArrays(path, { width, height, bands, mask, crs: getCrs('EPSG:3857'), geoTransform: [0, 1, 0, 0, 0, -1] }, { compression: 'jpeg', quality: 90 });
      expect(r.photometric).to.equal(6);
      expect(cogProblems(await parseTiff(path))).to.deep.equal([]);
      const { cog, levels } = await readBack(path);
      expect(cog.hasMask).to.equal(true);
      expect(cog.levels[1]!.mask).to.not.equal(undefined);
      expect([...levels[0]!.mask!]).to.deep.equal([...mask]);
      let worst = 0;
      for (let b = 0; b < 3; b++) for (let i = 0; i < width * height; i++) if (mask[i]) worst = Math.max(worst, Math.abs(levels[0]!.bands[b]![i]! - bands[b]![i]!));
      expect(worst).to.be.lessThan(6);
    });

    it('palette + mask (uint8, deflate): colour map kept, overviews by nearest, no predictor', async () => {
      const width = 300, height = 300;
      const index = Uint8Array.from({ length: width * height }, (_, i) => (Math.floor(i / width / 30) * 3 + Math.floor((i % width) / 30)) % 7);
      const palette = Uint8Array.from({ length: 7 * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 41) & 255));
      const path = join(dir, 'palette.tif');
      const r = await writeCogFromArrays(path, { width, height, bands: [index], palette, mask: new Uint8Array(width * height).fill(1), crs: UTM33, geoTransform: [0, 1, 0, 0, 0, -1] }, { blockSize: 64 });
      expect(r.predictor).to.equal(1);
      const { cog, levels } = await readBack(path);
      expect(cog.colorMap!.subarray(0, 28)).to.deep.equal(palette);
      expect([...levels[0]!.bands[0]!]).to.deep.equal([...index]);
      expect(levels[1]!.bands[0]![3 * 150 + 20]).to.equal(index[6 * 300 + 40]);
    });

    it('writeCog streams: rows are read one block row at a time, in order', async () => {
      const calls: [number, number][] = [];
      const base = memoryRaster({ width: 100, height: 90, bands: [new Uint16Array(9000).fill(7)], crs: UTM33, geoTransform: [0, 1, 0, 0, 0, -1] });
      await writeCog({ ...base, read: (y, h, s) => { calls.push([y, h]); return base.read(y, h, s); } }, join(dir, 'rows.tif'), { blockSize: 32 });
      expect(calls).to.deep.equal([[0, 32], [32, 32], [64, 26]]);
    });

    it('refuses what a codec cannot hold, and CRSs without an EPSG code', async () => {
      const f32 = { width: 16, height: 16, bands: [new Float32Array(256)], crs: UTM33, geoTransform: [0, 1, 0, 0, 0, -1] as const };
      const fail = async (p: Promise<unknown>, re: RegExp) => {
        let err: unknown;
        await p.catch((e) => { err = e; });
        expect(err).to.be.instanceOf(CogWriteError);
        expect((err as Error).message).to.match(re);
      };
      await fail(writeCogFromArrays(join(dir, 'x.tif'), f32, { compression: 'jpeg' }), /JPEG compression needs 8-bit data with 1 or 3 bands.*1 float32 band/);
      await fail(writeCogFromArrays(join(dir, 'x.tif'), { ...f32, bands: [new Uint8Array(256)] }, { compression: 'webp' }), /WebP compression needs 8-bit data with 3 or 4 bands/);
      await fail(writeCogFromArrays(join(dir, 'x.tif'), f32, { blockSize: 100 }), /multiple of 16/);
      const custom = crsFromGeoKeys({ GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 32767, GeogGeodeticDatumGeoKey: 32767, GeogEllipsoidGeoKey: 32767, GeogSemiMajorAxisGeoKey: 6378273, GeogInvFlatteningGeoKey: 298.279411123064, GeogAngularUnitsGeoKey: 9102 });
      expect(() => memoryRaster({ ...f32, crs: custom })).to.throw(CogWriteError, /only CRSs with an EPSG code/);
      expect(new CogWriteError('x')).to.not.be.instanceOf(UnsupportedGeoreferencingError);
    });
  });
});
