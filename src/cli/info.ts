import { Engine } from '../tiling/engine.js';
import { describeCog, type CogDescription } from '../tiling/describe.js';
import { parse, UsageError } from './args.js';

/** `tilewright info FILE [--json]` */
export async function infoCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('info needs exactly one FILE');
  const engine = new Engine();
  const { cog } = await engine.open(positionals[0]!);
  const d = await describeCog(cog);
  process.stdout.write(values.json ? `${JSON.stringify(d, null, 2)}\n` : formatDescription(d));
}

function formatDescription(d: CogDescription): string {
  const n = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(3) : v.toPrecision(10).replace(/\.?0+$/, ''));
  const lines: [string, string][] = [
    ['File', `${d.url} (${d.byteSize} bytes)`],
    ['Size', `${d.width} x ${d.height} pixels, ${d.bandCount} band${d.bandCount > 1 ? 's' : ''} of ${d.dataType}`],
    ['CRS', `${d.crs.id} (${d.crs.name})`],
    ['proj4', d.crs.proj4],
    ['Bounds (CRS)', d.crsBounds.map(n).join(', ')],
    ['Bounds (lon/lat)', `${d.lonLatBounds.map((v) => v.toFixed(6)).join(', ')}${d.lonLatBounds[0] > d.lonLatBounds[2] ? ' (crosses the antimeridian)' : ''}`],
    ['Pixel size', `${n(d.resolution[0])} x ${n(d.resolution[1])}${d.rotated ? ' (rotated)' : ''}`],
    ['Levels', d.levels.map((l, i) => `${i === 0 ? 'full' : `ovr${i}`} ${l.width}x${l.height} ${l.tiled ? `tiles ${l.blockWidth}x${l.blockHeight}` : `strips of ${l.blockHeight} rows`}${l.mask ? ' +mask' : ''}`).join('\n' + ' '.repeat(18))],
    ['Compression', `${d.compression}${d.predictor > 1 ? ` (predictor ${d.predictor})` : ''}`],
    ['Photometric', d.photometric + (d.palette ? ` (${d.palette} colours)` : '')],
    ['Nodata', d.nodata === null ? 'NaN' : d.nodata === undefined ? 'none' : String(d.nodata)],
    ['Alpha band', d.alphaBand !== undefined ? String(d.alphaBand) : 'none'],
    ['Internal mask', d.internalMask ? 'yes' : 'no'],
    ['Statistics', d.statistics.some((s) => s) ? d.statistics.map((s, i) => `band ${i + 1}: ${s ? `min ${n(s.minimum)} max ${n(s.maximum)}` : 'none'}`).join('; ') : 'not stored'],
    ['COG', d.cog.valid ? `yes${d.ghost['LAYOUT'] ? ` (LAYOUT=${d.ghost['LAYOUT']})` : ''}` : `no: ${d.cog.problems.join('; ')}`],
  ];
  if (d.cog.warnings.length) lines.push(['COG warnings', d.cog.warnings.join('; ')]);
  return lines.map(([k, v]) => `${(k + ':').padEnd(18)}${v}`).join('\n') + '\n';
}
