/**
 * GetFeatureInfo answers (07-057r7 §7.3.2): the value of every band of the layer at pixel I/J
 * of a tile, in the four InfoFormats offered (text/plain, text/html, application/json as a
 * GeoJSON FeatureCollection with the pixel centre as a point, application/xml without GML).
 * Where the layer has no data the answer is a valid, empty document.
 */
import { create } from 'xmlbuilder2';
import type { PixelValuesResponse } from '../../tiling/service.js';
import type { InfoFormat } from './formats.js';
import type { FeatureInfoParams } from './requests.js';

export interface FeatureInfo {
  layer: string;
  request: FeatureInfoParams;
  pixel: PixelValuesResponse;
}

/** `band1`, `band2`, … and their values (null where no data). */
function properties(info: FeatureInfo): Record<string, number | string | null> {
  const p = info.pixel;
  const bands: Record<string, number | null> = {};
  if (p.kind === 'values') p.values.forEach((v, b) => { bands[`band${b + 1}`] = Number.isNaN(v) ? null : v; });
  return {
    layer: info.layer,
    tileMatrixSet: info.request.tileMatrixSet,
    tileMatrix: info.request.tileMatrix,
    tileRow: info.request.tileRow,
    tileCol: info.request.tileCol,
    i: info.request.i,
    j: info.request.j,
    crs: p.crs,
    x: p.crsPoint[0],
    y: p.crsPoint[1],
    dataType: p.dataType,
    ...bands,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

function plain(info: FeatureInfo): string {
  const lines = Object.entries(properties(info)).map(([k, v]) => `${k} = ${v ?? 'nodata'}`);
  if (info.pixel.kind === 'empty') lines.push('no data at this pixel');
  return `${lines.join('\n')}\n`;
}

function html(info: FeatureInfo): string {
  const rows = Object.entries(properties(info))
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v ?? 'nodata'))}</td></tr>`).join('\n');
  const note = info.pixel.kind === 'empty' ? '<p>no data at this pixel</p>\n' : '';
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(info.layer)}</title></head><body>\n<table>\n${rows}\n</table>\n${note}</body></html>\n`;
}

function json(info: FeatureInfo): string {
  const features = info.pixel.kind === 'empty' ? [] : [{
    type: 'Feature',
    id: `${info.layer}/${info.request.tileMatrixSet}/${info.request.tileMatrix}/${info.request.tileRow}/${info.request.tileCol}/${info.request.j}/${info.request.i}`,
    geometry: { type: 'Point', coordinates: info.pixel.lonLat },
    properties: properties(info),
  }];
  return JSON.stringify({ type: 'FeatureCollection', features });
}

function xml(info: FeatureInfo): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele('FeatureInfoResponse');
  const props = properties(info);
  const pixel = doc.ele('Pixel');
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith('band')) continue;
    pixel.ele(k).txt(String(v));
  }
  pixel.ele('lon').txt(String(info.pixel.lonLat[0]));
  pixel.ele('lat').txt(String(info.pixel.lonLat[1]));
  const values = doc.ele('Values').att('hasData', String(info.pixel.kind === 'values'));
  if (info.pixel.kind === 'values') {
    info.pixel.values.forEach((v, b) => { values.ele('Band').att('index', String(b + 1)).txt(Number.isNaN(v) ? 'NaN' : String(v)); });
  }
  return doc.end({ prettyPrint: true });
}

export function formatFeatureInfo(info: FeatureInfo, format: InfoFormat): { body: string; contentType: string } {
  switch (format) {
    case 'text/plain': return { body: plain(info), contentType: 'text/plain; charset=utf-8' };
    case 'text/html': return { body: html(info), contentType: 'text/html; charset=utf-8' };
    case 'application/json': return { body: json(info), contentType: 'application/json' };
    case 'application/xml': return { body: xml(info), contentType: 'application/xml; charset=utf-8' };
  }
}
