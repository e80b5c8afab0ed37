/**
 * The map viewer's WMTS choices end to end, in Debian's Chromium through playwright-core
 * against the real server in-process: the page reads the server's capabilities with
 * OpenLayers' `WMTSCapabilities` + `optionsFromCapabilities` and draws the layer from KVP
 * GetTile requests (checked as 200 PNGs and as decoded pixels of a screenshot), in
 * WebMercatorQuad on the EPSG:3857 map and in WorldCRS84Quad on an EPSG:4326 map; it shows
 * the server's GetCapabilities URL and tile URL templates that answer the same tiles; the
 * style form is off for WMTS (it has no style parameters) and comes back for XYZ; failures
 * show the server's OWS ExceptionText. Screenshots go to test-output/viewer/.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { CORPUS } from '../helpers/services.js';
import { expectPngTiles, launchChromium, mapPixels, meanDifference, needChromium, nextFrames, OUTPUT, tileResponse, type Browser, type TileResponse } from './browser.js';

/** A GetTile request's parameters, names lower-cased (KVP names are case-insensitive). */
function kvp(url: string): Record<string, string> {
  return Object.fromEntries([...new URL(url).searchParams].map(([k, v]) => [k.toLowerCase(), v]));
}

function fill(template: string, tile: Record<string, string>): string {
  return template.replace('{TileMatrix}', tile['tilematrix']!).replace('{TileRow}', tile['tilerow']!).replace('{TileCol}', tile['tilecol']!);
}

describe('map viewer: WMTS (Chromium, end to end)', function () {
  this.timeout(120_000);
  let app: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  /** KVP GetTile answers (the map's WMTS tiles). */
  const getTiles: TileResponse[] = [];
  /** Every other tile answer (XYZ, RESTful WMTS). */
  const otherTiles: TileResponse[] = [];
  const capabilities: TileResponse[] = [];

  before(async function () {
    const playwright = await needChromium(this);
    app = await startTestServer([CORPUS + 'TCI.tif', CORPUS + 'cogeo.tif']);
    browser = await launchChromium(playwright, app.url);
    ({ context, page } = browser);
    page.on('response', (r) => {
      const url = new URL(r.url());
      const request = kvp(r.url())['request'];
      if (url.pathname === '/wmts' && request === 'GetTile') getTiles.push(tileResponse(r));
      else if (url.pathname === '/wmts' && request === 'GetCapabilities') capabilities.push(tileResponse(r));
      else if (url.pathname.includes('/tiles/') || url.pathname.startsWith('/wmts/')) otherTiles.push(tileResponse(r));
    });
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  const rendered = (key: string) => page.waitForSelector(`#map[data-rendered="${key}"]`, { timeout: 90_000 });
  const capabilitiesUrl = () => `${app!.url}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities`;
  const restTemplate = (id: string, tms: string) => `${app!.url}/wmts/1.0.0/${id}/default/${tms}/{TileMatrix}/{TileRow}/{TileCol}.png`;
  const kvpTemplate = (id: string, tms: string) => `${app!.url}/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${id}&STYLE=default`
    + `&TILEMATRIXSET=${tms}&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}&FORMAT=image/png`;
  const alsoUrls = () => page.$$eval('#endpoint-also textarea', (els) => els.map((e) => (e as unknown as { value: string }).value));
  const alsoLabels = () => page.locator('#endpoint-also label').allTextContents();

  /** The GetTile requests after `from`: all of `layer` in `tms`, default style, PNG, each 200 image/png. */
  async function expectWmtsTiles(from: number, layer: string, tms: string): Promise<TileResponse[]> {
    const list = getTiles.slice(from);
    await expectPngTiles(list);
    for (const t of list) {
      const p = kvp(t.url);
      expect(t.url.startsWith(`${app!.url}/wmts?`), t.url).to.equal(true);
      expect({ service: p['service'], version: p['version'], layer: p['layer'], style: p['style'], tilematrixset: p['tilematrixset'], format: p['format'] }, t.url)
        .to.deep.equal({ service: 'WMTS', version: '1.0.0', layer, style: 'default', tilematrixset: tms, format: 'image/png' });
    }
    return list;
  }

  it('draws the XYZ view first (the reference picture)', async () => {
    await page.goto(app!.url + '/');
    await rendered('xyz:tci:');
    expect(await page.$$eval('#protocol option', (els) => els.map((e) => e.getAttribute('value')))).to.deep.equal(['xyz', 'wmts', 'wmts-crs84', 'ogcapi']);
    await page.selectOption('#background', 'plain');
    await page.waitForSelector('#map[data-background=plain]');
    await nextFrames(page);
    expect(capabilities, 'no capabilities asked for by XYZ').to.deep.equal([]);
  });

  it('"WMTS": reads the capabilities and draws KVP GetTile PNGs of the layer in WebMercatorQuad', async () => {
    const xyz = await mapPixels(page, 'xyz-tci');
    const others = otherTiles.length;
    await page.selectOption('#protocol', 'wmts');
    await rendered('wmts:tci:');
    expect(await page.evaluate<string>('location.hash')).to.equal('#collection=tci&protocol=wmts');
    expect(await page.getAttribute('#map', 'data-projection')).to.equal('EPSG:3857');
    // The capabilities, asked for once with a relative URL, parsed by OpenLayers.
    expect(capabilities.map((c) => [c.url, c.status])).to.deep.equal([[capabilitiesUrl(), 200]]);
    expect(capabilities[0]!.contentType).to.match(/^text\/xml/);
    const list = await expectWmtsTiles(0, 'tci', 'WebMercatorQuad');
    expect(otherTiles.slice(others), 'no XYZ or RESTful tiles for the WMTS layer').to.deep.equal([]);
    // Fitted like XYZ: the finest tile matrix with data (TCI: 10) is the closest it zooms.
    expect(Math.max(...list.map((t) => Number(kvp(t.url)['tilematrix'])))).to.be.within(6, 10);
    const wmts = await mapPixels(page, 'wmts-tci');
    expect(wmts.covered, 'share of the map covered by the image').to.be.greaterThan(0.3);
    expect(wmts.stdev, 'grey-level spread').to.be.greaterThan(15);
    // The same tiles (byte-identical through both protocols) over the same extent: the same picture.
    expect(meanDifference(wmts.rgb, xyz.rgb), 'WMTS and XYZ draw the same picture').to.be.lessThan(1);
    await page.screenshot({ path: join(OUTPUT, 'page-wmts-tci.png') });
  });

  it("shows the server's GetCapabilities URL and tile URL templates that answer the map's tiles", async () => {
    expect(await page.textContent('#endpoint-label')).to.equal('WMTS GetCapabilities URL');
    expect(await page.inputValue('#endpoint-url')).to.equal(capabilitiesUrl());
    const help = await page.textContent('#endpoint-help');
    expect(help).to.contain('QGIS').and.contain('ArcGIS').and.contain('"tci" in WebMercatorQuad (tile matrices 1–10)');
    const doc = await (await fetch(await page.inputValue('#endpoint-url'))).text();
    expect(doc).to.contain('<ows:Identifier>tci</ows:Identifier>');
    expect(await alsoLabels()).to.deep.equal(['KVP tile URL template (what this map asks)', 'RESTful tile URL template']);
    const [kvpUrl, restUrl] = await alsoUrls();
    expect(kvpUrl).to.equal(kvpTemplate('tci', 'WebMercatorQuad'));
    expect(restUrl).to.equal(restTemplate('tci', 'WebMercatorQuad'));
    // The RESTful template is the capabilities' own ResourceURL, Style and TileMatrixSet filled in.
    expect(doc).to.contain(`template="${app!.url}/wmts/1.0.0/tci/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png"`);
    // Both templates, filled with a tile the map loaded, answer that tile's bytes.
    const tile = getTiles[getTiles.length - 1]!;
    const body = await tile.response.body();
    for (const template of [kvpUrl!, restUrl!]) {
      const res = await fetch(fill(template, kvp(tile.url)));
      expect(res.status, template).to.equal(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(body), template).to.equal(true);
    }
    // Each URL has its own copy button.
    await page.click('#endpoint-also .endpoint-also:nth-child(2) button');
    await page.waitForSelector('#endpoint-also .endpoint-also:nth-child(2) button:text-is("Copied")');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).to.equal(restTemplate('tci', 'WebMercatorQuad'));
    await page.click('#copy');
    await page.waitForSelector('#copy:text-is("Copied")');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).to.equal(capabilitiesUrl());
  });

  it('switching layers under WMTS loads the other layer from the same capabilities', async () => {
    const from = getTiles.length;
    await page.click('label.collection[data-id=cogeo]');
    await rendered('wmts:cogeo:');
    const list = await expectWmtsTiles(from, 'cogeo', 'WebMercatorQuad');
    expect(Math.max(...list.map((t) => Number(kvp(t.url)['tilematrix'])))).to.be.within(14, 18);
    expect(capabilities, 'the capabilities are read once').to.have.length(1);
    expect(await page.evaluate<string>('location.hash')).to.equal('#collection=cogeo&protocol=wmts');
    expect(await page.inputValue('#endpoint-url')).to.equal(capabilitiesUrl());
    expect(await alsoUrls()).to.deep.equal([kvpTemplate('cogeo', 'WebMercatorQuad'), restTemplate('cogeo', 'WebMercatorQuad')]);
    const { covered, stdev } = await mapPixels(page, 'wmts-cogeo');
    expect(covered).to.be.greaterThan(0.3);
    expect(stdev).to.be.greaterThan(10);
  });

  it('turns the style form off for WMTS with the reason, and keeps the XYZ style for XYZ', async () => {
    expect(await page.isVisible('#style-note')).to.equal(true);
    expect(await page.textContent('#style-note')).to.contain('WMTS has no parameters for bands');
    for (const selector of ['#style-bands', '#style-rescale', '#style-colormap', '#style-resampling', '#style-form button[type=submit]', '#style-form button[type=reset]']) {
      expect(await page.isDisabled(selector), selector).to.equal(true);
    }
    // Restyle with XYZ, then back to WMTS: the default style there, the XYZ one kept for XYZ.
    await page.selectOption('#protocol', 'xyz');
    await rendered('xyz:cogeo:');
    expect(await page.isHidden('#style-note')).to.equal(true);
    expect(await page.isHidden('#endpoint-also .endpoint-also')).to.equal(true);
    await page.fill('#style-bands', '2');
    await page.selectOption('#style-colormap', 'viridis');
    await rendered('xyz:cogeo:bands=2&colormap=viridis');
    const from = getTiles.length;
    await page.selectOption('#protocol', 'wmts');
    await rendered('wmts:cogeo:');
    expect(await page.inputValue('#style-bands')).to.equal('');
    expect(await page.inputValue('#style-colormap')).to.equal('');
    // The WMTS layer is the one opened before, its tiles cached: any new request is default style.
    expect(getTiles.slice(from).filter((t) => kvp(t.url)['style'] !== 'default' || /bands|colormap/i.test(t.url))).to.deep.equal([]);
    await page.selectOption('#protocol', 'xyz');
    await rendered('xyz:cogeo:bands=2&colormap=viridis');
    expect(await page.inputValue('#style-bands')).to.equal('2');
    expect(await page.isEnabled('#style-bands')).to.equal(true);
    await page.click('#style-form button[type=reset]');
    await rendered('xyz:cogeo:');
  });

  it('"WMTS, WorldCRS84Quad": switches the map to EPSG:4326 and draws the layer in WorldCRS84Quad', async () => {
    await page.click('label.collection[data-id=tci]');
    await rendered('xyz:tci:');
    const from = getTiles.length;
    await page.selectOption('#protocol', 'wmts-crs84');
    await rendered('wmts-crs84:tci:');
    expect(await page.getAttribute('#map', 'data-projection')).to.equal('EPSG:4326');
    const list = await expectWmtsTiles(from, 'tci', 'WorldCRS84Quad');
    expect(Math.max(...list.map((t) => Number(kvp(t.url)['tilematrix'])))).to.be.within(5, 9);
    expect(await alsoUrls()).to.deep.equal([kvpTemplate('tci', 'WorldCRS84Quad'), restTemplate('tci', 'WorldCRS84Quad')]);
    expect(await page.textContent('#endpoint-help')).to.contain('"tci" in WorldCRS84Quad (tile matrices 1–9)');
    const { covered, stdev } = await mapPixels(page, 'wmts-crs84-tci');
    expect(covered).to.be.greaterThan(0.3);
    expect(stdev).to.be.greaterThan(15);
    await page.screenshot({ path: join(OUTPUT, 'page-wmts-crs84-tci.png') });
    // Back to a WebMercatorQuad protocol: back to EPSG:3857.
    await page.selectOption('#protocol', 'wmts');
    await rendered('wmts:tci:');
    expect(await page.getAttribute('#map', 'data-projection')).to.equal('EPSG:3857');
  });

  it('makes no request outside its own server and logs no console errors', () => {
    expect(browser!.foreignRequests).to.deep.equal([]);
    expect(browser!.consoleErrors).to.deep.equal([]);
  });

  it('asks for RESTful PNG tiles when the capabilities offer no KVP GetTile (one format of the mirrors)', async () => {
    const other = await context.newPage();
    try {
      const rest: TileResponse[] = [];
      other.on('response', (r) => { if (new URL(r.url()).pathname.startsWith('/wmts/1.0.0/')) rest.push(tileResponse(r)); });
      await other.route('**/wmts?SERVICE=WMTS&REQUEST=GetCapabilities', async (route) => {
        const res = await route.fetch();
        const body = (await res.text()).replace(/<ows:Operation name="GetTile">[\s\S]*?<\/ows:Operation>/, '');
        expect(body).to.not.contain('name="GetTile"');
        await route.fulfill({ response: res, body });
      });
      await other.goto(`${app!.url}/#collection=tci&protocol=wmts`);
      await other.waitForSelector('#map[data-rendered="wmts:tci:"]', { timeout: 90_000 });
      await expectPngTiles(rest);
      const prefix = `${app!.url}/wmts/1.0.0/tci/default/WebMercatorQuad/`;
      expect(rest.filter((t) => !t.url.startsWith(prefix) || !t.url.endsWith('.png')), 'PNG templates only').to.deep.equal([]);
      expect(await other.locator('#endpoint-also label').allTextContents()).to.deep.equal(['RESTful tile URL template (what this map asks)']);
    } finally {
      await other.close();
    }
  });

  it('says so clearly when the capabilities cannot be read, and retries', async () => {
    const other = await context.newPage();
    try {
      let fail = true;
      await other.route('**/wmts?SERVICE=WMTS&REQUEST=GetCapabilities', (route) => fail
        ? route.fulfill({ status: 503, contentType: 'text/plain', body: 'down for maintenance' })
        : route.continue());
      await other.goto(`${app!.url}/#collection=cogeo&protocol=wmts`);
      await other.waitForSelector('#message.error:not([hidden])');
      expect(await other.inputValue('#protocol')).to.equal('wmts');
      expect(await other.textContent('#message')).to.contain('Could not open "cogeo" with WMTS').and.contain('HTTP 503');
      fail = false;
      await other.click('#message button');
      await other.waitForSelector('#map[data-rendered="wmts:cogeo:"]', { timeout: 90_000 });
      expect(await other.isHidden('#message')).to.equal(true);
    } finally {
      await other.close();
    }
  });

  it("says why tiles fail with the server's OWS ExceptionText", async () => {
    const other = await context.newPage();
    try {
      const report = '<?xml version="1.0" encoding="UTF-8"?>\n<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="1.1.0">'
        + '<ows:Exception exceptionCode="TileOutOfRange" locator="TileRow"><ows:ExceptionText>the test refuses this tile</ows:ExceptionText></ows:Exception></ows:ExceptionReport>';
      await other.route((url) => url.pathname === '/wmts' && /request=gettile/i.test(url.search), (route) => route.fulfill({
        status: 400, contentType: 'application/xml', body: report,
      }));
      await other.goto(`${app!.url}/#collection=tci&protocol=wmts`);
      await other.waitForSelector('#message.error:not([hidden])');
      expect(await other.textContent('#message')).to.contain('Tiles of "tci" fail: the test refuses this tile (TileOutOfRange, HTTP 400');
    } finally {
      await other.close();
    }
  });

});
