/**
 * The map viewer end to end: the real server in-process (two corpus files), the page built by
 * scripts/build-viewer.mjs, driven in Debian's Chromium through playwright-core. Checks what a
 * user sees: the collections listed, tiles fetched from our server as 200 PNGs and drawn
 * (decoded pixels of a screenshot), the XYZ template for QGIS, layer switching, the style
 * form, clear messages when things fail, and no console errors (the WMTS choice:
 * viewer-wmts.test.ts). Screenshots go to test-output/viewer/ for a human to look at.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { CORPUS } from '../helpers/services.js';
import { expectPngTiles, launchChromium, mapPixels, meanDifference, needChromium, nextFrames, OUTPUT, tileResponse, type Browser, type TileResponse } from './browser.js';

describe('map viewer (Chromium, end to end)', function () {
  this.timeout(120_000);
  let app: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const tiles: TileResponse[] = [];

  before(async function () {
    const playwright = await needChromium(this);
    app = await startTestServer([CORPUS + 'TCI.tif', CORPUS + 'cogeo.tif']);
    browser = await launchChromium(playwright, app.url);
    ({ context, page } = browser);
    page.on('response', (r) => { if (r.url().includes('/tiles/')) tiles.push(tileResponse(r)); });
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  const rendered = (key: string) => page.waitForSelector(`#map[data-rendered="${key}"]`, { timeout: 90_000 });
  const tilesOf = (id: string) => tiles.filter((t) => t.url.startsWith(`${app!.url}/api/v1/collections/${id}/tiles/WebMercatorQuad/`));
  const template = (id: string) => `${app!.url}/api/v1/collections/${id}/tiles/WebMercatorQuad/{z}/{x}/{y}.png`;

  it('lists the collections in the layer switcher, with XYZ as the first protocol', async () => {
    await page.goto(app!.url + '/');
    await page.waitForSelector('label.collection');
    const ids = await page.$$eval('#collections input[name=collection]', (els) => els.map((e) => e.getAttribute('value')));
    expect(ids).to.deep.equal(['tci', 'cogeo']);
    const titles = await page.locator('label.collection .title').allTextContents();
    expect(titles).to.deep.equal(['tci', 'cogeo']);
    expect(await page.locator('label.collection[data-id=tci] .meta').textContent()).to.equal('EPSG:32634 · 3 × uint8 · z0–10');
    expect(await page.inputValue('#protocol')).to.equal('xyz');
    expect(await page.$$eval('#protocol option', (els) => els.map((e) => e.textContent))).to.deep.equal(['XYZ', 'WMTS', 'WMTS · WorldCRS84Quad', 'OGC API - Tiles']);
  });

  it('opens the first collection: PNG tiles from this server, drawn on the map, fitted to its bounds', async () => {
    await rendered('xyz:tci:');
    expect(await page.isChecked('input[name=collection][value=tci]')).to.equal(true);
    await expectPngTiles(tilesOf('tci'));
    expect(tiles.every((t) => t.url.startsWith(`${app!.url}/api/v1/collections/tci/`)), 'only tci tiles so far').to.equal(true);
    // Fitted to the bounds, at a whole zoom within the TileJSON range (TCI: 0–10).
    const z = tilesOf('tci').map((t) => Number(/\/WebMercatorQuad\/(\d+)\//.exec(t.url)![1]));
    expect(Math.max(...z)).to.be.within(6, 10);
    await page.selectOption('#background', 'plain');
    await page.waitForSelector('#map[data-background=plain]');
    await nextFrames(page);
    const { covered, stdev } = await mapPixels(page, 'tci');
    expect(covered, 'share of the map covered by the image').to.be.greaterThan(0.3);
    expect(stdev, 'grey-level spread').to.be.greaterThan(15);
    await page.screenshot({ path: join(OUTPUT, 'page-tci.png') });
  });

  it("shows the server's XYZ URL template (the TileJSON's) with a working copy button", async () => {
    const tileJson = await (await fetch(`${app!.url}/api/v1/collections/tci/tilejson.json`)).json() as { tiles: string[] };
    expect(tileJson.tiles[0]).to.equal(template('tci'));
    expect(await page.inputValue('#endpoint-url')).to.equal(template('tci'));
    expect(await page.textContent('#endpoint-label')).to.equal('XYZ URL template');
    expect(await page.textContent('#endpoint-help')).to.contain('zoom levels 0–10');
    await page.click('#copy');
    await page.waitForSelector('#copy:text-is("Copied")');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).to.equal(template('tci'));
  });

  it("switching layers loads the other collection's tiles and template", async () => {
    const before = tiles.length;
    await page.click('label.collection[data-id=cogeo]');
    await rendered('xyz:cogeo:');
    const cogeo = tilesOf('cogeo');
    await expectPngTiles(cogeo);
    expect(tiles.slice(before).filter((t) => !t.url.includes('/collections/cogeo/')), 'no other tiles after switching').to.deep.equal([]);
    expect(await page.inputValue('#endpoint-url')).to.equal(template('cogeo'));
    expect(await page.evaluate<string>('location.hash')).to.equal('#collection=cogeo&protocol=xyz');
    // cogeo's TileJSON allows z18 and the image is ~500 m wide: the fit zooms far in.
    expect(Math.max(...cogeo.map((t) => Number(/\/WebMercatorQuad\/(\d+)\//.exec(t.url)![1])))).to.be.within(14, 18);
    const { covered, stdev } = await mapPixels(page, 'cogeo');
    expect(covered).to.be.greaterThan(0.3);
    expect(stdev).to.be.greaterThan(10);
  });

  it('the style form changes the tile query, refuses what the server would refuse, and resets', async () => {
    const rgb = await mapPixels(page, 'cogeo-before-style');
    // A colour map needs one band: explained next to the form, no tile asked for.
    const before = tiles.length;
    await page.selectOption('#style-colormap', 'viridis');
    await page.waitForSelector('#style-error:not([hidden])');
    expect(await page.textContent('#style-error')).to.contain('one band');
    expect(await page.getAttribute('#style-colormap', 'aria-invalid')).to.equal('true');
    expect(await page.inputValue('#endpoint-url')).to.equal(template('cogeo'));
    // One band, then the colour map: a new query on every tile, and on the template.
    await page.fill('#style-bands', '2');
    await page.click('#style-form button[type=submit]');
    await rendered('xyz:cogeo:bands=2&colormap=viridis');
    expect(await page.isHidden('#style-error')).to.equal(true);
    expect(await page.inputValue('#endpoint-url')).to.equal(`${template('cogeo')}?bands=2&colormap=viridis`);
    const styled = tiles.slice(before);
    expect(styled.every((t) => t.url.endsWith('.png?bands=2&colormap=viridis')), styled.map((t) => t.url).join('\n')).to.equal(true);
    await expectPngTiles(styled);
    const viridis = await mapPixels(page, 'cogeo-viridis');
    expect(viridis.covered).to.be.greaterThan(0.3);
    expect(meanDifference(viridis.rgb, rgb.rgb), 'the colour map changed the picture').to.be.greaterThan(10);
    // Rescale with a bad pair, then reset to the default style.
    await page.fill('#style-rescale', '10,10');
    await page.press('#style-rescale', 'Enter');
    await page.waitForSelector('#style-error:not([hidden])');
    expect(await page.textContent('#style-error')).to.contain('must differ');
    await page.click('#style-form button[type=reset]');
    await page.waitForSelector('#style-error', { state: 'hidden' });
    expect(await page.inputValue('#endpoint-url')).to.equal(template('cogeo'));
    expect(await page.inputValue('#style-bands')).to.equal('');
  });

  it('makes no request outside its own server and logs no console errors', () => {
    expect(browser!.foreignRequests).to.deep.equal([]);
    expect(browser!.consoleErrors).to.deep.equal([]);
  });

  it('says so clearly when the server has no collections', async () => {
    const other = await context!.newPage();
    try {
      await other.route('**/api/v1/collections', (route) => route.fulfill({ json: { collections: [], links: [] } }));
      await other.goto(app!.url + '/');
      await other.waitForSelector('#message:not([hidden])');
      expect(await other.textContent('#message')).to.contain('no collections');
      expect(await other.textContent('#collections')).to.equal('No collections.');
      expect(await other.isDisabled('#style-form button[type=submit]')).to.equal(true);
    } finally {
      await other.close();
    }
  });

  it('says so clearly when a request fails, with the reason the server gave', async () => {
    const other = await context!.newPage();
    try {
      let fail = true;
      await other.route('**/api/v1/collections', (route) => fail
        ? route.fulfill({ status: 503, json: { code: 'Unavailable', description: 'catalog is reloading' } })
        : route.continue());
      await other.goto(app!.url + '/');
      await other.waitForSelector('#message.error:not([hidden])');
      const text = await other.textContent('#message');
      expect(text).to.contain('Could not load the collections');
      expect(text).to.contain('catalog is reloading (HTTP 503');
      // Retry once the server answers again.
      fail = false;
      await other.click('#message button');
      await other.waitForSelector('#map[data-rendered="xyz:tci:"]', { timeout: 90_000 });
      expect(await other.isHidden('#message')).to.equal(true);
      // Tiles the server refuses: the page asks why and shows the server's description.
      await other.route('**/collections/cogeo/tiles/**', (route) => route.fulfill({
        status: 400, json: { code: 'InvalidParameterValue', description: 'the test refuses this tile' },
      }));
      await other.click('label.collection[data-id=cogeo]');
      await other.waitForSelector('#message.error:not([hidden])');
      expect(await other.textContent('#message')).to.contain('Tiles of "cogeo" fail: the test refuses this tile (HTTP 400');
    } finally {
      await other.close();
    }
  });
});
