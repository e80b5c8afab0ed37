/**
 * CLI: `node dist/conformance/ogcapi/run.js URL` runs the OGC API - Tiles 1.0 and Maps 1.0
 * core assertions against a live server and prints PASS/FAIL per assertion, then
 * "ogcapi: N passed, N failed". URL is the server root (its landing page is asked for as JSON)
 * or the landing page's URL. Exit status 1 on any failure, 2 when the run itself fails.
 */
import { runConformance } from './suite.js';

async function main(argv: string[]): Promise<number> {
  const target = argv.find((a) => !a.startsWith('--'));
  if (!target) {
    console.error('usage: node dist/conformance/ogcapi/run.js URL');
    return 2;
  }
  const results = await runConformance(target);
  for (const r of results) {
    console.log(`${r.passed ? 'PASS' : 'FAIL'}  [${r.conformanceClass}] ${r.id}: ${r.title}${r.passed ? '' : `\n      ${r.message}`}`);
  }
  const failed = results.filter((r) => !r.passed).length;
  console.log(`ogcapi: ${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: Error) => {
  console.error(`conformance run failed: ${err.message}`);
  process.exitCode = 2;
});
