/**
 * Resolved-CRS registry: getCrs/tryGetCrs with a cache that is dropped whenever an NTv2 grid is registered
 * (the datum-shift candidates of a CRS depend on the grids available).
 */
import { gridGeneration } from './datum-shifts.js';
import { lookupEpsg } from './epsg.js';
import { canonicalCrsId, crsUri } from './ids.js';
import type { Crs } from './types.js';
import { UnknownCrsError } from './types.js';

const cache = new Map<string, Crs>();
let cacheGeneration = 0;

const CRS84: Crs = {
  id: 'OGC:CRS84',
  uri: crsUri('OGC:CRS84'),
  proj4: '+proj=longlat +datum=WGS84 +no_defs',
  axisOrder: 'xy',
  isGeographic: true,
  name: 'WGS 84 (CRS84)',
};

/** Resolves a CRS from an EPSG code, URI, URN or "OGC:CRS84", without network access. */
export function getCrs(input: string | number): Crs {
  if (cacheGeneration !== gridGeneration()) {
    cache.clear();
    cacheGeneration = gridGeneration();
  }
  const id = canonicalCrsId(String(input));
  const hit = cache.get(id);
  if (hit) return hit;
  const crs = lookup(id);
  cache.set(id, crs);
  return crs;
}

/** Like getCrs, but undefined for an unknown CRS. */
export function tryGetCrs(input: string | number): Crs | undefined {
  try {
    return getCrs(input);
  } catch (e) {
    if (e instanceof UnknownCrsError) return undefined;
    throw e;
  }
}

function lookup(id: string): Crs {
  if (id === 'OGC:CRS84') return CRS84;
  const m = /^EPSG:(\d+)$/.exec(id);
  if (!m) throw new UnknownCrsError(id);
  return lookupEpsg(Number(m[1]));
}
