/**
 * What the viewer's end-to-end tests share: Debian's Chromium through playwright-core (a loud
 * SKIP without it on a developer machine, a failure under CI=true), a page that records its
 * console errors and any request leaving our server, and the screenshot check that the map
 * shows an image (decoded pixels, compared with the plain background).
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page, Response } from 'playwright-core';
import sharp from 'sharp';
import { needTool } from '../helpers/services.js';

const VIEWER_PAGE = fileURLToPath(new URL('../../viewer/index.html', import.meta.url));
/** Screenshots for a human to look at. */
export const OUTPUT = fileURLToPath(new URL('../../../test-output/viewer/', import.meta.url));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The "plain" background of viewer/viewer.css (#map[data-background=plain]). */
const PLAIN_BACKGROUND = [0xf4, 0xf4, 0xf2];
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export type Playwright = typeof import('playwright-core');

/** playwright-core and Chromium, or a loud SKIP (a failure under CI=true); call it first in `before`. */
export async function needChromium(ctx: Mocha.Context): Promise<Playwright> {
  needTool(ctx, 'chromium', 'Chromium (Debian package "chromium")');
  let playwright: Playwright;
  try {
    playwright = await import('playwright-core');
  } catch (err) {
    if (process.env['CI'] === 'true') throw new Error(`playwright-core is required under CI=true: ${(err as Error).message}`);
    console.warn(`\n  *** SKIP: playwright-core cannot be loaded (${(err as Error).message}): ${ctx.test?.parent?.fullTitle() ?? ''} ***\n`);
    ctx.skip();
  }
  if (!existsSync(VIEWER_PAGE)) throw new Error(`${VIEWER_PAGE} is missing: build the viewer first (npm run build)`);
  return playwright;
}

export interface Browser {
  context: BrowserContext;
  /** The first page, watched from its start. */
  page: Page;
  /** Console errors and uncaught exceptions of `page`. */
  consoleErrors: string[];
  /** Requests of `page` to anything but `serverUrl`. */
  foreignRequests: string[];
  close(): Promise<void>;
}

export async function launchChromium(playwright: Playwright, serverUrl: string): Promise<Browser> {
  const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  const userDataDir = mkdtempSync(join(tmpdir(), 'tilewright-chromium-'));
  try {
    const context = await playwright.chromium.launchPersistentContext(userDataDir, {
      executablePath, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1200, height: 800 },
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serverUrl });
    const page = context.pages()[0] ?? await context.newPage();
    const consoleErrors: string[] = [];
    const foreignRequests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
    page.on('request', (r) => { if (!r.url().startsWith(serverUrl + '/') && !r.url().startsWith('data:')) foreignRequests.push(r.url()); });
    return {
      context, page, consoleErrors, foreignRequests,
      async close() {
        await context.close();
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Waits until the page has drawn two more frames (after a change of background, say). */
export async function nextFrames(page: Page): Promise<void> {
  // Page-side code is given as text: the tests compile without the DOM library.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

/**
 * Screenshot of the map (saved as OUTPUT/`name`.png): the share of its pixels that are not the
 * plain background, the spread of their grey levels, and the RGB pixels.
 */
export async function mapPixels(page: Page, name: string): Promise<{ covered: number; stdev: number; rgb: Uint8Array }> {
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
export function meanDifference(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).to.equal(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** A tile answer, kept for its status, type and body. */
export interface TileResponse { url: string; status: number; contentType: string; response: Response }

export function tileResponse(r: Response): TileResponse {
  return { url: r.url(), status: r.status(), contentType: r.headers()['content-type'] ?? '', response: r };
}

/** Every tile answered 200 with a PNG body, and there was at least one. */
export async function expectPngTiles(list: TileResponse[]): Promise<void> {
  expect(list.length, 'tile responses').to.be.greaterThan(0);
  for (const t of list) {
    expect(t.status, t.url).to.equal(200);
    expect(t.contentType, t.url).to.equal('image/png');
    const body = await t.response.body();
    expect(body.subarray(0, 8).equals(PNG_SIGNATURE), `${t.url} is a PNG`).to.equal(true);
  }
}
