import { expect } from 'chai';
import { CORPUS } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

/**
 * OpenLayers' OGC API - Tiles reader, run in Node: `ol/source/OGCMapTile` fetches our tileset
 * metadata and its tiling scheme (over XMLHttpRequest, given here by a small fetch-based
 * stand-in), builds its tile grid from the TMS 2.0 JSON and the limits, and fills the
 * tile URL template; the URL it makes for the tile under a point answers the XYZ route's
 * bytes. (The viewer's Chromium test covers the browser.)
 */
class FetchXhr {
  status = 0;
  responseText = '';
  #url = '';
  #headers: Record<string, string> = {};
  readonly #listeners = new Map<string, (e: { target: FetchXhr }) => void>();
  static requested: string[] = [];

  addEventListener(type: string, f: (e: { target: FetchXhr }) => void): void {
    this.#listeners.set(type, f);
  }

  open(_method: string, url: string): void {
    this.#url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.#headers[name] = value;
  }

  send(): void {
    FetchXhr.requested.push(`${this.#headers['Accept'] ?? ''} ${this.#url}`);
    fetch(this.#url, { headers: this.#headers }).then(async (r) => {
      this.status = r.status;
      this.responseText = await r.text();
      this.#listeners.get('load')?.({ target: this });
    }, () => this.#listeners.get('error')?.({ target: this }));
  }
}

describe('interop: OpenLayers OGCMapTile reads the OGC API tilesets', function () {
  this.timeout(60_000);
  let app: Awaited<ReturnType<typeof startTestServer>>;
  const g = globalThis as Record<string, unknown>;
  const hadXhr = 'XMLHttpRequest' in g;
  before(async () => {
    if (!hadXhr) g['XMLHttpRequest'] = FetchXhr;
    app = await startTestServer([CORPUS + 'TCI.tif', CORPUS + 'world.byte.tif']);
  });
  after(async () => {
    if (!hadXhr) delete g['XMLHttpRequest'];
    await app?.stop();
  });

  for (const [collection, tms, point, mediaType] of [
    ['tci', 'WebMercatorQuad', [2638413, 3765103], 'image/png'],
    ['tci', 'WorldCRS84Quad', [23.70, 32.01], 'image/webp'],
    ['world.byte', 'WorldCRS84Quad', [10, 45], undefined],
  ] as const) {
    it(`${collection} in ${tms}${mediaType ? ` as ${mediaType}` : ''}: the source becomes ready and its tile URLs answer the XYZ tile`, async () => {
      const { default: OGCMapTile } = await import('ol/source/OGCMapTile.js');
      FetchXhr.requested = [];
      const url = `${app.url}/collections/${encodeURIComponent(collection)}/map/tiles/${tms}`;
      const source = new OGCMapTile({ url, ...(mediaType ? { mediaType } : {}) });
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          const state = source.getState();
          if (state === 'ready') resolve();
          else if (state === 'error') reject(new Error(`OGCMapTile failed on ${url}`));
          else setTimeout(check, 20);
        };
        check();
      });
      // OpenLayers read the tileset metadata and the TMS 2.0 definition (the first tiling-scheme link).
      expect(FetchXhr.requested).to.deep.equal([`application/json ${url}`, `application/json ${app.url}/tileMatrixSets/${tms}`]);
      const grid = source.getTileGrid()!;
      const z = grid.getMaxZoom();
      const [, x, y] = grid.getTileCoordForCoordAndZ([...point], z);
      const tileUrl = source.getTileUrlFunction()([z, x, y], 1, source.getProjection()!)!;
      const matrix = (grid as unknown as { getMatrixIds(): string[] }).getMatrixIds()[z]!;
      // Without a mediaType OpenLayers takes the last "item" link of a known image type (webp here).
      const ext = mediaType === 'image/png' ? 'png' : 'webp';
      expect(tileUrl).to.equal(`${url}/${matrix}/${y}/${x}?f=${ext}`);
      const [ol, xyz] = await Promise.all([fetch(tileUrl), fetch(`${app.url}/api/v1/collections/${encodeURIComponent(collection)}/tiles/${tms}/${matrix}/${x}/${y}.${ext}`)]);
      expect(ol.status, tileUrl).to.equal(200);
      expect(Buffer.from(await ol.arrayBuffer()).equals(Buffer.from(await xyz.arrayBuffer())), tileUrl).to.equal(true);
      // The grid has exactly the advertised levels.
      const tileset = await (await fetch(url)).json() as { tileMatrixSetLimits: { tileMatrix: string }[] };
      expect((grid as unknown as { getMatrixIds(): (string | undefined)[] }).getMatrixIds().filter((m) => m !== undefined)).to.deep.equal(tileset.tileMatrixSetLimits.map((l) => l.tileMatrix));
    });
  }
});
