/**
 * Child process that runs GDAL command lines for the accuracy tests, a few at a time.
 *
 * The tests' main thread is busy warping tiles with the engine (synchronous CPU work); a
 * pool driven from its event loop would leave the GDAL slots idle until the main thread
 * yields. Here the pool has its own event loop, and each GDAL process is forked from a
 * small process instead of the test's large one.
 *
 * Protocol (IPC): parent sends { id, cmd, args }; child answers { id, ms, error? } (ms: the process's wall time).
 */
import { execFile } from 'node:child_process';

interface Job { id: number; cmd: string; args: string[] }

const concurrency = Math.max(1, Number(process.argv[2] ?? 2));
const queue: Job[] = [];
let running = 0;

function pump(): void {
  while (running < concurrency && queue.length > 0) {
    const job = queue.shift()!;
    running++;
    const t0 = performance.now();
    execFile(job.cmd, job.args, { maxBuffer: 64 << 20, env: { ...process.env, GDAL_PAM_ENABLED: 'NO' } }, (err, _stdout, stderr) => {
      running--;
      const ms = performance.now() - t0;
      process.send!(err ? { id: job.id, ms, error: `${job.cmd} ${job.args.join(' ')} failed: ${stderr || err.message}` } : { id: job.id, ms });
      pump();
    });
  }
}

process.on('message', (job: Job) => {
  queue.push(job);
  pump();
});
process.on('disconnect', () => process.exit(0));
