import type { Extent } from 'ol/extent.js';
import { transformExtent } from 'ol/proj.js';

/** Web Mercator's latitude limit (WebMercatorQuad's square world). */
const MAX_LAT = 85.0511287798066;

/**
 * [west, south, east, north] in degrees to an EPSG:3857 extent. Bounds crossing the
 * antimeridian (west > east) end east of +180° so the extent stays one piece.
 */
export function lonLatToMapExtent([w, s, e, n]: readonly number[]): Extent {
  const clamp = (lat: number) => Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const east = w > e! ? e! + 360 : e!;
  return transformExtent([w!, clamp(s!), east, clamp(n!)], 'EPSG:4326', 'EPSG:3857');
}
