import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A private redis-server for a test (real Redis 7 from Debian), which the test can stop and start again. */
export class TestRedis {
  #proc: ChildProcess | undefined;
  constructor(readonly port: number) {}

  static async create(): Promise<TestRedis> {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = new TestRedis(port);
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.#proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'local'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
      this.#proc!.stdout!.on('data', (d) => {
        out += d;
        if (/Ready to accept connections/.test(out)) { clearTimeout(timer); resolve(); }
      });
      this.#proc!.on('exit', (code) => { clearTimeout(timer); reject(new Error(`redis-server exited ${code}: ${out}`)); });
    });
    this.#proc.stdout!.resume();
    this.#proc.removeAllListeners('exit');
  }

  async stop(): Promise<void> {
    const p = this.#proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => { p.on('exit', () => resolve()); p.kill('SIGKILL'); });
  }
}
