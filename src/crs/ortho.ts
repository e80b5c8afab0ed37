/**
 * Ellipsoidal Orthographic projection (EPSG method 9840, IOGP Guidance Note 7-2 §3.3.3), registered into proj4js
 * under the name "ortho".
 *
 * Why: proj4js 2.22's "ortho" is spherical only, while PROJ >= 7.2 (hence GDAL 3.6) projects on the ellipsoid;
 * on WGS 84 the two differ by kilometres. The spherical case (es = 0) reduces to the classic formulas, so
 * sphere-based definitions are unaffected.
 */
import proj4 from 'proj4';

interface OrthoThis {
  a: number; es: number; long0: number; lat0: number; x0: number; y0: number;
  nu0: number; sinPhi0: number; cosPhi0: number;
}

interface LonLat { x: number; y: number }

const EPS10 = 1e-10;

function adjustLon(x: number): number {
  return Math.abs(x) <= Math.PI ? x : x - 2 * Math.PI * Math.round(x / (2 * Math.PI));
}

function project(t: OrthoThis, lon: number, lat: number): [number, number] | undefined {
  const dl = adjustLon(lon - t.long0);
  const sp = Math.sin(lat), cp = Math.cos(lat), cl = Math.cos(dl);
  // Same visibility test as PROJ: the point must be on the hemisphere facing the projection centre.
  if (sp * t.sinPhi0 + cp * t.cosPhi0 * cl < -EPS10) return undefined;
  const nu = t.a / Math.sqrt(1 - t.es * sp * sp);
  const e = nu * cp * Math.sin(dl);
  const n = nu * (sp * t.cosPhi0 - cp * t.sinPhi0 * cl) + t.es * (t.nu0 * t.sinPhi0 - nu * sp) * t.cosPhi0;
  return [e, n];
}

const orthoEllipsoidal = {
  names: ['ortho', 'Orthographic'],
  init(this: OrthoThis) {
    this.x0 = this.x0 || 0;
    this.y0 = this.y0 || 0;
    this.long0 = this.long0 || 0;
    this.lat0 = this.lat0 || 0;
    this.es = this.es || 0;
    this.sinPhi0 = Math.sin(this.lat0);
    this.cosPhi0 = Math.cos(this.lat0);
    this.nu0 = this.a / Math.sqrt(1 - this.es * this.sinPhi0 * this.sinPhi0);
  },
  forward(this: OrthoThis, p: LonLat): LonLat | null {
    const r = project(this, p.x, p.y);
    if (!r) return null;
    p.x = r[0] + this.x0;
    p.y = r[1] + this.y0;
    return p;
  },
  inverse(this: OrthoThis, p: LonLat): LonLat | null {
    const e = p.x - this.x0, n = p.y - this.y0;
    // Spherical inverse (radius a) as the first guess, then Newton iterations on the ellipsoidal forward.
    const rho = Math.hypot(e, n);
    if (rho > this.a * (1 + 1e-9)) return null;
    const c = Math.asin(Math.min(1, rho / this.a));
    let lat = rho < EPS10 ? this.lat0
      : Math.asin(Math.cos(c) * this.sinPhi0 + (n * Math.sin(c) * this.cosPhi0) / rho);
    let lon = this.long0 + Math.atan2(e * Math.sin(c), rho * this.cosPhi0 * Math.cos(c) - n * this.sinPhi0 * Math.sin(c));
    const h = 1e-7;
    for (let i = 0; i < 30; i++) {
      const f = project(this, lon, lat);
      const fl = project(this, lon + h, lat), fp = project(this, lon, lat + h);
      if (!f || !fl || !fp) break;
      const re = f[0] - e, rn = f[1] - n;
      if (Math.abs(re) < 1e-9 && Math.abs(rn) < 1e-9) break;
      const j11 = (fl[0] - f[0]) / h, j12 = (fp[0] - f[0]) / h, j21 = (fl[1] - f[1]) / h, j22 = (fp[1] - f[1]) / h;
      const det = j11 * j22 - j12 * j21;
      if (Math.abs(det) < 1e-12) break;
      lon -= (j22 * re - j12 * rn) / det;
      lat -= (-j21 * re + j11 * rn) / det;
      lat = Math.max(-Math.PI / 2, Math.min(Math.PI / 2, lat));
    }
    const check = project(this, lon, lat);
    if (!check || Math.abs(check[0] - e) > 1e-6 || Math.abs(check[1] - n) > 1e-6) return null;
    p.x = adjustLon(lon);
    p.y = lat;
    return p;
  },
};

let registered = false;

/** Idempotent; called lazily by the transformer so importing the module has no side effect. */
export function registerProjections(): void {
  if (registered) return;
  registered = true;
  const projections = (proj4 as unknown as { Proj: { projections: { add(p: unknown): void } } }).Proj.projections;
  projections.add(orthoEllipsoidal);
}
