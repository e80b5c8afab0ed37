/**
 * Test-only TIFF plumbing: geotiff.js finds each IFD's tags and block offsets (it is never used
 * as the decoder), and this file turns them into BlockLayouts and block byte ranges.
 */
import { open } from 'node:fs/promises';
import { fromFile, type GeoTIFFImage } from 'geotiff';
import type { BlockLayout } from '../../../src/tiling/decode/index.js';

export interface IfdInfo {
  /** Position in the IFD chain (0 = full resolution). */
  index: number;
  /** Image size of this IFD. */
  width: number;
  height: number;
  tiled: boolean;
  blockWidth: number;
  /** TileLength, or RowsPerStrip clamped to the image height. */
  blockHeight: number;
  blocksAcross: number;
  blocksDown: number;
  planar: 1 | 2;
  /** SamplesPerPixel of the image (not of a block). */
  samplesPerPixel: number;
  /** NewSubfileType bit 2: a transparency mask. */
  isMask: boolean;
  /** Layout shared by every block (height is the full block height). */
  layout: BlockLayout;
  offsets: ArrayLike<number | bigint>;
  byteCounts: ArrayLike<number | bigint>;
}

export interface BlockRef {
  ifd: IfdInfo;
  /** Index into TileOffsets/StripOffsets. */
  index: number;
  /** Sample (band) index within the pixel for PlanarConfiguration 2, else 0. */
  plane: number;
  /** Pixel window of the image covered by the block (clipped to the image). */
  x: number;
  y: number;
  w: number;
  h: number;
  offset: number;
  byteCount: number;
  /** Layout for this block (height = real rows for the last strip). */
  layout: BlockLayout;
}

function first(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const v = (value as ArrayLike<number | bigint>)[0];
  return v === undefined ? fallback : Number(v);
}

async function describe(image: GeoTIFFImage, index: number): Promise<IfdInfo> {
  const dir = image.fileDirectory;
  const get = async (tag: string | number): Promise<unknown> => (dir.hasTag(tag as never) ? dir.loadValue(tag as never) : undefined);
  const width = image.getWidth();
  const height = image.getHeight();
  const tiled = dir.hasTag('TileWidth');
  const samplesPerPixel = first(await get('SamplesPerPixel'), 1);
  const planar = first(await get('PlanarConfiguration'), 1) === 2 ? 2 : 1;
  const blockWidth = tiled ? first(await get('TileWidth'), 0) : width;
  const blockHeight = tiled ? first(await get('TileLength'), 0) : Math.min(first(await get('RowsPerStrip'), height), height);
  const jpegTables = await get('JPEGTables');
  const lercParameters = await get(50674);
  const layout: BlockLayout = {
    compression: first(await get('Compression'), 1),
    predictor: first(await get('Predictor'), 1),
    width: blockWidth,
    height: blockHeight,
    samplesPerPixel: planar === 2 ? 1 : samplesPerPixel,
    bitsPerSample: first(await get('BitsPerSample'), 1),
    sampleFormat: first(await get('SampleFormat'), 1) as 1 | 2 | 3,
    littleEndian: image.littleEndian,
    photometric: first(await get('PhotometricInterpretation'), 1),
  };
  if (jpegTables) layout.jpegTables = Uint8Array.from(jpegTables as ArrayLike<number>);
  if (lercParameters) layout.lercParameters = Array.from(lercParameters as ArrayLike<number>, Number);
  const offsets = (await get(tiled ? 'TileOffsets' : 'StripOffsets')) as ArrayLike<number | bigint>;
  const byteCounts = (await get(tiled ? 'TileByteCounts' : 'StripByteCounts')) as ArrayLike<number | bigint>;
  return {
    index,
    width,
    height,
    tiled,
    blockWidth,
    blockHeight,
    blocksAcross: Math.ceil(width / blockWidth),
    blocksDown: Math.ceil(height / blockHeight),
    planar,
    samplesPerPixel,
    isMask: (first(await get('NewSubfileType'), 0) & 4) !== 0,
    layout,
    offsets,
    byteCounts,
  };
}

export async function readIfds(path: string): Promise<IfdInfo[]> {
  const tiff = await fromFile(path);
  try {
    const count = await tiff.getImageCount();
    const out: IfdInfo[] = [];
    for (let i = 0; i < count; i++) out.push(await describe(await tiff.getImage(i), i));
    return out;
  } finally {
    await tiff.close?.();
  }
}

export function blockRef(ifd: IfdInfo, index: number): BlockRef {
  const perPlane = ifd.blocksAcross * ifd.blocksDown;
  const plane = Math.floor(index / perPlane);
  const within = index % perPlane;
  const col = within % ifd.blocksAcross;
  const row = Math.floor(within / ifd.blocksAcross);
  const x = col * ifd.blockWidth;
  const y = row * ifd.blockHeight;
  const w = Math.min(ifd.blockWidth, ifd.width - x);
  const h = Math.min(ifd.blockHeight, ifd.height - y);
  const layout = ifd.tiled ? ifd.layout : { ...ifd.layout, height: h };
  return {
    ifd,
    index,
    plane,
    x,
    y,
    w,
    h,
    offset: Number(ifd.offsets[index]),
    byteCount: Number(ifd.byteCounts[index]),
    layout,
  };
}

/**
 * First, middle and last non-empty block of every plane (empty = byte count 0, a sparse block,
 * which the reader fills with nodata without calling the decoder).
 */
export function sampleBlocks(ifd: IfdInfo): BlockRef[] {
  const perPlane = ifd.blocksAcross * ifd.blocksDown;
  const planes = ifd.planar === 2 ? ifd.samplesPerPixel : 1;
  const chosen = new Set<number>();
  const nonEmpty = (i: number) => Number(ifd.byteCounts[i]) > 0;
  for (let p = 0; p < planes; p++) {
    const start = p * perPlane;
    const end = start + perPlane - 1;
    const candidates = [start, start + Math.floor(perPlane / 2), end];
    for (const c of candidates) {
      // Walk outwards from the candidate to the nearest non-empty block.
      for (let d = 0; d < perPlane; d++) {
        const lo = c - d;
        const hi = c + d;
        if (lo >= start && nonEmpty(lo)) {
          chosen.add(lo);
          break;
        }
        if (hi <= end && nonEmpty(hi)) {
          chosen.add(hi);
          break;
        }
      }
    }
  }
  return [...chosen].sort((a, b) => a - b).map((i) => blockRef(ifd, i));
}

export async function readBlockBytes(path: string, blocks: BlockRef[]): Promise<Uint8Array[]> {
  const handle = await open(path, 'r');
  try {
    const out: Uint8Array[] = [];
    for (const b of blocks) {
      const buf = new Uint8Array(b.byteCount);
      const { bytesRead } = await handle.read(buf, 0, b.byteCount, b.offset);
      if (bytesRead !== b.byteCount) throw new Error(`short read at ${b.offset}`);
      out.push(buf);
    }
    return out;
  } finally {
    await handle.close();
  }
}
