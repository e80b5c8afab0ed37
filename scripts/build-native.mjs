#!/usr/bin/env node
/**
 * Builds the optional native kernels (native/ → native/build/Release/tilewright_native.node)
 * with node-gyp, which npm puts on the PATH of its scripts. The addon only makes the per-pixel
 * loops faster; without a C compiler the build is skipped with a warning and the engine uses
 * its TypeScript kernels (same pixels). TILEWRIGHT_NATIVE_REQUIRED=1 (set by .ci/run) turns a
 * failed build into an error, so CI always tests the native path.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'native');
const required = process.env.TILEWRIGHT_NATIVE_REQUIRED === '1';
// npm scripts get node-gyp on the PATH (and npm_config_node_gyp); run directly, use npm's own copy.
const npmGyp = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const gyp = process.env.npm_config_node_gyp ? [process.execPath, process.env.npm_config_node_gyp]
  : existsSync(npmGyp) ? [process.execPath, npmGyp] : ['node-gyp'];

// Node's own headers (Debian's nodejs and the official builds ship them under the prefix):
// without them node-gyp would try to download them.
const prefix = join(dirname(process.execPath), '..');
const nodedir = process.env.npm_config_nodedir ? [] : existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];

function nodeGyp(...args) {
  const [cmd, ...pre] = gyp;
  const r = spawnSync(cmd, [...pre, ...args, ...nodedir, `--directory=${dir}`], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

// Configure once; later builds are incremental (make rebuilds only what changed).
let r = existsSync(join(dir, 'build', 'Makefile')) ? { ok: true, out: '' } : nodeGyp('configure');
if (r.ok) r = nodeGyp('build');
if (r.ok) {
  console.log('build-native: native/build/Release/tilewright_native.node');
} else {
  const tail = r.out.trim().split('\n').slice(-15).join('\n');
  console.error(`build-native: the native kernels were not built; the engine will use its TypeScript kernels.\n${tail}`);
  if (required) process.exit(1);
}
