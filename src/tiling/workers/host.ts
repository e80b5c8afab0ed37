import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './pool.js';
import { serializeError } from './pool.js';

/**
 * The worker side of WorkerPool: runs `methods[name](args, signal)` for each task and
 * aborts a task's signal when the main thread cancels it. Results carrying ArrayBuffers
 * (encoded tiles) are transferred, not copied.
 */
export function serveMethods(methods: Record<string, (args: never, signal: AbortSignal) => Promise<unknown>>): void {
  const port = parentPort;
  if (!port) throw new Error('serveMethods must run inside a worker thread');
  const running = new Map<number, AbortController>();
  port.on('message', async (msg: ToWorker) => {
    if (msg.type === 'cancel') {
      running.get(msg.id)?.abort();
      return;
    }
    const ac = new AbortController();
    running.set(msg.id, ac);
    try {
      const fn = methods[msg.method];
      if (!fn) throw new Error(`unknown worker method ${msg.method}`);
      const value = await fn(msg.args as never, ac.signal);
      port.postMessage({ type: 'result', id: msg.id, value } satisfies FromWorker, transferables(value));
    } catch (err) {
      port.postMessage({ type: 'error', id: msg.id, error: serializeError(err) } satisfies FromWorker);
    } finally {
      running.delete(msg.id);
    }
  });
}

function transferables(value: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number) => {
    if (depth > 3 || v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
      return;
    }
    for (const x of Object.values(v)) visit(x, depth + 1);
  };
  visit(value, 0);
  return [...out];
}
