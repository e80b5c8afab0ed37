import { InvalidParameterError } from '../../errors.js';
import { single, type Query } from './params.js';

/** `zoom=3` or `zoom=0-12` and `bbox=west,south,east,north` (degrees) of a purge request. */
export function parsePurgeQuery(query: Query): { minZoom?: number; maxZoom?: number; bbox?: [number, number, number, number] } {
  const out: { minZoom?: number; maxZoom?: number; bbox?: [number, number, number, number] } = {};
  const zoom = single(query, 'zoom');
  if (zoom !== undefined) {
    const m = /^(-?\d{1,3})(?:-(-?\d{1,3}))?$/.exec(zoom);
    if (!m) throw new InvalidParameterError('zoom', `zoom must be Z or MIN-MAX, got "${zoom}"`);
    out.minZoom = Number(m[1]);
    out.maxZoom = m[2] !== undefined ? Number(m[2]) : out.minZoom;
    if (out.maxZoom < out.minZoom) throw new InvalidParameterError('zoom', `zoom range ${zoom} is empty`);
  }
  const bbox = single(query, 'bbox');
  if (bbox !== undefined) {
    const v = bbox.split(',').map(Number);
    if (v.length !== 4 || v.some((x) => !Number.isFinite(x)) || v[1]! >= v[3]! || v[1]! < -90 || v[3]! > 90 || Math.abs(v[0]!) > 180 || Math.abs(v[2]!) > 180) {
      throw new InvalidParameterError('bbox', `bbox must be west,south,east,north in degrees, got "${bbox}"`);
    }
    out.bbox = v as [number, number, number, number];
  }
  return out;
}
