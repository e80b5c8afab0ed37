/**
 * The one small I/O seam of the engine (DESIGN.md rule 5): everything the tiler reads
 * goes through a `ByteSource`. Local files, HTTP(S) range requests, S3 and memory are
 * interchangeable twins; caching and range merging wrap any of them (see cached.ts).
 */

/** What identifies the bytes a source currently holds: when `version` changes, caches keyed on it miss. */
export interface SourceStat {
  /** Total size in bytes. */
  size: number;
  /**
   * Opaque version token: file size + mtime, an HTTP ETag / Last-Modified, an S3 ETag.
   * Two reads with the same token see the same bytes.
   */
  version: string;
  /** When the bytes last changed (ms since the epoch), when the store says (file mtime, HTTP Last-Modified). */
  lastModified?: number;
}

export interface ByteRange {
  offset: number;
  length: number;
}

export interface ByteSource {
  /** Stable identity, e.g. "file:///data/a.tif", "https://host/a.tif", "s3://bucket/key". */
  readonly url: string;
  /** Size and version, fetched from the underlying store (not cached here). */
  stat(signal?: AbortSignal): Promise<SourceStat>;
  /**
   * Reads exactly `length` bytes at `offset`, fewer only at the end of the source.
   * Rejects with `SourceReadError` on I/O failure and `AbortedError` when `signal` fires.
   */
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** Releases handles; the source may be reopened by reading again. */
  close(): Promise<void>;
}
