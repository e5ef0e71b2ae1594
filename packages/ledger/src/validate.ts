import type { ConsentRecord } from '@allparty/core';
import { RECORD_SCHEMA } from '@allparty/core';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { consentRecordSchema, SERVER_FIELDS } from './schema';

/** The outcome of checking one record. */
export type RecordCheck = { ok: true; record: ConsentRecord } | { ok: false; reason: string };

/** Options for {@link createRecordValidator}. */
export interface RecordValidatorOptions {
  /** Accept the server-set fields (`serverTime`, `ipHmac`), as in a stored record. @default false */
  stored?: boolean;
}

// ajv-formats is CommonJS; its default export arrives wrapped or bare depending on the loader.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule;

function describe(error: ErrorObject): string {
  const at = error.instancePath || '(record)';
  if (error.keyword === 'additionalProperties')
    return `${at}: unknown field "${String((error.params as { additionalProperty?: unknown }).additionalProperty)}"`;
  if (error.keyword === 'const' && error.instancePath === '/schema')
    return `unknown record version; this server accepts "${RECORD_SCHEMA}"`;
  return `${at}: ${error.message ?? error.keyword}`;
}

/** Compiles the record schema once; the returned function checks one untrusted value. */
export function createRecordValidator(options: RecordValidatorOptions = {}): (value: unknown) => RecordCheck {
  const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
  addFormats(ajv, ['uuid', 'date-time']);
  const validate = ajv.compile(consentRecordSchema);
  return (value) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const version = (value as { schema?: unknown }).schema;
      if (version !== RECORD_SCHEMA)
        return {
          ok: false,
          reason: `unknown record version ${JSON.stringify(version) ?? 'undefined'}; this server accepts "${RECORD_SCHEMA}"`,
        };
      if (!options.stored) {
        for (const field of SERVER_FIELDS)
          if (field in value)
            return { ok: false, reason: `"${field}" is set by the server, not the browser` };
        // Provenance is the server's to state: only it reads an edge header.
        const where = (value as { jurisdiction?: unknown }).jurisdiction;
        if (
          typeof where === 'object' &&
          where !== null &&
          ('header' in where || (where as { source?: unknown }).source === 'edge-header')
        )
          return {
            ok: false,
            reason: '"jurisdiction" from an edge header is set by the server, not the browser',
          };
      }
    }
    if (!validate(value)) {
      const errors = validate.errors ?? [];
      return { ok: false, reason: errors.length ? describe(errors[0]!) : 'invalid record' };
    }
    return { ok: true, record: value as ConsentRecord };
  };
}

/** The millisecond timestamp inside a UUIDv7. */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
