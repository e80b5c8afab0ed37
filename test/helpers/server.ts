import { loadConfig } from '../../src/config.js';
import { start, type Tilewright } from '../../src/main.js';

/** Starts the real server in-process on a free port, with silent logs; `overrides` is config. */
export async function startTestServer(paths: string[], overrides: Record<string, unknown> = {}): Promise<Tilewright & { url: string }> {
  const base = { server: { port: 0, host: '127.0.0.1', logLevel: 'silent' }, engine: { workers: 1 }, demo: { enabled: false } };
  const config = loadConfig({ env: {}, overrides: merge(base, overrides) });
  const app = await start(config, paths);
  return Object.assign(app, { url: app.server.url });
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' ? merge(cur as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}
