/**
 * Named colour maps for single-band data, as 256-entry RGBA tables.
 *
 * Each map is defined by a few anchor colours at stops in [0, 1] and interpolated
 * linearly in sRGB. Anchors: "terrain" uses the six stops of matplotlib's terrain map
 * definition; the perceptual maps use the widely published 9–10 step hex values of the
 * matplotlib/Stéfan van der Walt & Nathaniel Smith palettes (sampled at equal steps), which
 * reproduce the full 256-entry tables to within a few levels.
 */

type Stop = readonly [number, string];

const DEFINITIONS: Record<string, readonly Stop[]> = {
  gray: [[0, '#000000'], [1, '#ffffff']],
  greys: [[0, '#ffffff'], [1, '#000000']],
  viridis: equal(['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725']),
  magma: equal(['#000004', '#180f3d', '#440f76', '#721f81', '#9e2f7f', '#cd4071', '#f1605d', '#fd9668', '#feca8d', '#fcfdbf']),
  inferno: equal(['#000004', '#1b0c41', '#4a0c6b', '#781c6d', '#a52c60', '#cf4446', '#ed6925', '#fb9b06', '#f7d13d', '#fcffa4']),
  plasma: equal(['#0d0887', '#46039f', '#7201a8', '#9c179e', '#bd3786', '#d8576b', '#ed7953', '#fb9f3a', '#fdca26', '#f0f921']),
  cividis: equal(['#00224e', '#123570', '#3b496c', '#575d6d', '#707173', '#8a8779', '#a69d75', '#c4b56c', '#e4cf5b', '#fee838']),
  terrain: [[0, '#333399'], [0.15, '#0099ff'], [0.25, '#00cc66'], [0.5, '#ffff99'], [0.75, '#805c54'], [1, '#ffffff']],
  rdylgn: equal(['#a50026', '#d73027', '#f46d43', '#fdae61', '#fee08b', '#d9ef8b', '#a6d96a', '#66bd63', '#1a9850', '#006837']),
  blues: equal(['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b']),
};

function equal(hex: string[]): Stop[] {
  return hex.map((h, i) => [i / (hex.length - 1), h] as const);
}

const tables = new Map<string, Uint8Array>();

export const colormapNames: readonly string[] = Object.keys(DEFINITIONS).flatMap((n) => [n, `${n}_r`]);

/** 256x4 RGBA table for a colour map name ("viridis", "terrain_r" for reversed), or undefined. */
export function getColormap(name: string): Uint8Array | undefined {
  const key = name.toLowerCase();
  const cached = tables.get(key);
  if (cached) return cached;
  const reversed = key.endsWith('_r');
  const def = DEFINITIONS[reversed ? key.slice(0, -2) : key];
  if (!def) return undefined;
  const stops = def.map(([t, h]) => [reversed ? 1 - t : t, parseHex(h)] as const).sort((a, b) => a[0] - b[0]);
  const out = new Uint8Array(256 * 4);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let k = 0;
    while (k < stops.length - 2 && t > stops[k + 1]![0]) k++;
    const [t0, c0] = stops[k]!, [t1, c1] = stops[k + 1]!;
    const f = t1 > t0 ? Math.min(1, Math.max(0, (t - t0) / (t1 - t0))) : 0;
    for (let c = 0; c < 3; c++) out[4 * i + c] = Math.round(c0[c]! + (c1[c]! - c0[c]!) * f);
    out[4 * i + 3] = 255;
  }
  tables.set(key, out);
  return out;
}

function parseHex(h: string): [number, number, number] {
  const v = parseInt(h.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
