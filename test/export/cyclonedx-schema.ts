/**
 * Validates a CycloneDX 1.6 JSON document against the schema shipped in @cyclonedx/cyclonedx-library.
 * The library's own Validation.JsonStrictValidator needs the optional packages ajv-formats and
 * ajv-formats-draft2019; when they are missing, the same schema files are compiled with ajv directly
 * (the options and the format list mirror the library's own ajv wrapper).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
const SCHEMA_DIR = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');

let compiled: ValidateFunction | undefined;

/** RFC 3339 date-time (what JSON Schema's `date-time` format means). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function ajvValidator(): ValidateFunction {
  if (compiled) return compiled;
  const load = (f: string) => JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')) as object;
  const ajv = new Ajv({
    useDefaults: false,
    strict: false,
    strictSchema: false,
    addUsedSchema: false,
    schemas: {
      'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': load('spdx.SNAPSHOT.schema.json'),
      'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json': load('cryptography-defs.SNAPSHOT.schema.json'),
      'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': load('jsf-0.82.SNAPSHOT.schema.json'),
    },
  });
  ajv.addFormat('date-time', (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)));
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  // As in the library: there is no working implementation of iri-reference.
  ajv.addFormat('iri-reference', true);
  compiled = ajv.compile(load('bom-1.6.SNAPSHOT.schema.json'));
  return compiled;
}

/** null when valid, else the validation errors. */
export async function validateCycloneDx16(json: string): Promise<null | unknown> {
  try {
    return await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(json);
  } catch (err) {
    if (!(err instanceof Validation.MissingOptionalDependencyError)) throw err;
  }
  const validate = ajvValidator();
  return validate(JSON.parse(json)) ? null : (validate.errors as ErrorObject[]);
}
