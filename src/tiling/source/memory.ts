import { throwIfAborted } from '../../errors.js';
import type { ByteSource, SourceStat } from './bytesource.js';

/** In-memory twin of the byte sources, for tests and generated data. Counts reads. */
export class MemorySource implements ByteSource {
  reads = 0;
  bytesRead = 0;
  constructor(readonly url: string, private bytes: Uint8Array, private version = '1') {}

  /** Replaces the content (a new version), as if the file had been rewritten. */
  replace(bytes: Uint8Array, version: string): void {
    this.bytes = bytes;
    this.version = version;
  }

  async stat(): Promise<SourceStat> {
    return { size: this.bytes.length, version: this.version };
  }

  async read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    throwIfAborted(signal);
    this.reads++;
    const out = this.bytes.subarray(offset, Math.min(offset + length, this.bytes.length));
    this.bytesRead += out.length;
    return out;
  }

  async close(): Promise<void> {}
}
