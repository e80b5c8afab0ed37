import { AbortedError } from '../../src/errors.js';
/**
 * Unit tests of the hand-written parts (LZW, PackBits, predictors, bit unpacking, half floats,
 * byte order) with hand-computed vectors, plus the API contract: errors, abort, sync twin.
 */
import { expect } from 'chai';
import { deflateSync } from 'node:zlib';
import { describe, it } from 'mocha';
import {
  BlockDecodeError,
  Compression,
  UnsupportedCompressionError,
  UnsupportedSampleLayoutError,
  decodeBlock,
  decodeBlockSync,
  decodeBlockWithMask,
  loadWasmCodecs,
  type BlockLayout,
} from '../../src/tiling/decode/index.js';
import { lzwDecode } from '../../src/tiling/decode/lzw.js';
import { packBitsDecode } from '../../src/tiling/decode/packbits.js';
import { halfToNumber } from '../../src/tiling/decode/samples.js';
import { CORPUS_DIR } from './helpers/gdal.js';
import { readBlockBytes, readIfds, sampleBlocks } from './helpers/tiff.js';

const base: BlockLayout = {
  compression: 1,
  predictor: 1,
  width: 4,
  height: 2,
  samplesPerPixel: 1,
  bitsPerSample: 8,
  sampleFormat: 1,
  littleEndian: true,
  photometric: 1,
};
const layout = (over: Partial<BlockLayout>): BlockLayout => ({ ...base, ...over });

/**
 * Test-only TIFF LZW encoder (MSB-first, early change, ClearCode when the table is full), to
 * round-trip data through the decoder, table resets and the KwKwK case included.
 */
function lzwEncode(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let accBits = 0;
  let nbits = 9;
  const put = (code: number) => {
    acc = (acc << nbits) | code;
    accBits += nbits;
    while (accBits >= 8) {
      out.push((acc >>> (accBits - 8)) & 0xff);
      accBits -= 8;
    }
    acc &= (1 << accBits) - 1;
  };
  let table = new Map<number, number>();
  let next = 258;
  put(256);
  let w = data.length ? data[0]! : -1;
  for (let i = 1; i < data.length; i++) {
    const c = data[i]!;
    const key = w * 256 + c;
    const hit = table.get(key);
    if (hit !== undefined) {
      w = hit;
      continue;
    }
    put(w);
    table.set(key, next++);
    if (next === 4094) {
      put(256);
      table = new Map();
      next = 258;
      nbits = 9;
    } else if (next > (1 << nbits) - 1 && nbits < 12) {
      nbits++;
    }
    w = c;
  }
  if (w >= 0) put(w);
  put(257);
  if (accBits > 0) out.push((acc << (8 - accBits)) & 0xff);
  return Uint8Array.from(out);
}

describe('decode: hand-written codecs', function () {
  describe('PackBits (TIFF 6.0 §9)', function () {
    it('decodes the example of the specification', function () {
      const packed = Uint8Array.from([0xfe, 0xaa, 0x02, 0x80, 0x00, 0x2a, 0xfd, 0xaa, 0x03, 0x80, 0x00, 0x2a, 0x22, 0xf7, 0xaa]);
      const expected = Uint8Array.from([
        0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0xaa, 0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0x22,
        0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
      ]);
      expect(packBitsDecode(packed, 24)).to.deep.equal(expected);
    });

    it('skips the -128 no-op and throws on a short stream', function () {
      expect(packBitsDecode(Uint8Array.from([0x80, 0x00, 0x07]), 1)).to.deep.equal(Uint8Array.of(7));
      expect(() => packBitsDecode(Uint8Array.from([0x01, 0x07]), 2)).to.throw(/ended after 1 of 2/);
    });
  });

  describe('LZW (TIFF 6.0 §13)', function () {
    it('round-trips text with repeats (KwKwK) and long data across table resets', function () {
      const text = new TextEncoder().encode('TOBEORNOTTOBEORTOBEORNOT#aaaaaaaaaaaaaaaaab');
      expect(lzwDecode(lzwEncode(text), text.length)).to.deep.equal(text);
      // 200 kB of low-entropy bytes fill the 4096-entry table many times.
      let seed = 42;
      const big = new Uint8Array(200_000);
      for (let i = 0; i < big.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        big[i] = (seed >>> 24) % 7 === 0 ? seed & 0xff : i % 13;
      }
      expect(lzwDecode(lzwEncode(big), big.length)).to.deep.equal(big);
    });

    it('stops at expectedBytes, and throws on a truncated stream or old-style LZW', function () {
      const data = new TextEncoder().encode('abcabcabcabcabcabc');
      const encoded = lzwEncode(data);
      expect(lzwDecode(encoded, 5)).to.deep.equal(data.subarray(0, 5));
      expect(() => lzwDecode(encoded.subarray(0, 4), data.length)).to.throw(/stream ended/);
      expect(() => lzwDecode(Uint8Array.of(0x00, 0x01, 0x02), 3)).to.throw(/old-style/);
    });
  });

  describe('predictors and sample layouts', function () {
    it('undoes predictor 2 per row and per sample (uint8, 2 samples)', async function () {
      // Row 0: pixels (10,100) (11,90) (14,95); row 1: (0,0) (255,1) (1,2) — differences wrap.
      const stored = Uint8Array.from([10, 100, 1, 246, 3, 5, 0, 0, 255, 1, 2, 1]);
      const out = await decodeBlock(stored, layout({ predictor: 2, width: 3, samplesPerPixel: 2 }));
      expect(out).to.be.instanceOf(Uint8Array);
      expect(Array.from(out)).to.deep.equal([10, 100, 11, 90, 14, 95, 0, 0, 255, 1, 1, 2]);
      expect(Array.from(stored), 'caller bytes untouched').to.deep.equal([10, 100, 1, 246, 3, 5, 0, 0, 255, 1, 2, 1]);
    });

    it('swaps big-endian words before predictor 2 (int16)', async function () {
      // Values 1000, 998, -2 stored big-endian as differences 1000, -2, -1000.
      const be = (v: number) => [(v >> 8) & 0xff, v & 0xff];
      const stored = Uint8Array.from([...be(1000), ...be(-2 & 0xffff), ...be(-1000 & 0xffff)]);
      const out = await decodeBlock(stored, layout({ predictor: 2, width: 3, height: 1, bitsPerSample: 16, sampleFormat: 2, littleEndian: false }));
      expect(out).to.be.instanceOf(Int16Array);
      expect(Array.from(out)).to.deep.equal([1000, 998, -2]);
    });

    it('undoes predictor 3 (byte planes, MSB first, then byte differences)', async function () {
      const values = [1.5, -2.25, 3e-3, 1e30, 0, -0, Infinity, 42];
      const width = 4;
      const height = 2;
      const stored = new Uint8Array(values.length * 4);
      for (let row = 0; row < height; row++) {
        const rowValues = new Float32Array(values.slice(row * width, row * width + width));
        const bytes = new Uint8Array(rowValues.buffer);
        const planes = new Uint8Array(width * 4);
        for (let s = 0; s < width; s++) for (let b = 0; b < 4; b++) planes[(3 - b) * width + s] = bytes[s * 4 + b]!; // little-endian host
        for (let i = planes.length - 1; i >= 1; i--) planes[i] = (planes[i]! - planes[i - 1]!) & 0xff;
        stored.set(planes, row * width * 4);
      }
      const out = await decodeBlock(stored, layout({ predictor: 3, width, height, bitsPerSample: 32, sampleFormat: 3 }));
      expect(out).to.be.instanceOf(Float32Array);
      expect(Array.from(out)).to.deep.equal(Array.from(new Float32Array(values)));
    });

    it('expands 1-, 2- and 4-bit samples MSB-first with byte-padded rows', async function () {
      // 1-bit, width 3: rows 101xxxxx and 011xxxxx.
      expect(Array.from(await decodeBlock(Uint8Array.of(0b10111111, 0b01100000), layout({ width: 3, bitsPerSample: 1 })))).to.deep.equal([1, 0, 1, 0, 1, 1]);
      // 2-bit, width 3: 00 01 10 | 11 11 00.
      expect(Array.from(await decodeBlock(Uint8Array.of(0b00011000, 0b11110000), layout({ width: 3, bitsPerSample: 2 })))).to.deep.equal([0, 1, 2, 3, 3, 0]);
      // 4-bit, width 3: 0xA 0xB 0xC | 0x1 0x2 0x3.
      expect(Array.from(await decodeBlock(Uint8Array.of(0xab, 0xc0, 0x12, 0x30), layout({ width: 3, bitsPerSample: 4 })))).to.deep.equal([10, 11, 12, 1, 2, 3]);
    });

    it('widens half floats to Float32Array', async function () {
      expect(halfToNumber(0x3c00)).to.equal(1);
      expect(halfToNumber(0xc000)).to.equal(-2);
      expect(halfToNumber(0x7bff)).to.equal(65504);
      expect(halfToNumber(0x0001)).to.equal(2 ** -24);
      expect(halfToNumber(0xfc00)).to.equal(-Infinity);
      expect(halfToNumber(0x7e00)).to.be.NaN;
      const out = await decodeBlock(Uint8Array.of(0x3c, 0x00, 0x40, 0x00), layout({ width: 2, height: 1, bitsPerSample: 16, sampleFormat: 3, littleEndian: false }));
      expect(out).to.be.instanceOf(Float32Array);
      expect(Array.from(out)).to.deep.equal([1, 2]);
    });

    it('types the output by sampleFormat and bits', async function () {
      const cases: [Partial<BlockLayout>, Function][] = [
        [{ bitsPerSample: 8, sampleFormat: 2 }, Int8Array],
        [{ bitsPerSample: 16, sampleFormat: 1 }, Uint16Array],
        [{ bitsPerSample: 32, sampleFormat: 1 }, Uint32Array],
        [{ bitsPerSample: 32, sampleFormat: 2 }, Int32Array],
        [{ bitsPerSample: 64, sampleFormat: 3 }, Float64Array],
      ];
      for (const [over, type] of cases) {
        const l = layout(over);
        const out = await decodeBlock(new Uint8Array((l.width * l.height * l.bitsPerSample) / 8), l);
        expect(out, JSON.stringify(over)).to.be.instanceOf(type);
        expect(out.length).to.equal(8);
      }
    });

    it('returns 64-bit integers from decodeBlockWithMask only', async function () {
      const l = layout({ width: 2, height: 1, bitsPerSample: 64, sampleFormat: 2, predictor: 2 });
      const stored = new BigInt64Array([-5n, 7n]);
      const { samples } = await decodeBlockWithMask(new Uint8Array(stored.buffer), l);
      expect(samples).to.be.instanceOf(BigInt64Array);
      expect(Array.from(samples as BigInt64Array)).to.deep.equal([-5n, 2n]);
      await expectRejection(decodeBlock(new Uint8Array(stored.buffer), l), UnsupportedSampleLayoutError, /64-bit integer/);
    });
  });
});

async function expectRejection(work: Promise<unknown>, type: Function, message: RegExp): Promise<Error> {
  try {
    await work;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    expect((error as Error).message).to.match(message);
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('decode: API contract', function () {
  it('rejects an unknown compression with UnsupportedCompressionError carrying the code', async function () {
    const error = await expectRejection(decodeBlock(new Uint8Array(8), layout({ compression: 34712 })), UnsupportedCompressionError, /JPEG2000 \(34712\)/);
    expect((error as UnsupportedCompressionError).compression).to.equal(34712);
    expect(error.name).to.equal('UnsupportedCompressionError');
    expect(() => decodeBlockSync(new Uint8Array(8), layout({ compression: 3 }))).to.throw(UnsupportedCompressionError, /CCITT Group 3 \(3\)/);
  });

  it('rejects impossible layouts with UnsupportedSampleLayoutError', async function () {
    await expectRejection(decodeBlock(new Uint8Array(8), layout({ predictor: 2, bitsPerSample: 4 })), UnsupportedSampleLayoutError, /horizontal predictor with 4-bit/);
    await expectRejection(decodeBlock(new Uint8Array(8), layout({ predictor: 3 })), UnsupportedSampleLayoutError, /floating point predictor/);
    await expectRejection(decodeBlock(new Uint8Array(8), layout({ bitsPerSample: 12 })), UnsupportedSampleLayoutError, /12-bit/);
    await expectRejection(decodeBlock(new Uint8Array(8), layout({ compression: 7, bitsPerSample: 16 })), UnsupportedSampleLayoutError, /JPEG \(7\)/);
    await expectRejection(decodeBlock(new Uint8Array(8), layout({ compression: 50001, samplesPerPixel: 1 })), UnsupportedSampleLayoutError, /WEBP \(50001\)/);
  });

  it('names the compression when data is corrupt or short', async function () {
    const garbage = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff);
    await expectRejection(decodeBlock(garbage.subarray(0, 4), layout({})), BlockDecodeError, /NONE \(1\).*4 bytes, 8 expected/);
    await expectRejection(decodeBlock(garbage, layout({ compression: 8 })), BlockDecodeError, /DEFLATE \(8\) block decoding failed/);
    await expectRejection(decodeBlock(deflateSync(Uint8Array.of(1, 2, 3)), layout({ compression: 32946 })), BlockDecodeError, /DEFLATE \(32946\).*3 bytes, 8 expected/);
    await expectRejection(decodeBlock(Uint8Array.of(0x80, 0x00), layout({ compression: 5 })), BlockDecodeError, /LZW \(5\)/);
    await expectRejection(decodeBlock(Uint8Array.of(0x01, 0x07), layout({ compression: 32773 })), BlockDecodeError, /PACKBITS \(32773\)/);
    await expectRejection(decodeBlock(garbage, layout({ compression: 50000 })), BlockDecodeError, /ZSTD \(50000\)/);
    await expectRejection(decodeBlock(garbage, layout({ compression: 34887, sampleFormat: 3, bitsPerSample: 32 })), BlockDecodeError, /LERC \(34887\)/);
    await expectRejection(decodeBlock(garbage, layout({ compression: 34887, lercParameters: [4, 2], sampleFormat: 3, bitsPerSample: 32 })), BlockDecodeError, /LERC \(34887\)/);
    await expectRejection(decodeBlock(Uint8Array.of(0xff, 0xd8, 0xff, 0xdb, 0, 3, 0), layout({ compression: 7 })), BlockDecodeError, /JPEG \(7\) block decoding failed/);
    await expectRejection(decodeBlock(garbage, layout({ compression: 7 })), BlockDecodeError, /JPEG \(7\).*SOI/);
    await expectRejection(decodeBlock(garbage, layout({ compression: 50001, samplesPerPixel: 3 })), BlockDecodeError, /WEBP \(50001\) block decoding failed/);
  });

  it('accepts a deflate stream cut after its data (as libtiff does) but not one cut inside it', async function () {
    const raw = Uint8Array.from({ length: 8 }, (_, i) => i * 3);
    const full = deflateSync(raw);
    const noChecksum = full.subarray(0, full.length - 4);
    expect(Array.from(await decodeBlock(noChecksum, layout({ compression: 8 })))).to.deep.equal(Array.from(raw));
    expect(Array.from(decodeBlockSync(noChecksum, layout({ compression: 8 })).samples as Uint8Array)).to.deep.equal(Array.from(raw));
    const big = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff);
    const cut = deflateSync(big).subarray(0, 100);
    await expectRejection(decodeBlock(cut, layout({ compression: 8, width: 64, height: 64 })), BlockDecodeError, /DEFLATE \(8\).*expected/);
  });

  it('honours an AbortSignal, before and during decoding', async function () {
    const raw = new Uint8Array(4096 * 4096);
    const compressed = deflateSync(raw);
    const big = layout({ compression: 8, width: 4096, height: 4096 });
    const aborted = AbortSignal.abort();
    await expectRejection(decodeBlock(compressed, big, aborted), AbortedError, /abort/i);
    const controller = new AbortController();
    const pending = decodeBlock(compressed, big, controller.signal);
    controller.abort();
    await expectRejection(pending, AbortedError, /abort/i);
    // Without abort the same block decodes.
    expect((await decodeBlock(compressed, big)).length).to.equal(4096 * 4096);
  });

  it('decodeBlockSync matches decodeBlock on corpus blocks of every synchronous codec', async function () {
    await loadWasmCodecs();
    const files = {
      'web.tif': Compression.AdobeDeflate,
      'world.byte.tif': Compression.Lzw,
      'rgbi16.stats.tiff': Compression.Zstd,
      'abel-tasman-and-golden-bay_2016_dem_1m_BP25_10000_0404.tiff': Compression.Lerc,
      'austrian_capitals_model_tie_point_and_pixel_scale_pixel_is_area.tif': Compression.Deflate,
      'byte.tif': Compression.None,
    };
    for (const [file, compression] of Object.entries(files)) {
      const [ifd] = await readIfds(CORPUS_DIR + file);
      expect(ifd!.layout.compression, file).to.equal(compression);
      const blocks = sampleBlocks(ifd!);
      const bytes = await readBlockBytes(CORPUS_DIR + file, blocks);
      for (let i = 0; i < blocks.length; i++) {
        const sync = decodeBlockSync(bytes[i]!, blocks[i]!.layout);
        const async = await decodeBlockWithMask(bytes[i]!, blocks[i]!.layout);
        expect(sync.samples, file).to.deep.equal(async.samples);
      }
    }
  });

  it('decodeBlockSync refuses JPEG and WebP with a pointer to the async API', function () {
    expect(() => decodeBlockSync(Uint8Array.of(0xff, 0xd8), layout({ compression: 7 }))).to.throw(BlockDecodeError, /asynchronously/);
  });
});
