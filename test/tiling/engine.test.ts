/**
 * The inline rendering engine (src/tiling/engine.ts): real tiles from the corpus, empty
 * tiles, domain errors, mosaics of GeoTIFFs built here with GDAL (constant colours, so the
 * expected pixels follow from the layout alone), palette files, cancellation and 512-pixel
 * tiles. Pixels are compared after decoding, never as encoded bytes.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  AbortedError, InvalidParameterError, NotFoundError, SourceReadError, TileOutOfRangeError, UnsupportedFormatError,
  UnsupportedGeoreferencingError,
} from '../../src/errors.js';
import {
  UnknownTileMatrixSet, createDefaultRegistry, tileChildren, tileCrsBounds, tileForLonLat, webMercatorQuad, type TileAddress,
} from '../../src/tilematrixsets/index.js';
import { Engine, type TileJob, type TileResult } from '../../src/tiling/engine.js';
import type { Resampling } from '../../src/tiling/warp/plan.js';
import { CORPUS, needTool } from '../helpers/services.js';
import { rejection } from '../helpers/async.js';

const WMQ = webMercatorQuad();
const COGEO = CORPUS + 'cogeo.tif';
const CMAP = CORPUS + 'cog_cmap.tif';
const at = (z: string, lon: number, lat: number): TileAddress => tileForLonLat(WMQ, z, lon, lat)!;
/** A tile inside cogeo.tif (128.6595°E 37.6705°N). */
const cogeoTile = (z: string) => at(z, 128.6595, 37.6705);
/** A tile inside cog_cmap.tif (79.41°W 39.85°N). */
const cmapTile = (z: string) => at(z, -79.41, 39.85);

function job(sources: string[], tile: TileAddress, extra: Partial<TileJob> = {}): TileJob {
  for (const s of sources) opened.add(s);
  return { sources, tileMatrixSet: WMQ, tile, resampling: 'bilinear', style: {}, format: 'png', ...extra };
}

interface Pixels { data: Uint8Array; width: number; height: number; format: string }

async function pixels(r: TileResult): Promise<Pixels> {
  if (r.kind !== 'image') throw new Error(`expected an image, got ${r.kind}`);
  const meta = await sharp(r.bytes).metadata();
  const { data, info } = await sharp(r.bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, format: meta.format! };
}
const rgbaAt = (p: Pixels, x: number, y: number) => Array.from(p.data.subarray(4 * (y * p.width + x), 4 * (y * p.width + x) + 4));


/**
 * Engines made by this file. Their opened files are released by evicting them from each
 * engine's COG cache (lru-cache dispose closes the handle); otherwise Node closes the
 * FileHandles on garbage collection with a DEP0137 warning.
 */
const engines: Engine[] = [];
const opened = new Set<string>();
function newEngine(): Engine {
  const e = new Engine();
  engines.push(e);
  return e;
}
function releaseAll(): void {
  for (const e of engines) for (const path of opened) e.cogs.evict(path);
}

describe('engine: rendering real tiles', function () {
  this.timeout(60_000);
  after(releaseAll);
  const engine = newEngine();

  for (const [format, mime] of [['png', 'image/png'], ['jpeg', 'image/jpeg'], ['webp', 'image/webp']] as const) {
    it(`cogeo.tif z16 as ${format}: a decodable 256x256 image with content`, async () => {
      const r = await engine.renderTile(job([COGEO], cogeoTile('16'), { format }));
      expect(r.kind).to.equal('image');
      if (r.kind !== 'image') return;
      expect(r.contentType).to.equal(mime);
      expect([r.width, r.height]).to.deep.equal([256, 256]);
      const p = await pixels(r);
      expect([p.format, p.width, p.height]).to.deep.equal([format, 256, 256]);
      // Real imagery: many distinct colours.
      const colours = new Set<number>();
      for (let i = 0; i < p.data.length; i += 4) colours.add((p.data[i]! << 16) | (p.data[i + 1]! << 8) | p.data[i + 2]!);
      expect(colours.size).to.be.greaterThan(500);
    });
  }

  it('a tile over the raster edge is partly transparent (PNG keeps alpha)', async () => {
    // z14 tile over cogeo's top-left corner: the data covers only its lower-right part.
    const p = await pixels(await engine.renderTile(job([COGEO], cogeoTile('14'))));
    let transparent = 0, opaque = 0;
    for (let i = 3; i < p.data.length; i += 4) { if (p.data[i] === 0) transparent++; else if (p.data[i] === 255) opaque++; }
    expect(transparent).to.be.greaterThan(1000);
    expect(opaque).to.be.greaterThan(1000);
  });

  it('a tile away from the data is {kind: "empty"} with the tile size', async () => {
    expect(await engine.renderTile(job([COGEO], at('16', 10, 10)))).to.deep.equal({ kind: 'empty', width: 256, height: 256 });
    expect(await engine.renderTile(job([COGEO], at('16', 10, 10), { tileSize: 512 }))).to.deep.equal({ kind: 'empty', width: 512, height: 512 });
    expect(await engine.warp([COGEO], engine.tileGrid(WMQ, at('16', 10, 10)), 'nearest')).to.equal(undefined);
  });

  it('no sources at all: empty', async () => {
    expect((await engine.renderTile(job([], cogeoTile('16')))).kind).to.equal('empty');
  });
});

describe('engine: errors', function () {
  this.timeout(60_000);
  after(releaseAll);
  const engine = newEngine();
  const z = (n: number) => String(n);

  const outOfRange: Array<[string, TileAddress, 'TileMatrix' | 'TileRow' | 'TileCol']> = [
    ['row = 2^z', { tileMatrix: z(3), row: 8, col: 0 }, 'TileRow'],
    ['negative row', { tileMatrix: z(3), row: -1, col: 0 }, 'TileRow'],
    ['fractional row', { tileMatrix: z(3), row: 1.5, col: 0 }, 'TileRow'],
    ['col = 2^z', { tileMatrix: z(5), row: 0, col: 32 }, 'TileCol'],
    ['negative col', { tileMatrix: z(5), row: 0, col: -3 }, 'TileCol'],
    ['no matrix 25', { tileMatrix: '25', row: 0, col: 0 }, 'TileMatrix'],
    ['matrix id that is not a number', { tileMatrix: 'abc', row: 0, col: 0 }, 'TileMatrix'],
  ];
  for (const [name, tile, parameter] of outOfRange) {
    it(`${name} → TileOutOfRangeError(${parameter})`, async () => {
      const err = await rejection(engine.renderTile(job([COGEO], tile)));
      expect(err).to.be.instanceOf(TileOutOfRangeError);
      expect((err as TileOutOfRangeError).parameter).to.equal(parameter);
      expect((err as TileOutOfRangeError).code).to.equal('TileOutOfRange');
    });
  }

  it('an unknown tile matrix set is a NotFoundError from the registry that feeds the engine', () => {
    const registry = createDefaultRegistry();
    expect(() => registry.get('NoSuchQuad')).to.throw(UnknownTileMatrixSet).with.property('resource', 'tileMatrixSet');
    expect(() => registry.get('NoSuchQuad')).to.throw(NotFoundError, /NoSuchQuad/);
    expect(registry.get('WebMercatorQuad').id).to.equal('WebMercatorQuad');
  });

  const styles: Array<[string, string, TileJob['style'], string]> = [
    ['band 4 of a 3-band file', COGEO, { bands: [4] }, 'bands'],
    ['two bands', COGEO, { bands: [1, 2] }, 'bands'],
    ['two rescale pairs for three bands', COGEO, { rescale: [[0, 1], [0, 2]] }, 'rescale'],
    ['unknown colour map', COGEO, { bands: [1], colormap: 'nope' }, 'colormap'],
    ['colour map on RGB', COGEO, { colormap: 'viridis' }, 'colormap'],
    ['colour map on a palette file (expanded to RGB)', CMAP, { colormap: 'viridis' }, 'colormap'],
  ];
  for (const [name, file, style, parameter] of styles) {
    it(`style: ${name} → InvalidParameterError(${parameter})`, async () => {
      const err = await rejection(engine.renderTile(job([file], cogeoTile('16'), { style })));
      expect(err).to.be.instanceOf(InvalidParameterError);
      expect((err as InvalidParameterError).parameter).to.equal(parameter);
    });
  }

  it('style errors are raised even where the tile has no data', async () => {
    const err = await rejection(engine.renderTile(job([COGEO], at('16', 10, 10), { style: { bands: [9] } })));
    expect(err).to.be.instanceOf(InvalidParameterError);
  });

  it('a GCP-only file → UnsupportedGeoreferencingError; a missing file → SourceReadError', async () => {
    expect(await rejection(engine.renderTile(job([CORPUS + 'cog_gcps_ovr.tif'], cogeoTile('16'))))).to.be.instanceOf(UnsupportedGeoreferencingError);
    const missing = await rejection(engine.renderTile(job(['/nonexistent/dir/none.tif'], cogeoTile('16'))));
    expect(missing).to.be.instanceOf(SourceReadError);
    expect(missing.message).to.include('/nonexistent/dir/none.tif');
  });
});

describe('engine: mosaics (priority order)', function () {
  this.timeout(60_000);
  // Tile T = WebMercatorQuad 14/6000/8000. Files on the tile's own pixel grid (aligned, so every
  // resampling is a copy and the footprints are exact):
  //   A: red (200,10,10), covers the tile left of T and the left half of T (384x256 px);
  //   B: green (10,200,10), covers T and a one-tile margin around it (768x768 px);
  //   H: red at alpha 128 (an alpha band), exactly T;
  //   G: one grey band, exactly T.
  const T: TileAddress = { tileMatrix: '14', row: 6000, col: 8000 };
  const LEFT: TileAddress = { ...T, col: T.col - 1 };
  const RIGHT: TileAddress = { ...T, col: T.col + 1 };
  const RED = [200, 10, 10, 255], GREEN = [10, 200, 10, 255];
  let dir = '';
  let A = '', B = '', H = '', G = '';

  before(async function () {
    needTool(this, 'gdal_create', 'GDAL (gdal-bin)');
    dir = await mkdtemp(join(tmpdir(), 'tilewright-engine-'));
    const b = tileCrsBounds(WMQ, T), span = b.maxX - b.minX;
    const make = (name: string, minX: number, maxY: number, maxX: number, minY: number, w: number, h: number, burn: number[], extra: string[] = []) => {
      const path = join(dir, name);
      execFileSync('gdal_create', [
        '-of', 'GTiff', '-outsize', String(w), String(h), '-bands', String(burn.length), '-ot', 'Byte', '-burn', ...burn.map(String),
        '-a_srs', 'EPSG:3857', '-a_ullr', ...[minX, maxY, maxX, minY].map((v) => v.toPrecision(17)), ...extra, path,
      ], { stdio: 'ignore' });
      return path;
    };
    A = make('a.tif', b.minX - span, b.maxY, b.minX + span / 2, b.minY, 384, 256, [200, 10, 10]);
    B = make('b.tif', b.minX - span, b.maxY + span, b.maxX + span, b.minY - span, 768, 768, [10, 200, 10]);
    H = make('h.tif', b.minX, b.maxY, b.maxX, b.minY, 256, 256, [200, 10, 10, 128], ['-co', 'ALPHA=YES']);
    G = make('g.tif', b.minX, b.maxY, b.maxX, b.minY, 256, 256, [99]);
  });
  after(async () => {
    releaseAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const resampling of ['nearest', 'bilinear', 'cubic'] as Resampling[]) {
    it(`[A, B] ${resampling}: A wins where both have data, B fills the rest`, async () => {
      const p = await pixels(await newEngine().renderTile(job([A, B], T, { resampling })));
      for (const y of [0, 100, 255]) {
        for (const x of [0, 64, 127]) expect(rgbaAt(p, x, y), `(${x}, ${y})`).to.deep.equal(RED);
        for (const x of [128, 200, 255]) expect(rgbaAt(p, x, y), `(${x}, ${y})`).to.deep.equal(GREEN);
      }
    });
  }

  it('[B, A]: B covers the whole tile, so it is all B', async () => {
    const p = await pixels(await newEngine().renderTile(job([B, A], T)));
    for (let i = 0; i < p.data.length; i += 4) if (p.data[i + 1] !== 200 || p.data[i + 3] !== 255) expect.fail(`pixel ${i / 4}: ${rgbaAt(p, (i / 4) % 256, Math.floor(i / 4 / 256))}`);
  });

  it('a tile only the second source covers is all the second source', async () => {
    const p = await pixels(await newEngine().renderTile(job([A, B], RIGHT)));
    expect([rgbaAt(p, 0, 0), rgbaAt(p, 255, 255)]).to.deep.equal([GREEN, GREEN]);
  });

  it('a tile fully covered by the first source never reads the second', async () => {
    const alone = newEngine(), both = newEngine();
    const pa = await pixels(await alone.renderTile(job([A], LEFT)));
    const pb = await pixels(await both.renderTile(job([A, B], LEFT)));
    expect(Buffer.from(pb.data).equals(Buffer.from(pa.data))).to.equal(true);
    expect(rgbaAt(pb, 0, 0)).to.deep.equal(RED);
    expect(both.blocks.misses, 'blocks read').to.equal(alone.blocks.misses);
    // Not even opened: an unreadable second path does not matter.
    const r = await newEngine().renderTile(job([A, '/nonexistent/second.tif'], LEFT));
    expect(rgbaAt(await pixels(r), 128, 128)).to.deep.equal(RED);
    // ...while a tile that needs it does read it (and fails on the unreadable path).
    const m1 = newEngine(), m2 = newEngine();
    await m1.renderTile(job([A], T));
    await m2.renderTile(job([A, B], T));
    expect(m2.blocks.misses).to.be.greaterThan(m1.blocks.misses);
    expect(await rejection(newEngine().renderTile(job([A, '/nonexistent/second.tif'], T)))).to.be.instanceOf(SourceReadError);
  });

  it('a half-transparent first source is composited over the second ("over", not replaced)', async () => {
    const p = await pixels(await newEngine().renderTile(job([H, B], T)));
    // over: c = cA*a + cB*(1-a) with a = 128/255 → R 200*.502+10*.498 = 105.4, G 10*.502+200*.498 = 104.6 → 105, 105; alpha 1.
    const want = [Math.round(200 * 128 / 255 + 10 * 127 / 255), Math.round(10 * 128 / 255 + 200 * 127 / 255), 10, 255];
    expect(rgbaAt(p, 0, 0)).to.deep.equal(want);
    expect(rgbaAt(p, 255, 255)).to.deep.equal(want);
    // Alone, H keeps its own alpha.
    expect(rgbaAt(await pixels(await newEngine().renderTile(job([H], T))), 10, 10)).to.deep.equal([200, 10, 10, 128]);
  });

  it('sources of different shapes cannot be mosaicked (UnsupportedFormatError)', async () => {
    const err = await rejection(newEngine().renderTile(job([A, G], T)));
    expect(err).to.be.instanceOf(UnsupportedFormatError);
    expect(err.message).to.match(/1 uint8 bands but the mosaic has 3 uint8 bands/);
  });
});

describe('engine: palette files', function () {
  this.timeout(60_000);
  after(releaseAll);
  const engine = newEngine();
  let palette = new Set<string>();

  before(async function () {
    needTool(this, 'gdalinfo', 'GDAL (gdal-bin)');
    // The colour table as GDAL reads it (independent of our TIFF parser).
    const info = JSON.parse(execFileSync('gdalinfo', ['-json', CMAP], { encoding: 'utf8' })) as { bands: { colorTable: { entries: number[][] } }[] };
    palette = new Set(info.bands[0]!.colorTable.entries.map((e) => e.slice(0, 3).join(',')));
    expect(palette.size).to.be.greaterThan(5);
  });

  /** Opaque pixels whose 5x5 neighbourhood is opaque too ("interior"), and those of them not in the colour table. */
  function interiorOffPalette(p: Pixels): { interior: number; off: number; example?: string } {
    let interior = 0, off = 0, example: string | undefined;
    const alpha = (x: number, y: number) => (x < 0 || y < 0 || x >= p.width || y >= p.height ? 0 : p.data[4 * (y * p.width + x) + 3]!);
    for (let y = 0; y < p.height; y++) {
      for (let x = 0; x < p.width; x++) {
        let inside = true;
        for (let dy = -2; dy <= 2 && inside; dy++) for (let dx = -2; dx <= 2; dx++) if (alpha(x + dx, y + dy) !== 255) { inside = false; break; }
        if (!inside) continue;
        interior++;
        const c = rgbaAt(p, x, y).slice(0, 3).join(',');
        if (!palette.has(c)) { off++; example ??= `(${x}, ${y}) = ${c}`; }
      }
    }
    return { interior, off, ...(example ? { example } : {}) };
  }

  for (const z of ['13', '15', '16']) {
    it(`nearest z${z}: every opaque pixel is a colour-table entry`, async () => {
      const p = await pixels(await engine.renderTile(job([CMAP], cmapTile(z), { resampling: 'nearest' })));
      const r = interiorOffPalette(p);
      expect(r.interior).to.be.greaterThan(1000);
      expect(r.off, r.example).to.equal(0);
    });
  }

  // By design (issue #2: palettes are expanded to RGBA before any resampling), bilinear and
  // cubic blend the colours of neighbouring classes, never their indices; test/accuracy
  // compares them with gdalwarp of an `-expand rgba` copy.

  it('bands=1 on a palette file shows the red of the colour table as grey', async () => {
    const rgb = await pixels(await engine.renderTile(job([CMAP], cmapTile('15'), { resampling: 'nearest' })));
    const grey = await pixels(await engine.renderTile(job([CMAP], cmapTile('15'), { resampling: 'nearest', style: { bands: [1] } })));
    for (let i = 0; i < rgb.data.length; i += 4 * 97) {
      expect([grey.data[i], grey.data[i + 1], grey.data[i + 2], grey.data[i + 3]]).to.deep.equal([rgb.data[i], rgb.data[i], rgb.data[i], rgb.data[i + 3]]);
    }
  });
});

describe('engine: cancellation', function () {
  this.timeout(60_000);
  after(releaseAll);
  const tile = cogeoTile('16');

  it('an already aborted signal rejects with AbortedError', async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await rejection(newEngine().renderTile(job([COGEO], tile), ac.signal))).to.be.instanceOf(AbortedError);
  });

  it('aborting a render of an already opened file rejects with AbortedError', async () => {
    const engine = newEngine();
    await engine.open(COGEO);
    opened.add(COGEO);
    const ac = new AbortController();
    const p = engine.renderTile(job([COGEO], tile), ac.signal);
    ac.abort();
    const err = await rejection(p);
    expect(err).to.be.instanceOf(AbortedError);
    expect((err as AbortedError).code).to.equal('Aborted');
  });

  // BUG (reported): CogCache.#open rejects the caller with `signal.reason` (a DOMException
  // "AbortError") when the signal fires while the file is being opened, not with AbortedError.
  it('aborting while the file is first opened rejects with AbortedError (BUG: DOMException AbortError)', async () => {
    const ac = new AbortController();
    const p = newEngine().renderTile(job([COGEO], tile), ac.signal);
    ac.abort();
    expect(await rejection(p)).to.be.instanceOf(AbortedError);
  });

  // A slow tile reading many blocks: 512 px lanczos from TCI.tif (64x64 blocks).
  const TCI = CORPUS + 'TCI.tif';
  const heavy = job([TCI], at('9', 23.7, 31.9), { tileSize: 512, resampling: 'lanczos' });

  // BUG (reported): BlockCache.get (cog/window.ts) shares one load per block among concurrent
  // readers, but the load runs with the signal of the reader that started it; cancelling that
  // reader rejects every other request waiting on the block.
  it('cancelling one render does not fail a concurrent render of the same tile (BUG: the twin rejects with AbortedError)', async () => {
    const engine = newEngine();
    await engine.open(TCI);
    opened.add(TCI);
    const ac = new AbortController();
    const cancelled = engine.renderTile(heavy, ac.signal);
    const twin = engine.renderTile(heavy);
    setTimeout(() => ac.abort(), 5);
    expect(await rejection(cancelled)).to.be.instanceOf(AbortedError);
    expect((await twin).kind).to.equal('image');
  });

  // BUG (reported): readSamples (cog/window.ts) makes one derived promise per missing block
  // (`fetched`), but a block another request is already loading never awaits its promise; when
  // the batch read is aborted (or fails) those promises reject unhandled (~100 per tile here),
  // which terminates the process (or the worker thread) under Node's default settings.
  it('a cancelled render leaves no unhandled rejections (BUG: ~100 unhandled AbortedErrors)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => { unhandled.push(reason); };
    process.on('unhandledRejection', onUnhandled);
    try {
      const engine = newEngine();
      await engine.open(TCI);
      opened.add(TCI);
      const ac = new AbortController();
      const plain = engine.renderTile(heavy);
      const cancelled = engine.renderTile(heavy, ac.signal);
      setTimeout(() => ac.abort(), 5);
      await Promise.allSettled([plain, cancelled]);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).to.have.length(0);
  });

  // BUG (reported): decode/index.ts withAbort adds one 'abort' listener per block decode to the
  // caller's signal, so a tile decoding more than 10 blocks at once triggers Node's
  // MaxListenersExceededWarning ("Possible EventTarget memory leak detected").
  it('a many-block render with a signal prints no MaxListenersExceededWarning (BUG)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => { warnings.push(w.name); };
    process.on('warning', onWarning);
    try {
      await newEngine().renderTile(heavy, new AbortController().signal);
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).to.not.include('MaxListenersExceededWarning');
  });

  it('the engine keeps working after a cancelled render', async () => {
    const engine = newEngine();
    const ac = new AbortController();
    ac.abort();
    await rejection(engine.renderTile(job([COGEO], tile), ac.signal));
    expect((await engine.renderTile(job([COGEO], tile))).kind).to.equal('image');
  });
});

describe('engine: 512-pixel tiles', function () {
  this.timeout(60_000);
  after(releaseAll);
  const engine = newEngine();

  it('tileGrid doubles the pixel size of the grid, not its bounds', () => {
    const g256 = engine.tileGrid(WMQ, cogeoTile('16')), g512 = engine.tileGrid(WMQ, cogeoTile('16'), 512);
    expect([g512.width, g512.height]).to.deep.equal([512, 512]);
    expect(g512.crsBounds).to.deep.equal(g256.crsBounds);
  });

  // A 512 tile covers exactly its four children at the same pixel size, and reads the same
  // overview (ratio 2 → ovr0 for both): with nearest (or away from edges) the pixels must agree.
  const cases: Array<[string, string, TileAddress, Resampling]> = [
    ['cogeo.tif', COGEO, cogeoTile('16'), 'nearest'],
    ['cogeo.tif', COGEO, cogeoTile('16'), 'bilinear'],
    ['cog_cmap.tif', CMAP, cmapTile('15'), 'nearest'],
  ];
  for (const [name, file, tile, resampling] of cases) {
    it(`${name} ${tile.tileMatrix}/${tile.row}/${tile.col} at 512 px (${resampling}) equals its four 256-px children stitched`, async () => {
      const big = await pixels(await engine.renderTile(job([file], tile, { tileSize: 512, resampling })));
      expect([big.width, big.height]).to.deep.equal([512, 512]);
      let compared = 0;
      for (const child of tileChildren(WMQ, tile)) {
        const ox = (child.col - 2 * tile.col) * 256, oy = (child.row - 2 * tile.row) * 256;
        const r = await engine.renderTile(job([file], child, { resampling }));
        const small = r.kind === 'image' ? await pixels(r) : { data: new Uint8Array(256 * 256 * 4), width: 256, height: 256, format: 'none' };
        for (let y = 0; y < 256; y++) {
          for (let x = 0; x < 256; x++) {
            const a = rgbaAt(small, x, y), b = rgbaAt(big, x + ox, y + oy);
            if (a.join() !== b.join()) expect.fail(`child ${child.row}/${child.col} (${x}, ${y}): ${a} vs 512 tile ${b}`);
            compared++;
          }
        }
      }
      expect(compared).to.equal(512 * 512);
    });
  }
});

describe('engine: tile grids of variable-width matrices', () => {
  it('a coalesced GNOSISGlobalGrid tile keeps tileWidth pixels over `coalesce` columns', () => {
    const gnosis = createDefaultRegistry().get('GNOSISGlobalGrid');
    const engine = new Engine();
    const polar = engine.tileGrid(gnosis, { tileMatrix: '3', row: 0, col: 0 });
    const matrix = gnosis.tileMatrices.find((m) => m.id === '3')!;
    const coalesce = matrix.variableMatrixWidths!.find((v) => v.minTileRow <= 0 && v.maxTileRow >= 0)!.coalesce;
    expect(coalesce).to.be.greaterThan(1);
    expect([polar.width, polar.height]).to.deep.equal([matrix.tileWidth, matrix.tileHeight]);
    const spanX = polar.crsBounds[2] - polar.crsBounds[0], spanY = polar.crsBounds[3] - polar.crsBounds[1];
    expect(spanX / spanY).to.be.closeTo(coalesce, 1e-9);
  });
});
