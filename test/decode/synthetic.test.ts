/**
 * Codecs, predictors, byte orders and bit depths that the corpus lacks, written by gdal_translate
 * into a temporary folder and checked against GDAL exactly like the corpus.
 */
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { Compression } from '../../src/tiling/decode/index.js';
import { CORPUS_DIR, gdalTranslate, requireGdal } from './helpers/gdal.js';
import { checkFileAgainstGdal, describeReport, type FileReport } from './helpers/oracle.js';
import { readIfds } from './helpers/tiff.js';

interface Case {
  name: string;
  /** Corpus file to start from, or a function preparing the source in the temp dir. */
  source: string | ((dir: string) => Promise<string>);
  args: string[];
  /** Expected tags of the first IFD, checked so the case really covers what it claims. */
  expect: { compression: number; predictor?: number; bits?: number; sampleFormat?: number; littleEndian?: boolean; tiled?: boolean; planar?: 1 | 2 };
  /** Extra assertions on the report. */
  check?: (report: FileReport) => void;
}

const C = (f: string) => CORPUS_DIR + f;
const tiled = (size = 128) => ['-co', 'TILED=YES', '-co', `BLOCKXSIZE=${size}`, '-co', `BLOCKYSIZE=${size}`];
const co = (...pairs: string[]) => pairs.flatMap((p) => ['-co', p]);

/** A 4-bit paletted source: austrian capitals rescaled to 0..15 behind a VRT with a 16-colour table. */
async function paletteSource(dir: string): Promise<string> {
  const scaled = join(dir, 'palette4-src.tif');
  await gdalTranslate(['-ot', 'Byte', '-scale', '0', '255', '0', '15', C('austrian_capitals_model_tie_point_and_pixel_scale_pixel_is_area.tif'), scaled]);
  const entries = Array.from({ length: 16 }, (_, i) => `<Entry c1="${i * 16}" c2="${255 - i * 16}" c3="${(i * 40) % 256}" c4="255"/>`).join('');
  const vrt = `<VRTDataset rasterXSize="507" rasterYSize="190">
  <VRTRasterBand dataType="Byte" band="1">
    <ColorInterp>Palette</ColorInterp>
    <ColorTable>${entries}</ColorTable>
    <SimpleSource><SourceFilename relativeToVRT="1">palette4-src.tif</SourceFilename><SourceBand>1</SourceBand></SimpleSource>
  </VRTRasterBand>
</VRTDataset>`;
  const path = join(dir, 'palette4.vrt');
  await writeFile(path, vrt);
  return path;
}

const cases: Case[] = [
  // LZW
  { name: 'LZW + predictor 2, uint16, tiles', source: C('blue.tif'), args: [...co('COMPRESS=LZW', 'PREDICTOR=2'), ...tiled(64)], expect: { compression: 5, predictor: 2, bits: 16 } },
  { name: 'LZW + predictor 2, int32', source: C('dem.tif'), args: ['-ot', 'Int32', '-scale', '1600', '2020', '-2000000000', '2000000000', ...co('COMPRESS=LZW', 'PREDICTOR=2'), ...tiled()], expect: { compression: 5, predictor: 2, bits: 32, sampleFormat: 2 } },
  { name: 'LZW + predictor 2, uint32, big-endian', source: C('dem.tif'), args: ['-ot', 'UInt32', '-scale', '1600', '2020', '0', '4000000000', ...co('COMPRESS=LZW', 'PREDICTOR=2', 'ENDIANNESS=BIG'), ...tiled()], expect: { compression: 5, predictor: 2, bits: 32, littleEndian: false } },
  { name: 'LZW + predictor 2, RGB strips, short last strip', source: C('RGB.byte.tif'), args: co('COMPRESS=LZW', 'PREDICTOR=2', 'ROWSPERSTRIP=7'), expect: { compression: 5, predictor: 2, tiled: false } },
  // DEFLATE
  { name: 'DEFLATE + predictor 2, int16, big-endian', source: C('oisst-avhrr-v02r01.20220913-sst.tif'), args: [...co('COMPRESS=DEFLATE', 'PREDICTOR=2', 'ENDIANNESS=BIG'), ...tiled(256)], expect: { compression: 8, predictor: 2, bits: 16, sampleFormat: 2, littleEndian: false } },
  { name: 'DEFLATE + predictor 2, RGB planar separate', source: C('RGB.byte.tif'), args: [...co('COMPRESS=DEFLATE', 'PREDICTOR=2', 'INTERLEAVE=BAND'), ...tiled(256)], expect: { compression: 8, predictor: 2, planar: 2 } },
  { name: 'DEFLATE + predictor 2, int8 (PIXELTYPE=SIGNEDBYTE)', source: C('oisst-avhrr-v02r01.20220913-sst.tif'), args: ['-ot', 'Byte', '-scale', '-180', '3469', '0', '255', ...co('PIXELTYPE=SIGNEDBYTE', 'COMPRESS=DEFLATE', 'PREDICTOR=2'), ...tiled(256)], expect: { compression: 8, predictor: 2, bits: 8, sampleFormat: 2 } },
  { name: 'DEFLATE + predictor 3, float64', source: C('dem.tif'), args: ['-ot', 'Float64', ...co('COMPRESS=DEFLATE', 'PREDICTOR=3'), ...tiled()], expect: { compression: 8, predictor: 3, bits: 64, sampleFormat: 3 } },
  { name: 'DEFLATE + predictor 3, float32 with NaN, big-endian', source: C('cog_with_nan.tif'), args: [...co('COMPRESS=DEFLATE', 'PREDICTOR=3', 'ENDIANNESS=BIG'), ...tiled()], expect: { compression: 8, predictor: 3, bits: 32, littleEndian: false } },
  { name: 'DEFLATE + predictor 3, 3-sample float32 (stride)', source: C('RGB.byte.tif'), args: ['-ot', 'Float32', '-scale', '0', '255', '-1', '1', ...co('COMPRESS=DEFLATE', 'PREDICTOR=3'), ...tiled(256)], expect: { compression: 8, predictor: 3, bits: 32 } },
  { name: 'DEFLATE + predictor 3, float16 (NBITS=16)', source: C('dem.tif'), args: [...co('COMPRESS=DEFLATE', 'PREDICTOR=3', 'NBITS=16'), ...tiled()], expect: { compression: 8, predictor: 3, bits: 16, sampleFormat: 3 } },
  { name: 'DEFLATE float16 (NBITS=16), no predictor, big-endian', source: C('cog_with_nan.tif'), args: [...co('COMPRESS=DEFLATE', 'NBITS=16', 'ENDIANNESS=BIG'), ...tiled()], expect: { compression: 8, bits: 16, sampleFormat: 3, littleEndian: false } },
  { name: 'DEFLATE + predictor 2, int64', source: C('dem.tif'), args: ['-ot', 'Int64', '-scale', '1600', '2020', '-4000000000000000', '4000000000000000', ...co('COMPRESS=DEFLATE', 'PREDICTOR=2'), ...tiled()], expect: { compression: 8, predictor: 2, bits: 64, sampleFormat: 2 } },
  // ZSTD
  { name: 'ZSTD + predictor 3, float32', source: C('dem.tif'), args: [...co('COMPRESS=ZSTD', 'PREDICTOR=3'), ...tiled()], expect: { compression: 50000, predictor: 3, bits: 32 } },
  { name: 'ZSTD + predictor 2, RGB uint16', source: C('RGB.byte.tif'), args: ['-ot', 'UInt16', '-scale', '0', '255', '0', '65535', ...co('COMPRESS=ZSTD', 'PREDICTOR=2'), ...tiled(256)], expect: { compression: 50000, predictor: 2, bits: 16 } },
  { name: 'ZSTD + predictor 2, uint64, big-endian', source: C('dem.tif'), args: ['-ot', 'UInt64', '-scale', '1600', '2020', '0', '18000000000000000000', ...co('COMPRESS=ZSTD', 'PREDICTOR=2', 'ENDIANNESS=BIG'), ...tiled()], expect: { compression: 50000, predictor: 2, bits: 64, sampleFormat: 1, littleEndian: false } },
  { name: 'ZSTD float64, big-endian', source: C('cog_fullearth.tif'), args: [...co('COMPRESS=ZSTD', 'ENDIANNESS=BIG'), ...tiled(64)], expect: { compression: 50000, bits: 64, littleEndian: false } },
  // PACKBITS
  { name: 'PACKBITS RGBA tiles', source: C('cog_rgba.tif'), args: [...co('COMPRESS=PACKBITS'), ...tiled()], expect: { compression: 32773 } },
  { name: 'PACKBITS uint16 strips, big-endian', source: C('blue.tif'), args: co('COMPRESS=PACKBITS', 'ENDIANNESS=BIG', 'ROWSPERSTRIP=10'), expect: { compression: 32773, bits: 16, littleEndian: false, tiled: false } },
  // LERC
  { name: 'LERC float32 lossless', source: C('dem.tif'), args: [...co('COMPRESS=LERC', 'MAX_Z_ERROR=0'), ...tiled()], expect: { compression: 34887 } },
  { name: 'LERC float32 lossy (MAX_Z_ERROR=0.5)', source: C('dem.tif'), args: [...co('COMPRESS=LERC', 'MAX_Z_ERROR=0.5'), ...tiled()], expect: { compression: 34887 } },
  { name: 'LERC_DEFLATE float32', source: C('dem.tif'), args: [...co('COMPRESS=LERC_DEFLATE'), ...tiled()], expect: { compression: 34887 } },
  { name: 'LERC_ZSTD float32', source: C('dem.tif'), args: [...co('COMPRESS=LERC_ZSTD'), ...tiled()], expect: { compression: 34887 } },
  {
    name: 'LERC float32 with NaN (validity mask)',
    source: C('cog_with_nan.tif'),
    args: [...co('COMPRESS=LERC'), ...tiled()],
    expect: { compression: 34887 },
    check: (r) => expect(r.invalidPixels, 'NaN pixels reported invalid').to.be.greaterThan(0),
  },
  { name: 'LERC_ZSTD int16', source: C('oisst-avhrr-v02r01.20220913-sst.tif'), args: [...co('COMPRESS=LERC_ZSTD'), ...tiled(256)], expect: { compression: 34887, bits: 16, sampleFormat: 2 } },
  { name: 'LERC RGB uint8, pixel interleaved', source: C('RGB.byte.tif'), args: [...co('COMPRESS=LERC'), ...tiled(256)], expect: { compression: 34887, bits: 8, planar: 1 } },
  { name: 'LERC_DEFLATE RGB uint8, band interleaved', source: C('RGB.byte.tif'), args: [...co('COMPRESS=LERC_DEFLATE', 'INTERLEAVE=BAND'), ...tiled(256)], expect: { compression: 34887, planar: 2 } },
  // Sub-byte
  { name: '4-bit palette (NBITS=4), DEFLATE strips', source: paletteSource, args: co('NBITS=4', 'COMPRESS=DEFLATE', 'ROWSPERSTRIP=20'), expect: { compression: 8, bits: 4, tiled: false } },
  { name: '4-bit palette (NBITS=4), LZW tiles', source: paletteSource, args: [...co('NBITS=4', 'COMPRESS=LZW'), ...tiled(64)], expect: { compression: 5, bits: 4 } },
  { name: '2-bit (NBITS=2), PACKBITS, odd width', source: C('shade.tif'), args: ['-srcwin', '0', '0', '1001', '517', '-scale', '0', '255', '0', '3', ...co('NBITS=2', 'COMPRESS=PACKBITS', 'ROWSPERSTRIP=33')], expect: { compression: 32773, bits: 2 } },
  { name: '1-bit (NBITS=1), uncompressed, odd width', source: C('shade.tif'), args: ['-srcwin', '0', '0', '1001', '517', '-scale', '0', '255', '0', '1', ...co('NBITS=1', 'ROWSPERSTRIP=50')], expect: { compression: 1, bits: 1 } },
  // JPEG
  { name: 'JPEG RGB (PHOTOMETRIC=RGB), edge tiles', source: C('RGB.byte.tif'), args: [...co('COMPRESS=JPEG', 'PHOTOMETRIC=RGB'), ...tiled(256)], expect: { compression: 7 } },
  { name: 'JPEG YCbCr strips, short last strip', source: C('RGB.byte.tif'), args: co('COMPRESS=JPEG', 'PHOTOMETRIC=YCBCR', 'ROWSPERSTRIP=32'), expect: { compression: 7, tiled: false } },
  { name: 'JPEG YCbCr without JPEGTables (JPEGTABLESMODE=0)', source: C('RGB.byte.tif'), args: [...co('COMPRESS=JPEG', 'PHOTOMETRIC=YCBCR', 'JPEGTABLESMODE=0'), ...tiled(256)], expect: { compression: 7 } },
  { name: 'JPEG gray', source: C('shade.tif'), args: [...co('COMPRESS=JPEG', 'JPEG_QUALITY=60'), ...tiled(256)], expect: { compression: 7 } },
  { name: 'JPEG YCbCr COG with internal mask and overviews', source: C('cog_rgb_mask.tif'), args: ['-of', 'COG', ...co('COMPRESS=JPEG', 'BLOCKSIZE=128')], expect: { compression: 7 } },
  // WEBP
  { name: 'WEBP lossy RGB COG with overviews', source: C('TCI.tif'), args: ['-of', 'COG', ...co('COMPRESS=WEBP', 'QUALITY=70', 'BLOCKSIZE=256')], expect: { compression: 50001 } },
  { name: 'WEBP lossless RGBA', source: C('cog_rgba.tif'), args: [...co('COMPRESS=WEBP', 'WEBP_LOSSLESS=YES'), ...tiled()], expect: { compression: 50001 } },
  { name: 'WEBP lossy RGBA', source: C('cog_rgba.tif'), args: [...co('COMPRESS=WEBP', 'WEBP_LEVEL=80'), ...tiled()], expect: { compression: 50001 } },
  {
    name: 'WEBP lossy RGBA with all-opaque alpha',
    source: C('RGB.byte.tif'),
    args: ['-b', '1', '-b', '2', '-b', '3', '-b', '1', '-scale_4', '0', '255', '255', '255', '-colorinterp_4', 'alpha', ...co('COMPRESS=WEBP', 'ALPHA=YES'), ...tiled(256)],
    expect: { compression: 50001 },
  },
];

describe('decode: synthetic gdal_translate files match GDAL', function () {
  let dir: string;
  const jpegWebpDiffs: string[] = [];

  before(async function () {
    requireGdal(this, true);
    dir = await mkdtemp(join(tmpdir(), 'tilewright-decode-'));
  });

  after(async function () {
    if (jpegWebpDiffs.length) console.log(`      JPEG/WebP max |Δ| vs GDAL: ${jpegWebpDiffs.join('; ')}`);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  cases.forEach((c, i) => {
    it(c.name, async function () {
      const source = typeof c.source === 'string' ? c.source : await c.source(dir);
      const out = join(dir, `case${i}.tif`);
      await gdalTranslate([...c.args, source, out]);

      const [main] = await readIfds(out);
      const e = c.expect;
      expect(main!.layout.compression, 'compression').to.equal(e.compression);
      if (e.predictor !== undefined) expect(main!.layout.predictor, 'predictor').to.equal(e.predictor);
      if (e.bits !== undefined) expect(main!.layout.bitsPerSample, 'bits').to.equal(e.bits);
      if (e.sampleFormat !== undefined) expect(main!.layout.sampleFormat, 'sampleFormat').to.equal(e.sampleFormat);
      if (e.littleEndian !== undefined) expect(main!.layout.littleEndian, 'littleEndian').to.equal(e.littleEndian);
      if (e.tiled !== undefined) expect(main!.tiled, 'tiled').to.equal(e.tiled);
      if (e.planar !== undefined) expect(main!.planar, 'planar').to.equal(e.planar);

      const report = await checkFileAgainstGdal(out);
      console.log(`      ${describeReport(report)}`);
      expect(report.failures, report.failures.slice(0, 5).join('\n')).to.deep.equal([]);
      expect(report.blocks).to.be.greaterThan(0);
      for (const code of [Compression.Jpeg, Compression.Webp]) {
        const diff = report.maxDiff.get(code);
        if (diff !== undefined) jpegWebpDiffs.push(`${c.name}: ${diff}`);
      }
      c.check?.(report);
    });
  });
});
