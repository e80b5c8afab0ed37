/**
 * Append-only temporary files for the tile data of one level, written while the pyramid is
 * computed and copied into the COG once every size is known. Small writes are gathered into
 * a buffer, so a tile costs no system call of its own.
 */
import { open, type FileHandle } from 'node:fs/promises';

const CHUNK = 4 << 20;

export class TempFile {
  #handle: FileHandle | undefined;
  #buffer = Buffer.allocUnsafe(CHUNK);
  #buffered = 0;
  /** Bytes appended so far (also the offset of the next append). */
  size = 0;

  private constructor(readonly path: string) {}

  static async create(path: string): Promise<TempFile> {
    const t = new TempFile(path);
    t.#handle = await open(path, 'w+');
    return t;
  }

  /** Appends bytes; returns their offset in the file. */
  async append(bytes: Uint8Array): Promise<number> {
    const at = this.size;
    if (this.#buffered + bytes.length > CHUNK) await this.#flush();
    if (bytes.length > CHUNK) {
      await this.#handle!.write(bytes, 0, bytes.length, at);
    } else {
      this.#buffer.set(bytes, this.#buffered);
      this.#buffered += bytes.length;
    }
    this.size += bytes.length;
    return at;
  }

  async #flush(): Promise<void> {
    if (this.#buffered === 0) return;
    await this.#handle!.write(this.#buffer, 0, this.#buffered, this.size - this.#buffered);
    this.#buffered = 0;
  }

  /** Copies the whole content to `out` at `position`, in chunks. */
  async copyTo(out: FileHandle, position: number): Promise<void> {
    await this.#flush();
    let done = 0;
    while (done < this.size) {
      const n = Math.min(CHUNK, this.size - done);
      const { bytesRead } = await this.#handle!.read(this.#buffer, 0, n, done);
      if (bytesRead !== n) throw new Error(`short read from ${this.path}`);
      await out.write(this.#buffer, 0, n, position + done);
      done += n;
    }
  }

  async close(): Promise<void> {
    const h = this.#handle;
    this.#handle = undefined;
    await h?.close();
  }
}
