/**
 * The style form's values and the tile query they become: `bands=3,2,1`, `rescale=0,3000`
 * (one pair, or one per band separated by ";"), `colormap=viridis`, `resampling=cubic`.
 * The checks mirror the server's (src/tiling/style/style.ts, checkStyle) so a mistake is
 * explained next to the form instead of as a map full of broken tiles; the server stays the
 * judge (a tile it refuses is reported by the page too).
 */
import { colormapNames } from '../src/tiling/style/colormaps.js';
import type { CollectionSummary } from './api.js';

/** The raw text of the form's fields ("" = not set, the collection's default applies). */
export interface StyleFields {
  bands: string;
  rescale: string;
  colormap: string;
  resampling: string;
}

export const EMPTY_STYLE: StyleFields = { bands: '', rescale: '', colormap: '', resampling: '' };

/**
 * Colour maps and resampling methods the server knows; the API does not publish them (yet).
 * The colour map names come from the server's own table (a pure module with no imports);
 * the resampling list is repeated because src/tiling/warp/plan.ts pulls in proj4.
 */
export const COLORMAPS: readonly string[] = colormapNames;
export const RESAMPLINGS: readonly string[] = ['nearest', 'bilinear', 'cubic', 'lanczos', 'average'];

export type StyleResult = { ok: true; query: string } | { ok: false; field: keyof StyleFields; message: string };

const NUMBER = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Checks the fields against the collection and builds the query (commas kept readable). */
export function styleQuery(fields: StyleFields, c: CollectionSummary): StyleResult {
  const count = c.bands.count;
  const parts: string[] = [];
  let bands: number[] | undefined;
  const bandsText = fields.bands.trim();
  if (bandsText) {
    const list = bandsText.split(/\s*,\s*|\s+/);
    if (list.some((b) => !/^\d+$/.test(b))) return fail('bands', `Bands are band numbers separated by commas, e.g. ${count >= 3 ? '3,2,1' : '1'}.`);
    bands = list.map(Number);
    if (bands.length !== 1 && bands.length !== 3) return fail('bands', 'Give one band (grey or colour map) or three (red, green, blue).');
    const bad = bands.find((b) => b < 1 || b > count);
    if (bad !== undefined) return fail('bands', `Band ${bad} does not exist: this collection has ${count === 1 ? 'band 1 only' : `bands 1 to ${count}`}.`);
    parts.push(`bands=${bands.join(',')}`);
  }
  // The server merges the request into the collection's default style field by field.
  const shown = (bands ?? c.defaultStyle?.bands)?.length ?? (count >= 3 ? 3 : 1);
  const rescaleText = fields.rescale.trim();
  if (rescaleText) {
    const pairs = rescaleText.split(/\s*;\s*/).filter((p) => p !== '');
    for (const p of pairs) {
      const nums = p.split(',');
      if (nums.length !== 2 || !nums.every((n) => NUMBER.test(n))) return fail('rescale', `Rescale is MIN,MAX (e.g. 0,3000), got "${p}".`);
      if (Number(nums[0]) === Number(nums[1])) return fail('rescale', `Rescale ${p}: MIN and MAX must differ.`);
    }
    if (pairs.length !== 1 && pairs.length !== shown) {
      return fail('rescale', `Give one MIN,MAX for all bands or ${shown} separated by ";" (one per band shown), got ${pairs.length}.`);
    }
    parts.push(`rescale=${pairs.map((p) => p.split(',').map((n) => Number(n)).join(',')).join(';')}`);
  }
  if (fields.colormap) {
    if (!COLORMAPS.includes(fields.colormap)) return fail('colormap', `Unknown colour map "${fields.colormap}".`);
    if (shown !== 1) return fail('colormap', 'A colour map applies to one band: choose one band, e.g. 1.');
    parts.push(`colormap=${encodeURIComponent(fields.colormap)}`);
  }
  if (fields.resampling) {
    if (!RESAMPLINGS.includes(fields.resampling)) return fail('resampling', `Unknown resampling "${fields.resampling}".`);
    parts.push(`resampling=${fields.resampling}`);
  }
  return { ok: true, query: parts.join('&') };
}

function fail(field: keyof StyleFields, message: string): StyleResult {
  return { ok: false, field, message };
}

/** Placeholder texts showing what applies when a field is left empty. */
export function stylePlaceholders(c: CollectionSummary): Record<'bands' | 'rescale', string> {
  const d = c.defaultStyle ?? {};
  const count = c.bands.count;
  return {
    bands: d.bands ? d.bands.join(',') : count >= 3 ? '1,2,3' : '1',
    rescale: d.rescale ? d.rescale.map((r) => r.join(',')).join(';') : c.bands.dataType === 'uint8' ? 'none (8-bit)' : 'from statistics',
  };
}
