import { loadConfig } from '../config.js';
import { start } from '../main.js';
import { parse, UsageError } from './args.js';

/**
 * `tilewright serve [DIR|FILE...] [--port N] [--config FILE]`: serves every GeoTIFF found as a
 * collection (demo data when given nothing) until SIGTERM/SIGINT, then shuts down gracefully.
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
  const app = await start(config, positionals);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      app.logger.info({ signal }, 'shutting down: finishing in-flight requests');
      void app.stop().then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  app.logger.info('stopped');
}
