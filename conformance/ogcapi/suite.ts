/**
 * Runs the OGC API - Tiles / Maps assertions against a server (assertions.ts). Used by the CLI
 * (run.ts) and by the test suite (test/conformance/ogcapi.test.ts).
 */
import { ASSERTIONS, AssertionFailure, type ConformanceClass } from './assertions.js';
import { buildContext } from './context.js';

export interface AssertionResult {
  id: string;
  conformanceClass: ConformanceClass;
  title: string;
  passed: boolean;
  message?: string;
}

export async function runConformance(target: string): Promise<AssertionResult[]> {
  let ctx;
  try {
    ctx = await buildContext(target);
  } catch (err) {
    // Without a landing page (and what it links) nothing can be tested: every assertion fails.
    const message = `bootstrap: no OGC API at ${target}: ${(err as Error).message}`;
    return ASSERTIONS.map((a) => ({ id: a.id, conformanceClass: a.conformanceClass, title: a.title, passed: false, message }));
  }
  const results: AssertionResult[] = [];
  for (const a of ASSERTIONS) {
    const base = { id: a.id, conformanceClass: a.conformanceClass, title: a.title };
    try {
      await a.run(ctx);
      results.push({ ...base, passed: true });
    } catch (err) {
      results.push({ ...base, passed: false, message: err instanceof AssertionFailure ? err.message : `error: ${(err as Error).message}` });
    }
  }
  return results;
}

export { ASSERTIONS };
