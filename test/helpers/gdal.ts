import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GdalRaster {
  width: number;
  height: number;
  /** Band-sequential values, one array per band (colour bands then alpha when -dstalpha). */
  bands: Float64Array[];
  dataType: string;
}

/** Runs a GDAL command line tool and returns its stdout (throws with stderr on failure). */
export async function gdal(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GDAL_PAM_ENABLED: 'NO' } });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

const ENVI_TYPES: Record<number, [string, number]> = {
  1: ['uint8', 1], 2: ['int16', 2], 3: ['int32', 4], 4: ['float32', 4], 5: ['float64', 8], 12: ['uint16', 2], 13: ['uint32', 4],
};

/**
 * Reads a raster GDAL wrote as ENVI (raw band-sequential + .hdr). Using ENVI keeps the
 * reference independent of our own TIFF decoder.
 */
export async function readEnvi(path: string): Promise<GdalRaster> {
  const hdr = await readFile(path.replace(/\.bin$/, '.hdr'), 'utf8');
  const num = (k: string) => Number(new RegExp(`${k}\\s*=\\s*(\\d+)`).exec(hdr)?.[1]);
  const width = num('samples'), height = num('lines'), count = num('bands'), type = num('data type');
  const order = num('byte order');
  const interleave = (/interleave\s*=\s*(\w+)/i.exec(hdr)?.[1] ?? 'bsq').toLowerCase();
  const [dataType, size] = ENVI_TYPES[type] ?? (() => { throw new Error(`ENVI data type ${type}`); })();
  const buf = await readFile(path);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const little = order === 0;
  const n = width * height;
  const bands: Float64Array[] = [];
  for (let b = 0; b < count; b++) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // Band-sequential, band-interleaved by pixel, or by line (ENVI header "interleave").
      const o = (interleave === 'bip' ? i * count + b
        : interleave === 'bil' ? (Math.floor(i / width) * count + b) * width + (i % width)
        : b * n + i) * size;
      out[i] = dataType === 'uint8' ? dv.getUint8(o)
        : dataType === 'int16' ? dv.getInt16(o, little)
        : dataType === 'uint16' ? dv.getUint16(o, little)
        : dataType === 'int32' ? dv.getInt32(o, little)
        : dataType === 'uint32' ? dv.getUint32(o, little)
        : dataType === 'float32' ? dv.getFloat32(o, little)
        : dv.getFloat64(o, little);
    }
    bands.push(out);
  }
  return { width, height, bands, dataType };
}
