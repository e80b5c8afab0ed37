/**
 * A TIFF reader written for the tests, independent of the writer's code, and the structure
 * rules of a Cloud-Optimized GeoTIFF as GDAL 3.6's sample `validate_cloud_optimized_geotiff.py`
 * states them (re-implemented from its documented checks, plus the stricter "every IFD before
 * any tile data" of GDAL's COG layout):
 *
 * 1. the full resolution and every overview are tiled;
 * 2. without a ghost area the first IFD is at byte 8 (16 for BigTIFF); with GDAL's ghost area
 *    ("GDAL_STRUCTURAL_METADATA_SIZE=nnnnnn bytes\n" + nnnnnn bytes) right after it, rounded up
 *    to an even offset; KNOWN_INCOMPATIBLE_EDITION=YES is an error;
 * 3. overviews come by decreasing size, and their IFDs by increasing offset after the main IFD;
 * 4. the first tile of the smallest overview lies after its IFD; the first tile of each
 *    overview after the first tile of the next smaller one; the full resolution's after the
 *    first overview's;
 * 5. with BLOCK_ORDER=ROW_MAJOR, tile offsets never decrease in row-major order; with
 *    BLOCK_LEADER=SIZE_AS_UINT4 the 4 bytes before a tile hold its size; with
 *    BLOCK_TRAILER=LAST_4_BYTES_REPEATED the 4 bytes after it repeat its last 4; with
 *    MASK_INTERLEAVED_WITH_IMAGERY=YES each mask tile starts right after its image tile
 *    (offset + size + leader + trailer).
 */
import { readFile } from 'node:fs/promises';

export interface ParsedIfd {
  offset: number;
  tags: Map<number, number[] | string>;
}

export interface ParsedTiff {
  bytes: Uint8Array;
  bigTiff: boolean;
  ifds: ParsedIfd[];
  ghost: Record<string, string> | undefined;
  /** Where the ghost area ends (the expected first IFD offset before even rounding). */
  ghostEnd: number;
  /** End of the last byte of IFDs and their values (tile data must come after). */
  metadataEnd: number;
}

const SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8, 17: 8 };

export async function parseTiff(path: string): Promise<ParsedTiff> {
  const bytes = new Uint8Array(await readFile(path));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  const version = dv.getUint16(2, le);
  const big = version === 43;
  let next = big ? Number(dv.getBigUint64(8, le)) : dv.getUint32(4, le);
  const header = big ? 16 : 8;
  let ghost: Record<string, string> | undefined;
  let ghostEnd = header;
  const prefix = 'GDAL_STRUCTURAL_METADATA_SIZE=';
  const head = new TextDecoder('latin1').decode(bytes.subarray(header, header + 43));
  if (head.startsWith(prefix)) {
    const size = Number(head.slice(prefix.length, prefix.length + 6));
    const body = new TextDecoder('latin1').decode(bytes.subarray(header + 43, header + 43 + size));
    ghost = Object.fromEntries(body.split('\n').map((l) => l.trim()).filter((l) => l.includes('=')).map((l) => l.split('=', 2) as [string, string]));
    ghostEnd = header + 43 + size;
  }
  const ifds: ParsedIfd[] = [];
  let metadataEnd = 0;
  while (next !== 0) {
    const at = next;
    const n = big ? Number(dv.getBigUint64(at, le)) : dv.getUint16(at, le);
    const es = big ? 20 : 12;
    const first = at + (big ? 8 : 2);
    const tags = new Map<number, number[] | string>();
    for (let i = 0; i < n; i++) {
      const o = first + i * es;
      const tag = dv.getUint16(o, le), type = dv.getUint16(o + 2, le);
      const count = big ? Number(dv.getBigUint64(o + 4, le)) : dv.getUint32(o + 4, le);
      const size = (SIZES[type] ?? 1) * count;
      const field = o + (big ? 12 : 8);
      const vo = size <= (big ? 8 : 4) ? field : big ? Number(dv.getBigUint64(field, le)) : dv.getUint32(field, le);
      if (vo !== field) metadataEnd = Math.max(metadataEnd, vo + size);
      if (type === 2) {
        tags.set(tag, new TextDecoder('latin1').decode(bytes.subarray(vo, vo + count)).replace(/\0+$/, ''));
        continue;
      }
      const values: number[] = [];
      for (let k = 0; k < count; k++) {
        const p = vo + k * (SIZES[type] ?? 1);
        values.push(type === 3 ? dv.getUint16(p, le) : type === 4 ? dv.getUint32(p, le) : type === 16 ? Number(dv.getBigUint64(p, le))
          : type === 12 ? dv.getFloat64(p, le) : type === 1 || type === 7 ? bytes[p]! : type === 11 ? dv.getFloat32(p, le) : NaN);
      }
      tags.set(tag, values);
    }
    const end = first + n * es + (big ? 8 : 4);
    metadataEnd = Math.max(metadataEnd, end);
    next = big ? Number(dv.getBigUint64(end - 8, le)) : dv.getUint32(end - 4, le);
    ifds.push({ offset: at, tags });
  }
  return { bytes, bigTiff: big, ifds, ghost, ghostEnd, metadataEnd };
}

const num = (ifd: ParsedIfd, tag: number) => ((ifd.tags.get(tag) as number[] | undefined) ?? [])[0];

/** The COG structure rules (see the file comment); returns the broken ones, empty when valid. */
export function cogProblems(t: ParsedTiff): string[] {
  const errors: string[] = [];
  const le = true;
  const dv = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  const isMask = (d: ParsedIfd) => ((num(d, 254) ?? 0) & 4) !== 0;
  const images = t.ifds.filter((d) => !isMask(d));
  const masks = t.ifds.filter(isMask);
  const main = images[0]!;
  const overviews = images.slice(1);
  for (const [i, d] of images.entries()) {
    if (!d.tags.has(322) || !d.tags.has(324)) errors.push(`${i === 0 ? 'main image' : `overview ${i - 1}`} is not tiled`);
  }
  // Rule 2: first IFD position.
  const header = t.bigTiff ? 16 : 8;
  if (main.offset !== header) {
    if (!t.ghost) errors.push(`the main IFD is at ${main.offset}, expected ${header} (no ghost area)`);
    else {
      const expected = t.ghostEnd + (t.ghostEnd % 2);
      if (main.offset !== expected) errors.push(`the main IFD is at ${main.offset}, expected ${expected} after the ghost area`);
    }
  }
  if (t.ghost?.['KNOWN_INCOMPATIBLE_EDITION'] === 'YES') errors.push('KNOWN_INCOMPATIBLE_EDITION=YES');
  // Rule 3: sizes decrease, IFD offsets increase.
  let prev = main;
  for (const [i, o] of overviews.entries()) {
    if (num(o, 256)! > num(prev, 256)! || num(o, 257)! > num(prev, 257)!) errors.push(`overview ${i} is larger than the level before`);
    if (o.offset < prev.offset) errors.push(`the IFD of overview ${i} comes before the previous level's`);
    prev = o;
  }
  // Rule 4: data order (first non-empty tile of each level).
  const firstTile = (d: ParsedIfd) => ((d.tags.get(324) as number[] | undefined) ?? []).find((o) => o > 0) ?? 0;
  const data = images.map(firstTile);
  const last = images.length - 1;
  if (data[last]! !== 0 && data[last]! < images[last]!.offset) errors.push('the first tile of the smallest level is before its IFD');
  for (let i = last - 1; i >= 0; i--) {
    if (data[i]! !== 0 && data[i]! < data[i + 1]!) errors.push(`the data of level ${i} starts before that of level ${i + 1}`);
  }
  // Stricter: every IFD and its values before any tile (GDAL's layout).
  const allData = t.ifds.flatMap((d) => ((d.tags.get(324) as number[] | undefined) ?? []).filter((o) => o > 0));
  if (allData.length && Math.min(...allData) < t.metadataEnd) errors.push('some tile data lies before the end of the IFDs');
  // Rule 5: leaders, trailers, order, mask interleaving.
  const g = t.ghost ?? {};
  const rowMajor = g['BLOCK_ORDER'] === 'ROW_MAJOR';
  const leader = g['BLOCK_LEADER'] === 'SIZE_AS_UINT4';
  const trailer = g['BLOCK_TRAILER'] === 'LAST_4_BYTES_REPEATED';
  const interleaved = g['MASK_INTERLEAVED_WITH_IMAGERY'] === 'YES';
  const checkLevel = (name: string, d: ParsedIfd, mask: ParsedIfd | undefined) => {
    const offs = (d.tags.get(324) as number[]) ?? [];
    const counts = (d.tags.get(325) as number[]) ?? [];
    const moffs = mask ? (mask.tags.get(324) as number[]) : undefined;
    let lastOffset = 0;
    for (let k = 0; k < offs.length; k++) {
      let o = offs[k]!;
      const c = counts[k]!;
      if (o > 0) {
        if (rowMajor && o < lastOffset) errors.push(`${name}: tile ${k} is before the previous tile`);
        if (leader && dv.getUint32(o - 4, le) !== c) errors.push(`${name}: tile ${k} leader ${dv.getUint32(o - 4, le)} != size ${c}`);
        if (trailer && c >= 4 && dv.getUint32(o + c - 4, le) !== dv.getUint32(o + c, le)) errors.push(`${name}: tile ${k} trailer mismatch`);
        if (moffs && moffs[k]! > 0) {
          const expected = o + c + (leader ? 4 : 0) + (trailer ? 4 : 0);
          if (moffs[k] !== expected) errors.push(`mask of ${name}: tile ${k} at ${moffs[k]}, expected ${expected}`);
        }
      } else if (moffs && moffs[k]! > 0) {
        o = moffs[k]!;
      }
      lastOffset = o;
    }
  };
  const maskOf = (d: ParsedIfd) => masks.find((m) => num(m, 256) === num(d, 256) && num(m, 257) === num(d, 257));
  images.forEach((d, i) => {
    const name = i === 0 ? 'main image' : `overview ${i - 1}`;
    checkLevel(name, d, interleaved ? maskOf(d) : undefined);
    const m = maskOf(d);
    if (m) checkLevel(`mask of ${name}`, m, undefined);
  });
  return errors;
}
