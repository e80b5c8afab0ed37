/**
 * Several server processes on one port (`server.processes`, node:cluster). A cache hit is
 * answered on one event loop, so one process serves hits from one core however many the
 * machine has; N processes serve them from N. Each process has its own L1 and a share of the
 * render workers; single-flight renders, the L2 tier and operator purges are shared through
 * Redis, exactly as between nodes (config.ts requires `cache.redis` for more than one).
 *
 * The primary only supervises: it forks the processes, forwards SIGTERM/SIGINT to them,
 * replaces a process that dies after it was listening (one that dies before, e.g. on a port
 * in use, would die again: the primary then stops them all), and answers the processes'
 * requests for the metrics of all of them (prom-client's AggregatorRegistry), so that
 * GET /metrics on any process counts every process.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { AggregatorRegistry, type Registry } from 'prom-client';

interface MetricsAsk { tw: 'metrics?'; id: number }
interface MetricsAnswer { tw: 'metrics'; id: number; text?: string; error?: string }

const isAsk = (m: unknown): m is MetricsAsk => (m as MetricsAsk | undefined)?.tw === 'metrics?';
const isAnswer = (m: unknown): m is MetricsAnswer => (m as MetricsAnswer | undefined)?.tw === 'metrics';

/**
 * True in a server process forked by the primary of `processes` > 1. (Under a process
 * manager's own cluster mode with `processes` 1, Tilewright is a plain single process.)
 */
export function isServerProcess(processes: number): boolean {
  return processes > 1 && cluster.isWorker;
}

/** Runs the primary until every server process has exited; returns the exit code (1 when they failed to start). */
export function runPrimary(processes: number, logger: Logger): Promise<number> {
  const aggregator = new AggregatorRegistry();
  const listening = new Set<Worker>();
  let stopping = false;
  let failed = false;

  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (m: unknown) => {
      if (!isAsk(m)) return;
      aggregator.clusterMetrics().then(
        (text) => worker.send({ tw: 'metrics', id: m.id, text } satisfies MetricsAnswer),
        (err: Error) => worker.send({ tw: 'metrics', id: m.id, error: err.message } satisfies MetricsAnswer),
      );
    });
  };

  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping the server processes');
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    };
    cluster.on('listening', (w) => listening.add(w));
    cluster.on('exit', (w, code, signal) => {
      const wasListening = listening.delete(w);
      if (!stopping) {
        if (wasListening) {
          logger.error({ pid: w.process.pid, code, signal }, 'a server process died; starting another');
          fork();
          return;
        }
        logger.error({ pid: w.process.pid, code, signal }, 'a server process failed to start; stopping the others');
        failed = true;
        stop('SIGTERM');
      }
      if (Object.keys(cluster.workers ?? {}).length === 0) resolve(failed ? 1 : 0);
    });
    // A terminal's Ctrl-C reaches the whole process group; the processes ignore the repeat.
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    logger.info({ processes, pid: process.pid }, 'starting the server processes');
    for (let i = 0; i < processes; i++) fork();
  });
}

let nextAsk = 0;
const pending = new Map<number, (a: MetricsAnswer) => void>();

/**
 * In a server process: makes `registry` part of the primary's aggregation and returns the
 * text of GET /metrics, the metrics of every process (summed by prom-client's rules).
 */
export function clusterMetrics(registry: Registry, timeoutMs = 5000): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one installs prom-client's listener that answers the primary's collection.
  new AggregatorRegistry();
  process.on('message', (m: unknown) => {
    if (isAnswer(m)) pending.get(m.id)?.(m);
  });
  return () => new Promise<string>((resolve, reject) => {
    const id = ++nextAsk;
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`the primary process did not answer with the metrics within ${timeoutMs} ms`));
    }, timeoutMs);
    pending.set(id, (a) => {
      clearTimeout(timer);
      pending.delete(id);
      if (a.text !== undefined) resolve(a.text);
      else reject(new Error(`metrics of the server processes: ${a.error ?? 'no answer'}`));
    });
    process.send!({ tw: 'metrics?', id } satisfies MetricsAsk);
  });
}
