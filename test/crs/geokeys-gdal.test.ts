/**
 * crsFromGeoKeys against GDAL: GeoTIFFs with user-defined CRSs are written by gdal_translate, their GeoKeys read
 * back with geotiff.js, and our transform of a grid of points to EPSG:4326 compared with gdaltransform using
 * GDAL's own reading of the same file (gdalsrsinfo).
 */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromFile } from 'geotiff';
import { crsFromGeoKeys, getCrs, getTransformer, UnsupportedCrsError, type Crs } from '../../src/crs/index.js';
import { gdaltransform, maxErrors, recordError, requireGdal, run, tempDir } from './gdal.js';

interface Case {
  name: string;
  srs: string;
  /** ulx uly lrx lry of the 4x4 raster, in the CRS's units. */
  ullr: [number, number, number, number];
}

// Each case names the projection method and the GeoKeys path it exercises.
const CASES: Case[] = [
  { name: 'polar stereographic variant B on Hughes 1980 (NSIDC)', srs: '+proj=stere +lat_0=90 +lat_ts=70 +lon_0=-45 +x_0=0 +y_0=0 +a=6378273 +rf=298.279411123064 +units=m', ullr: [-3850000, 5850000, 3750000, -5350000] },
  { name: 'polar stereographic variant B south', srs: '+proj=stere +lat_0=-90 +lat_ts=-71 +lon_0=0 +x_0=0 +y_0=0 +ellps=WGS84 +units=m', ullr: [-1000000, 1000000, 1000000, -1000000] },
  { name: 'polar stereographic variant A with scale factor', srs: '+proj=stere +lat_0=90 +lon_0=0 +k=0.994 +x_0=2000000 +y_0=2000000 +ellps=WGS84 +units=m', ullr: [1000000, 3000000, 3000000, 1000000] },
  { name: 'sinusoidal on a sphere (MODIS)', srs: '+proj=sinu +lon_0=0 +x_0=0 +y_0=0 +R=6371007.181 +units=m', ullr: [-1000000, 6000000, 1000000, 4000000] },
  { name: 'LCC 2SP with a 7-parameter TOWGS84 datum', srs: '+proj=lcc +lat_1=49 +lat_2=44 +lat_0=46.5 +lon_0=3 +x_0=700000 +y_0=6600000 +ellps=intl +towgs84=-84,-97,-117,0.5,-0.3,1.2,2.5 +units=m', ullr: [600000, 6700000, 800000, 6500000] },
  { name: 'LCC 1SP', srs: '+proj=lcc +lat_1=18 +lat_0=18 +lon_0=-77 +k_0=1 +x_0=250000 +y_0=150000 +ellps=clrk66 +units=m', ullr: [200000, 200000, 300000, 100000] },
  { name: 'LCC 1SP, Paris prime meridian, 3-parameter TOWGS84', srs: '+proj=lcc +lat_1=46.8 +lat_0=46.8 +lon_0=0 +k_0=0.99987742 +x_0=600000 +y_0=2200000 +a=6378249.2 +b=6356515 +towgs84=-168,-60,320 +pm=paris +units=m', ullr: [500000, 2300000, 700000, 2100000] },
  { name: 'transverse Mercator in US survey feet', srs: '+proj=tmerc +lat_0=31 +lon_0=-106.25 +k=0.9999 +x_0=500000.00001016 +y_0=0 +ellps=GRS80 +towgs84=0,0,0 +units=us-ft', ullr: [400000, 500000, 600000, 300000] },
  { name: 'UTM on NAD27 in international feet (ProjectionGeoKey 16014)', srs: '+proj=tmerc +lat_0=0 +lon_0=-99 +k=0.9996 +x_0=500000 +y_0=0 +datum=NAD27 +units=ft', ullr: [1000000, 13000000, 2000000, 12000000] },
  { name: 'Albers equal area', srs: '+proj=aea +lat_1=29.5 +lat_2=45.5 +lat_0=23 +lon_0=-96 +x_0=0 +y_0=0 +ellps=GRS80 +units=m', ullr: [-1000000, 2000000, 1000000, 1000000] },
  { name: 'oblique stereographic with 7-parameter TOWGS84', srs: '+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m', ullr: [100000, 500000, 200000, 400000] },
  { name: 'stereographic (oblique, ellipsoidal)', srs: '+proj=stere +lat_0=45 +lon_0=10 +k=0.9999 +x_0=100 +y_0=200 +ellps=WGS84 +units=m', ullr: [-100000, 100000, 100000, -100000] },
  { name: 'Mercator 1SP with scale factor and TOWGS84', srs: '+proj=merc +lon_0=110 +k=0.997 +x_0=3900000 +y_0=900000 +ellps=bessel +towgs84=-377,681,-50 +units=m', ullr: [3800000, 1000000, 4000000, 800000] },
  { name: 'Mercator 2SP', srs: '+proj=merc +lon_0=51 +lat_ts=42 +x_0=0 +y_0=0 +ellps=krass +units=m', ullr: [-100000, 5000000, 100000, 4800000] },
  { name: 'Lambert azimuthal equal area on a sphere', srs: '+proj=laea +lat_0=45 +lon_0=-100 +x_0=0 +y_0=0 +a=6370997 +b=6370997 +units=m', ullr: [-100000, 100000, 100000, -100000] },
  { name: 'Lambert azimuthal equal area on GRS80', srs: '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +units=m', ullr: [4000000, 3500000, 4500000, 3000000] },
  { name: 'equidistant cylindrical with standard parallel', srs: '+proj=eqc +lat_ts=30 +lat_0=0 +lon_0=10 +x_0=0 +y_0=0 +ellps=WGS84 +units=m', ullr: [-100000, 3000000, 100000, 2800000] },
  { name: 'Hotine oblique Mercator variant A (RSO Borneo)', srs: '+proj=omerc +no_uoff +lat_0=4 +lonc=102.25 +alpha=323.0257905 +gamma=323.1301023611111 +k=0.99984 +x_0=804670.24 +y_0=0 +ellps=evrstSS +units=m', ullr: [600000, 500000, 700000, 400000] },
  { name: 'Hotine oblique Mercator variant B', srs: '+proj=omerc +lat_0=46.5 +lonc=-81.5 +alpha=-42 +gamma=-42 +k=0.9996 +x_0=500000 +y_0=400000 +ellps=GRS80 +units=m', ullr: [400000, 500000, 600000, 300000] },
  { name: 'orthographic on WGS 84 (ellipsoidal in PROJ >= 7.2)', srs: '+proj=ortho +lat_0=40 +lon_0=-100 +x_0=0 +y_0=0 +ellps=WGS84 +units=m', ullr: [-100000, 100000, 100000, -100000] },
  { name: 'polyconic with TOWGS84', srs: '+proj=poly +lat_0=0 +lon_0=-54 +x_0=5000000 +y_0=10000000 +ellps=aust_SA +towgs84=-57,1,-41 +units=m', ullr: [4900000, 9000000, 5100000, 8800000] },
  { name: 'Cassini-Soldner in Clarke links (user-defined linear unit)', srs: '+proj=cass +lat_0=10.44166666666667 +lon_0=-61.33333333333334 +x_0=86501.46392052001 +y_0=65379.0134283 +a=6378293.645208759 +b=6356617.987679838 +to_meter=0.201166195164 +no_defs', ullr: [400000, 300000, 450000, 250000] },
  { name: 'user-defined geographic with TOWGS84', srs: '+proj=longlat +ellps=intl +towgs84=-87,-98,-121 +no_defs', ullr: [5, 50, 6, 49] },
  { name: 'user-defined geographic, sphere, Paris meridian', srs: '+proj=longlat +a=6378249.2 +b=6356515 +pm=paris +no_defs', ullr: [0, 48, 1, 47] },
  { name: 'EPSG-coded projected CRS (EPSG:32633)', srs: 'EPSG:32633', ullr: [400000, 5500000, 600000, 5300000] },
  { name: 'EPSG-coded CRS with northing-first axes (EPSG:3035)', srs: 'EPSG:3035', ullr: [4000000, 3500000, 4500000, 3000000] },
];

/** 5x5 grid over the raster's extent, in its native coordinates. */
function gridPoints(ullr: [number, number, number, number]): Array<[number, number]> {
  const [ulx, uly, lrx, lry] = ullr;
  const pts: Array<[number, number]> = [];
  for (let i = 0; i <= 4; i++) for (let j = 0; j <= 4; j++) pts.push([ulx + ((lrx - ulx) * i) / 4, uly + ((lry - uly) * j) / 4]);
  return pts;
}

async function crsOfFile(path: string): Promise<Crs> {
  const tiff = await fromFile(path);
  const image = await tiff.getImage();
  return crsFromGeoKeys(image.getGeoKeys() as Record<string, unknown> | null);
}

describe('crs: crsFromGeoKeys against GDAL-written GeoTIFFs', function () {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let base = '';

  before(function () {
    requireGdal(this);
    tmp = tempDir('tilewright-crs-');
    base = join(tmp.dir, 'base.tif');
    run('gdal_create', ['-q', '-of', 'GTiff', '-outsize', '4', '4', '-bands', '1', '-burn', '1', base]);
  });

  after(() => {
    tmp?.cleanup();
    if (maxErrors.size) console.log('    max error vs GDAL:', Object.fromEntries([...maxErrors].map(([k, v]) => [k, v.toExponential(2)])));
  });

  for (const c of CASES) {
    it(c.name, async function () {
      requireGdal(this);
      const file = join(tmp!.dir, `${c.name.replace(/[^a-z0-9]+/gi, '_')}.tif`);
      run('gdal_translate', ['-q', '-a_srs', c.srs, '-a_ullr', ...c.ullr.map(String), base, file]);
      // GDAL's reading of the file is the oracle, not the string we wrote.
      const wktFile = `${file}.wkt`;
      writeFileSync(wktFile, run('gdalsrsinfo', ['-o', 'wkt2', '--single-line', file]).trim());
      const crs = await crsOfFile(file);
      const wgs84 = getCrs('EPSG:4326');
      const t = getTransformer(crs, wgs84);
      const pts = gridPoints(c.ullr);
      const expected = gdaltransform(wktFile, 'EPSG:4326', pts);
      const geographic = crs.isGeographic;
      for (let i = 0; i < pts.length; i++) {
        const [lon, lat] = t.forward(pts[i]![0], pts[i]![1]);
        const [elon, elat] = expected[i]!;
        const err = Math.max(Math.abs(lon - elon), Math.abs(lat - elat));
        recordError('lon/lat deg (custom files)', err);
        expect(err, `${c.name}: point ${pts[i]} -> ${lon},${lat} vs GDAL ${elon},${elat}`).to.be.below(1e-7);
        // Back to native coordinates: within 1 cm (1e-7 degree for geographic).
        const [x, y] = t.inverse(lon, lat);
        const back = Math.max(Math.abs(x - pts[i]![0]), Math.abs(y - pts[i]![1]));
        recordError(geographic ? 'round trip deg' : 'round trip native units', back);
        expect(back, `${c.name}: inverse of ${lon},${lat}`).to.be.below(geographic ? 1e-7 : 0.01);
      }
      // Also GDAL's inverse (WGS 84 -> file CRS) at the same points.
      const lonLat = expected;
      const native = gdaltransform('EPSG:4326', wktFile, lonLat);
      for (let i = 0; i < lonLat.length; i++) {
        const [x, y] = t.inverse(lonLat[i]![0], lonLat[i]![1]);
        const err = Math.max(Math.abs(x - native[i]![0]), Math.abs(y - native[i]![1]));
        recordError(geographic ? 'inverse deg' : 'inverse native units', err);
        expect(err, `${c.name}: inverse at ${lonLat[i]}`).to.be.below(geographic ? 1e-7 : 0.01);
      }
      if (c.srs.startsWith('EPSG:')) expect(crs.id).to.equal(c.srs);
      else expect(crs.id).to.match(/^CUSTOM:[0-9a-f]{12}$/);
    });
  }

  it('a file without GeoKeys throws UnsupportedCrsError', async function () {
    requireGdal(this);
    expect(() => crsFromGeoKeys(null)).to.throw(UnsupportedCrsError);
    const image = await (await fromFile(base)).getImage();
    const keys = image.getGeoKeys() as Record<string, unknown> | null;
    expect(() => crsFromGeoKeys(keys)).to.throw(UnsupportedCrsError);
  });
});
