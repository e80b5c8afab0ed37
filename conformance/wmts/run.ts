/**
 * CLI: `node dist/conformance/wmts/run.js BASE_URL [--schemas DIR]` runs the WMTS 1.0
 * assertions against a live server and prints PASS/FAIL per assertion, then
 * "N passed, N failed". BASE_URL is the server root (its /wmts KVP endpoint is used) or a full
 * GetCapabilities URL. With --schemas (the folder of ../shared/schemas) and xmllint installed,
 * documents are also validated against the WMTS and OWS schemas. Exit status 1 on any failure.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Validator } from './context.js';
import { runConformance } from './suite.js';

const SCHEMA_FILES = {
  capabilities: 'wmts/1.0/wmtsGetCapabilities_response.xsd',
  'capabilities-cite': 'wmts/1.0-cite/wmts.xsd',
  exception: 'ows/1.1.0/owsExceptionReport.xsd',
} as const;

function xmllintValidator(schemas: string): Validator {
  return async (xml, schema) => {
    const dir = await mkdtemp(join(tmpdir(), 'tw-conformance-'));
    try {
      const file = join(dir, 'doc.xml');
      await writeFile(file, xml);
      return await new Promise((resolve) => {
        execFile('xmllint', ['--nonet', '--noout', '--schema', join(schemas, SCHEMA_FILES[schema]), file], (err, _out, stderr) => resolve(err ? stderr.trim() || String(err) : ''));
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

async function main(argv: string[]): Promise<number> {
  const target = argv.find((a) => !a.startsWith('--'));
  const i = argv.indexOf('--schemas');
  const schemas = i >= 0 ? argv[i + 1] : undefined;
  if (!target) {
    console.error('usage: node dist/conformance/wmts/run.js BASE_URL [--schemas DIR]');
    return 2;
  }
  const results = await runConformance(target, schemas ? { validate: xmllintValidator(schemas) } : {});
  for (const r of results) {
    console.log(`${r.passed ? 'PASS' : 'FAIL'}  [${r.conformanceClass}/${r.binding}] ${r.id}: ${r.title}${r.passed ? '' : `\n      ${r.message}`}`);
  }
  const failed = results.filter((r) => !r.passed).length;
  console.log(`wmts: ${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: Error) => {
  console.error(`conformance run failed: ${err.message}`);
  process.exitCode = 2;
});
