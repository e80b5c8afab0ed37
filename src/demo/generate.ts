import type { Logger } from 'pino';

/** Demo data generation (issue #3 point 1) — waits for the COG writer (in progress). */
export async function ensureDemoData(directory: string, logger: Logger): Promise<string> {
  logger.warn({ directory }, 'demo data generation is not available yet');
  return directory;
}
