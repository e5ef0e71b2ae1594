/**
 * `POST /v1/records`: the collector. Validates each record of a batch, adds the server's own
 * fields, stores the valid ones (group commit) and answers per record only after the commit.
 */
import { createHmac } from 'node:crypto';
import { type ConsentRecord, decodeState } from '@allparty/core';
import {
  canonicalJson,
  createRecordValidator,
  type IngestEntry,
  inboxTag,
  leafHash,
  SERVER_FIELDS,
  signAck,
  toIngestEntry,
} from '@allparty/ledger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createIngestCoalescer, createLookupCoalescer } from '../coalesce';
import { isObject, type ServerContext } from '../context';
import { type CookieSettings, cookieMatches, setCookieHeader } from '../cookie';
import { originAllowed } from '../origin';
import { stampServerFields, timeProblem } from '../provenance';
import { windowCounter } from '../quota';

/** What the records route needs besides the shared context. */
export interface RecordsRouteOptions {
  maxBatch: number;
  recordsPerSubjectPerHour: number;
  bytesPerIpPerHour: number;
  /** Lowercase edge header names: a country, or a country and a region. */
  edgeHeaders: readonly string[];
  ipHmacKey: string | null;
  cookie: CookieSettings | null;
  /** Notice hashes known to be stored (shared with the notices route). */
  knownNotices: KnownNotices;
}

/** Notice texts are append-only, so a hash once known stays known: remembered to skip the query. */
export interface KnownNotices {
  has(hash: string): boolean;
  remember(hash: string): void;
}

/** A bounded set of notice hashes known to be stored. */
export function knownNoticeSet(): KnownNotices {
  const known = new Set<string>();
  return {
    has: (hash) => known.has(hash),
    remember(hash) {
      if (known.size >= 10_000) known.clear();
      known.add(hash);
    },
  };
}

const REGION = /^[A-Za-z0-9]{1,3}(-[A-Za-z0-9]{1,8})?$/;

type Result = { id: string | null; status: 'stored' | 'duplicate' | 'rejected'; reason?: string };

/** Registers the collector route. */
export function registerRecordsRoute(app: FastifyInstance, ctx: ServerContext, o: RecordsRouteOptions): void {
  const { store, metrics } = ctx;
  const check = createRecordValidator();
  const ingest = createIngestCoalescer(
    store,
    // PostgreSQL: two writes in flight, each up to 1,000 records (sent as full 256-row
    // statements). Measured with packages/server/bench/ingest.mjs: mostly 5,900–6,800 records/s against
    // 4,800 with four writes of up to 256 each, whose padded, part-empty statements cost more.
    // (8 runs on the idle 2-core machine: median 6,127; 3,980-6,768.)
    store.kind === 'postgres' ? { maxInFlight: 2, maxEntries: 1000 } : { maxInFlight: 1 },
  );
  const counters = {
    stored: metrics.records.labels({ result: 'stored' }),
    duplicate: metrics.records.labels({ result: 'duplicate' }),
    rejected: metrics.records.labels({ result: 'rejected' }),
  };

  const jurisdiction = (req: FastifyRequest): { region: string; header: string } | null => {
    if (o.edgeHeaders.length === 0) return null;
    const parts = o.edgeHeaders.map((h) => {
      const v = req.headers[h];
      return typeof v === 'string' ? v.trim().toUpperCase() : '';
    });
    if (!parts[0] || parts[0] === 'XX' || parts[0] === 'T1') return null;
    const region = parts.filter(Boolean).join('-');
    return REGION.test(region) ? { region, header: o.edgeHeaders.join(',') } : null;
  };

  // Hashes not known yet are looked up together for all requests of one turn of the event loop.
  const lookupNotices = createLookupCoalescer((hashes) => store.knownNotices(hashes));
  const unknownNotices = async (hashes: readonly string[]): Promise<string[]> => {
    const ask = [...new Set(hashes)].filter((h) => !o.knownNotices.has(h));
    if (ask.length === 0) return [];
    const found = await lookupNotices(ask);
    for (const h of found) o.knownNotices.remember(h);
    const missing = ask.filter((h) => !found.has(h));
    // Only a text some record refers to may be stored: note which ones the log now waits for.
    await store.wantNotices(missing);
    return missing;
  };

  /** Whether the log already holds this record (its own fields equal; the server's may differ). */
  const sameAsStored = async (record: ConsentRecord): Promise<boolean> => {
    const row = await store.recordById(record.id);
    if (!row) return true; // stored meanwhile by a request racing this one, which answers for it
    const own = (r: Record<string, unknown>) => {
      const copy = { ...r };
      for (const field of SERVER_FIELDS) delete copy[field];
      delete copy.jurisdiction;
      return canonicalJson(copy);
    };
    return own(JSON.parse(row.body.toString('utf8')) as Record<string, unknown>) === own({ ...record });
  };

  const perSubject = windowCounter(o.recordsPerSubjectPerHour, 3_600_000);
  const perIp = windowCounter(o.bytesPerIpPerHour, 3_600_000);
  const overQuota = (req: FastifyRequest, records: readonly unknown[]): number | null => {
    const bytes = Number(req.headers['content-length'] ?? 0);
    if (!perIp.take(new Map([[req.ip, bytes]]))) return perIp.retryAfter();
    const subjects = new Map<string, number>();
    for (const r of records)
      if (isObject(r) && typeof r.subject === 'string')
        subjects.set(r.subject, (subjects.get(r.subject) ?? 0) + 1);
    return perSubject.take(subjects) ? null : perSubject.retryAfter();
  };

  app.post(`${ctx.prefix}/v1/records`, { config: ctx.limit }, async (req, reply) => {
    const started = performance.now();
    const body = req.body;
    if (!isObject(body) || !Array.isArray(body.records))
      return reply.code(400).send({ error: 'the body must be a JSON object with a "records" array' });
    for (const k in body)
      if (k !== 'records' && k !== 'cookie')
        return reply.code(400).send({ error: `unknown field "${k}" in the batch` });
    const records: unknown[] = body.records;
    if (records.length === 0 || records.length > o.maxBatch)
      return reply
        .code(400)
        .send({ error: `a batch holds 1 to ${o.maxBatch} records, not ${records.length}` });
    if (!originAllowed(req, ctx.corsOrigins))
      return reply.code(403).send({ error: 'records are taken from the configured site origins only' });
    const wait = overQuota(req, records);
    if (wait !== null)
      return reply
        .code(429)
        .header('retry-after', String(wait))
        .send({ error: `too much from this sender or visitor in the last hour; try again in ${wait} s` });
    if (body.cookie !== undefined && (typeof body.cookie !== 'string' || !decodeState(body.cookie)))
      return reply.code(400).send({ error: '"cookie" is not a consent cookie value' });

    const now = Date.now();
    const found = jurisdiction(req);
    const ipHmac = o.ipHmacKey ? createHmac('sha256', o.ipHmacKey).update(req.ip).digest('hex') : null;
    const results: Result[] = [];
    const slots: number[] = [];
    const entries: IngestEntry[] = [];
    const hashes: string[] = [];
    const accepted = new Map<number, ConsentRecord>();
    for (let slot = 0; slot < records.length; slot++) {
      const raw = records[slot];
      const id = isObject(raw) && typeof raw.id === 'string' && raw.id.length <= 36 ? raw.id : null;
      const result = check(raw);
      if (!result.ok) {
        results.push({ id, status: 'rejected', reason: result.reason });
        continue;
      }
      const stored = result.record;
      const problem = timeProblem(stored, now);
      if (problem) {
        results.push({ id, status: 'rejected', reason: problem });
        continue;
      }
      // The parsed body belongs to this request: the server's fields go straight into it.
      stampServerFields(stored, now, found, ipHmac);
      results.push({ id, status: 'stored' });
      accepted.set(slot, stored);
      slots.push(slot);
      const entry = toIngestEntry(stored);
      entry.tag = inboxTag(ctx.tagKey, entry.id, leafHash(entry.body));
      entries.push(entry);
      hashes.push(stored.notice.hash);
    }
    // A notice lookup, when one is needed, runs beside the write; the answer waits for both
    // (acks only after commit).
    const written = entries.length ? ingest(entries) : Promise.resolve([]);
    written.then(
      () => ctx.health.wrote(),
      (error: unknown) => ctx.health.wrote(error),
    );
    const [outcome, notices] = await Promise.all([
      written,
      hashes.every((h) => o.knownNotices.has(h)) ? [] : unknownNotices(hashes),
    ]);
    for (let i = 0; i < slots.length; i++) results[slots[i]!]!.status = outcome[i]!;
    // A repeat must be the same record (a retry); another record under a known id is refused.
    for (let i = 0; i < slots.length; i++)
      if (outcome[i] === 'duplicate' && !(await sameAsStored(accepted.get(slots[i]!)!))) {
        const r = results[slots[i]!]!;
        r.status = 'rejected';
        r.reason = 'another record with this id is already in the log';
      }
    for (const r of results) counters[r.status].inc();
    metrics.batches.observe((performance.now() - started) / 1000);
    const stored = results.filter((r) => r.status !== 'rejected').length;
    if (stored === 0) {
      const conflict = results.some((r) => r.reason === 'another record with this id is already in the log');
      return reply
        .code(conflict ? 409 : 400)
        .send({ error: 'no record in the batch was accepted', results, notices });
    }
    if (o.cookie && typeof body.cookie === 'string') {
      const stored = slots.filter((_, i) => outcome[i] === 'stored').map((slot) => accepted.get(slot)!);
      if (cookieMatches(body.cookie, stored))
        reply.header('set-cookie', setCookieHeader(body.cookie, o.cookie, req.protocol === 'https'));
    }
    // The signed promise (like a CT signed certificate timestamp) that these records, with
    // exactly these bytes, will be in the log by sealBy: the sender can hold the log to it.
    const acked = entries.filter((_, i) => outcome[i] === 'stored');
    const ack = acked.length
      ? signAck(
          {
            origin: ctx.signer.origin,
            receivedAt: new Date(now).toISOString(),
            sealBy: new Date(now + ctx.sealStallMs).toISOString(),
            entries: acked.map((e) => [e.id, leafHash(e.body).toString('base64')]),
          },
          ctx.keys,
        )
      : undefined;
    return reply.send({ results, notices, ...(ack ? { ack } : {}) });
  });
}
