/**
 * The published JSON Schema of a consent record (`consent-record.schema.json` is generated
 * from this object and checked against it by a test). It matches `ConsentRecord` in
 * `@allparty/core` field for field: unknown fields are refused, every string is bounded.
 */
import { PURPOSE_ID, RECORD_SCHEMA, SUBJECT_ID, UUID, UUIDV7, VENDOR_ID } from '@allparty/core';

/** A live privacy setting's name in a `settings` ledger entry (`maskInputs`). */
const SETTING_NAME = '^[a-z][A-Za-z0-9]{0,31}$';
const TIME = { type: 'string', format: 'date-time', maxLength: 40 } as const;
const uuid = { type: 'string', format: 'uuid', pattern: UUID.source, maxLength: 36 } as const;
const text = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const nullable = <T extends object>(schema: T) => ({ anyOf: [{ type: 'null' }, schema] }) as const;

/** The JSON Schema (draft 2020-12) of {@link RECORD_SCHEMA} records. */
export const consentRecordSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:allparty:consent-record:1',
  title: 'allparty consent record, version 1',
  description:
    'One consent decision (ISO/IEC TS 27560 consent record; Kantara Consent Receipt v1.1 fields). Never carries an IP address in the clear, typed text, chat contents, replay data or a query string.',
  type: 'object',
  additionalProperties: false,
  required: [
    'schema',
    'id',
    'subject',
    'previous',
    'clientTime',
    'event',
    'method',
    'purposes',
    'vendors',
    'notice',
    'policy',
    'controller',
    'jurisdiction',
    'gpc',
    'sdk',
    'page',
  ],
  properties: {
    schema: { const: RECORD_SCHEMA, description: 'Record format version; any other is refused.' },
    id: {
      ...uuid,
      pattern: UUIDV7.source,
      description: 'UUIDv7 record id (ISO 27560 record identifier, Kantara consentReceiptID).',
    },
    subject: {
      type: 'string',
      pattern: SUBJECT_ID.source,
      description: 'Pseudonymous first-party subject id (Kantara piiPrincipalId).',
    },
    previous: { anyOf: [{ type: 'null' }, uuid], description: "The subject's previous record id." },
    clientTime: {
      ...TIME,
      description: "Time of the decision on the visitor's clock (Kantara consentTimestamp).",
    },
    event: {
      enum: ['given', 'refused', 'partial', 'withdrawn', 'expired', 'chat-start', 'gpc-applied'],
      description: 'What happened (ISO 27560 consent event / state).',
    },
    method: {
      description: 'How the decision was made (Kantara collectionMethod).',
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'control'],
          properties: { type: { const: 'control' }, control: text(64, 1) },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'userActivation'],
          properties: { type: { const: 'api' }, userActivation: { type: 'boolean' } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['type'],
          properties: { type: { const: 'gpc' } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['type'],
          properties: { type: { const: 'expiry' } },
        },
      ],
    },
    purposes: {
      type: 'object',
      maxProperties: 64,
      propertyNames: { pattern: PURPOSE_ID.source },
      additionalProperties: { type: 'boolean' },
      description: 'Purposes decided by this event: granted (true) or not (Kantara services[].purposes).',
    },
    vendors: {
      type: 'object',
      maxProperties: 256,
      propertyNames: { pattern: VENDOR_ID.source },
      additionalProperties: { type: 'boolean' },
      description: 'Vendors decided by this event (Kantara services, thirdPartyName).',
    },
    notice: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'version', 'language', 'hash'],
      properties: {
        id: text(128, 1),
        version: text(128),
        language: { type: 'string', pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$', maxLength: 35 },
        hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
      description:
        'The notice shown: id, version, language and SHA-256 of the exact rendered text (ISO 27560 notice).',
    },
    policy: nullable({
      type: 'object',
      additionalProperties: false,
      required: ['url', 'version'],
      properties: { url: text(2048, 1), version: text(128) },
    }),
    controller: nullable({
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: text(256, 1),
        contact: text(256),
        email: text(256),
        address: text(512),
        phone: text(64),
      },
    }),
    jurisdiction: {
      type: 'object',
      additionalProperties: false,
      required: ['region', 'source'],
      properties: {
        region: nullable({ type: 'string', pattern: '^[A-Za-z0-9]{1,3}(-[A-Za-z0-9]{1,8})?$' }),
        source: { enum: ['config', 'edge-header', 'unknown'] },
        header: { type: 'string', pattern: '^[a-z0-9,-]{1,128}$' },
      },
      description: 'Where the visitor was found to be and how (Kantara jurisdiction).',
    },
    gpc: { type: 'boolean', description: 'Whether Global Privacy Control was on.' },
    sdk: {
      type: 'object',
      additionalProperties: false,
      required: ['version', 'adapters'],
      properties: {
        version: text(32, 1),
        adapters: {
          type: 'object',
          maxProperties: 256,
          propertyNames: { pattern: VENDOR_ID.source },
          additionalProperties: text(32),
        },
      },
    },
    page: {
      type: 'object',
      additionalProperties: false,
      required: ['origin', 'path'],
      properties: {
        origin: { type: 'string', pattern: '^(|null|[a-z][a-z0-9+.-]*://[^/?#\\s]+)$', maxLength: 256 },
        path: {
          type: 'string',
          pattern: '^/[^?#\\s]*$',
          maxLength: 2048,
          description: 'No query string or fragment.',
        },
      },
    },
    expires: { ...TIME, description: 'When this decision lapses and is asked again (Kantara termination).' },
    loads: {
      type: 'array',
      maxItems: 1000,
      description: 'Load-ledger entries of the page view (R23).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'vendor', 'host', 'via', 't', 'record'],
        properties: {
          kind: { enum: ['release', 'request', 'held', 'violation', 'stop', 'reload', 'settings'] },
          vendor: nullable({ type: 'string', pattern: VENDOR_ID.source }),
          host: { type: 'string', pattern: '^[A-Za-z0-9.:\\[\\]-]{0,253}$', maxLength: 261 },
          via: { type: 'string', pattern: '^[a-z][a-z-]{0,31}$' },
          t: { type: 'number', minimum: 0, maximum: 1e10 },
          record: { anyOf: [{ type: 'null' }, uuid] },
          // Added within version 1 (R16): optional, so every earlier record is still valid.
          settings: {
            type: 'object',
            maxProperties: 16,
            propertyNames: { pattern: SETTING_NAME },
            additionalProperties: { type: ['boolean', 'null'] },
            description:
              "`settings` entries: the vendor's live privacy settings as read at load (true on, false off, null unreadable).",
          },
          weaker: {
            type: 'array',
            maxItems: 16,
            uniqueItems: true,
            items: { type: 'string', pattern: SETTING_NAME },
            description:
              "`settings` entries: the settings weaker than the site's minimum; any means the vendor was refused.",
          },
          // Added within version 1 (D5): optional, so every earlier record is still valid.
          page: {
            type: 'string',
            pattern: '^/[^?#\\s]*$',
            maxLength: 2048,
            description: 'Entries of an earlier page view that made no record: its path (no query string).',
          },
          start: { ...TIME, description: 'With `page`: when that page view started, the origin of its `t`.' },
        },
      },
    },
    serverTime: { ...TIME, description: 'Set by the log server: when it received the record.' },
    // Added within version 1: optional, so every earlier record is still valid.
    clockSkew: {
      type: 'integer',
      minimum: -1e13,
      maximum: 1e13,
      description:
        "Set by the log server when the record id's time and the server's receive time differ by more than 5 minutes: id time minus server time, ms (positive: the visitor's clock was ahead).",
    },
    ipHmac: {
      type: 'string',
      pattern: '^[0-9a-f]{64}$',
      description:
        "Set by the log server when configured: HMAC-SHA-256 of the sender's IP under a server key.",
    },
  },
} as const;

/** Fields only the log server may set; a browser that sends them is refused. */
export const SERVER_FIELDS = ['serverTime', 'ipHmac', 'clockSkew'] as const;
