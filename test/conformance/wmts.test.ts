import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ASSERTIONS, runConformance } from '../../conformance/wmts/suite.js';
import { CORPUS, hasCommand, needTool } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';
import { OWS_EXCEPTION_SCHEMA, SCHEMAS, WMTS_CITE_SCHEMA, WMTS_SCHEMA, xmllint } from '../helpers/xml.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../conformance/wmts/run.js', import.meta.url));

/** conformance/wmts against the live server: every assertion of the three classes, both bindings. */
describe('conformance: WMTS 1.0 (GetCapabilities, GetTile, GetFeatureInfo; KVP and RESTful)', function () {
  this.timeout(180_000);
  let app: Awaited<ReturnType<typeof startTestServer>>;
  before(async function () {
    needTool(this, 'xmllint', 'xmllint (libxml2-utils)');
    app = await startTestServer([CORPUS + 'TCI.tif', CORPUS + 'cog_dateline.tif', CORPUS + 'world.byte.tif'], {
      collections: [{ id: 'Höhe & <dem>', sources: [CORPUS + 'dem.tif'], style: { rescale: [[1600, 2020]], colormap: 'terrain' } }],
    });
  });
  after(async () => { await app?.stop(); });

  it('covers the three conformance classes in both bindings', () => {
    const classes = new Set(ASSERTIONS.map((a) => `${a.conformanceClass}/${a.binding}`));
    expect([...classes].sort()).to.deep.equal(['GetCapabilities/KVP', 'GetCapabilities/RESTful', 'GetFeatureInfo/KVP', 'GetFeatureInfo/RESTful', 'GetTile/KVP', 'GetTile/RESTful']);
  });

  it('every assertion passes, with schema validation of capabilities and exception reports', async () => {
    const schemas = { capabilities: WMTS_SCHEMA, 'capabilities-cite': WMTS_CITE_SCHEMA, exception: OWS_EXCEPTION_SCHEMA } as const;
    const results = await runConformance(app.url, { validate: (xml, schema) => xmllint(xml, schemas[schema]) });
    expect(results).to.have.length(ASSERTIONS.length);
    expect(results.filter((r) => !r.passed).map((r) => `${r.id}: ${r.message}`)).to.deep.equal([]);
  });

  it('the CLI prints PASS per assertion and exits 0', async function () {
    if (!hasCommand('xmllint')) this.skip();
    const { stdout } = await run(process.execPath, [CLI, app.url, '--schemas', SCHEMAS]);
    expect(stdout.match(/^PASS /gm)).to.have.length(ASSERTIONS.length);
    expect(stdout).to.match(new RegExp(`wmts: ${ASSERTIONS.length} passed, 0 failed`));
  });

  it('fails every assertion where there is no WMTS (an XYZ URL)', async () => {
    const results = await runConformance(`${app.url}/api/v1/collections?REQUEST=GetCapabilities`);
    expect(results.every((r) => !r.passed && /bootstrap/.test(r.message ?? ''))).to.equal(true);
  });
});
