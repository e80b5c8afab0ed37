/**
 * The map viewer end to end: the real server in-process (two corpus files), the page built by
 * scripts/build-viewer.mjs, driven in Debian's Chromium through playwright-core. Checks what a
 * user sees: the collections listed, tiles fetched from our server as 200 PNGs and drawn
 * (decoded pixels of a screenshot), the XYZ template for QGIS, layer switching, the style
 * form, clear messages when things fail, and no console errors. Screenshots go to
 * test-output/viewer/ for a human to look at.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page, Response } from 'playwright-core';
import sharp from 'sharp';
import { startTestServer } from '../helpers/server.js';
import { CORPUS, needTool } from '../helpers/services.js';

const VIEWER_PAGE = fileURLToPath(new URL('../../viewer/index.html', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../../../test-output/viewer/', import.meta.url));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The "plain" background of viewer/viewer.css (#map[data-background=plain]). */
const PLAIN_BACKGROUND = [0xf4, 0xf4, 0xf2];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface TileResponse { url: string; status: number; contentType: string; response: Response }

/** Share of map pixels that are not the plain background, and the spread of their grey levels. */
async function mapPixels(page: Page, name: string): Promise<{ covered: number; stdev: number; rgb: Uint8Array }> {
  const png = await page.locator('#map').screenshot();
  mkdirSync(OUTPUT, { recursive: true });
  writeFileSync(join(OUTPUT, `${name}.png`), png);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let covered = 0, sum = 0, sum2 = 0;
  const n = info.width * info.height;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const p = i * info.channels;
    const [r, g, b] = [data[p]!, data[p + 1]!, data[p + 2]!];
    rgb.set([r, g, b], i * 3);
    if (Math.abs(r - PLAIN_BACKGROUND[0]!) + Math.abs(g - PLAIN_BACKGROUND[1]!) + Math.abs(b - PLAIN_BACKGROUND[2]!) > 24) covered++;
    const grey = 0.299 * r + 0.587 * g + 0.114 * b;
    sum += grey;
    sum2 += grey * grey;
  }
  return { covered: covered / n, stdev: Math.sqrt(Math.max(0, sum2 / n - (sum / n) ** 2)), rgb };
}

/** Mean absolute difference of two same-sized screenshots, per channel value (0–255). */
function meanDifference(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).to.equal(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

describe('map viewer (Chromium, end to end)', function () {
  this.timeout(120_000);
  let app: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let context: BrowserContext | undefined;
  let userDataDir: string | undefined;
  let page: Page;
  const tiles: TileResponse[] = [];
  const foreignRequests: string[] = [];
  const consoleErrors: string[] = [];

  before(async function () {
    needTool(this, 'chromium', 'Chromium (Debian package "chromium")');
    let playwright: typeof import('playwright-core');
    try {
      playwright = await import('playwright-core');
    } catch (err) {
      if (process.env['CI'] === 'true') throw new Error(`playwright-core is required under CI=true: ${(err as Error).message}`);
      console.warn(`\n  *** SKIP: playwright-core cannot be loaded (${(err as Error).message}): ${this.test?.parent?.fullTitle() ?? ''} ***\n`);
      this.skip();
    }
    if (!existsSync(VIEWER_PAGE)) throw new Error(`${VIEWER_PAGE} is missing: build the viewer first (npm run build)`);
    const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
    app = await startTestServer([CORPUS + 'TCI.tif', CORPUS + 'cogeo.tif']);
    userDataDir = mkdtempSync(join(tmpdir(), 'tilewright-chromium-'));
    context = await playwright.chromium.launchPersistentContext(userDataDir, {
      executablePath, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1200, height: 800 },
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    page = context.pages()[0] ?? await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
    page.on('request', (r) => { if (!r.url().startsWith(app!.url + '/') && !r.url().startsWith('data:')) foreignRequests.push(r.url()); });
    page.on('response', (r) => {
      if (r.url().includes('/tiles/')) tiles.push({ url: r.url(), status: r.status(), contentType: r.headers()['content-type'] ?? '', response: r });
    });
  });

  after(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await app?.stop();
  });

  const rendered = (key: string) => page.waitForSelector(`#map[data-rendered="${key}"]`, { timeout: 90_000 });
  const tilesOf = (id: string) => tiles.filter((t) => t.url.startsWith(`${app!.url}/api/v1/collections/${id}/tiles/WebMercatorQuad/`));
  const template = (id: string) => `${app!.url}/api/v1/collections/${id}/tiles/WebMercatorQuad/{z}/{x}/{y}.png`;

  async function expectPngTiles(list: TileResponse[]): Promise<void> {
    expect(list.length, 'tile responses').to.be.greaterThan(0);
    for (const t of list) {
      expect(t.status, t.url).to.equal(200);
      expect(t.contentType, t.url).to.equal('image/png');
      const body = await t.response.body();
      expect(body.subarray(0, 8).equals(PNG_SIGNATURE), `${t.url} is a PNG`).to.equal(true);
    }
  }

  it('lists the collections in the layer switcher, with XYZ as the protocol', async () => {
    await page.goto(app!.url + '/');
    await page.waitForSelector('label.collection');
    const ids = await page.$$eval('#collections input[name=collection]', (els) => els.map((e) => e.getAttribute('value')));
    expect(ids).to.deep.equal(['tci', 'cogeo']);
    const titles = await page.locator('label.collection .title').allTextContents();
    expect(titles).to.deep.equal(['tci', 'cogeo']);
    expect(await page.locator('label.collection[data-id=tci] .meta').textContent()).to.equal('EPSG:32634 · 3 × uint8 · z0–10');
    expect(await page.$$eval('#protocol option', (els) => els.map((e) => e.textContent))).to.deep.equal(['XYZ']);
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
    // Page-side code is given as text: the tests compile without the DOM library.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
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
    expect(foreignRequests).to.deep.equal([]);
    expect(consoleErrors).to.deep.equal([]);
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
