/**
 * Runs the WMTS 1.0 assertions against a server (src: assertions.ts). Used by the CLI
 * (run.ts) and by the test suite (test/conformance/wmts.test.ts).
 */
import { ASSERTIONS, AssertionFailure, type Binding, type ConformanceClass } from './assertions.js';
import { buildContext, type Validator } from './context.js';

export interface AssertionResult {
  id: string;
  conformanceClass: ConformanceClass;
  binding: Binding;
  title: string;
  passed: boolean;
  message?: string;
}

export async function runConformance(target: string, options: { validate?: Validator } = {}): Promise<AssertionResult[]> {
  let ctx;
  try {
    ctx = await buildContext(target, options.validate);
  } catch (err) {
    // Without a capabilities document nothing can be tested (the OGC suite's bootstrap): every assertion fails.
    const message = `bootstrap: no WMTS capabilities document at ${target}: ${(err as Error).message}`;
    return ASSERTIONS.map((a) => ({ id: a.id, conformanceClass: a.conformanceClass, binding: a.binding, title: a.title, passed: false, message }));
  }
  const results: AssertionResult[] = [];
  for (const a of ASSERTIONS) {
    const base = { id: a.id, conformanceClass: a.conformanceClass, binding: a.binding, title: a.title };
    try {
      await a.run(ctx);
      results.push({ ...base, passed: true });
    } catch (err) {
      const message = err instanceof AssertionFailure ? err.message : `error: ${(err as Error).message}`;
      results.push({ ...base, passed: false, message });
    }
  }
  return results;
}

export { ASSERTIONS };
