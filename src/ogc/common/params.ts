/**
 * Query parameters shared by the tile faces (XYZ, OGC API, WMTS dimensions): style and
 * resampling. Parsing is strict: a malformed value is an InvalidParameterError naming the
 * parameter, never a silent default.
 */
import { InvalidParameterError } from '../../errors.js';
import type { StyleParams } from '../../tiling/style/style.js';
import { RESAMPLINGS, type Resampling } from '../../tiling/warp/plan.js';

export type Query = Record<string, string | string[] | undefined>;

/** The one value of a parameter; repeated parameters are an error unless `multiple`. */
export function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) {
    if (v.length > 1) throw new InvalidParameterError(name, `parameter ${name} is given ${v.length} times`);
    return v[0];
  }
  return v;
}

function all(query: Query, name: string): string[] {
  const v = query[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function numbers(value: string, name: string): number[] {
  const parts = value.split(',');
  const nums = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (nums.some((n) => !Number.isFinite(n))) {
    throw new InvalidParameterError(name, `${name} must be comma-separated finite numbers, got "${value}"`);
  }
  return nums;
}

/**
 * `bands=1,2,3`, `rescale=0,3000` (once for every band, or once per band: repeated or
 * separated by `;`), `colormap=viridis`, `resampling=cubic`. Unknown values are errors here;
 * whether the bands exist is checked against the collection later (checkStyle).
 */
export function parseStyleQuery(query: Query): { style: StyleParams; resampling?: Resampling } {
  const style: StyleParams = {};
  const bands = single(query, 'bands');
  if (bands !== undefined) {
    const list = numbers(bands, 'bands');
    if (list.some((b) => !Number.isInteger(b) || b < 1)) throw new InvalidParameterError('bands', `bands must be band numbers from 1, got "${bands}"`);
    style.bands = list;
  }
  const rescale = all(query, 'rescale').flatMap((r) => r.split(';'));
  if (rescale.length) {
    style.rescale = rescale.map((r) => {
      const pair = numbers(r, 'rescale');
      if (pair.length !== 2) throw new InvalidParameterError('rescale', `rescale must be MIN,MAX, got "${r}"`);
      return [pair[0]!, pair[1]!] as const;
    });
  }
  const colormap = single(query, 'colormap');
  if (colormap !== undefined) style.colormap = colormap;
  const resampling = single(query, 'resampling');
  if (resampling !== undefined && !RESAMPLINGS.includes(resampling as Resampling)) {
    throw new InvalidParameterError('resampling', `resampling must be one of ${RESAMPLINGS.join(', ')}, got "${resampling}"`);
  }
  const out: { style: StyleParams; resampling?: Resampling } = { style };
  if (resampling) out.resampling = resampling as Resampling;
  return out;
}

/** A non-negative integer path segment (tile row/column), else InvalidParameterError. */
export function tileIndex(value: string, name: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidParameterError(name, `${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}
