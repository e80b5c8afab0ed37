/**
 * TIFF serialisation for the COG writer: tags, IFDs (classic TIFF and BigTIFF, little-endian),
 * GDAL's "ghost" structural-metadata area and the layout of GDAL's COG driver:
 *
 * ```
 * header | ghost area | IFD main, IFD main mask, IFD overview 1 … n, IFD mask 1 … n
 *        (each IFD followed by its out-of-line values except the tile arrays)
 *        | TileOffsets + TileByteCounts arrays of every IFD | tile data (written by the caller)
 * ```
 *
 * References: TIFF 6.0 Part 1 §2 (file structure, IFDs, field types, word alignment of values),
 * BigTIFF (tiff 4.0 "BigTIFF design": header version 43, 8-byte counts and offsets, type 16
 * LONG8), GDAL's COG driver documentation "File format details" (ghost area and IFD order).
 * The tile data region is not built here: the caller streams it after `headerBytes`.
 */

/** TIFF field types used by the writer (TIFF 6.0 §2 "Types"; 16 = LONG8 from BigTIFF). */
export const FieldType = { BYTE: 1, ASCII: 2, SHORT: 3, LONG: 4, DOUBLE: 12, LONG8: 16 } as const;
export type FieldTypeCode = (typeof FieldType)[keyof typeof FieldType];

const TYPE_SIZE: Record<FieldTypeCode, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 12: 8, 16: 8 };

/** Tag numbers the writer emits (TIFF 6.0 Appendix A, GeoTIFF 1.1 §7, GDAL private tags). */
export const Tag = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  PhotometricInterpretation: 262,
  SamplesPerPixel: 277,
  PlanarConfiguration: 284,
  Software: 305,
  Predictor: 317,
  ColorMap: 320,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  ExtraSamples: 338,
  SampleFormat: 339,
  YCbCrSubSampling: 530,
  ModelPixelScale: 33550,
  ModelTiepoint: 33922,
  ModelTransformation: 34264,
  GeoKeyDirectory: 34735,
  GeoDoubleParams: 34736,
  GeoAsciiParams: 34737,
  GdalMetadata: 42112,
  GdalNodata: 42113,
} as const;

/** One tag of an IFD: numbers (SHORT/LONG/LONG8/DOUBLE/BYTE) or text (ASCII, NUL added here). */
export interface TagEntry {
  tag: number;
  type: FieldTypeCode;
  values: ArrayLike<number> | string;
}

/** One IFD to write: its tags plus the tile arrays, which are filled in once the layout is known. */
export interface IfdSpec {
  tags: TagEntry[];
  /** Number of tiles (length of TileOffsets / TileByteCounts). */
  tileCount: number;
}

/** GDAL's ghost area items for a COG with leaders/trailers (and masks interleaved with imagery). */
export function ghostArea(maskInterleaved: boolean): Uint8Array {
  // GDAL_STRUCTURAL_METADATA_SIZE counts the bytes after its own line; readers (GDAL's
  // validator among them) expect the first IFD right after, on a 2-byte boundary.
  let body = 'LAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\nBLOCK_LEADER=SIZE_AS_UINT4\n'
    + 'BLOCK_TRAILER=LAST_4_BYTES_REPEATED\nKNOWN_INCOMPATIBLE_EDITION=NO\n'
    + (maskInterleaved ? 'MASK_INTERLEAVED_WITH_IMAGERY=YES\n' : '');
  if (body.length % 2 === 1) body += ' ';
  const text = `GDAL_STRUCTURAL_METADATA_SIZE=${String(body.length).padStart(6, '0')} bytes\n${body}`;
  return new TextEncoder().encode(text);
}

export interface TiffLayoutInput {
  bigTiff: boolean;
  ghost: Uint8Array;
  ifds: IfdSpec[];
}

export interface TiffLayout {
  /** Byte offset where tile data starts (everything before is `headerBytes`). */
  dataStart: number;
  /** Byte offset of each IFD, in `ifds` order. */
  ifdOffsets: number[];
  /**
   * Serialises header, ghost, IFDs and tile arrays; `tiles(k)` gives IFD k's absolute tile
   * offsets and byte counts (known only once the data region is laid out after `dataStart`).
   */
  serialize(tiles: (ifd: number) => { offsets: ArrayLike<number>; byteCounts: ArrayLike<number> }): Uint8Array;
}

function encodeValues(type: FieldTypeCode, values: ArrayLike<number> | string): Uint8Array {
  if (typeof values === 'string') {
    const text = new TextEncoder().encode(values);
    const out = new Uint8Array(text.length + 1);
    out.set(text);
    return out;
  }
  const n = values.length;
  const out = new Uint8Array(n * TYPE_SIZE[type]);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    switch (type) {
      case FieldType.BYTE: case FieldType.ASCII: dv.setUint8(i, v); break;
      case FieldType.SHORT: dv.setUint16(2 * i, v, true); break;
      case FieldType.LONG: dv.setUint32(4 * i, v, true); break;
      case FieldType.DOUBLE: dv.setFloat64(8 * i, v, true); break;
      case FieldType.LONG8: dv.setBigUint64(8 * i, BigInt(v), true); break;
    }
  }
  return out;
}

const even = (n: number) => n + (n & 1);

/**
 * Lays out the metadata part of the file. Sizes depend only on the tags and the tile counts, so
 * the data start is known before any tile offset is.
 */
export function layoutTiff(input: TiffLayoutInput): TiffLayout {
  const big = input.bigTiff;
  const headerSize = big ? 16 : 8;
  const entrySize = big ? 20 : 12;
  const countSize = big ? 8 : 2;
  const inlineMax = big ? 8 : 4;
  const offsetType: FieldTypeCode = big ? FieldType.LONG8 : FieldType.LONG;

  let pos = even(headerSize + input.ghost.length);
  const ifdOffsets: number[] = [];
  type Placed = { tag: number; type: FieldTypeCode; count: number; bytes?: Uint8Array; at?: number; array?: 'offsets' | 'counts' };
  const placed: { entries: Placed[]; at: number }[] = [];
  for (const ifd of input.ifds) {
    const entries: Placed[] = ifd.tags.map((t) => {
      const bytes = encodeValues(t.type, t.values);
      return { tag: t.tag, type: t.type, count: typeof t.values === 'string' ? bytes.length : t.values.length, bytes };
    });
    entries.push({ tag: Tag.TileOffsets, type: offsetType, count: ifd.tileCount, array: 'offsets' });
    entries.push({ tag: Tag.TileByteCounts, type: FieldType.LONG, count: ifd.tileCount, array: 'counts' });
    entries.sort((a, b) => a.tag - b.tag);
    for (let i = 1; i < entries.length; i++) {
      if (entries[i]!.tag === entries[i - 1]!.tag) throw new Error(`duplicate TIFF tag ${entries[i]!.tag}`);
    }
    const at = pos;
    ifdOffsets.push(at);
    pos += countSize + entries.length * entrySize + (big ? 8 : 4);
    for (const e of entries) {
      if (e.bytes && e.bytes.length > inlineMax) {
        pos = even(pos);
        e.at = pos;
        pos += e.bytes.length;
      }
    }
    pos = even(pos);
    placed.push({ entries, at });
  }
  // Tile arrays after all IFDs (GDAL's order), so a reader's first request holds every IFD.
  for (const p of placed) {
    for (const e of p.entries) {
      if (!e.array) continue;
      const size = e.count * TYPE_SIZE[e.type];
      if (size > inlineMax) {
        pos = even(pos);
        e.at = pos;
        pos += size;
      }
    }
  }
  const dataStart = even(pos);

  return {
    dataStart,
    ifdOffsets,
    serialize(tiles) {
      const out = new Uint8Array(dataStart);
      const dv = new DataView(out.buffer);
      out[0] = 0x49; out[1] = 0x49;
      if (big) {
        dv.setUint16(2, 43, true);
        dv.setUint16(4, 8, true);
        dv.setUint16(6, 0, true);
        dv.setBigUint64(8, BigInt(ifdOffsets[0]!), true);
      } else {
        dv.setUint16(2, 42, true);
        dv.setUint32(4, ifdOffsets[0]!, true);
      }
      out.set(input.ghost, headerSize);
      placed.forEach((p, k) => {
        const t = tiles(k);
        let o = p.at;
        if (big) { dv.setBigUint64(o, BigInt(p.entries.length), true); o += 8; } else { dv.setUint16(o, p.entries.length, true); o += 2; }
        for (const e of p.entries) {
          let bytes = e.bytes;
          if (e.array) {
            const values = e.array === 'offsets' ? t.offsets : t.byteCounts;
            if (values.length !== e.count) throw new Error(`IFD ${k}: ${values.length} tile ${e.array}, expected ${e.count}`);
            if (e.type === FieldType.LONG) {
              for (let i = 0; i < values.length; i++) if (values[i]! > 0xffffffff) throw new Error('tile offset or size beyond 4 GiB in a classic TIFF');
            }
            bytes = encodeValues(e.type, values);
          }
          dv.setUint16(o, e.tag, true);
          dv.setUint16(o + 2, e.type, true);
          if (big) dv.setBigUint64(o + 4, BigInt(e.count), true); else dv.setUint32(o + 4, e.count, true);
          const valueField = o + (big ? 12 : 8);
          if (e.at !== undefined) {
            out.set(bytes!, e.at);
            if (big) dv.setBigUint64(valueField, BigInt(e.at), true); else dv.setUint32(valueField, e.at, true);
          } else {
            out.set(bytes!, valueField);
          }
          o += entrySize;
        }
        const next = k + 1 < placed.length ? placed[k + 1]!.at : 0;
        if (big) dv.setBigUint64(o, BigInt(next), true); else dv.setUint32(o, next, true);
      });
      return out;
    },
  };
}
