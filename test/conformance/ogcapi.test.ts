import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ASSERTIONS, runConformance } from '../../conformance/ogcapi/suite.js';
import { CORPUS } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../conformance/ogcapi/run.js', import.meta.url));

/** conformance/ogcapi against the live server: OGC API - Tiles 1.0 (ets-ogcapi-tiles10's assertions), Common, Maps core. */
describe('conformance: OGC API - Tiles 1.0, Maps 1.0 core, Common', function () {
  this.timeout(180_000);
  let app: Awaited<ReturnType<typeof startTestServer>>;
  before(async () => {
    app = await startTestServer([CORPUS + 'TCI.tif', CORPUS + 'world.byte.tif'], {
      collections: [{ id: 'Höhe, <dem>', sources: [CORPUS + 'dem.tif'], style: { rescale: [[1600, 2020]], colormap: 'terrain' } }],
    });
  });
  after(async () => { await app?.stop(); });

  it('covers the Tiles classes, Common and Maps core', () => {
    expect([...new Set(ASSERTIONS.map((a) => a.conformanceClass))].sort()).to.deep.equal([
      'common', 'maps/core', 'tiles/core', 'tiles/dataset-tilesets', 'tiles/geodata-selection', 'tiles/geodata-tilesets', 'tiles/jpeg', 'tiles/png',
      'tiles/tileset', 'tiles/tilesets-list', 'tiles/tms',
    ]);
  });

  for (const [what, target] of [['the server root (landing page as JSON at /)', ''], ['the landing page URL /ogcapi', '/ogcapi']] as const) {
    it(`every assertion passes, bootstrapped from ${what}`, async () => {
      const results = await runConformance(app.url + target);
      expect(results).to.have.length(ASSERTIONS.length);
      expect(results.filter((r) => !r.passed).map((r) => `${r.id}: ${r.message}`)).to.deep.equal([]);
    });
  }

  it('the CLI prints PASS per assertion and exits 0', async () => {
    const { stdout } = await run(process.execPath, [CLI, app.url]);
    expect(stdout.match(/^PASS /gm)).to.have.length(ASSERTIONS.length);
    expect(stdout).to.match(new RegExp(`ogcapi: ${ASSERTIONS.length} passed, 0 failed`));
  });

  it('fails every assertion where there is no OGC API (the WMTS endpoint)', async () => {
    const results = await runConformance(`${app.url}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities`);
    expect(results.every((r) => !r.passed && /bootstrap/.test(r.message ?? ''))).to.equal(true);
  });
});
