/**
 * Reads chosen tags of a TIFF's first IFD as stored (numbers or text), so cogify can copy a
 * source's georeferencing and GDAL tags verbatim: the engine's `Cog` keeps only what it
 * understood (a resolved CRS), while a copy must keep the GeoKeys themselves, whatever CRS they
 * describe. Classic TIFF and BigTIFF, either byte order (TIFF 6.0 §2; BigTIFF design).
 */
import { UnsupportedFormatError } from '../../../errors.js';

export interface RawTag {
  type: number;
  count: number;
  values: number[] | string;
}

/** The minimal reading interface (CachedSource and ByteSource both have it). */
export interface ReadAt {
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
}

const SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function decode(bytes: Uint8Array, type: number, count: number, little: boolean): number[] | string {
  const dv = view(bytes);
  if (type === 2) {
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) end--;
    return new TextDecoder('latin1').decode(bytes.subarray(0, end));
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    switch (type) {
      case 1: case 7: out.push(dv.getUint8(i)); break;
      case 6: out.push(dv.getInt8(i)); break;
      case 3: out.push(dv.getUint16(2 * i, little)); break;
      case 8: out.push(dv.getInt16(2 * i, little)); break;
      case 4: case 13: out.push(dv.getUint32(4 * i, little)); break;
      case 9: out.push(dv.getInt32(4 * i, little)); break;
      case 5: out.push(dv.getUint32(8 * i, little) / dv.getUint32(8 * i + 4, little)); break;
      case 10: out.push(dv.getInt32(8 * i, little) / dv.getInt32(8 * i + 4, little)); break;
      case 11: out.push(dv.getFloat32(4 * i, little)); break;
      case 12: out.push(dv.getFloat64(8 * i, little)); break;
      case 16: case 18: out.push(Number(dv.getBigUint64(8 * i, little))); break;
      case 17: out.push(Number(dv.getBigInt64(8 * i, little))); break;
      default: throw new UnsupportedFormatError(`TIFF field type ${type} is not known`);
    }
  }
  return out;
}

/** The wanted tags of the first IFD (absent tags are simply missing from the map). */
export async function readFirstIfdTags(src: ReadAt, wanted: readonly number[], signal?: AbortSignal): Promise<Map<number, RawTag>> {
  const head = await src.read(0, 16, signal);
  const little = head[0] === 0x49 && head[1] === 0x49;
  if (!little && !(head[0] === 0x4d && head[1] === 0x4d)) throw new UnsupportedFormatError('not a TIFF file (no II/MM byte order mark)');
  const hv = view(head);
  const version = hv.getUint16(2, little);
  const big = version === 43;
  if (!big && version !== 42) throw new UnsupportedFormatError(`not a TIFF file (version ${version})`);
  const ifd = big ? Number(hv.getBigUint64(8, little)) : hv.getUint32(4, little);
  const countBytes = await src.read(ifd, big ? 8 : 2, signal);
  const n = big ? Number(view(countBytes).getBigUint64(0, little)) : view(countBytes).getUint16(0, little);
  const entrySize = big ? 20 : 12;
  const entries = await src.read(ifd + (big ? 8 : 2), n * entrySize, signal);
  const ev = view(entries);
  const want = new Set(wanted);
  const out = new Map<number, RawTag>();
  for (let i = 0; i < n; i++) {
    const o = i * entrySize;
    const tag = ev.getUint16(o, little);
    if (!want.has(tag)) continue;
    const type = ev.getUint16(o + 2, little);
    const count = big ? Number(ev.getBigUint64(o + 4, little)) : ev.getUint32(o + 4, little);
    const size = (SIZE[type] ?? 1) * count;
    const field = o + (big ? 12 : 8);
    let bytes: Uint8Array;
    if (size <= (big ? 8 : 4)) bytes = entries.subarray(field, field + size);
    else {
      const at = big ? Number(ev.getBigUint64(field, little)) : ev.getUint32(field, little);
      bytes = await src.read(at, size, signal);
    }
    out.set(tag, { type, count, values: decode(bytes, type, count, little) });
  }
  return out;
}
