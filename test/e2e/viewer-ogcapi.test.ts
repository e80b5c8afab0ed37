/**
 * The map viewer's "OGC API - Tiles" choice end to end, in Debian's Chromium through
 * playwright-core against the real server in-process: OpenLayers' `OGCMapTile` source reads the
 * collection's map tileset (TMS 2.0 + `item` link template) and draws the tiles of
 * `/collections/{id}/map/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}` (checked as
 * 200 PNGs and as decoded pixels of a screenshot: the same picture as XYZ); the page shows the
 * tileset URL and a tile template that answers the same bytes; the style form is off.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { CORPUS } from '../helpers/services.js';
import { expectPngTiles, launchChromium, mapPixels, meanDifference, needChromium, OUTPUT, tileResponse, type Browser, type TileResponse } from './browser.js';

const OGC_TILE = /^\/collections\/([^/]+)\/map\/tiles\/WebMercatorQuad\/(\d+)\/(\d+)\/(\d+)$/;

describe('map viewer: OGC API - Tiles (Chromium, end to end)', function () {
  this.timeout(120_000);
  let app: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const ogcTiles: TileResponse[] = [];
  const tilesets: TileResponse[] = [];
  const otherTiles: TileResponse[] = [];

  before(async function () {
    const playwright = await needChromium(this);
    app = await startTestServer([CORPUS + 'TCI.tif', CORPUS + 'cogeo.tif']);
    browser = await launchChromium(playwright, app.url);
    ({ page } = browser);
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (OGC_TILE.test(path)) ogcTiles.push(tileResponse(r));
      else if (/^\/collections\/[^/]+\/map\/tiles\/WebMercatorQuad$/.test(path)) tilesets.push(tileResponse(r));
      else if (path.includes('/tiles/') || path.startsWith('/wmts')) otherTiles.push(tileResponse(r));
    });
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  const rendered = (key: string) => page.waitForSelector(`#map[data-rendered="${key}"]`, { timeout: 90_000 });
  const alsoUrls = () => page.$$eval('#endpoint-also textarea', (els) => els.map((e) => (e as unknown as { value: string }).value));

  it('"OGC API - Tiles": OpenLayers reads the tileset and draws its PNG tiles, the same picture as XYZ', async () => {
    await page.goto(app!.url + '/');
    await rendered('xyz:tci:');
    await page.selectOption('#background', 'plain');
    await page.waitForSelector('#map[data-background=plain]');
    const xyz = await mapPixels(page, 'xyz-tci-ref');
    const others = otherTiles.length;
    await page.selectOption('#protocol', 'ogcapi');
    await rendered('ogcapi:tci:');
    expect(await page.evaluate<string>('location.hash')).to.equal('#collection=tci&protocol=ogcapi');
    expect(tilesets.length, 'the tileset document was read').to.be.greaterThan(0);
    expect(tilesets.every((t) => t.status === 200)).to.equal(true);
    expect(ogcTiles.length, 'OGC API tiles drawn').to.be.greaterThan(0);
    await expectPngTiles(ogcTiles);
    for (const t of ogcTiles) expect(OGC_TILE.exec(new URL(t.url).pathname)![1], t.url).to.equal('tci');
    expect(otherTiles.slice(others), 'no XYZ or WMTS tiles for the OGC API layer').to.deep.equal([]);
    expect(Math.max(...ogcTiles.map((t) => Number(OGC_TILE.exec(new URL(t.url).pathname)![2])))).to.be.within(6, 10);
    const ogc = await mapPixels(page, 'ogcapi-tci');
    expect(ogc.covered).to.be.greaterThan(0.3);
    expect(ogc.stdev).to.be.greaterThan(15);
    expect(meanDifference(ogc.rgb, xyz.rgb), 'OGC API and XYZ draw the same picture').to.be.lessThan(1);
    await page.screenshot({ path: join(OUTPUT, 'page-ogcapi-tci.png') });
  });

  it('shows the tileset URL and a tile template that answers the map\'s tiles; the style form is off', async () => {
    expect(await page.textContent('#endpoint-label')).to.equal('OGC API - Tiles tileset URL');
    const tilesetUrl = await page.inputValue('#endpoint-url');
    expect(tilesetUrl).to.equal(`${app!.url}/collections/tci/map/tiles/WebMercatorQuad`);
    const doc = await (await fetch(tilesetUrl, { headers: { Accept: 'application/json' } })).json() as { tileMatrixSetLimits: unknown[] };
    expect(doc.tileMatrixSetLimits.length).to.be.greaterThan(0);
    const [template, gdal] = await alsoUrls();
    expect(gdal).to.equal(`OGCAPI:${app!.url}/collections/tci`);
    const tile = ogcTiles[ogcTiles.length - 1]!;
    const [, , z, row, col] = OGC_TILE.exec(new URL(tile.url).pathname)!;
    const filled = template!.replace('{tileMatrix}', z!).replace('{tileRow}', row!).replace('{tileCol}', col!);
    const res = await fetch(filled);
    expect(res.status, filled).to.equal(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(await tile.response.body()), filled).to.equal(true);
    expect(await page.textContent('#endpoint-help')).to.contain('tile matrices').and.contain('GDAL');
    expect(await page.isVisible('#style-note')).to.equal(true);
    expect(await page.isDisabled('#style-bands')).to.equal(true);
  });

  it('switching layers loads the other collection through its own tileset', async () => {
    const from = ogcTiles.length;
    await page.click('label.collection[data-id=cogeo]');
    await rendered('ogcapi:cogeo:');
    const list = ogcTiles.slice(from);
    await expectPngTiles(list);
    expect(list.length).to.be.greaterThan(0);
    for (const t of list) expect(OGC_TILE.exec(new URL(t.url).pathname)![1]).to.equal('cogeo');
    const { covered, stdev } = await mapPixels(page, 'ogcapi-cogeo');
    expect(covered).to.be.greaterThan(0.3);
    expect(stdev).to.be.greaterThan(10);
  });

  it('makes no request outside its own server and logs no console errors', () => {
    expect(browser!.foreignRequests).to.deep.equal([]);
    expect(browser!.consoleErrors).to.deep.equal([]);
  });
});
