import { execFileSync } from 'node:child_process';

/**
 * Tests that need an outside tool or service call `needTool` in a `before` hook: on a
 * developer machine without it they print a loud SKIP and skip; under CI=true a missing
 * tool fails the run, so CI can never pass by skipping.
 */
export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function needTool(ctx: Mocha.Context, cmd: string, what = cmd): void {
  if (hasCommand(cmd)) return;
  if (process.env['CI'] === 'true') throw new Error(`${what} is required under CI=true but "${cmd}" is not installed (see .ci/run)`);
  console.warn(`\n  *** SKIP: ${what} not installed ("${cmd}" missing): ${ctx.test?.parent?.fullTitle() ?? ''} ***\n`);
  ctx.skip();
}

export const CORPUS = new URL('../../../../shared/data/cog/', import.meta.url).pathname;
