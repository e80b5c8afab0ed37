import { expect } from 'chai';
import { create } from 'xmlbuilder2';
import { CORPUS } from '../helpers/services.js';
import { startTestServer } from '../helpers/server.js';

/**
 * OpenLayers' WMTS reader, run in Node: `WMTSCapabilities` parses our document and
 * `optionsFromCapabilities` builds the source options (KVP and RESTful); the tile URL it makes
 * for the tile under the layer's centre answers the XYZ route's bytes. (The viewer's headless
 * Chromium test covers the browser; this checks the document's contract with OpenLayers.)
 */
describe('interop: OpenLayers optionsFromCapabilities reads the WMTS capabilities', function () {
  this.timeout(60_000);
  let app: Awaited<ReturnType<typeof startTestServer>>;
  const g = globalThis as Record<string, unknown>;
  const hadNode = 'Node' in g;
  before(async () => {
    // OpenLayers' XML reader compares nodeType with the DOM's Node constants, absent in Node.js.
    if (!hadNode) g['Node'] = { ELEMENT_NODE: 1, TEXT_NODE: 3, CDATA_SECTION_NODE: 4, DOCUMENT_NODE: 9 };
    app = await startTestServer([CORPUS + 'TCI.tif', CORPUS + 'world.byte.tif']);
  });
  after(async () => {
    if (!hadNode) delete g['Node'];
    await app?.stop();
  });

  for (const [layer, matrixSet, centre] of [['tci', 'WebMercatorQuad', [2638413, 3765103]], ['tci', 'WorldCRS84Quad', [23.70, 32.01]], ['world.byte', 'WorldCRS84Quad', [10, 45]]] as const) {
    it(`${layer} in ${matrixSet}: KVP and RESTful tile URLs answer the XYZ tile`, async () => {
      const { default: WMTSCapabilities } = await import('ol/format/WMTSCapabilities.js');
      const { default: WMTS, optionsFromCapabilities } = await import('ol/source/WMTS.js');
      const text = await (await fetch(`${app.url}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities`)).text();
      const caps = new WMTSCapabilities().read(create(text).doc().node as never);
      // Without requestEncoding OpenLayers takes the first GetEncoding of GetTile: KVP.
      expect(optionsFromCapabilities(caps, { layer, matrixSet })!.requestEncoding).to.equal('KVP');
      for (const requestEncoding of ['KVP', 'REST'] as const) {
        const options = optionsFromCapabilities(caps, { layer, matrixSet, requestEncoding })!;
        expect(options, requestEncoding).to.not.equal(null);
        expect(options.style).to.equal('default');
        if (requestEncoding === 'REST') {
          // OpenLayers quirk: in REST mode every tile ResourceURL becomes a mirror URL (one per
          // Format here) and `format` is the last one's; a client keeps the templates of one format.
          expect(options.urls).to.have.length(3);
          options.urls = options.urls!.filter((u) => u.endsWith('.png'));
          options.format = 'image/png';
        }
        expect(options.format).to.equal('image/png');
        const grid = options.tileGrid;
        const z = grid.getMatrixIds().length - 1;
        const [, x, y] = grid.getTileCoordForCoordAndZ([...centre], z);
        const url = new WMTS(options).getTileUrlFunction()([z, x, y], 1, options.projection as never)!;
        if (requestEncoding === 'KVP') expect(url).to.match(/[?&]TileMatrix=/i);
        else expect(url).to.match(new RegExp(`/wmts/1\\.0\\.0/${layer.replace('.', '\\.')}/default/${matrixSet}/`));
        const matrix = grid.getMatrixId(z);
        const [ol, xyz] = await Promise.all([fetch(url), fetch(`${app.url}/api/v1/collections/${layer}/tiles/${matrixSet}/${matrix}/${x}/${y}.png`)]);
        expect(ol.status, url).to.equal(200);
        expect(Buffer.from(await ol.arrayBuffer()).equals(Buffer.from(await xyz.arrayBuffer())), `${requestEncoding} ${url}`).to.equal(true);
      }
    });
  }
});
