/**
 * Encoding (src/tiling/encode.ts): round trips decoded with sharp (decoded pixels, never
 * bytes), alpha handling, the cached blank tile and format parsing.
 */
import { expect } from 'chai';
import sharp from 'sharp';
import { InvalidParameterError } from '../../src/errors.js';
import { blankTile, contentTypes, encodeRgba, parseFormat, type ImageFormat } from '../../src/tiling/encode.js';

interface Decoded { data: Uint8Array; width: number; height: number; channels: number; format: string; hasAlpha: boolean }

async function decode(bytes: Uint8Array): Promise<Decoded> {
  const meta = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: meta.channels!, format: meta.format!, hasAlpha: !!meta.hasAlpha };
}

const W = 96, H = 64;

/** A smooth test picture (JPEG/WebP-friendly) with an alpha pattern: 0 in the left quarter, a ramp, 255 on the right. */
function picture(opaque: boolean): Uint8Array {
  const out = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = 4 * (y * W + x);
      out[i] = Math.round((255 * x) / (W - 1));
      out[i + 1] = Math.round((255 * y) / (H - 1));
      out[i + 2] = Math.round(128 + 100 * Math.sin(x / 9) * Math.cos(y / 7));
      out[i + 3] = opaque ? 255 : x < W / 4 ? 0 : x < W / 2 ? Math.round((255 * (x - W / 4)) / (W / 4)) : 255;
    }
  }
  return out;
}

/** Noise: incompressible, catches any channel shuffle or off-by-one row. */
function noise(seed: number): Uint8Array {
  const out = new Uint8Array(W * H * 4);
  let s = seed;
  for (let i = 0; i < out.length; i++) { s = (s * 1103515245 + 12345) >>> 0; out[i] = s >>> 24; }
  return out;
}

function colourError(a: Uint8Array, b: Uint8Array, onlyOpaque = true): { max: number; mean: number } {
  let max = 0, sum = 0, n = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (onlyOpaque && a[i + 3] !== 255) continue;
    for (let c = 0; c < 3; c++) { const d = Math.abs(a[i + c]! - b[i + c]!); max = Math.max(max, d); sum += d; n++; }
  }
  return { max, mean: sum / n };
}

describe('encode: encodeRgba round trips (decoded with sharp)', () => {
  it('PNG is lossless, alpha and colours under alpha 0 included', async () => {
    const src = noise(7);
    const d = await decode(await encodeRgba(src, W, H, 'png'));
    expect([d.format, d.width, d.height, d.channels]).to.deep.equal(['png', W, H, 4]);
    expect(Buffer.from(d.data).equals(Buffer.from(src))).to.equal(true);
  });

  it('opaque PNG drops the alpha channel and keeps every colour', async () => {
    const src = noise(8);
    for (let i = 3; i < src.length; i += 4) src[i] = 255;
    const d = await decode(await encodeRgba(src, W, H, 'png'));
    expect(d.channels).to.equal(3);
    expect(d.hasAlpha).to.equal(false);
    expect(Buffer.from(d.data).equals(Buffer.from(src))).to.equal(true);
  });

  it('a single non-opaque pixel keeps the alpha channel', async () => {
    const src = picture(true);
    src[4 * (W * H - 1) + 3] = 254;
    const d = await decode(await encodeRgba(src, W, H, 'png'));
    expect(d.channels).to.equal(4);
    expect(d.data[4 * (W * H - 1) + 3]).to.equal(254);
  });

  it('the fast and small PNG encoders give the same pixels, the small one fewer bytes', async () => {
    for (const opaque of [false, true]) {
      const src = picture(opaque);
      const fast = await encodeRgba(src, W, H, 'png', { png: 'fast' });
      const small = await encodeRgba(src, W, H, 'png', { png: 'small' });
      expect(small.length).to.be.lessThan(fast.length);
      const a = await decode(fast), b = await decode(small);
      expect([a.format, a.channels]).to.deep.equal(['png', opaque ? 3 : 4]);
      expect(Buffer.from(a.data).equals(Buffer.from(b.data))).to.equal(true);
    }
  });

  it('the fast PNG writer produces a PNG that GDAL-independent decoders accept bit-exactly (sharp/libpng, odd sizes)', async () => {
    for (const [w, h] of [[1, 1], [3, 7], [257, 5]] as const) {
      const px = new Uint8Array(w * h * 4).map((_, i) => (i * 37 + (i >> 2)) & 255);
      const d = await sharp(await encodeRgba(px, w, h, 'png')).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([d.info.width, d.info.height]).to.deep.equal([w, h]);
      expect(Buffer.from(d.data).equals(Buffer.from(px))).to.equal(true);
    }
  });

  it('JPEG: three channels, colours within a small error of the source', async () => {
    const src = picture(true);
    const d = await decode(await encodeRgba(src, W, H, 'jpeg'));
    expect([d.format, d.width, d.height, d.channels]).to.deep.equal(['jpeg', W, H, 3]);
    const e = colourError(src, d.data);
    // Quality 85 on a smooth picture: a few levels on average, no gross errors.
    expect(e.mean).to.be.below(3);
    expect(e.max).to.be.below(40);
  });

  it('JPEG has no alpha: transparent pixels come out as their (zeroed) colour, black', async () => {
    const src = picture(false);
    for (let i = 0; i < src.length; i += 4) if (src[i + 3] === 0) src[i] = src[i + 1] = src[i + 2] = 0;
    const d = await decode(await encodeRgba(src, W, H, 'jpeg'));
    expect(d.channels).to.equal(3);
    // Well inside the transparent left quarter (away from block edges next to colour): near black.
    for (const [x, y] of [[2, 2], [10, 30], [15, 60]] as const) {
      const i = 4 * (y * W + x);
      expect(Math.max(d.data[i]!, d.data[i + 1]!, d.data[i + 2]!), `(${x}, ${y})`).to.be.below(12);
    }
  });

  it('JPEG quality: lower quality, smaller file, larger error', async () => {
    const src = picture(true);
    const lo = await encodeRgba(src, W, H, 'jpeg', { quality: 10 });
    const hi = await encodeRgba(src, W, H, 'jpeg', { quality: 95 });
    expect(lo.length).to.be.lessThan(hi.length);
    expect(colourError(src, (await decode(lo)).data).mean).to.be.greaterThan(colourError(src, (await decode(hi)).data).mean);
  });

  it('WebP with alpha: alpha exact (alphaQuality 100), colours of opaque pixels within a small error', async () => {
    const src = picture(false);
    const d = await decode(await encodeRgba(src, W, H, 'webp'));
    expect([d.format, d.width, d.height, d.channels]).to.deep.equal(['webp', W, H, 4]);
    for (let i = 3; i < src.length; i += 4) if (d.data[i] !== src[i]) expect.fail(`alpha at pixel ${(i - 3) / 4}: ${d.data[i]} vs ${src[i]}`);
    const e = colourError(src, d.data);
    expect(e.mean).to.be.below(4);
    expect(e.max).to.be.below(48);
  });

  it('opaque WebP drops the alpha channel', async () => {
    const d = await decode(await encodeRgba(picture(true), W, H, 'webp'));
    expect(d.channels).to.equal(3);
    expect(d.hasAlpha).to.equal(false);
  });

  it('does not modify its input and accepts a view into a larger buffer', async () => {
    const src = noise(9);
    const big = new Uint8Array(src.length + 16);
    big.set(src, 16);
    const view = big.subarray(16);
    const copy = view.slice();
    const d = await decode(await encodeRgba(view, W, H, 'png'));
    expect(Buffer.from(view).equals(Buffer.from(copy))).to.equal(true);
    expect(Buffer.from(d.data).equals(Buffer.from(src))).to.equal(true);
  });
});

describe('encode: blankTile', () => {
  for (const [format, size] of [['png', 256], ['webp', 256], ['png', 512], ['webp', 512]] as const) {
    it(`${format} ${size}: fully transparent, right size`, async () => {
      const d = await decode(await blankTile(format, size, size));
      expect([d.format, d.width, d.height]).to.deep.equal([format, size, size]);
      expect(d.hasAlpha).to.equal(true);
      for (let i = 3; i < d.data.length; i += 4) if (d.data[i] !== 0) expect.fail(`alpha ${d.data[i]} at pixel ${(i - 3) / 4}`);
    });
  }

  it('jpeg: black (no alpha)', async () => {
    const d = await decode(await blankTile('jpeg', 256, 256));
    expect([d.format, d.width, d.height, d.channels]).to.deep.equal(['jpeg', 256, 256, 3]);
    let max = 0;
    for (let i = 0; i < d.data.length; i++) if (i % 4 !== 3) max = Math.max(max, d.data[i]!);
    expect(max).to.be.at.most(1);
  });

  it('every caller gets its own copy: mutating or transferring one does not touch the next', async () => {
    const a = await blankTile('png', 256, 256);
    const pristine = a.slice();
    a.fill(0);
    const b = await blankTile('png', 256, 256);
    expect(b.buffer).to.not.equal(a.buffer);
    expect(Buffer.from(b).equals(Buffer.from(pristine))).to.equal(true);
    // Transferring (as a worker does) detaches only that copy.
    structuredClone(b, { transfer: [b.buffer as ArrayBuffer] });
    expect(b.byteLength).to.equal(0);
    const c = await blankTile('png', 256, 256);
    expect(Buffer.from(c).equals(Buffer.from(pristine))).to.equal(true);
    expect((await decode(c)).width).to.equal(256);
  });

  it('concurrent first calls share one encoding and still get separate copies', async () => {
    const [a, b] = await Promise.all([blankTile('webp', 300, 200), blankTile('webp', 300, 200)]);
    expect(a.buffer).to.not.equal(b.buffer);
    expect(Buffer.from(a).equals(Buffer.from(b))).to.equal(true);
    expect([(await decode(a)).width, (await decode(a)).height]).to.deep.equal([300, 200]);
  });
});

describe('encode: parseFormat and content types', () => {
  const good: Array<[string, ImageFormat]> = [
    ['png', 'png'], ['PNG', 'png'], ['image/png', 'png'], ['jpg', 'jpeg'], ['jpeg', 'jpeg'], ['JPG', 'jpeg'],
    ['image/jpeg', 'jpeg'], ['webp', 'webp'], ['IMAGE/WEBP', 'webp'],
  ];
  for (const [input, want] of good) {
    it(`"${input}" → ${want}`, () => expect(parseFormat(input)).to.equal(want));
  }

  for (const input of ['gif', '', 'image/gif', 'pngx', 'image/', 'tiff', 'jpe']) {
    it(`"${input}" → InvalidParameterError(format)`, () => {
      let err: unknown;
      try { parseFormat(input); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(InvalidParameterError);
      expect((err as InvalidParameterError).parameter).to.equal('format');
      expect((err as Error).message).to.include(`"${input}"`);
    });
  }

  it('content types', () => {
    expect(contentTypes).to.deep.equal({ png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' });
  });
});
