import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDefaultRegistry, tileForLonLat } from '../../src/tilematrixsets/index.js';
import { CORPUS } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

const run = promisify(execFile);
const SHARED_TMS = new URL('../../../../shared/tilematrixsets/', import.meta.url).pathname;

/**
 * OWSLib (Debian's python3-owslib) as a WMTS client: `owslib.wmts.WebMapTileService` parses
 * the capabilities, `gettile` fetches tiles through the KVP binding and the script also fills
 * the layer's RESTful ResourceURL template; every tile must be byte-identical to the XYZ tile.
 */
const SCRIPT = String.raw`
import json, sys, urllib.parse, urllib.request
from owslib.wmts import WebMapTileService
url, out, requests = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
wmts = WebMapTileService(url)
report = {
  'type': wmts.identification.type, 'version': wmts.identification.version,
  'operations': [op.name for op in wmts.operations],
  'layers': {name: {'title': l.title, 'sets': sorted(l.tilematrixsetlinks), 'formats': l.formats, 'styles': sorted(l.styles),
                     'limits': {t: len(link.tilematrixlimits) for t, link in l.tilematrixsetlinks.items()}}
             for name, l in wmts.contents.items()},
  'sets': {name: {'crs': s.crs, 'first': list(s.tilematrix[next(iter(s.tilematrix))].topleftcorner)} for name, s in wmts.tilematrixsets.items()},
}
for k, r in enumerate(requests):
  tile = wmts.gettile(layer=r['layer'], tilematrixset=r['tms'], tilematrix=r['z'], row=r['row'], column=r['col'], format='image/png', style='default')
  open('%s/kvp-%d.png' % (out, k), 'wb').write(tile.read())
  template = [u for u in wmts.contents[r['layer']].resourceURLs if u['resourceType'] == 'tile' and u['format'] == 'image/png'][0]['template']
  values = {'Style': 'default', 'TileMatrixSet': r['tms'], 'TileMatrix': r['z'], 'TileRow': str(r['row']), 'TileCol': str(r['col'])}
  for name, value in values.items():
    template = template.replace('{%s}' % name, urllib.parse.quote(value))
  open('%s/rest-%d.png' % (out, k), 'wb').write(urllib.request.urlopen(template).read())
json.dump(report, open(out + '/report.json', 'w'))
`;

function mercatorCopy() {
  return { ...JSON.parse(readFileSync(SHARED_TMS + 'WebMercatorQuad.json', 'utf8')), id: 'Web Mercator (Kopie) ü', uri: undefined };
}

/** A Python that can import owslib (pyenv shims may hide Debian's dist-packages), or undefined. */
async function owslibPython(): Promise<string | undefined> {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    try {
      await run(candidate, ['-c', 'import owslib.wmts']);
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}

describe('interop: OWSLib reads the WMTS', function () {
  this.timeout(120_000);
  let app: Awaited<ReturnType<typeof startTestServer>>;
  let python: string | undefined;

  before(async function () {
    python = await owslibPython();
    if (!python) {
      if (process.env['CI'] === 'true') throw new Error('OWSLib (python3-owslib) is required under CI=true but not importable (see .ci/run)');
      console.warn(`\n  *** SKIP: OWSLib not installed (python3-owslib): ${this.test?.parent?.fullTitle() ?? ''} ***\n`);
      this.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'tw-owslib-'));
    writeFileSync(join(dir, 'm.json'), JSON.stringify(mercatorCopy()));
    app = await startTestServer([CORPUS + 'TCI.tif'], {
      tileMatrixSets: [join(dir, 'm.json')],
      collections: [{ id: 'Zürich Höhe & <dem>', sources: [CORPUS + 'dem.tif'], tileMatrixSets: ['Web Mercator (Kopie) ü', 'WebMercatorQuad'] }],
    });
  });
  after(async () => { await app?.stop(); });

  it('parses the capabilities and fetches tiles (KVP and RESTful) identical to the XYZ tiles', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tw-owslib-out-'));
    // The tile under each layer's centre.
    const registry = createDefaultRegistry();
    registry.fromJson(mercatorCopy());
    const centreTile = (layer: string, tms: string, z: string) => {
      const [w, s, e, n] = app.catalog.get(layer).info.lonLatBounds;
      const t = tileForLonLat(registry.get(tms), z, (w + e) / 2, (s + n) / 2)!;
      return { layer, tms, z, row: t.row, col: t.col };
    };
    const requests = [
      centreTile('tci', 'WebMercatorQuad', '10'), centreTile('tci', 'UTM34WGS84Quad', '9'), centreTile('tci', 'WorldCRS84Quad', '9'),
      centreTile('Zürich Höhe & <dem>', 'Web Mercator (Kopie) ü', '16'),
    ];
    await run(python!, ['-c', SCRIPT, `${app.url}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities`, out, JSON.stringify(requests)], { maxBuffer: 16 << 20 });
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect([report.type, report.version]).to.deep.equal(['OGC WMTS', '1.0.0']);
    expect(report.operations).to.deep.equal(['GetCapabilities', 'GetTile', 'GetFeatureInfo']);
    expect(Object.keys(report.layers)).to.have.members(['tci', 'Zürich Höhe & <dem>']);
    expect(report.layers.tci.sets).to.deep.equal(['UTM34WGS84Quad', 'WebMercatorQuad', 'WorldCRS84Quad']);
    expect(report.layers.tci.formats).to.deep.equal(['image/png', 'image/jpeg', 'image/webp']);
    expect(report.layers.tci.styles).to.deep.equal(['default']);
    expect(report.layers.tci.limits.WebMercatorQuad).to.be.greaterThan(5);
    expect(report.sets.WorldCRS84Quad).to.deep.equal({ crs: 'urn:ogc:def:crs:OGC:1.3:CRS84', first: [-180, 90] });
    expect(report.sets['Web Mercator (Kopie) ü'].crs).to.equal('urn:ogc:def:crs:EPSG::3857');
    for (const [k, r] of requests.entries()) {
      const xyz = Buffer.from(await (await fetch(`${app.url}/api/v1/collections/${encodeURIComponent(r.layer)}/tiles/${encodeURIComponent(r.tms)}/${r.z}/${r.col}/${r.row}.png`)).arrayBuffer());
      expect(readFileSync(join(out, `kvp-${k}.png`)).equals(xyz), `${r.layer} ${r.tms} KVP`).to.equal(true);
      expect(readFileSync(join(out, `rest-${k}.png`)).equals(xyz), `${r.layer} ${r.tms} REST`).to.equal(true);
    }
  });
});
