import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ServerConfig } from '../config.js';

export interface RunningServer {
  url: string;
  port: number;
  /**
   * Graceful stop: stop accepting, let in-flight requests finish for at most
   * `shutdownTimeoutMs`, then close the remaining connections.
   */
  close(): Promise<void>;
}

/** Listens with HTTP, or HTTPS when a certificate and key are configured. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, config: ServerConfig): Promise<RunningServer> {
  const server = config.https
    ? https.createServer({ cert: readFileSync(config.https.cert), key: readFileSync(config.https.key) }, handler)
    : http.createServer(handler);
  // Keep-alive connections outlive a request; headers must arrive promptly.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep accept queue (Node's default is 511): a thousand clients connecting at once must
    // not see dropped SYNs, which cost them a 1 s retransmission (bench/serve, c=1000).
    server.listen({ port: config.port, host: config.host, backlog: 4096 }, () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `${config.https ? 'https' : 'http'}://${host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
        force.unref();
        // Keep-alive connections turn idle as their last request finishes: close them then.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => { clearTimeout(force); clearInterval(sweep); resolve(); });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
