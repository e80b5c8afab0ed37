/**
 * The built command line (dist/src/cli/main.js) run as a child process: `render` writes
 * real images (decoded with sharp, compared with the engine's own pixels for the same job),
 * usage errors exit 2, domain errors exit 1 with a one-line message and no stack trace;
 * `info` against `gdalinfo -json` and the corpus MANIFEST's COG verdicts.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { loadConfig } from '../src/config.js';
import { tileForLonLat, webMercatorQuad, type TileAddress } from '../src/tilematrixsets/index.js';
import { Engine, type TileJob } from '../src/tiling/engine.js';
import { CORPUS, needTool } from './helpers/services.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const WMQ = webMercatorQuad();
const COGEO = CORPUS + 'cogeo.tif';
const tileArg = (t: TileAddress) => `${t.tileMatrix}/${t.row}/${t.col}`;
const cogeo16 = tileForLonLat(WMQ, '16', 128.6595, 37.6705)!;
/** Inside cog_nodata.tif (UInt16, UTM 21N, 72°N–74.7°N). */
const nodata10 = tileForLonLat(WMQ, '10', -56.8, 73.47)!;

/** The child's environment without TILEWRIGHT_* / AWS_* settings, so defaults apply. */
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TILEWRIGHT_|AWS_)/.test(k)));

interface Run { code: number; stdout: string; stderr: string }

/** At most this many CLI processes at once (each spends most of its ~0.3 s loading modules). */
const SLOTS = Math.max(2, availableParallelism());
let busy = 0;
const waiting: (() => void)[] = [];
const memo = new Map<string, Promise<Run>>();

/**
 * Runs the CLI once per distinct (args, cwd): tables of cases call `prefetch` in a `before`
 * hook so their processes run concurrently, then each test awaits its own result.
 */
function cli(args: string[], cwd?: string): Promise<Run> {
  const key = JSON.stringify([args, cwd]);
  let p = memo.get(key);
  if (!p) {
    p = (async () => {
      if (busy >= SLOTS) await new Promise<void>((r) => waiting.push(r));
      busy++;
      try {
        return await spawnCli(args, cwd);
      } finally {
        busy--;
        waiting.shift()?.();
      }
    })();
    memo.set(key, p);
  }
  return p;
}

function prefetch(runs: Array<[string[], string?]>): void {
  for (const [args, cwd] of runs) cli(args, cwd).catch(() => undefined);
}

async function spawnCli(args: string[], cwd?: string): Promise<Run> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: childEnv, encoding: 'utf8', maxBuffer: 16 << 20, ...(cwd ? { cwd } : {}) });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function decode(path: string): Promise<{ format: string; width: number; height: number; channels: number; data: Uint8Array }> {
  const bytes = await readFile(path);
  const meta = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { format: meta.format!, width: info.width, height: info.height, channels: meta.channels!, data: new Uint8Array(data) };
}

/** A stack trace line ("    at fn (file:...)"). */
const STACK = /^\s+at .+[(:]/m;

describe('cli: tilewright render', function () {
  this.timeout(60_000);
  let dir = '';
  const out = (name: string) => join(dir, name);
  // The engine as the CLI configures it by default, for pixel comparisons.
  const config = loadConfig({ env: {} });
  const engine = new Engine({ maxError: config.engine.warpErrorThreshold });
  const enginePixels = async (j: TileJob) => {
    const r = await engine.renderTile(j);
    if (r.kind !== 'image') throw new Error('expected an image');
    return new Uint8Array(await sharp(r.bytes).ensureAlpha().raw().toBuffer());
  };

  before(async () => { dir = await mkdtemp(join(tmpdir(), 'tilewright-cli-')); });
  after(async () => {
    for (const f of [COGEO, CORPUS + 'cog_nodata.tif', CORPUS + 'TCI.tif']) engine.cogs.evict(f);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes a 256x256 PNG that is the engine\'s tile', async () => {
    const r = await cli(['render', COGEO, '--tms', 'WebMercatorQuad', '--tile', tileArg(cogeo16), '-o', out('a.png')]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/wrote 256x256 png/);
    const d = await decode(out('a.png'));
    expect([d.format, d.width, d.height]).to.deep.equal(['png', 256, 256]);
    const want = await enginePixels({ sources: [COGEO], tileMatrixSet: WMQ, tile: cogeo16, resampling: config.engine.defaultResampling, style: {}, format: 'png' });
    expect(Buffer.from(d.data).equals(Buffer.from(want))).to.equal(true);
  });

  const formats: Array<[string, string[], string, string]> = [
    ['--format jpeg wins over the .png extension', ['--format', 'jpeg', '-o'], 'b.png', 'jpeg'],
    ['a .webp extension picks WebP', ['-o'], 'c.webp', 'webp'],
    ['a .jpg extension picks JPEG', ['-o'], 'd.jpg', 'jpeg'],
    ['no extension: PNG', ['-o'], 'e', 'png'],
  ];
  for (const [name, args, file, format] of formats) {
    it(name, async () => {
      const r = await cli(['render', COGEO, '--tms', 'WebMercatorQuad', '--tile', tileArg(cogeo16), ...args, out(file)]);
      expect(r.code, r.stderr).to.equal(0);
      const d = await decode(out(file));
      expect([d.format, d.width, d.height]).to.deep.equal([format, 256, 256]);
    });
  }

  it('--size 512 writes a 512x512 tile', async () => {
    const r = await cli(['render', COGEO, '--tms', 'WebMercatorQuad', '--tile', tileArg(cogeo16), '--size', '512', '--resampling', 'nearest', '-o', out('big.png')]);
    expect(r.code, r.stderr).to.equal(0);
    const d = await decode(out('big.png'));
    expect([d.width, d.height]).to.deep.equal([512, 512]);
    const want = await enginePixels({ sources: [COGEO], tileMatrixSet: WMQ, tile: cogeo16, tileSize: 512, resampling: 'nearest', style: {}, format: 'png' });
    expect(Buffer.from(d.data).equals(Buffer.from(want))).to.equal(true);
  });

  it('--colormap viridis with --rescale on a UInt16 band: the engine\'s coloured tile', async () => {
    const file = CORPUS + 'cog_nodata.tif';
    const r = await cli(['render', file, '--tms', 'WebMercatorQuad', '--tile', tileArg(nodata10), '--colormap', 'viridis', '--rescale', '0,9000', '-o', out('v.png')]);
    expect(r.code, r.stderr).to.equal(0);
    const d = await decode(out('v.png'));
    const want = await enginePixels({ sources: [file], tileMatrixSet: WMQ, tile: nodata10, resampling: 'bilinear', style: { rescale: [[0, 9000]], colormap: 'viridis' }, format: 'png' });
    expect(Buffer.from(d.data).equals(Buffer.from(want))).to.equal(true);
    // Coloured, not grey: some opaque pixel has R != G.
    let coloured = 0;
    for (let i = 0; i < d.data.length; i += 4) if (d.data[i + 3] === 255 && d.data[i] !== d.data[i + 1]) coloured++;
    expect(coloured).to.be.greaterThan(100);
  });

  it('--bands 3,2,1 swaps red and blue', async () => {
    const file = CORPUS + 'TCI.tif', tile = tileForLonLat(WMQ, '10', 23.7, 31.9)!;
    const r = await cli(['render', file, '--tms', 'WebMercatorQuad', '--tile', tileArg(tile), '--bands', '3,2,1', '-o', out('bgr.png')]);
    expect(r.code, r.stderr).to.equal(0);
    const d = await decode(out('bgr.png'));
    const rgb = await enginePixels({ sources: [file], tileMatrixSet: WMQ, tile, resampling: 'bilinear', style: {}, format: 'png' });
    for (let i = 0; i < rgb.length; i += 4 * 101) expect([d.data[i], d.data[i + 1], d.data[i + 2], d.data[i + 3]]).to.deep.equal([rgb[i + 2], rgb[i + 1], rgb[i], rgb[i + 3]]);
  });

  it('an empty area: exit 0, the blank tile, a message on stderr', async () => {
    const empty = tileForLonLat(WMQ, '16', 10, 10)!;
    const r = await cli(['render', COGEO, '--tms', 'WebMercatorQuad', '--tile', tileArg(empty), '-o', out('blank.png')]);
    expect(r.code).to.equal(0);
    expect(r.stderr).to.match(/no data in WebMercatorQuad tile .*blank 256x256 png/);
    const d = await decode(out('blank.png'));
    expect([d.width, d.height]).to.deep.equal([256, 256]);
    for (let i = 3; i < d.data.length; i += 4) if (d.data[i] !== 0) expect.fail(`pixel ${(i - 3) / 4} has alpha ${d.data[i]}`);
  });

  it('a relative output path is written in the working directory', async () => {
    const r = await cli(['render', COGEO, '--tms', 'WebMercatorQuad', '--tile', tileArg(cogeo16), '-o', 'rel.png'], dir);
    expect(r.code, r.stderr).to.equal(0);
    expect((await stat(out('rel.png'))).size).to.be.greaterThan(1000);
  });

  const base = () => ['render', COGEO, '--tms', 'WebMercatorQuad', '--tile', tileArg(cogeo16), '-o', out('x.png')];
  const usage: Array<[string, string[], RegExp]> = [
    ['missing --tms', ['render', COGEO, '--tile', '16/0/0', '-o', 'x.png'], /--tms ID is required/],
    ['missing --tile', ['render', COGEO, '--tms', 'WebMercatorQuad', '-o', 'x.png'], /--tile Z\/ROW\/COL is required/],
    ['missing -o', ['render', COGEO, '--tms', 'WebMercatorQuad', '--tile', '16/0/0'], /-o OUT is required/],
    ['no FILE', ['render', '--tms', 'WebMercatorQuad', '--tile', '16/0/0', '-o', 'x.png'], /at least one FILE/],
    ['bad --tile', ['render', COGEO, '--tms', 'WebMercatorQuad', '--tile', '16-1-2', '-o', 'x.png'], /--tile must look like Z\/ROW\/COL, got "16-1-2"/],
    ['bad --tile (letters)', ['render', COGEO, '--tms', 'WebMercatorQuad', '--tile', '16/a/2', '-o', 'x.png'], /--tile must look like/],
    ['unknown option', [...base(), '--bogus'], /Unknown option '--bogus'/],
    ['--size 300', [...base(), '--size', '300'], /--size must be 256 or 512, got "300"/],
    ['--resampling bogus', [...base(), '--resampling', 'bogus'], /--resampling must be one of nearest, bilinear/],
    ['--rescale with three numbers', [...base(), '--rescale', '1,2,3'], /--rescale expects MIN,MAX/],
    ['--bands not numbers', [...base(), '--bands', 'r,g,b'], /--bands expects comma-separated numbers/],
  ];
  const domain: Array<[string, string[], RegExp]> = [
    ['a GCP-only file', ['render', CORPUS + 'cog_gcps_ovr.tif', '--tms', 'WebMercatorQuad', '--tile', '16/0/0', '-o', 'x.png'], /unsupported georeferencing: .*ground control points/],
    ['an unknown TMS', ['render', COGEO, '--tms', 'NoSuchQuad', '--tile', '16/0/0', '-o', 'x.png'], /unknown tile matrix set: "NoSuchQuad"/],
    ['a tile out of range', ['render', COGEO, '--tms', 'WebMercatorQuad', '--tile', '3/8/0', '-o', 'x.png'], /TileRow 8 is outside 0\.\.7/],
    ['an unknown tile matrix', ['render', COGEO, '--tms', 'WebMercatorQuad', '--tile', '31/0/0', '-o', 'x.png'], /tile matrix set WebMercatorQuad has no tile matrix "31"/],
    ['a missing file', ['render', '/nonexistent/none.tif', '--tms', 'WebMercatorQuad', '--tile', '16/0/0', '-o', 'x.png'], /cannot open \/nonexistent\/none\.tif/],
    ['a band the file lacks', ['render', COGEO, '--tms', 'WebMercatorQuad', '--tile', '16/0/0', '--bands', '4', '-o', 'x.png'], /band 4 does not exist/],
    ['an unreadable --config', ['render', COGEO, '--tms', 'WebMercatorQuad', '--tile', '16/0/0', '--config', '/nonexistent/c.json', '-o', 'x.png'], /cannot read configuration file/],
  ];
  before(() => prefetch([...usage, ...domain].map(([, args]) => [args, dir] as [string[], string])));
  for (const [name, args, message] of usage) {
    it(`usage error: ${name} → exit 2 with a message`, async () => {
      const r = await cli(args, dir);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(message);
      expect(r.stderr).to.match(/see: tilewright help/);
      expect(r.stderr).to.not.match(STACK);
    });
  }

  it('an unknown command exits 2 with the usage text', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/unknown command "frobnicate"/);
    expect(r.stderr).to.match(/Usage: tilewright/);
  });

  it('help exits 0 and lists the commands', async () => {
    const r = await cli(['help']);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/render FILE\.\.\./).and.to.match(/info FILE/);
  });

  // BUG (reported): --format is validated by parseFormat, whose InvalidParameterError is a
  // DomainError, so a bad --format (or an unknown -o extension) exits 1 like a failed render,
  // while the same kind of mistake in --resampling or --size exits 2.
  it('usage error: --format gif → exit 2 (BUG: exits 1)', async () => {
    const r = await cli([...base(), '--format', 'gif'], dir);
    expect(r.code).to.equal(2);
  });

  for (const [name, args, message] of domain) {
    it(`domain error: ${name} → exit 1, one message, no stack trace`, async () => {
      const r = await cli(args, dir);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(new RegExp(`^tilewright render: ${message.source}`));
      expect(r.stderr).to.not.match(STACK);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
    });
  }
});

describe('cli: tilewright info', function () {
  this.timeout(60_000);

  interface GdalInfo {
    size: [number, number];
    geoTransform: number[];
    bands: { block: [number, number]; noDataValue?: number | string; overviews?: { size: [number, number] }[] }[];
    stac?: { 'proj:epsg'?: number };
    wgs84Extent?: { coordinates: number[][][] };
  }
  interface Description {
    width: number; height: number; bandCount: number; dataType: string;
    crs: { id: string }; crsBounds: number[]; lonLatBounds: number[];
    levels: { width: number; height: number; blockWidth: number; blockHeight: number }[];
    nodata: number | null | undefined; cog: { valid: boolean; problems: string[] };
  }

  /** The corpus MANIFEST's "valid COG?" column (from its own TIFF inventory tool). */
  let manifest = new Map<string, string>();
  before(async () => {
    const text = await readFile(CORPUS + 'MANIFEST.md', 'utf8');
    manifest = new Map(text.split('\n').filter((l) => /^\| \S+\.tiff? \|/.test(l)).map((l) => {
      const cells = l.split('|').map((c) => c.trim());
      return [cells[1]!, cells[13]!];
    }));
  });

  it('text for a COG: CRS, bounds, every level, COG yes', async () => {
    const r = await cli(['info', COGEO]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^CRS:\s+EPSG:3857 \(WGS 84 \/ Pseudo-Mercator\)$/m);
    // gdalinfo: Upper Left (14321853.116, 4533021.525), Lower Right (14322464.612, 4532410.029).
    expect(r.stdout).to.match(/^Bounds \(CRS\):\s+14321853\.116, 4532410\.029, 14322464\.612, 4533021\.525$/m);
    expect(r.stdout).to.match(/^Size:\s+1024 x 1024 pixels, 3 bands of uint8$/m);
    for (const s of [1024, 512, 256, 128, 64, 32, 16]) expect(r.stdout).to.include(`${s}x${s}`);
    expect(r.stdout).to.match(/^Internal mask:\s+yes$/m);
    expect(r.stdout).to.match(/^COG:\s+yes/m);
  });

  it('text for a non-COG (strips, no overviews): COG no, with the reason', async () => {
    const r = await cli(['info', CORPUS + 'nocog.tif']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^CRS:\s+EPSG:32621/m);
    expect(r.stdout).to.match(/^Levels:\s+full 2658x2667 strips of/m);
    expect(r.stdout).to.match(/^COG:\s+no: .*not tiled/m);
  });

  it('text for a raster across the antimeridian says so', async () => {
    const r = await cli(['info', CORPUS + 'cog_dateline.tif']);
    expect(r.stdout).to.match(/^Bounds \(lon\/lat\):\s+177\.9\d+, 50\.5\d+, -178\.5\d+, 52\.7\d+ \(crosses the antimeridian\)$/m);
  });

  const files = ['cogeo.tif', 'nocog.tif', 'TCI.tif', 'cog_cmap.tif', 'shade.tif', 'RGB.byte.tif', 'cog_dateline.tif', 'oisst-avhrr-v02r01.20220913-sst.tif', 'cog_with_nan.tif'];
  before(() => prefetch([
    ...files.map((f) => [['info', CORPUS + f, '--json']] as [string[]]),
    [['info', COGEO]], [['info', CORPUS + 'nocog.tif']], [['info', CORPUS + 'cog_dateline.tif']], [['info', CORPUS + 'cog_gcps_ovr.tif']], [['info']],
  ]));
  for (const f of files) {
    it(`--json for ${f} agrees with gdalinfo -json and the MANIFEST`, async function () {
      needTool(this, 'gdalinfo', 'GDAL (gdal-bin)');
      const [r, g] = await Promise.all([
        cli(['info', CORPUS + f, '--json']),
        run('gdalinfo', ['-json', CORPUS + f], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, GDAL_PAM_ENABLED: 'NO' } }),
      ]);
      expect(r.code, r.stderr).to.equal(0);
      const d = JSON.parse(r.stdout) as Description;
      const gi = JSON.parse(g.stdout) as GdalInfo;
      expect([d.width, d.height]).to.deep.equal(gi.size);
      expect(d.bandCount).to.equal(gi.bands.length);
      expect(d.levels.slice(1).map((l) => [l.width, l.height])).to.deep.equal((gi.bands[0]!.overviews ?? []).map((o) => o.size));
      expect([d.levels[0]!.blockWidth, d.levels[0]!.blockHeight]).to.deep.equal(gi.bands[0]!.block);
      const nd = gi.bands[0]!.noDataValue;
      expect(d.nodata, 'nodata').to.equal(nd === undefined ? undefined : nd === 'NaN' ? null : Number(nd));
      if (gi.stac?.['proj:epsg']) expect(d.crs.id).to.equal(`EPSG:${gi.stac['proj:epsg']}`);
      // CRS bounds from the geotransform corners (north-up files).
      const gt = gi.geoTransform;
      const want = [gt[0]!, gt[3]! + gi.size[1] * gt[5]!, gt[0]! + gi.size[0] * gt[1]!, gt[3]!];
      d.crsBounds.forEach((v, i) => expect(v, `crsBounds[${i}]`).to.be.closeTo(want[i]!, Math.abs(want[i]!) * 1e-12 + 1e-9));
      // Lon/lat bounds: ours are densified along the edges, so they contain GDAL's corner extent, within 0.05°.
      const ring = gi.wgs84Extent!.coordinates[0]!;
      const lons = ring.map((p) => p[0]!), lats = ring.map((p) => p[1]!);
      const [w, s, e, n] = d.lonLatBounds as [number, number, number, number];
      expect(s).to.be.within(Math.min(...lats) - 0.05, Math.min(...lats) + 1e-6);
      expect(n).to.be.within(Math.max(...lats) - 1e-6, Math.max(...lats) + 0.05);
      if (w <= e) {
        expect(w).to.be.within(Math.min(...lons) - 0.05, Math.min(...lons) + 1e-6);
        expect(e).to.be.within(Math.max(...lons) - 1e-6, Math.max(...lons) + 0.05);
      } else {
        // Across the antimeridian: west is the smallest eastern-hemisphere longitude, east the largest western one.
        expect(w).to.be.closeTo(Math.min(...lons.filter((x) => x > 0)), 0.05);
        expect(e).to.be.closeTo(Math.max(...lons.filter((x) => x < 0)), 0.05);
      }
      const verdict = manifest.get(f)!;
      expect(verdict, 'file listed in MANIFEST.md').to.be.a('string');
      expect(d.cog.valid, `MANIFEST says "${verdict}", we say ${d.cog.problems.join('; ')}`).to.equal(verdict.startsWith('yes'));
    });
  }

  it('info of a GCP-only file → exit 1, message, no stack trace', async () => {
    const r = await cli(['info', CORPUS + 'cog_gcps_ovr.tif']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/^tilewright info: unsupported georeferencing/);
    expect(r.stderr).to.not.match(STACK);
  });

  it('info without a FILE → exit 2', async () => {
    const r = await cli(['info']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/info needs exactly one FILE/);
  });
});
