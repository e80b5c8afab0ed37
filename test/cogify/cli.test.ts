/**
 * `tilewright cogify` as a child process: usage errors exit 2, failures exit 1 with one line
 * and no stack trace, a conversion exits 0 with a summary, and `tilewright info` (the engine's
 * own COG check) and GDAL agree the output is a COG.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CORPUS, needTool } from '../helpers/services.js';
import { gdalInfo } from './helpers/oracle.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TILEWRIGHT_|AWS_)/.test(k)));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: childEnv, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('tilewright cogify (command line)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'tilewright-cogify-cli-')); });
  after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  const usage: [string, () => string[], RegExp][] = [
    ['no arguments', () => ['cogify'], /cogify needs IN and OUT/],
    ['one argument', () => ['cogify', CORPUS + 'dem.tif'], /cogify needs IN and OUT/],
    ['unknown compression', () => ['cogify', CORPUS + 'dem.tif', join(dir, 'o.tif'), '--compression', 'lzw'], /--compression must be one of deflate, zstd, jpeg, webp, none/],
    ['block size not a multiple of 16', () => ['cogify', CORPUS + 'dem.tif', join(dir, 'o.tif'), '--blocksize', '100'], /--blocksize must be a multiple of 16/],
    ['a warp kernel without --tms', () => ['cogify', CORPUS + 'dem.tif', join(dir, 'o.tif'), '--resampling', 'cubic'], /without --tms, --resampling chooses the overview kernel/],
    ['quality with a lossless codec', () => ['cogify', CORPUS + 'dem.tif', join(dir, 'o.tif'), '--quality', '80'], /--quality applies to --compression jpeg or webp/],
    ['zoom strategy without --tms', () => ['cogify', CORPUS + 'dem.tif', join(dir, 'o.tif'), '--zoom-level-strategy', 'auto'], /needs --tms/],
    ['unknown option', () => ['cogify', CORPUS + 'dem.tif', join(dir, 'o.tif'), '--fast'], /Unknown option '--fast'/],
    ['OUT = IN', () => ['cogify', CORPUS + 'dem.tif', CORPUS + 'dem.tif'], /OUT must differ from IN/],
  ];
  for (const [name, args, message] of usage) {
    it(`usage error, exit 2: ${name}`, async () => {
      const r = await cli(args());
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(message).and.to.match(/^tilewright cogify: /);
    });
  }

  const failures: [string, () => string[], RegExp][] = [
    ['missing input', () => ['cogify', join(dir, 'nope.tif'), join(dir, 'o.tif')], /cannot open .*nope\.tif/],
    ['JPEG of float data', () => ['cogify', CORPUS + 'dem.tif', join(dir, 'o.tif'), '--compression', 'jpeg'], /JPEG compression needs 8-bit data with 1 or 3 bands and no palette; .*dem\.tif has 1 float32 band/],
    ['WebP of one band', () => ['cogify', CORPUS + 'cog_world.tif', join(dir, 'o.tif'), '--compression', 'webp'], /WebP compression needs 8-bit data with 3 or 4 bands/],
    ['GCPs only', () => ['cogify', CORPUS + 'cog_gcps_ovr.tif', join(dir, 'o.tif')], /unsupported georeferencing: .*ground control points/],
    ['unknown tile matrix set', () => ['cogify', CORPUS + 'dem.tif', join(dir, 'o.tif'), '--tms', 'Nope'], /unknown tile matrix set: "Nope"/],
    ['output folder missing', () => ['cogify', CORPUS + 'dem.tif', join(dir, 'no', 'such', 'o.tif')], /cannot write .*o\.tif: ENOENT/],
  ];
  for (const [name, args, message] of failures) {
    it(`failure, exit 1 without a stack trace: ${name}`, async () => {
      const r = await cli(args());
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(message);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).not.to.match(/\n\s+at /);
    });
  }

  it('no output and no temporary files are left after a failure', async () => {
    const files = await readdir(dir);
    expect(files.filter((f) => f === 'o.tif' || f.startsWith('.cogify-') || f.includes('.partial-'))).to.deep.equal([]);
  });

  it('help lists cogify', async () => {
    const r = await cli(['help']);
    expect(r.stdout).to.match(/cogify IN OUT \[--compression deflate\|zstd\|jpeg\|webp\|none\]/);
  });

  it('converts, prints a summary, and the output is a COG for the engine and for GDAL', async function () {
    needTool(this, 'gdalinfo');
    const out = join(dir, 'nocog.tif');
    const r = await cli(['cogify', CORPUS + 'nocog.tif', out, '--compression', 'zstd', '--blocksize', '256']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/^wrote .*nocog\.tif: 2658x2667, 1 band, 4 overviews, zstd \(predictor 2\), 256px blocks, \d+ bytes in [\d.]+ s\n$/);
    const info = await cli(['info', out, '--json']);
    const d = JSON.parse(info.stdout) as { cog: { valid: boolean; problems: string[] }; levels: { blockWidth: number }[]; compression: string };
    expect(d.cog).to.include({ valid: true });
    expect(d.compression).to.equal('ZSTD');
    expect(d.levels.map((l) => l.blockWidth)).to.deep.equal([256, 256, 256, 256, 256]);
    expect((await gdalInfo(out)).size).to.deep.equal([2658, 2667]);
    expect((await stat(out)).size).to.be.greaterThan(0);
  });

  it('--tms prints the tile matrix and range', async () => {
    const r = await cli(['cogify', CORPUS + 'dem.tif', join(dir, 'dem-wmq.tif'), '--tms', 'WebMercatorQuad', '--resampling', 'nearest']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/WebMercatorQuad matrix 16 tiles 34058\.\.34061 x 23334\.\.23337 \(nearest\)/);
  });
});
