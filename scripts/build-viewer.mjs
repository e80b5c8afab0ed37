#!/usr/bin/env node
/**
 * Builds the map viewer (viewer/ → dist/viewer/): type-checks it with viewer/tsconfig.json,
 * bundles viewer/main.ts with OpenLayers into one minified viewer.js and viewer/viewer.css with
 * OpenLayers' own CSS into viewer.css, and copies index.html with a content hash on the two URLs so a
 * browser never mixes an old script with a new page. The server serves the folder
 * (src/server/routes/viewer.ts). Options: --no-check skips the type check.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'viewer');
const out = join(root, 'dist', 'viewer');
const check = !process.argv.includes('--no-check');

if (check) {
  // tsc is the project's own dev dependency; esbuild only strips types.
  const tsc = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
  try {
    execFileSync(tsc, ['-p', join(src, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
  } catch {
    console.error('build-viewer: type errors in viewer/ (see above)');
    process.exit(1);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: [{ in: join(src, 'main.ts'), out: 'viewer' }, { in: join(src, 'viewer.css'), out: 'viewer' }],
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  banner: { js: '/* Tilewright map viewer; bundles OpenLayers and its dependencies: licences in THIRD-PARTY-NOTICES.txt */', css: '/* Tilewright map viewer; includes OpenLayers\' CSS (BSD-2-Clause): see THIRD-PARTY-NOTICES.txt */' },
  metafile: true,
  logLevel: 'warning',
  absWorkingDir: root,
});

const hash = createHash('sha256');
for (const name of ['viewer.js', 'viewer.css']) hash.update(readFileSync(join(out, name)));
const version = hash.digest('hex').slice(0, 12);
const html = readFileSync(join(src, 'index.html'), 'utf8')
  .replace('href="viewer/viewer.css"', `href="viewer/viewer.css?v=${version}"`)
  .replace('src="viewer/viewer.js"', `src="viewer/viewer.js?v=${version}"`);
if (!html.includes(`?v=${version}`)) throw new Error('build-viewer: index.html no longer links viewer/viewer.js and viewer/viewer.css');
writeFileSync(join(out, 'index.html'), html);
copyFileSync(join(src, 'favicon.svg'), join(out, 'favicon.svg'));

writeFileSync(join(out, 'THIRD-PARTY-NOTICES.txt'), notices(Object.keys(result.metafile.inputs)));

const sizes = Object.entries(result.metafile.outputs)
  .filter(([name]) => !name.endsWith('.map'))
  .map(([name, o]) => `${name.split('/').pop()} ${(o.bytes / 1024).toFixed(0)} KiB`);
console.log(`build-viewer: dist/viewer/ (${sizes.join(', ')})`);

/** The licence texts of every npm package whose files went into the bundle. */
function notices(inputs) {
  const packages = new Map();
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replaceAll('\\', '/'));
    if (m) packages.set(m[1], true);
  }
  const parts = [...packages.keys()].sort().map((dir) => {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const file = readdirSync(join(root, dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file && existsSync(join(root, dir, file)) ? readFileSync(join(root, dir, file), 'utf8').trim() : `(no licence file; package.json says ${pkg.license})`;
    return `${pkg.name} ${pkg.version} (${pkg.license})\n${'-'.repeat(60)}\n${text}\n`;
  });
  return `The map viewer (viewer.js, viewer.css) bundles these packages:\n\n${parts.join('\n')}`;
}
