import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ConfigSchema, loadConfig } from '../src/config.js';

const DIR = new URL('../../config/', import.meta.url).pathname;

/** Every key of the schema, as dotted paths (objects recursed, arrays and records as leaves). */
function schemaKeys(shape: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(shape).flatMap(([k, v]) => {
    let inner = v as { def?: { type?: string; innerType?: unknown; shape?: Record<string, unknown> }; shape?: Record<string, unknown> };
    while (inner.def && (inner.def.type === 'default' || inner.def.type === 'prefault' || inner.def.type === 'optional')) inner = inner.def.innerType as typeof inner;
    const nested = inner.def?.type === 'object' ? (inner.shape ?? inner.def.shape) : undefined;
    return nested ? schemaKeys(nested, `${prefix}${k}.`) : [`${prefix}${k}`];
  });
}

describe('configuration files', () => {
  it('config/default.json loads and equals the built-in defaults', () => {
    const fromFile = loadConfig({ file: DIR + 'default.json', env: {} });
    const builtIn = loadConfig({ env: {} });
    // engine.workers defaults to the number of cores; the file pins a value.
    expect({ ...fromFile, engine: { ...fromFile.engine, workers: 0 } }).to.deep.equal({ ...builtIn, engine: { ...builtIn.engine, workers: 0 } });
  });

  it('config/README.md documents every key of the schema', () => {
    const doc = readFileSync(DIR + 'README.md', 'utf8');
    const keys = schemaKeys(ConfigSchema.shape as Record<string, unknown>);
    expect(keys.length).to.be.greaterThan(20);
    const missing = keys.filter((k) => !doc.includes(`\`${k}\``) && !doc.includes(`\`${k.replace(/\.[^.]+$/, '')}.`));
    expect(missing).to.deep.equal([]);
  });
});
