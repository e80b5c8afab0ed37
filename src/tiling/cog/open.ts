import { GeoTIFF, type GeoTIFFImage, type ImageFileDirectory } from 'geotiff';
import { crsFromGeoKeys } from '../../crs/index.js';
import { UnsupportedFormatError } from '../../errors.js';
import type { CachedSource } from '../source/cached.js';
import { compressionLabel } from '../decode/types.js';
import { geoTransformFromTags, overviewGeoTransform } from './georef.js';
import { parseGdalMetadata, parseNodata } from './metadata.js';
import type { Cog, CogLayoutReport, CogLevel, DataType } from './types.js';

/** geotiff.js reads through this adapter, so its header/IFD reads hit our chunk cache. */
function geotiffSource(src: CachedSource) {
  return {
    async fetch(slices: { offset: number; length: number }[], signal?: AbortSignal): Promise<ArrayBuffer[]> {
      return Promise.all(slices.map(async (s) => {
        const bytes = await src.read(s.offset, s.length, signal);
        return Uint8Array.prototype.slice.call(bytes).buffer as ArrayBuffer;
      }));
    },
    get fileSize() { return src.stat.size; },
    async close() {},
  };
}

/** NewSubfileType (254) bits, TIFF 6.0 §8. */
const REDUCED = 1, MASK = 4;

/**
 * Opens a GeoTIFF: reads the header, every IFD (full resolution, overviews, masks), the
 * GeoKeys and GDAL's private tags, and returns the engine's plain description of it.
 * Tile data is not touched.
 */
export async function openCog(src: CachedSource, signal?: AbortSignal): Promise<Cog> {
  let tiff: GeoTIFF;
  let images: GeoTIFFImage[];
  try {
    tiff = await GeoTIFF.fromSource(geotiffSource(src) as never, undefined, signal);
    const n = await tiff.getImageCount();
    images = await Promise.all(Array.from({ length: n }, (_, i) => tiff.getImage(i)));
  } catch (err) {
    if ((err as Error).name === 'SourceReadError' || (err as Error).name === 'AbortedError') throw err;
    throw new UnsupportedFormatError(`${src.url} is not a readable TIFF: ${(err as Error).message}`, { cause: err });
  }
  const main = images[0]!;
  const dir = main.fileDirectory;
  const width = main.getWidth(), height = main.getHeight();
  const sampleCount = main.getSamplesPerPixel();
  const dataType = dataTypeOf(dir);
  const littleEndian = main.littleEndian;

  const geoKeys = main.getGeoKeys() ?? {};
  const geoTransform = geoTransformFromTags({
    modelPixelScale: dir.getValue('ModelPixelScale') as number[] | undefined,
    modelTiepoint: (await dir.loadValue('ModelTiepoint')) as number[] | undefined,
    modelTransformation: dir.getValue('ModelTransformation') as number[] | undefined,
    rasterType: geoKeys.GTRasterTypeGeoKey as number | undefined,
    hasRpc: dir.hasTag(50844),
  });
  const crs = crsFromGeoKeys(geoKeys as Record<string, unknown>);

  const mainLevel = { image: main, ifdIndex: 0 };
  const overviews: typeof mainLevel[] = [];
  const masks: typeof mainLevel[] = [];
  for (let i = 1; i < images.length; i++) {
    const im = images[i]!;
    const type = Number(im.fileDirectory.getValue('NewSubfileType') ?? 0);
    if (type & MASK) masks.push({ image: im, ifdIndex: i });
    else if (type & REDUCED) overviews.push({ image: im, ifdIndex: i });
  }
  // The main image's own mask may also be the first mask IFD without the reduced bit.
  overviews.sort((a, b) => b.image.getWidth() - a.image.getWidth());

  const photometric = Number(dir.getValue('PhotometricInterpretation') ?? 1);
  const levelOf = async (entry: typeof mainLevel, index: number): Promise<CogLevel> => {
    const im = entry.image;
    const mask = masks.find((m) => m.image.getWidth() === im.getWidth() && m.image.getHeight() === im.getHeight());
    const level = await describeLevel(im, index, littleEndian,
      overviewGeoTransform(geoTransform, width, height, im.getWidth(), im.getHeight()));
    if (!mask) return level;
    return { ...level, mask: await describeLevel(mask.image, index, littleEndian, level.geoTransform) };
  };
  const levels = await Promise.all([mainLevel, ...overviews].map((e, i) => levelOf(e, i)));

  const gdal = parseGdalMetadata((await dir.loadValue('GDAL_METADATA')) as string | undefined);
  const extraSamples = (dir.getValue('ExtraSamples') as number[] | undefined) ?? [];
  // ExtraSamples 1 (associated alpha) or 2 (unassociated alpha) names the alpha sample; it is the
  // first extra sample after the colour samples.
  const colourSamples = sampleCount - extraSamples.length;
  const alphaIdx = extraSamples.findIndex((v) => v === 1 || v === 2);
  const alphaSample = alphaIdx >= 0 ? colourSamples + alphaIdx : undefined;

  let colorMap: Uint8Array | undefined;
  // GDAL uses a ColorMap on any single-sample image, even when PhotometricInterpretation
  // says MinIsWhite (as in austrian_capitals_*.tif), so the engine does too.
  if (dir.hasTag('ColorMap') && sampleCount === 1) {
    const cm = (await dir.loadValue('ColorMap')) as Uint16Array | number[];
    colorMap = paletteToRgba(cm);
  }
  const ghost = Object.fromEntries(Object.entries((await tiff.getGhostValues().catch(() => null)) ?? {}).map(([k, v]) => [k, String(v)]));

  return {
    url: src.url,
    version: src.stat.version,
    lastModified: src.stat.lastModified,
    byteSize: src.stat.size,
    width, height, sampleCount, dataType, crs, geoTransform, levels,
    nodata: parseNodata(dir.getValue('GDAL_NODATA') as string | undefined),
    alphaSample,
    hasMask: levels[0]!.mask !== undefined,
    photometric,
    colorMap,
    compression: compressionLabel(Number(dir.getValue('Compression') ?? 1)).replace(/ \(\d+\)$/, ''),
    statistics: gdal.statistics,
    bandDescriptions: gdal.descriptions,
    ghost,
    inspectLayout: () => checkCogLayout(tiff, images, levels),
  };
}

function dataTypeOf(dir: ImageFileDirectory): DataType {
  const bits = (dir.getValue('BitsPerSample') as number[] | undefined) ?? [1];
  const formats = (dir.getValue('SampleFormat') as number[] | undefined) ?? [1];
  const b = bits[0]!, f = formats[0] ?? 1;
  if (bits.some((x) => x !== b) || formats.some((x) => x !== f)) {
    throw new UnsupportedFormatError(`bands with different bit depths or sample formats (${bits.join(',')}) are not supported`);
  }
  if (f === 3) {
    if (b === 32 || b === 16) return 'float32';
    if (b === 64) return 'float64';
  } else if (f === 2) {
    if (b === 8) return 'int8';
    if (b === 16) return 'int16';
    if (b === 32) return 'int32';
  } else if (f === 1) {
    if (b <= 8) return 'uint8';
    if (b === 16) return 'uint16';
    if (b === 32) return 'uint32';
  }
  throw new UnsupportedFormatError(`unsupported sample type: ${b}-bit sample format ${f}`);
}

async function describeLevel(im: GeoTIFFImage, index: number, littleEndian: boolean, geoTransform: CogLevel['geoTransform']): Promise<CogLevel> {
  const dir = im.fileDirectory;
  const width = im.getWidth(), height = im.getHeight();
  const tiled = im.isTiled;
  const blockWidth = tiled ? im.getTileWidth() : width;
  const blockHeight = tiled ? im.getTileHeight() : Math.min(Number(dir.getValue('RowsPerStrip') ?? height), height);
  const planar = Number(dir.getValue('PlanarConfiguration') ?? 1) === 2 ? 2 : 1;
  const samples = im.getSamplesPerPixel();
  const bits = ((dir.getValue('BitsPerSample') as number[] | undefined) ?? [1])[0]!;
  const fmt = (((dir.getValue('SampleFormat') as number[] | undefined) ?? [1])[0] ?? 1) as 1 | 2 | 3;
  const jpegTables = dir.getValue('JPEGTables') as ArrayLike<number> | undefined;
  const lerc = dir.getValue('LercParameters') as number[] | undefined;
  const offsetsTag = tiled ? 'TileOffsets' : 'StripOffsets';
  const countsTag = tiled ? 'TileByteCounts' : 'StripByteCounts';
  return {
    index, width, height, blockWidth, blockHeight, tiled,
    blocksAcross: Math.ceil(width / blockWidth),
    blocksDown: Math.ceil(height / blockHeight),
    planarConfiguration: planar,
    geoTransform,
    layout: {
      compression: Number(dir.getValue('Compression') ?? 1),
      predictor: Number((await dir.loadValue('Predictor')) ?? 1),
      width: blockWidth,
      samplesPerPixel: planar === 2 ? 1 : samples,
      bitsPerSample: bits,
      sampleFormat: fmt,
      littleEndian,
      photometric: Number(dir.getValue('PhotometricInterpretation') ?? 1),
      ...(jpegTables ? { jpegTables: Uint8Array.from(jpegTables) } : {}),
      ...(lerc ? { lercParameters: Array.from(lerc) } : {}),
    },
    blocks: {
      async locate(i: number) {
        const [offset, length] = await Promise.all([dir.loadValueIndexed(offsetsTag, i), dir.loadValueIndexed(countsTag, i)]);
        return { offset: Number(offset), length: Number(length) };
      },
    },
  };
}

function paletteToRgba(cm: ArrayLike<number>): Uint8Array {
  // TIFF 6.0 §5: ColorMap holds all reds, then all greens, then all blues, as 16-bit values.
  const n = cm.length / 3;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    out[4 * i] = cm[i]! >> 8;
    out[4 * i + 1] = cm[n + i]! >> 8;
    out[4 * i + 2] = cm[2 * n + i]! >> 8;
    out[4 * i + 3] = 255;
  }
  return out;
}

/**
 * The structure rules of a Cloud-Optimized GeoTIFF (as GDAL's COG validator states them):
 * every level tiled, IFDs right after the header (or GDAL's ghost area) in main-then-
 * smaller order before any image data, and image data stored from the smallest
 * overview to full resolution.
 */
async function checkCogLayout(tiff: GeoTIFF, images: GeoTIFFImage[], levels: readonly CogLevel[]): Promise<CogLayoutReport> {
  const problems: string[] = [];
  const warnings: string[] = [];
  levels.forEach((l) => { if (!l.tiled) problems.push(`level ${l.index} (${l.width}x${l.height}) is not tiled`); });
  if (levels.length === 1 && Math.max(levels[0]!.width, levels[0]!.height) > 512) warnings.push('no overviews (the image is larger than 512 pixels)');
  const ifdOffsets: number[] = [Number((tiff as unknown as { firstIFDOffset: number }).firstIFDOffset)];
  for (const im of images.slice(0, -1)) ifdOffsets.push(Number(im.fileDirectory.nextIFDByteOffset));
  // First stored block of each level (sparse files leave empty blocks at offset 0).
  const firstData = await Promise.all(images.map(async (im) => {
    const offsets = (await im.fileDirectory.loadValue(im.isTiled ? 'TileOffsets' : 'StripOffsets')) as ArrayLike<number | bigint>;
    let min = Infinity;
    for (let i = 0; i < offsets.length; i++) { const o = Number(offsets[i]); if (o > 0 && o < min) min = o; }
    return min;
  }));
  const lastIfd = Math.max(...ifdOffsets);
  if (Math.min(...firstData) < lastIfd) problems.push('image data starts before the last IFD (IFDs are not all at the start)');
  const headerEnd = (tiff as unknown as { bigTiff: boolean }).bigTiff ? 16 : 8;
  const ghostSize = Number(((await tiff.getGhostValues().catch(() => null)) as Record<string, string> | null)?.['GDAL_STRUCTURAL_METADATA_SIZE']?.split(' ')[0] ?? 0);
  if (ifdOffsets[0]! > headerEnd + (ghostSize ? ghostSize + 43 : 0) + 8) problems.push(`first IFD at byte ${ifdOffsets[0]}, not right after the header`);
  const byLevel = levels.map((l) => firstData[images.findIndex((im) => im.getWidth() === l.width && im.getHeight() === l.height)]!)
    .filter((o) => Number.isFinite(o));
  for (let i = 1; i < byLevel.length; i++) {
    if (byLevel[i]! > byLevel[i - 1]!) { problems.push('overview data is not stored before the larger levels'); break; }
  }
  return { valid: problems.length === 0, problems, warnings };
}
