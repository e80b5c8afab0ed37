/**
 * Synthetic demo rasters, generated deterministically (seeded) so that a first start needs no
 * download: a terrain model from fractal noise, its hillshade, and a land-cover style RGB
 * image. The numbers are invented; only their shapes resemble real data.
 */

/** mulberry32: a small seeded PRNG (deterministic demo data on every machine). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Value noise on a lattice of `cells` x `cells`, smoothly interpolated, in [0, 1). */
class ValueNoise {
  readonly #lattice: Float64Array;
  constructor(readonly cells: number, seed: number) {
    const rnd = prng(seed);
    this.#lattice = Float64Array.from({ length: (cells + 1) * (cells + 1) }, rnd);
  }
  at(u: number, v: number): number {
    const x = u * this.cells, y = v * this.cells;
    const i = Math.min(this.cells - 1, Math.floor(x)), j = Math.min(this.cells - 1, Math.floor(y));
    const fx = x - i, fy = y - j;
    const sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
    const n = this.cells + 1, l = this.#lattice;
    const a = l[j * n + i]!, b = l[j * n + i + 1]!, c = l[(j + 1) * n + i]!, d = l[(j + 1) * n + i + 1]!;
    return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
  }
}

/** Fractal (fBm) noise: octaves of value noise, each twice as fine and half as strong. */
function fractal(seed: number, octaves: number, base = 4): (u: number, v: number) => number {
  const layers = Array.from({ length: octaves }, (_, k) => new ValueNoise(base << k, seed + k * 7919));
  const norm = layers.reduce((s, _, k) => s + 0.5 ** k, 0);
  return (u, v) => layers.reduce((s, layer, k) => s + layer.at(u, v) * 0.5 ** k, 0) / norm;
}

/**
 * Elevation in metres: ridged mountains rising from a valley floor, with a lake (NaN) in the
 * lowest basin so the demo shows nodata handling.
 */
export function syntheticDem(width: number, height: number, seed = 42): Float32Array {
  const shape = fractal(seed, 4, 2);
  const ridges = fractal(seed + 101, 4, 5);
  const detail = fractal(seed + 202, 3, 24);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / (width - 1), v = y / (height - 1);
      // fBm clusters around 0.5: stretch it to use the whole range.
      const base = Math.min(1, Math.max(0, (shape(u, v) - 0.5) * 3.2 + 0.5));
      // Mountains grow with the large-scale shape; sharp ridges on top; a little roughness.
      const mountain = Math.max(0, (base - 0.25) / 0.75);
      const ridge = 1 - Math.abs(2 * ridges(u, v) - 1);
      const h = 350 + 2900 * mountain * mountain * (0.5 + 0.5 * ridge) + 40 * (detail(u, v) - 0.5);
      out[y * width + x] = base < 0.12 ? NaN : h;
    }
  }
  return out;
}

/**
 * Hillshade (Horn's method, sun at azimuth 315°, altitude 45°) as bytes 1..255; 0 where the
 * elevation is NaN. `cellX`/`cellY` are the pixel sizes in metres.
 */
export function hillshade(dem: Float32Array, width: number, height: number, cellX: number, cellY: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const zenith = ((90 - 45) * Math.PI) / 180, azimuth = ((360 - 315 + 90) * Math.PI) / 180;
  const at = (x: number, y: number) => dem[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))]!;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const z = dem[y * width + x]!;
      if (Number.isNaN(z)) continue;
      const n = (dx: number, dy: number) => { const v = at(x + dx, y + dy); return Number.isNaN(v) ? z : v; };
      const dzdx = ((n(1, -1) + 2 * n(1, 0) + n(1, 1)) - (n(-1, -1) + 2 * n(-1, 0) + n(-1, 1))) / (8 * cellX);
      const dzdy = ((n(-1, 1) + 2 * n(0, 1) + n(1, 1)) - (n(-1, -1) + 2 * n(0, -1) + n(1, -1))) / (8 * cellY);
      const slope = Math.atan(Math.hypot(dzdx, dzdy));
      const aspect = Math.atan2(dzdy, -dzdx);
      const shade = Math.cos(zenith) * Math.cos(slope) + Math.sin(zenith) * Math.sin(slope) * Math.cos(azimuth - aspect);
      out[y * width + x] = 1 + Math.round(254 * Math.max(0, shade));
    }
  }
  return out;
}

/** Land-cover style RGB image: water, fields in a patchwork, forest, rock; textured. */
export function syntheticImage(width: number, height: number, seed = 7): [Uint8Array, Uint8Array, Uint8Array] {
  const cover = fractal(seed, 6, 4), texture = fractal(seed + 55, 5, 32), parcels = new ValueNoise(40, seed + 9);
  const r = new Uint8Array(width * height), g = new Uint8Array(width * height), b = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / (width - 1), v = y / (height - 1), i = y * width + x;
      const c = cover(u, v), t = texture(u, v) - 0.5;
      let rgb: [number, number, number];
      if (c < 0.35) rgb = [30, 70 + 40 * c, 120 + 60 * c];
      else if (c < 0.55) {
        const p = parcels.at(Math.floor(u * 40) / 40 + 0.01, Math.floor(v * 40) / 40 + 0.01);
        rgb = p < 0.33 ? [150, 170, 80] : p < 0.66 ? [190, 170, 110] : [110, 150, 70];
      } else if (c < 0.75) rgb = [40, 90, 45];
      else rgb = [130, 125, 115];
      r[i] = clampByte(rgb[0] + 60 * t); g[i] = clampByte(rgb[1] + 60 * t); b[i] = clampByte(rgb[2] + 60 * t);
    }
  }
  return [r, g, b];
}

function clampByte(v: number): number {
  return v < 1 ? 1 : v > 255 ? 255 : Math.round(v);
}
