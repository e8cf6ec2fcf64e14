import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/paths';

/**
 * Validates a 360Giving package against the schemas shipped in standards/360giving/ (1.4.3).
 * The package schema refers to the grant schema by its 1.4.2 address, so the same grant
 * schema is registered under that address too.
 */
export const STANDARD_DIR = () => process.env.GIVING360_SCHEMA_DIR ?? join(projectRoot(), 'standards', '360giving');

let validator: (((data: unknown) => boolean) & { errors?: unknown }) | undefined;

function load(): typeof validator {
  const dir = STANDARD_DIR();
  // The files name their dialect with an http:// meta-schema address that Ajv knows only as
  // https://; they are draft 2020-12 either way, so the key is dropped and Ajv 2020 applies.
  const read = (f: string) => {
    const { $schema: _dialect, ...schema } = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    return schema;
  };
  const grant = read('360-giving-schema.json');
  const pkg = read('360-giving-package-schema.json');
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(grant);
  const ref: string = pkg.properties.grants.items.$ref;
  if (ref !== grant.$id) ajv.addSchema({ ...grant, $id: ref });
  return ajv.compile(pkg);
}

export function validate360Giving(data: unknown): { valid: boolean; errors: unknown[] } {
  validator ??= load();
  const valid = validator!(data);
  return { valid, errors: valid ? [] : ((validator!.errors as unknown[]) ?? []) };
}
