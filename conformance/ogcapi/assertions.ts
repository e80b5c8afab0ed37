/**
 * Assertions of OGC API - Tiles 1.0 (OGC 20-057, Annex A abstract test suite, as the OGC test
 * suite ets-ogcapi-tiles10 exercises it), of the OGC API - Common parts it builds on, and of
 * OGC API - Maps 1.0 core (OGC 20-058, A.1 map-op and A.2 map-response, with the bbox and
 * width/height parameters). Written from the abstract tests; identifiers are the tests'
 * (`/conf/…`), the checks this project's own.
 */
import { get, mimeOf, type Response } from '../wmts/http.js';
import { getJson, linkOf, links, type Json, type SuiteContext, type TilesetSample } from './context.js';

export type ConformanceClass = 'common' | 'tiles/core' | 'tiles/tileset' | 'tiles/tilesets-list' | 'tiles/dataset-tilesets'
  | 'tiles/geodata-tilesets' | 'tiles/geodata-selection' | 'tiles/png' | 'tiles/jpeg' | 'tiles/tms' | 'maps/core';

export interface Assertion {
  id: string;
  conformanceClass: ConformanceClass;
  title: string;
  run(ctx: SuiteContext): Promise<void>;
}

export class AssertionFailure extends Error {}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionFailure(message);
}

const TILES = 'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/';
const MAPS = 'http://www.opengis.net/spec/ogcapi-maps-1/1.0/conf/';
const OGC_REL = 'http://www.opengis.net/def/rel/ogc/1.0/';
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

/** The first bytes of an image format. */
function looksLike(mediaType: string, body: Uint8Array): boolean {
  if (mediaType === 'image/png') return body[0] === 0x89 && body[1] === 0x50 && body[2] === 0x4e && body[3] === 0x47;
  if (mediaType === 'image/jpeg') return body[0] === 0xff && body[1] === 0xd8;
  if (mediaType === 'image/webp') return new TextDecoder().decode(body.subarray(8, 12)) === 'WEBP';
  if (mediaType.startsWith('image/tiff')) return (body[0] === 0x49 && body[1] === 0x49) || (body[0] === 0x4d && body[1] === 0x4d);
  return body.length > 0;
}

/** PNG width and height from the IHDR chunk. */
function pngSize(body: Uint8Array): [number, number] {
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return [v.getUint32(16), v.getUint32(20)];
}

function fill(template: string, tileMatrix: string, row: number, col: number): string {
  return template.replace('{tileMatrix}', encodeURIComponent(tileMatrix)).replace('{tileRow}', String(row)).replace('{tileCol}', String(col));
}

function samples(ctx: SuiteContext, filter: (s: TilesetSample) => boolean = () => true): TilesetSample[] {
  const out = ctx.tilesets.filter(filter);
  check(out.length > 0, 'no tileset found by following the landing page and the collections');
  return out;
}

function declares(ctx: SuiteContext, cls: string): void {
  check(ctx.conformsTo.includes(cls), `the conformance declaration does not list ${cls}`);
}

/** An OGC API exception: this status, a JSON body with `type` (RFC 7807, exception.yaml). */
function expectException(res: Response, statuses: readonly number[]): void {
  check(statuses.includes(res.status), `${res.url}: expected HTTP ${statuses.join(' or ')}, got ${res.status}`);
  check(mimeOf(res.contentType).endsWith('json'), `${res.url}: exception Content-Type ${res.contentType} is not JSON`);
  const body = JSON.parse(res.text()) as Json;
  check(typeof body['type'] === 'string', `${res.url}: the exception has no "type" member`);
}

function tileSample(s: TilesetSample): { template: string; mediaType: string; tileMatrix: string; row: number; col: number } {
  check(s.limit, `${s.tilesetUrl}: no tileMatrixSetLimits to choose a tile from`);
  const [mediaType, template] = [...s.templates][0] ?? [];
  check(template && mediaType, `${s.tilesetUrl}: no "item" link with a media type`);
  return { template, mediaType, tileMatrix: s.limit.tileMatrix, row: s.limit.maxTileRow, col: s.limit.minTileCol };
}

export const ASSERTIONS: readonly Assertion[] = [
  // ----- OGC API - Common (19-072) as Tiles and Maps require it
  {
    id: '/conf/landing-page/root-success', conformanceClass: 'common', title: 'the landing page links the API definition, the conformance declaration and the data',
    async run(ctx) {
      for (const rel of ['service-desc', 'conformance', 'data']) {
        check(linkOf(ctx.landing, rel) ?? linkOf(ctx.landing, OGC_REL + rel), `the landing page has no "${rel}" link`);
      }
      for (const l of links(ctx.landing)) check(/^https?:\/\//.test(l.href), `landing page link ${l.rel} is not absolute: ${l.href}`);
    },
  },
  {
    id: '/conf/core/conformance-success', conformanceClass: 'common', title: 'the conformance declaration lists Tiles core and Maps core',
    async run(ctx) {
      declares(ctx, `${TILES}core`);
      declares(ctx, `${MAPS}core`);
    },
  },
  {
    id: '/conf/oas30/oas-definition', conformanceClass: 'common', title: 'the API definition is an OpenAPI 3.0 document with the tile and map paths',
    async run(ctx) {
      const desc = linkOf(ctx.landing, 'service-desc');
      check(desc, 'no service-desc link');
      const res = await get(desc.href, { accept: 'application/vnd.oai.openapi+json;version=3.0' });
      check(res.status === 200, `${desc.href}: HTTP ${res.status}`);
      check(mimeOf(res.contentType) === 'application/vnd.oai.openapi+json', `${desc.href}: Content-Type ${res.contentType}`);
      const doc = JSON.parse(res.text()) as Json;
      check(/^3\.0\.\d+$/.test(String(doc['openapi'])), `openapi is ${String(doc['openapi'])}, not 3.0.x`);
      const paths = Object.keys((doc['paths'] as Json | undefined) ?? {});
      check(paths.some((p) => /\/tiles\/\{[^}]+\}\/\{[^}]+\}\/\{[^}]+\}\/\{[^}]+\}$/.test(p)), 'no tile path in the API definition');
      check(paths.some((p) => p.endsWith('/map')), 'no map path in the API definition');
    },
  },
  {
    id: '/conf/html/content', conformanceClass: 'common', title: 'resources are available as HTML (f=html and Accept: text/html)',
    async run(ctx) {
      for (const url of [ctx.landingUrl, linkOf(ctx.landing, 'data')!.href]) {
        for (const [u, h] of [[`${url}${url.includes('?') ? '&' : '?'}f=html`, {}], [url, { accept: 'text/html' }]] as const) {
          const res = await get(u, h);
          check(res.status === 200 && mimeOf(res.contentType) === 'text/html', `${u}: HTTP ${res.status} ${res.contentType}`);
        }
      }
    },
  },
  // ----- Tiles core (A.2–A.7)
  {
    id: '/conf/core/tc-op', conformanceClass: 'tiles/core', title: 'tiles are available from tilesets found from the landing page or the collections',
    async run(ctx) {
      samples(ctx);
    },
  },
  ...(['tileMatrix', 'tileRow', 'tileCol'] as const).map((v): Assertion => ({
    id: `/conf/core/tc-${v.toLowerCase()}-definition`,
    conformanceClass: 'tiles/core', title: `every tileset's tile links are templates with {${v}}`,
    async run(ctx) {
      for (const s of samples(ctx)) {
        check(s.templates.size > 0, `${s.tilesetUrl}: no "item" links`);
        for (const t of s.templates.values()) check(t.includes(`{${v}}`), `${s.tilesetUrl}: template ${t} has no {${v}}`);
      }
    },
  })),
  {
    id: '/conf/core/tc-success', conformanceClass: 'tiles/core', title: 'a tile inside the limits answers 200 (or 204) with the media type of its link',
    async run(ctx) {
      for (const s of samples(ctx)) {
        for (const [mediaType, template] of s.templates) {
          const t = tileSample(s);
          const url = fill(template, t.tileMatrix, t.row, t.col);
          const res = await get(url);
          check(res.status === 200 || res.status === 204, `${url}: HTTP ${res.status}`);
          if (res.status === 204) continue;
          check(res.contentType.replace(/\s/g, '') === mediaType.replace(/\s/g, ''), `${url}: Content-Type ${res.contentType}, the link says ${mediaType}`);
          check(looksLike(mediaType, res.body), `${url}: the body is not ${mediaType}`);
        }
      }
    },
  },
  {
    id: '/conf/core/tc-error', conformanceClass: 'tiles/core', title: 'a tile outside the limits or the matrix, or an unknown tile matrix, is 404 (or 400) with an exception',
    async run(ctx) {
      for (const s of samples(ctx)) {
        const t = tileSample(s);
        expectException(await get(fill(t.template, t.tileMatrix, t.row + 1, t.col)), [400, 404]);
        expectException(await get(fill(t.template, t.tileMatrix, t.row, 1_000_000_000)), [400, 404]);
        expectException(await get(fill(t.template, 'no-such-matrix', t.row, t.col)), [400, 404]);
        expectException(await get(fill(t.template, t.tileMatrix, -1 as never, t.col).replace('/-1/', '/x/')), [400, 404]);
      }
    },
  },
  // ----- Tileset (/conf/tileset)
  {
    id: '/conf/tileset/tileset-success', conformanceClass: 'tiles/tileset', title: 'tileset metadata has dataType, crs, a tiling-scheme link, item templates and valid limits',
    async run(ctx) {
      declares(ctx, `${TILES}tileset`);
      for (const s of samples(ctx)) {
        check(['map', 'vector', 'coverage'].includes(String(s.tileset['dataType'])), `${s.tilesetUrl}: dataType ${String(s.tileset['dataType'])}`);
        check(s.tileset['crs'] !== undefined, `${s.tilesetUrl}: no crs`);
        const scheme = linkOf(s.tileset, `${OGC_REL}tiling-scheme`);
        check(scheme, `${s.tilesetUrl}: no tiling-scheme link`);
        const { doc: tms } = await getJson(scheme.href);
        const matrices = tms['tileMatrices'] as Json[] | undefined;
        check(Array.isArray(matrices) && matrices.length > 0, `${scheme.href}: no tileMatrices (a TMS 2.0 definition)`);
        for (const l of (s.tileset['tileMatrixSetLimits'] as Json[] | undefined) ?? []) {
          const m = matrices.find((x) => x['id'] === l['tileMatrix']);
          check(m, `${s.tilesetUrl}: limits name tile matrix ${String(l['tileMatrix'])}, which ${scheme.href} lacks`);
          const [r0, r1, c0, c1] = [l['minTileRow'], l['maxTileRow'], l['minTileCol'], l['maxTileCol']].map(Number) as [number, number, number, number];
          check(r0 >= 0 && r0 <= r1 && r1 < Number(m['matrixHeight']) && c0 >= 0 && c0 <= c1 && c1 < Number(m['matrixWidth']), `${s.tilesetUrl}: limits of ${String(l['tileMatrix'])} outside the matrix`);
        }
      }
    },
  },
  // ----- Tileset lists (A.9)
  {
    id: '/conf/tilesets-list/tileset-links', conformanceClass: 'tiles/tilesets-list', title: 'tileset lists live at …/tiles; entries give dataType, crs, tileMatrixSetURI and a JSON self link',
    async run(ctx) {
      declares(ctx, `${TILES}tilesets-list`);
      for (const s of samples(ctx)) check(/\/tiles(\?|$)/.test(s.listUrl), `${s.listUrl} is not a …/tiles path`);
      for (const listUrl of new Set(ctx.tilesets.map((s) => s.listUrl))) {
        const { doc } = await getJson(listUrl);
        for (const e of doc['tilesets'] as Json[]) {
          check(typeof e['dataType'] === 'string' && e['crs'] !== undefined && typeof e['tileMatrixSetURI'] === 'string', `${listUrl}: an entry lacks dataType, crs or tileMatrixSetURI`);
          for (const l of links(e)) {
            const r = await get(l.href, { accept: 'application/json' });
            check(r.status === 200 && mimeOf(r.contentType).endsWith('json'), `${listUrl}: entry link ${l.href} answers HTTP ${r.status} ${r.contentType}`);
          }
        }
      }
    },
  },
  // ----- Dataset tilesets (A.10–A.11) and geodata tilesets (A.12–A.13)
  {
    id: '/conf/dataset-tilesets/landingpage', conformanceClass: 'tiles/dataset-tilesets', title: 'the landing page links the dataset\'s tilesets',
    async run(ctx) {
      declares(ctx, `${TILES}dataset-tilesets`);
      check(links(ctx.landing).some((l) => /tilesets-(map|vector|coverage)$/.test(l.rel)), 'no tilesets-map/vector/coverage link on the landing page');
      samples(ctx, (s) => s.dataset);
    },
  },
  {
    id: '/conf/geodata-tilesets/desc-links', conformanceClass: 'tiles/geodata-tilesets', title: 'collections link their tilesets (…/tiles), and those lists answer',
    async run(ctx) {
      declares(ctx, `${TILES}geodata-tilesets`);
      check(ctx.collections.length > 0, 'no collections');
      for (const c of ctx.collections) {
        const l = links(c).filter((x) => x.rel.startsWith(`${OGC_REL}tilesets-`));
        check(l.length > 0, `collection ${String(c['id'])} has no tilesets link`);
        for (const x of l) check(/\/tiles(\?|$)/.test(x.href), `collection ${String(c['id'])}: ${x.href} is not a …/tiles path`);
      }
      samples(ctx, (s) => !s.dataset);
    },
  },
  {
    id: '/conf/geodata-selection/collections-param', conformanceClass: 'tiles/geodata-selection', title: 'dataset tiles take collections=…; an unknown collection is 400',
    async run(ctx) {
      declares(ctx, `${TILES}geodata-selection`);
      const s = samples(ctx, (x) => x.dataset && x.tileset['dataType'] === 'map')[0]!;
      const t = tileSample(s);
      const url = fill(t.template, t.tileMatrix, t.row, t.col);
      const id = encodeURIComponent(String(ctx.collections[0]!['id']));
      const one = await get(`${url}${url.includes('?') ? '&' : '?'}collections=${id}`);
      check(one.status === 200 || one.status === 204, `${url} with collections=${id}: HTTP ${one.status}`);
      expectException(await get(`${url}${url.includes('?') ? '&' : '?'}collections=no-such-collection-x`), [400]);
    },
  },
  // ----- Encodings
  ...([['tiles/png', 'png', 'image/png'], ['tiles/jpeg', 'jpeg', 'image/jpeg']] as const).map(([cls, name, mediaType]): Assertion => ({
    id: `/conf/${name}/content`, conformanceClass: cls, title: `map tiles are available as ${mediaType}, by their link and by Accept`,
    async run(ctx) {
      declares(ctx, `${TILES}${name}`);
      const s = samples(ctx, (x) => x.templates.has(mediaType))[0]!;
      const t = tileSample(s);
      const url = fill(s.templates.get(mediaType)!, t.tileMatrix, t.row, t.col);
      for (const [u, h] of [[url, {}], [url.replace(/[?&]f=[^&]*/, ''), { accept: mediaType }]] as const) {
        const res = await get(u, h);
        check(res.status === 200 && mimeOf(res.contentType) === mediaType && looksLike(mediaType, res.body), `${u} (${JSON.stringify(h)}): HTTP ${res.status} ${res.contentType}`);
      }
    },
  })),
  {
    id: '/conf/tilematrixsets/tms-definition', conformanceClass: 'tiles/tms', title: 'the tiling schemes list links every set\'s TMS 2.0 definition',
    async run(ctx) {
      const l = linkOf(ctx.landing, `${OGC_REL}tiling-schemes`);
      check(l, 'no tiling-schemes link on the landing page');
      const { doc } = await getJson(l.href);
      const sets = doc['tileMatrixSets'] as Json[] | undefined;
      check(Array.isArray(sets) && sets.length > 0, `${l.href}: no tileMatrixSets`);
      for (const e of sets.slice(0, 12)) {
        const self = linkOf(e, 'self');
        check(self, `${l.href}: ${String(e['id'])} has no self link`);
        const { doc: tms } = await getJson(self.href);
        check(tms['id'] === e['id'] && Array.isArray(tms['tileMatrices']) && tms['crs'] !== undefined, `${self.href}: not the TMS 2.0 definition of ${String(e['id'])}`);
      }
    },
  },
  // ----- Maps core (20-058 A.1, A.2) with bbox and width/height
  {
    id: '/conf/core/map-op', conformanceClass: 'maps/core', title: 'collections link a map ([ogc-rel:map]) that answers an image',
    async run(ctx) {
      let found = 0;
      for (const c of ctx.collections) {
        const l = linkOf(c, `${OGC_REL}map`);
        if (!l) continue;
        found++;
        const res = await get(l.href);
        check(res.status === 200 && mimeOf(res.contentType).startsWith('image/'), `${l.href}: HTTP ${res.status} ${res.contentType}`);
        check(looksLike(mimeOf(res.contentType), res.body), `${l.href}: the body is not ${res.contentType}`);
      }
      check(found > 0, 'no collection links a map');
    },
  },
  {
    id: '/conf/core/map-response', conformanceClass: 'maps/core', title: 'a map says its CRS (Content-Crs, CRS84 by default) and bounds (Content-Bbox, four numbers)',
    async run(ctx) {
      const l = linkOf(ctx.collections[0], `${OGC_REL}map`, 'image/png');
      check(l, 'the first collection links no PNG map');
      const res = await get(l.href, { accept: 'image/png' });
      check(res.status === 200, `${l.href}: HTTP ${res.status}`);
      const headers = await fetch(l.href, { method: 'HEAD' });
      const crs = headers.headers.get('content-crs');
      const bbox = headers.headers.get('content-bbox');
      check(crs === CRS84 || crs === `<${CRS84}>` || crs === '[OGC:CRS84]', `Content-Crs is ${String(crs)}, not CRS84`);
      check(bbox && bbox.split(',').length === 4 && bbox.split(',').every((n) => Number.isFinite(Number(n))), `Content-Bbox is ${String(bbox)}`);
    },
  },
  {
    id: '/conf/spatial-subsetting/bbox-response', conformanceClass: 'maps/core', title: 'bbox (CRS84) and width/height give that area at that size',
    async run(ctx) {
      const c = ctx.collections[0]!;
      const l = linkOf(c, `${OGC_REL}map`, 'image/png');
      check(l, 'no PNG map link');
      const [w, s, e, n] = ((c['extent'] as Json)['spatial'] as { bbox: number[][] }).bbox[0]!;
      const box = [w!, s!, w! + (e! - w!) / 2, s! + (n! - s!) / 2];
      const url = `${l.href}${l.href.includes('?') ? '&' : '?'}bbox=${box.join(',')}&width=123&height=77`;
      const res = await get(url);
      check(res.status === 200 && looksLike('image/png', res.body), `${url}: HTTP ${res.status}`);
      check(pngSize(res.body).join('x') === '123x77', `${url}: the map is ${pngSize(res.body).join('x')}`);
      const head = await fetch(url, { method: 'HEAD' });
      const got = (head.headers.get('content-bbox') ?? '').split(',').map(Number);
      check(got.length === 4 && got.every((v, i) => Math.abs(v - box[i]!) < 1e-9), `Content-Bbox ${head.headers.get('content-bbox')} is not the bbox asked for`);
      expectException(await get(`${l.href}${l.href.includes('?') ? '&' : '?'}bbox=1,2,3`), [400]);
    },
  },
];
