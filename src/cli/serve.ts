import { loadConfig } from '../config.js';
import { createLogger, start } from '../main.js';
import { isServerProcess, runPrimary } from '../server/cluster.js';
import { parse, UsageError } from './args.js';

/**
 * `tilewright serve [DIR|FILE...] [--port N] [--config FILE]`: serves every GeoTIFF found as a
 * collection (demo data when given nothing) until SIGTERM/SIGINT, then shuts down gracefully.
 * With `server.processes` > 1 this process supervises that many server processes
 * (src/server/cluster.ts), each running the rest of this function.
 */
export async function serveCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, {
    port: { type: 'string' },
    config: { type: 'string' },
  });
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got "${values.port}"`);
  }
  const config = loadConfig({ ...(values.config ? { file: values.config } : {}), ...(port !== undefined ? { overrides: { server: { port } } } : {}) });
  const processes = config.server.processes;
  if (processes > 1 && !isServerProcess(processes)) {
    const code = await runPrimary(processes, createLogger(config));
    if (code !== 0) process.exitCode = code;
    return;
  }
  // The render workers are shared out among the server processes (0, rendering on the event loop, stays 0).
  if (processes > 1 && config.engine.workers > 0) config.engine.workers = Math.max(1, Math.round(config.engine.workers / processes));
  const app = await start(config, positionals);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      app.logger.info({ signal }, 'shutting down: finishing in-flight requests');
      void app.stop().then(resolve);
    };
    // A server process may get the signal twice (from the primary and from a terminal): the
    // repeat is ignored. A single process keeps the default for a second Ctrl-C (exit at once).
    const on = isServerProcess(processes) ? process.on.bind(process) : process.once.bind(process);
    on('SIGTERM', () => stop('SIGTERM'));
    on('SIGINT', () => stop('SIGINT'));
  });
  app.logger.info('stopped');
  // The channel to the primary would keep a server process alive.
  if (isServerProcess(processes)) process.disconnect();
}
