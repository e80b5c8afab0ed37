import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineWriter } from '../../src/server/log-writer.js';

const WRITER = fileURLToPath(new URL('../../src/server/log-writer.js', import.meta.url));
/** A reader that starts late and takes 8 KiB per half millisecond: the pipe stays full. */
const SLOW_READER = `python3 -c 'import os, time
time.sleep(0.3)
while True:
    b = os.read(0, 8192)
    if not b: break
    os.write(1, b); time.sleep(0.0005)'`;
const notice = (dropped: number) => `${JSON.stringify({ dropped })}\n`;

/** Line i: JSON with a variable-length payload, some of it outside ASCII (bytes ≠ characters). */
const line = (who: string, i: number) => `${JSON.stringify({ who, i, pad: 'x'.repeat(i % 300), text: i % 7 === 0 ? 'Zürich – 東京' : '' })}\n`;

/** Runs `node -e` with the writer imported; resolves with its stdout. */
function nodeScript(body: string): Promise<string> {
  const script = `import { LineWriter } from ${JSON.stringify(WRITER)};\n${body}`;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`exit ${code}`))));
  });
}

describe('server: log lines are written in batches, whole and in order', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'tw-log-'));

  it('writes every line, in order, to a file, and calls flush back when all is out', async () => {
    const file = join(dir, 'out.log');
    const fd = openSync(file, 'w');
    const w = new LineWriter(fd, { batchBytes: 16_384, flushMs: 50, maxQueuedBytes: 64 << 20, dropNotice: notice });
    let expected = '';
    for (let i = 0; i < 20_000; i++) {
      const l = line('a', i);
      expected += l;
      w.write(l);
      if (i % 1000 === 0) await new Promise((r) => setImmediate(r)); // writes go out while lines keep coming
    }
    await new Promise<void>((resolve) => w.flush(() => resolve()));
    closeSync(fd);
    expect(readFileSync(file, 'utf8') === expected, 'the file holds exactly the lines written').to.equal(true);
  });

  it('writes a lone line after flushMs without further lines', async () => {
    const file = join(dir, 'lone.log');
    const fd = openSync(file, 'w');
    const w = new LineWriter(fd, { batchBytes: 65_536, flushMs: 30, maxQueuedBytes: 1 << 20, dropNotice: notice });
    w.write(line('lone', 1));
    expect(readFileSync(file, 'utf8')).to.equal('');
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(file, 'utf8')).to.equal(line('lone', 1));
    closeSync(fd);
  });

  it('processes sharing one stdout pipe with 4 KiB batches never interleave inside a line', async () => {
    // Two writers in two processes on the same pipe (a shell starts both with its stdout); the
    // reader starts late and reads slowly, so the pipe is full and writes wait for room (a
    // write of more than PIPE_BUF is then split, and lines of 64 KiB batches do interleave).
    const child = (who: string) => `node --input-type=module -e '${`import { LineWriter } from ${JSON.stringify(WRITER)};
const w = new LineWriter(1, { batchBytes: 4096, flushMs: 5, maxQueuedBytes: 64 << 20, dropNotice: () => "" });
for (let i = 0; i < 30000; i++) { w.write(JSON.stringify({ who: "${who}", i, pad: "y".repeat(i % 200) }) + "\\n"); if (i % 500 === 0) await new Promise((r) => setImmediate(r)); }
await new Promise((r) => w.flush(r));`.replace(/'/g, "'\\''")}'`;
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn('sh', ['-c', `(${child('p')} & ${child('q')} & wait) | ${SLOW_READER}`], { stdio: ['ignore', 'pipe', 'inherit'] });
      const chunks: Buffer[] = [];
      p.stdout.on('data', (b: Buffer) => chunks.push(b));
      p.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`exit ${code}`))));
    });
    const lines = out.split('\n').filter(Boolean);
    const next = { p: 0, q: 0 } as Record<string, number>;
    for (const l of lines) {
      const o = JSON.parse(l) as { who: string; i: number; pad: string };
      expect(o.i, `${o.who} in order`).to.equal(next[o.who]);
      expect(o.pad).to.equal('y'.repeat(o.i % 200));
      next[o.who]!++;
    }
    expect(next).to.deep.equal({ p: 30000, q: 30000 });
  });

  it('writes what is left when the process exits right after logging', async () => {
    const out = await nodeScript(`const w = new LineWriter(1, { batchBytes: 65536, flushMs: 10000, maxQueuedBytes: 1 << 26, dropNotice: () => '' });
for (let i = 0; i < 5000; i++) w.write(JSON.stringify({ i }) + '\\n');
process.exit(0);`);
    const lines = out.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { i: number }).i);
    expect(lines).to.deep.equal([...Array(5000).keys()]);
  });

  it('writes a last batch when the process ends because nothing is left to do', async () => {
    // No write in flight and the batch timer does not keep the process alive: the exit hook writes.
    const out = await nodeScript(`const w = new LineWriter(1, { batchBytes: 65536, flushMs: 10000, maxQueuedBytes: 1 << 26, dropNotice: () => '' });
w.write('{"last":1}\\n');
w.write('{"last":2}\\n');`);
    expect(out).to.equal('{"last":1}\n{"last":2}\n');
  });

  it('keeps at most maxQueuedBytes for an output that stops reading, counts what it drops and says so when writing resumes', async function () {
    try { execFileSync('mkfifo', [join(dir, 'fifo')]); } catch { this.skip(); }
    const fifo = join(dir, 'fifo');
    // Read-write and non-blocking: the pipe fills (64 KiB) and writes get EAGAIN until it is read.
    const wfd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    const rfd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const w = new LineWriter(wfd, { batchBytes: 8192, flushMs: 5, maxQueuedBytes: 256 * 1024, dropNotice: notice });
    const accepted: number[] = [];
    const total = 20_000; // ~2.5 MB of lines against 64 KiB of pipe and 256 KiB of queue
    for (let i = 0; i < total; i++) if (w.write(line('f', i))) accepted.push(i);
    expect(accepted.length, 'lines beyond the bound are refused').to.be.below(total).and.above(100);
    await new Promise((r) => setTimeout(r, 100)); // nobody reads: the writer retries, it does not spin or throw
    let text = '';
    const buf = Buffer.alloc(65_536);
    const deadline = Date.now() + 20_000;
    while (!text.includes('"dropped"') && Date.now() < deadline) {
      try {
        const n = readSync(rfd, buf, 0, buf.length, null);
        text += buf.toString('utf8', 0, n);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    closeSync(rfd);
    closeSync(wfd);
    const lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { i?: number; dropped?: number });
    const kept = lines.filter((l) => l.i !== undefined);
    expect(kept.map((l) => l.i), 'the accepted lines, whole and in order').to.deep.equal(accepted);
    expect(lines.at(-1)).to.deep.equal({ dropped: total - accepted.length });
  });
});
