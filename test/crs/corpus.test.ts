/**
 * Every GeoTIFF of the shared corpus (../shared/data/cog, see its MANIFEST.md) through crsFromGeoKeys: the
 * lon/lat of its four corners (gdalinfo -json cornerCoordinates, native CRS) must match gdaltransform with GDAL's
 * reading of the file, and gdalinfo's own wgs84Extent (printed to 7 decimals).
 */
import { expect } from 'chai';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fromFile } from 'geotiff';
import { crsFromGeoKeys, getCrs, getTransformer } from '../../src/crs/index.js';
import { gdaltransform, recordError, requireGdal, run, tempDir } from './gdal.js';

const CORPUS = resolve(process.cwd(), '../shared/data/cog');

interface GdalInfo {
  cornerCoordinates?: Record<'upperLeft' | 'lowerLeft' | 'lowerRight' | 'upperRight', [number, number]>;
  wgs84Extent?: { coordinates: Array<Array<[number, number]>> };
  gcps?: { gcpList: Array<{ x: number; y: number }>; coordinateSystem?: { wkt?: string } };
}

const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => /\.tiff?$/i.test(f)).sort() : [];

describe('crs: corpus GeoTIFFs against gdalinfo/gdaltransform', function () {
  let tmp: ReturnType<typeof tempDir> | undefined;
  after(() => tmp?.cleanup());
  before(function () {
    requireGdal(this);
    tmp = tempDir('tilewright-corpus-');
    if (files.length === 0) {
      if (process.env['CI'] === 'true') throw new Error(`corpus not found at ${CORPUS}`);
      console.warn(`\n  ***** SKIP (corpus not found at ${CORPUS}) *****\n`);
      this.skip();
    }
  });

  it('the corpus has its 32 files', () => {
    expect(files).to.have.length(32);
  });

  for (const f of files) {
    it(f, async function () {
      requireGdal(this);
      const path = join(CORPUS, f);
      const image = await (await fromFile(path)).getImage();
      const crs = crsFromGeoKeys(image.getGeoKeys() as Record<string, unknown> | null);
      const info = JSON.parse(run('gdalinfo', ['-json', path])) as GdalInfo;
      const wgs84 = getCrs('EPSG:4326');
      const t = getTransformer(crs, wgs84);
      if (info.gcps || !info.cornerCoordinates) {
        // GCP-only file (cog_gcps_ovr.tif): its GeoKeys still describe the GCPs' CRS, EPSG:4326.
        expect(info.gcps, 'GCP-only file').to.not.equal(undefined);
        const gcpWkt = join(tmp!.dir, `${f}.gcp.wkt`);
        writeFileSync(gcpWkt, info.gcps!.coordinateSystem!.wkt!);
        const gcpSrs = run('gdalsrsinfo', ['-o', 'epsg', gcpWkt]).trim();
        expect(crs.id).to.equal(gcpSrs.replace(/^[\s\S]*?(EPSG:\d+)[\s\S]*$/, '$1'));
        for (const g of info.gcps!.gcpList.slice(0, 20)) {
          const [lon, lat] = t.forward(g.x, g.y);
          expect(Math.abs(lon - g.x) + Math.abs(lat - g.y)).to.be.below(1e-9);
        }
        return;
      }
      const cc = info.cornerCoordinates!;
      // GDAL's reading of the file's CRS (gdaltransform -s_srs does not open datasets).
      const wktFile = join(tmp!.dir, `${f}.wkt`);
      writeFileSync(wktFile, run('gdalsrsinfo', ['-o', 'wkt2', '--single-line', path]).trim());
      const corners = [cc.upperLeft, cc.lowerLeft, cc.lowerRight, cc.upperRight];
      const expected = gdaltransform(wktFile, 'EPSG:4326', corners);
      const ring = info.wgs84Extent!.coordinates[0]!;
      for (let i = 0; i < 4; i++) {
        const [lon, lat] = t.forward(corners[i]![0], corners[i]![1]);
        const [elon, elat] = expected[i]!;
        const err = Math.max(Math.abs(lon - elon), Math.abs(lat - elat));
        recordError('lon/lat deg (corpus corners)', err);
        expect(err, `${f} corner ${i}: ${lon},${lat} vs gdaltransform ${elon},${elat}`).to.be.below(1e-7);
        // gdalinfo's wgs84Extent lists the same corners (ul, ll, lr, ur), rounded to 1e-7.
        const w = ring[i]!;
        let dLon = Math.abs(lon - w[0]);
        if (dLon > 180) dLon = 360 - dLon; // antimeridian files normalise longitudes differently
        expect(Math.max(dLon, Math.abs(lat - w[1])), `${f} wgs84Extent corner ${i}`).to.be.below(1.5e-7);
      }
    });
  }
});
