/**
 * Decode sampled blocks of every IFD of a file and compare every sample with GDAL's reading of
 * the same window of the same band / overview / mask.
 */
import { decodeBlockWithMask, type DecodedBlock } from '../../../src/tiling/decode/index.js';
import { gdalReadWindows, type OracleArray, type WindowRequest } from './gdal.js';
import { readBlockBytes, readIfds, sampleBlocks, type BlockRef } from './tiff.js';

export interface FileReport {
  file: string;
  ifds: number;
  blocks: number;
  samplesCompared: number;
  /** Largest |decoded − GDAL| per compression code (0 means bit-exact). */
  maxDiff: Map<number, number>;
  /** Human-readable mismatches beyond the tolerance (empty when the file passes). */
  failures: string[];
  /** Pixels reported invalid by a LERC validity mask. */
  invalidPixels: number;
}

export interface CheckOptions {
  /** Allowed |Δ| per compression code; default 0 (bit-exact). */
  tolerance?: Partial<Record<number, number>>;
}

interface Comparison {
  block: BlockRef;
  decoded: DecodedBlock;
  sample: number;
  request: WindowRequest;
}

export async function checkFileAgainstGdal(file: string, options: CheckOptions = {}): Promise<FileReport> {
  const ifds = await readIfds(file);
  const comparisons: Comparison[] = [];
  let blocks = 0;
  let invalidPixels = 0;
  for (const ifd of ifds) {
    const refs = sampleBlocks(ifd);
    const bytes = await readBlockBytes(file, refs);
    for (let k = 0; k < refs.length; k++) {
      const block = refs[k]!;
      let decoded: DecodedBlock;
      try {
        decoded = await decodeBlockWithMask(bytes[k]!, block.layout);
      } catch (error) {
        throw new Error(`${file} IFD ${ifd.index} block ${block.index}: ${(error as Error).message}`, { cause: error });
      }
      blocks++;
      if (decoded.validMask) invalidPixels += decoded.validMask.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
      for (let s = 0; s < block.layout.samplesPerPixel; s++) {
        comparisons.push({
          block,
          decoded,
          sample: s,
          request: {
            file,
            band: ifd.isMask ? 1 : ifd.planar === 2 ? block.plane + 1 : s + 1,
            levelWidth: ifd.width,
            levelHeight: ifd.height,
            mask: ifd.isMask,
            x: block.x,
            y: block.y,
            w: block.w,
            h: block.h,
          },
        });
      }
    }
  }

  const expected = await gdalReadWindows(comparisons.map((c) => c.request));
  const report: FileReport = {
    file,
    ifds: ifds.length,
    blocks,
    samplesCompared: 0,
    maxDiff: new Map(),
    failures: [],
    invalidPixels,
  };
  comparisons.forEach((c, i) => compareWindow(c, expected[i]!, report, options));
  return report;
}

function compareWindow(c: Comparison, gdal: OracleArray, report: FileReport, options: CheckOptions): void {
  const { block, decoded, sample } = c;
  const { ifd, layout } = block;
  const compression = layout.compression;
  const tolerance = options.tolerance?.[compression] ?? 0;
  const spp = layout.samplesPerPixel;
  const samples = decoded.samples;
  const scale = ifd.isMask ? 255 : 1; // GDAL's mask band reads 0/255 where the TIFF stores 0/1
  let maxDiff = report.maxDiff.get(compression) ?? 0;
  let mismatches = 0;
  let firstMismatch = '';
  if (gdal.length !== block.w * block.h) {
    report.failures.push(`IFD ${ifd.index} block ${block.index}: GDAL returned ${gdal.length} values`);
    return;
  }
  for (let row = 0; row < block.h; row++) {
    for (let col = 0; col < block.w; col++) {
      const d = samples[(row * layout.width + col) * spp + sample]!;
      const g = gdal[row * block.w + col]!;
      const diff = difference(d, g, scale, samples instanceof Int8Array && gdal instanceof Uint8Array);
      report.samplesCompared++;
      if (diff > maxDiff) maxDiff = diff;
      if (diff > tolerance) {
        if (mismatches === 0) firstMismatch = `pixel (${block.x + col}, ${block.y + row}) decoded ${String(d)} GDAL ${String(g)}`;
        mismatches++;
      }
    }
  }
  report.maxDiff.set(compression, maxDiff);
  if (mismatches > 0) {
    report.failures.push(
      `IFD ${ifd.index}${ifd.isMask ? ' (mask)' : ''} block ${block.index} sample ${sample}: ${mismatches} of ${block.w * block.h} differ (tolerance ${tolerance}); first at ${firstMismatch}`,
    );
  }
}

/** |decoded − GDAL|; NaN equals NaN; Infinity when only one side is NaN. */
function difference(d: number | bigint, g: number | bigint, scale: number, signedVsUnsigned: boolean): number {
  if (typeof d === 'bigint' || typeof g === 'bigint') {
    const a = BigInt(d);
    const b = BigInt(g);
    return a === b ? 0 : Number(a > b ? a - b : b - a);
  }
  if (signedVsUnsigned) d = d & 0xff; // GDAL 3.6 reads PIXELTYPE=SIGNEDBYTE as Byte
  d = d * scale;
  if (Number.isNaN(d) || Number.isNaN(g)) return Number.isNaN(d) && Number.isNaN(g) ? 0 : Infinity;
  if (d === g) return 0;
  return Math.abs(d - g);
}

export function describeReport(r: FileReport): string {
  const diffs = [...r.maxDiff].map(([code, diff]) => `${code}:${diff}`).join(' ');
  return `${r.ifds} IFD(s), ${r.blocks} block(s), ${r.samplesCompared} samples, max|Δ| by compression {${diffs}}`;
}
