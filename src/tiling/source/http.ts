import { AbortedError, SourceReadError, throwIfAborted } from '../../errors.js';
import type { ByteSource, SourceStat } from './bytesource.js';

export interface HttpSourceOptions {
  /** Per-request timeout in milliseconds, so a stuck server cannot hold a tile forever. */
  timeoutMs?: number;
  /** Extra request headers (e.g. an Authorization header for a private bucket). */
  headers?: Record<string, string>;
}

/** Signs or rewrites one request just before it is sent (S3 uses it for SigV4). */
export type RequestSigner = (url: URL, headers: Record<string, string>) => Record<string, string>;

/**
 * A remote file read with HTTP range requests (RFC 9110 §14). The version token is the
 * ETag, else Last-Modified, else the size: a changed remote file changes cache keys.
 */
export class HttpSource implements ByteSource {
  readonly #timeoutMs: number;
  readonly #headers: Record<string, string>;

  constructor(
    readonly url: string,
    options: HttpSourceOptions = {},
    private readonly requestUrl: URL = new URL(url),
    private readonly sign: RequestSigner = (_u, h) => h,
  ) {
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#headers = options.headers ?? {};
  }

  async stat(signal?: AbortSignal): Promise<SourceStat> {
    // A one-byte range GET answers size and version in one round trip and works on
    // servers that mishandle HEAD.
    const res = await this.#fetch('bytes=0-0', signal);
    const body = new Uint8Array(await res.arrayBuffer());
    const range = res.headers.get('content-range');
    const total = range ? Number(/\/(\d+)$/.exec(range)?.[1]) : res.status === 200 ? body.length : NaN;
    if (!Number.isFinite(total)) throw new SourceReadError(`${this.url}: server did not report a size`);
    const version = res.headers.get('etag') ?? res.headers.get('last-modified') ?? `size-${total}`;
    const lastModified = Date.parse(res.headers.get('last-modified') ?? '');
    return { size: total, version, ...(Number.isFinite(lastModified) ? { lastModified } : {}) };
  }

  async read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0);
    const res = await this.#fetch(`bytes=${offset}-${offset + length - 1}`, signal);
    const body = new Uint8Array(await res.arrayBuffer());
    if (res.status === 206) return body;
    // 200: the server ignored Range and sent everything; cut out what was asked.
    return body.subarray(offset, offset + length);
  }

  async #fetch(range: string, signal?: AbortSignal): Promise<Response> {
    throwIfAborted(signal);
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const headers = this.sign(this.requestUrl, { ...this.#headers, range });
    let res: Response;
    try {
      res = await fetch(this.requestUrl, { headers, signal: combined });
    } catch (err) {
      if (signal?.aborted) throw new AbortedError();
      if (timeout.aborted) throw new SourceReadError(`${this.url}: timed out after ${this.#timeoutMs} ms`);
      throw new SourceReadError(`${this.url}: ${(err as Error).message}`, { cause: err });
    }
    if (res.status !== 206 && res.status !== 200) {
      await res.body?.cancel();
      throw new SourceReadError(`${this.url}: HTTP ${res.status}`);
    }
    return res;
  }

  async close(): Promise<void> {}
}
