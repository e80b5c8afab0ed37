import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';
import { SCHEMAS } from './xml.js';

/** ../shared/schemas/ogcapi-tiles/tms-2.0-json: the OGC TMS 2.0 and tileset metadata JSON Schemas (draft 2019-09). */
export const TMS_SCHEMAS = join(SCHEMAS, 'ogcapi-tiles/tms-2.0-json');

let ajv: Ajv2019 | undefined;

/**
 * A validator for one of the TMS 2.0 schemas (`tileMatrixSet.json`, `tileSet.json` …). The
 * schemas have no $id and refer to each other by file name, so each is registered under it
 * (the recipe of the folder's README). Returns the errors as text, '' when valid.
 */
export function tmsSchema(main: string): (doc: unknown) => string {
  if (!ajv) {
    ajv = new Ajv2019({ strict: false, allErrors: true, logger: false });
    const addFormats = (addFormatsModule as unknown as { default?: (a: Ajv2019) => void }).default ?? (addFormatsModule as unknown as (a: Ajv2019) => void);
    addFormats(ajv);
    for (const f of readdirSync(TMS_SCHEMAS).filter((n) => n.endsWith('.json'))) {
      const s = JSON.parse(readFileSync(join(TMS_SCHEMAS, f), 'utf8')) as Record<string, unknown>;
      delete s['$schema'];
      ajv.addSchema(s, f);
    }
  }
  const validate = ajv.getSchema(main);
  if (!validate) throw new Error(`no schema ${main}`);
  return (doc) => (validate(doc) ? '' : JSON.stringify(validate.errors?.slice(0, 5)));
}
