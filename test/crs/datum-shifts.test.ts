/**
 * PROJ's choice of datum shift, reproduced: EPSG CRSs on grid-based or multi-operation datums transformed at
 * points across their areas, against gdaltransform (a) with this machine's PROJ data and (b) with a PROJ_DATA
 * that holds only proj.db (no grid at all), and with registered NTv2 grids.
 */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCrs, getTransformer, isGridRegistered, registerGrid } from '../../src/crs/index.js';
import { gdaltransform, PROJ_DATA_DIR, projDataWithoutGrids, recordError, requireGdal, tempDir } from './gdal.js';

interface Case {
  crs: string;
  why: string;
  /** lon/lat points inside the area. */
  lonLat: Array<[number, number]>;
}

// lon/lat sample points; the native coordinates are derived with GDAL itself so both sides see the same input.
const CASES: Case[] = [
  { crs: 'EPSG:26711', why: 'NAD27 / UTM 11N: EPSG:1175 in California, other NAD27 operations north and south', lonLat: [[-117.64, 33.9], [-119.5, 36.5], [-117.85, 51.9], [-118.5, 69.8], [-117.6, 27.6], [-115, 45]] },
  { crs: 'EPSG:4267', why: 'NAD27 geographic: West/East CONUS, Canada, Alaska, Mexico, Cuba', lonLat: [[-117.6, 33.9], [-80, 35.5], [-75, 45.5], [-100, 55], [-150, 62], [-102, 22], [-79.5, 22]] },
  { crs: 'EPSG:32015', why: 'NAD27 / New York East (US survey feet)', lonLat: [[-74.5, 41.5], [-73.9, 40.8]] },
  { crs: 'EPSG:27700', why: 'OSGB36 / British National Grid: EPSG:1314 without OSTN15', lonLat: [[-1, 52], [-3.2, 55.9], [-5.5, 50.1], [1.5, 52.5]] },
  { crs: 'EPSG:27572', why: 'NTF (Paris) / Lambert zone II: EPSG:8094 (Helmert, Paris meridian)', lonLat: [[2.35, 48.85], [-1.5, 47.2], [7.2, 43.7]] },
  { crs: 'EPSG:21781', why: 'CH1903 / LV03', lonLat: [[7.44, 46.95], [8.55, 47.37]] },
  { crs: 'EPSG:2056', why: 'CH1903+ / LV95 (corpus dem.tif)', lonLat: [[7.44, 46.95], [8.55, 47.37]] },
  { crs: 'EPSG:2193', why: 'NZGD2000 / NZTM (corpus)', lonLat: [[174.76, -36.85], [172.6, -43.5]] },
  { crs: 'EPSG:3035', why: 'ETRS89 / LAEA Europe (corpus)', lonLat: [[16.37, 48.2], [-3.7, 40.4]] },
  { crs: 'EPSG:26913', why: 'NAD83 / UTM 13N (corpus)', lonLat: [[-105, 40], [-104, 33]] },
];

// Datums whose PROJ choice depends on grids installed by proj-data: compared without any grid, then with them.
const GRID_CASES: Array<Case & { grids: string[] }> = [
  { crs: 'EPSG:31467', why: 'DHDN / GK zone 3: EPSG:1777 without grid, EPSG:15949 with BETA2007.gsb', lonLat: [[9, 50], [8.7, 53.1], [10.2, 48.1]], grids: ['BETA2007.gsb'] },
  { crs: 'EPSG:4314', why: 'DHDN geographic: west (EPSG:1777) and east (EPSG:15869) Germany', lonLat: [[9, 50], [13.4, 52.5], [12.4, 51.3]], grids: ['BETA2007.gsb'] },
  { crs: 'EPSG:27200', why: 'NZGD49 / NZMG: EPSG:1564 without grid, EPSG:1670 with nzgd2kgrid0005.gsb', lonLat: [[174.76, -36.85], [172.6, -43.5], [168.3, -46.4]], grids: ['nzgd2kgrid0005.gsb'] },
];

function check(crsId: string, lonLat: Array<[number, number]>, env: NodeJS.ProcessEnv | undefined, label: string): void {
  const crs = getCrs(crsId);
  const t = getTransformer(crs, getCrs('EPSG:4326'));
  // Native coordinates from GDAL (same environment), then back to WGS 84 with both.
  const native = crs.isGeographic ? lonLat : gdaltransform('EPSG:4326', crsId, lonLat, env);
  const expected = gdaltransform(crsId, 'EPSG:4326', native, env);
  for (let i = 0; i < native.length; i++) {
    const [x, y] = native[i]!;
    const [lon, lat] = t.forward(x, y);
    const [elon, elat] = expected[i]!;
    const err = Math.max(Math.abs(lon - elon), Math.abs(lat - elat));
    recordError(`datum shift deg (${label})`, err);
    expect(err, `${crsId} (${label}) at ${lonLat[i]}: ${lon},${lat} vs GDAL ${elon},${elat}`).to.be.below(1e-7);
    if (crs.isGeographic) continue;
    // Inverse direction: GDAL produced `native` from the lon/lat point (PROJ then picks by the target's area).
    const [bx, by] = t.inverse(lonLat[i]![0], lonLat[i]![1]);
    const back = Math.max(Math.abs(bx - x), Math.abs(by - y));
    recordError(`datum shift inverse native units (${label})`, back);
    expect(back, `${crsId} (${label}) inverse at ${lonLat[i]}`).to.be.below(0.01);
  }
}

describe('crs: datum shifts as PROJ 9 chooses them', function () {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let noGrids: NodeJS.ProcessEnv = {};

  before(function () {
    requireGdal(this);
    tmp = tempDir('tilewright-proj-');
    noGrids = projDataWithoutGrids(tmp.dir);
  });
  after(() => tmp?.cleanup());

  for (const c of CASES) {
    it(`${c.crs}: ${c.why}`, function () {
      requireGdal(this);
      check(c.crs, c.lonLat, undefined, 'installed PROJ data');
      check(c.crs, c.lonLat, noGrids, 'no grids');
    });
  }

  for (const c of GRID_CASES) {
    it(`${c.crs} without grids: ${c.why}`, function () {
      requireGdal(this);
      if (c.grids.some(isGridRegistered)) this.skip();
      check(c.crs, c.lonLat, noGrids, 'no grids');
    });
  }

  // Registering a grid changes every later CRS resolution; these run last in this file.
  for (const c of GRID_CASES) {
    it(`${c.crs} with ${c.grids.join(', ')} registered matches GDAL with proj-data`, function () {
      requireGdal(this);
      for (const g of c.grids) {
        const path = join(PROJ_DATA_DIR, g);
        if (!existsSync(path)) {
          if (process.env['CI'] === 'true') throw new Error(`${path} missing (Debian proj-data)`);
          this.skip();
        }
        if (!isGridRegistered(g)) {
          const bytes = readFileSync(path);
          registerGrid(g, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
        }
      }
      expect(getCrs(c.crs).datumShifts?.some((s) => s.grid !== undefined)).to.equal(true);
      check(c.crs, c.lonLat, undefined, 'with grids');
    });
  }
});
