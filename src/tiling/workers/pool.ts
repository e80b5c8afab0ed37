import { Worker } from 'node:worker_threads';
import { AbortedError } from '../../errors.js';
import * as errors from '../../errors.js';
import * as tmsErrors from '../../tilematrixsets/errors.js';
import * as decodeErrors from '../decode/errors.js';

/** Error classes a worker may throw that callers tell apart by class (domain errors first). */
const KNOWN_ERRORS: Record<string, unknown> = { ...decodeErrors, ...tmsErrors, ...errors };

/** A message from the main thread to a worker. */
export type ToWorker =
  | { type: 'task'; id: number; method: string; args: unknown }
  | { type: 'cancel'; id: number };

/** A worker's answer; errors travel as plain data and are rebuilt as domain errors. */
export type FromWorker =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  fields: Record<string, unknown>;
  stack?: string;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  worker: Slot;
  cleanup: () => void;
}

interface Slot {
  worker: Worker;
  busy: number;
}

/**
 * A fixed pool of worker threads with least-busy dispatch and cooperative cancellation.
 *
 * Written here rather than taken from a pool library because cancelling a task must not
 * kill its thread: each worker keeps warm caches (opened COG headers, decoded blocks), so
 * an abort is a message the worker checks between stages, not a terminate().
 */
export class WorkerPool {
  readonly #slots: Slot[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;

  constructor(readonly script: URL, readonly size: number, workerData: unknown) {
    for (let i = 0; i < size; i++) this.#spawn(workerData);
  }

  #spawn(workerData: unknown): void {
    // Not the parent's execArgv: flags such as --eval or --input-type make no sense for a worker script.
    const worker = new Worker(this.script, { workerData, execArgv: [] });
    const slot: Slot = { worker, busy: 0 };
    worker.on('message', (msg: FromWorker) => {
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      // An idle worker must not keep the process alive; a busy one must (its caller awaits it).
      if (--slot.busy === 0) worker.unref();
      p.cleanup();
      if (msg.type === 'result') p.resolve(msg.value);
      else p.reject(deserializeError(msg.error));
    });
    worker.on('error', (err) => this.#failWorker(slot, err, workerData));
    worker.on('exit', (code) => {
      if (!this.#closed && code !== 0) this.#failWorker(slot, new Error(`worker exited with code ${code}`), workerData);
    });
    worker.unref();
    this.#slots.push(slot);
  }

  /** A crashed worker fails its in-flight tasks and is replaced. */
  #failWorker(slot: Slot, err: unknown, workerData: unknown): void {
    const i = this.#slots.indexOf(slot);
    if (i < 0) return;
    this.#slots.splice(i, 1);
    for (const [id, p] of this.#pending) {
      if (p.worker === slot) { this.#pending.delete(id); p.cleanup(); p.reject(err); }
    }
    if (!this.#closed) this.#spawn(workerData);
  }

  run<T>(method: string, args: unknown, signal?: AbortSignal, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('worker pool is closed'));
    if (signal?.aborted) return Promise.reject(new AbortedError());
    const slot = this.#slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      // The caller stops waiting at once; the worker stops at its next check and its late
      // answer (result or error) is dropped. The slot stays busy until the worker answers.
      let settled = false;
      const onAbort = () => {
        slot.worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
        settled = true;
        reject(new AbortedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, {
        resolve: (v) => { if (!settled) resolve(v as T); },
        reject: (e) => { if (!settled) reject(e); },
        worker: slot,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      });
      if (slot.busy++ === 0) slot.worker.ref();
      slot.worker.postMessage({ type: 'task', id, method, args } satisfies ToWorker, transfer);
    });
  }

  /** Tasks queued or running. */
  get load(): number {
    return this.#slots.reduce((s, w) => s + w.busy, 0);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
    for (const p of this.#pending.values()) { p.cleanup(); p.reject(new Error('worker pool closed')); }
    this.#pending.clear();
  }
}

export function serializeError(err: unknown): SerializedError {
  const e = err instanceof Error ? err : new Error(String(err));
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (typeof v !== 'function' && typeof v !== 'object') fields[k] = v;
  return { name: e.name, message: e.message, fields, ...(e.stack ? { stack: e.stack } : {}) };
}

/** Rebuilds known errors by class name so the protocol faces can map them; others stay plain Errors. */
export function deserializeError(s: SerializedError): Error {
  const ctor = KNOWN_ERRORS[s.name];
  let err: Error;
  if (typeof ctor === 'function' && (ctor as { prototype: unknown }).prototype instanceof Error) {
    err = Object.create((ctor as { prototype: object }).prototype) as Error;
    Object.defineProperty(err, 'message', { value: s.message, writable: true, configurable: true });
    Object.assign(err, s.fields);
  } else {
    err = new Error(s.message);
    err.name = s.name;
  }
  if (s.stack) err.stack = s.stack;
  return err;
}
