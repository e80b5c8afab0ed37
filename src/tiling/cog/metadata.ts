/**
 * GDAL's private TIFF metadata (tag 42112, GDAL_METADATA): an XML list of items such as
 * `<Item name="STATISTICS_MINIMUM" sample="0">12</Item>`. The format is tiny and fixed,
 * so a small parser here avoids an XML dependency in the engine's hot module graph.
 */

export interface BandStatistics {
  minimum: number;
  maximum: number;
  mean?: number;
  stdDev?: number;
}

export interface GdalMetadata {
  /** Per band (0-based sample index), when GDAL stored statistics. */
  statistics: (BandStatistics | undefined)[];
  /** Per band scale/offset (value = raw * scale + offset). */
  scale: (number | undefined)[];
  offset: (number | undefined)[];
  descriptions: (string | undefined)[];
  /** Dataset-level items (no sample attribute). */
  dataset: Record<string, string>;
}

const ITEM = /<Item\s+([^>]*)>([\s\S]*?)<\/Item>/g;
const ATTR = /(\w+)="([^"]*)"/g;

export function parseGdalMetadata(xml: string | undefined): GdalMetadata {
  const out: GdalMetadata = { statistics: [], scale: [], offset: [], descriptions: [], dataset: {} };
  if (!xml) return out;
  const stats = new Map<number, Partial<BandStatistics>>();
  for (const m of xml.matchAll(ITEM)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(ATTR)) attrs[a[1]!] = a[2]!;
    const value = decodeEntities(m[2]!.trim());
    const name = attrs['name'] ?? '';
    if (attrs['sample'] === undefined) {
      out.dataset[name] = value;
      continue;
    }
    const band = Number(attrs['sample']);
    if (!Number.isInteger(band) || band < 0) continue;
    const role = attrs['role'];
    if (role === 'scale') out.scale[band] = Number(value);
    else if (role === 'offset') out.offset[band] = Number(value);
    else if (role === 'description') out.descriptions[band] = value;
    else if (name.startsWith('STATISTICS_')) {
      const s = stats.get(band) ?? {};
      const v = Number(value);
      if (name === 'STATISTICS_MINIMUM') s.minimum = v;
      else if (name === 'STATISTICS_MAXIMUM') s.maximum = v;
      else if (name === 'STATISTICS_MEAN') s.mean = v;
      else if (name === 'STATISTICS_STDDEV') s.stdDev = v;
      stats.set(band, s);
    }
  }
  for (const [band, s] of stats) {
    if (Number.isFinite(s.minimum) && Number.isFinite(s.maximum)) out.statistics[band] = s as BandStatistics;
  }
  return out;
}

function decodeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** GDAL_NODATA (tag 42113) is ASCII: "-9999", "nan", "1e+30". */
export function parseNodata(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/\0/g, '').trim();
  if (t === '') return undefined;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}
