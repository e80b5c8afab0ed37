import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/schemas beside the repository (offline copies of the OGC schemas; see its README). */
export const SCHEMAS = fileURLToPath(new URL('../../../../shared/schemas/', import.meta.url));

export const WMTS_SCHEMA = join(SCHEMAS, 'wmts/1.0/wmtsGetCapabilities_response.xsd');
export const WMTS_CITE_SCHEMA = join(SCHEMAS, 'wmts/1.0-cite/wmts.xsd');
export const OWS_EXCEPTION_SCHEMA = join(SCHEMAS, 'ows/1.1.0/owsExceptionReport.xsd');

/**
 * Validates a document with `xmllint --nonet --noout --schema` (spawned asynchronously: the
 * server under test runs in this process). Resolves to libxml2's messages; '' when valid.
 */
export async function xmllint(xml: string, schema: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tw-xmllint-'));
  const file = join(dir, 'doc.xml');
  try {
    await writeFile(file, xml);
    return await new Promise((resolve) => {
      execFile('xmllint', ['--nonet', '--noout', '--schema', schema, file], { maxBuffer: 16 << 20 }, (err, _stdout, stderr) => {
        resolve(err ? stderr.trim() || String(err) : '');
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
