import { open, stat, type FileHandle } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { SourceReadError, throwIfAborted } from '../../errors.js';
import type { ByteSource, SourceStat } from './bytesource.js';

/**
 * A local file read with positional reads on one shared, lazily opened handle
 * (one open per file, however many tiles read it concurrently).
 */
export class FileSource implements ByteSource {
  readonly url: string;
  #handle: Promise<FileHandle> | undefined;

  constructor(readonly path: string) {
    this.url = pathToFileURL(path).href;
  }

  async stat(signal?: AbortSignal): Promise<SourceStat> {
    throwIfAborted(signal);
    try {
      const s = await stat(this.path);
      if (!s.isFile()) throw new Error('not a regular file');
      return { size: s.size, version: `${s.size}-${Math.round(s.mtimeMs)}`, lastModified: Math.floor(s.mtimeMs) };
    } catch (err) {
      throw new SourceReadError(`cannot open ${this.path}: ${(err as Error).message}`, { cause: err });
    }
  }

  async read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    throwIfAborted(signal);
    const fh = await this.#open();
    // Unpooled, so the bytes own their ArrayBuffer (callers may transfer or wrap it).
    const buf = Buffer.allocUnsafeSlow(length);
    let done = 0;
    try {
      while (done < length) {
        const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (err) {
      throw new SourceReadError(`read failed on ${this.path}: ${(err as Error).message}`, { cause: err });
    }
    throwIfAborted(signal);
    return new Uint8Array(buf.buffer, buf.byteOffset, done);
  }

  #open(): Promise<FileHandle> {
    if (!this.#handle) {
      // Cache the promise, evict it on failure (DESIGN.md rule 8).
      const p = open(this.path, 'r');
      this.#handle = p;
      p.catch(() => { if (this.#handle === p) this.#handle = undefined; });
    }
    return this.#handle.catch((err: Error) => {
      throw new SourceReadError(`cannot open ${this.path}: ${err.message}`, { cause: err });
    });
  }

  async close(): Promise<void> {
    const h = this.#handle;
    this.#handle = undefined;
    if (h) await (await h.catch(() => undefined))?.close();
  }
}
