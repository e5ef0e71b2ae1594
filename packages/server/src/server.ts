import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { join, resolve } from 'node:path';
import {
  type Checkpoint,
  type CheckpointKeys,
  consistencyProofBetween,
  createRecordValidator,
  type IngestEntry,
  inclusionProofAt,
  type LedgerStore,
  leafHash,
  loadOrCreateKeyFile,
  openPostgresStore,
  openSqliteStore,
  toIngestEntry,
  uuidv7Time,
} from '@allparty/ledger';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createIngestCoalescer, createLookupCoalescer } from './coalesce';
import { createMetrics } from './metrics';
import { registerReceiptRoute } from './receipts';

/** Where the ledger lives. */
export type StoreOption =
  | LedgerStore
  | { sqlite: string }
  | { postgres: string; schema?: string; appRole?: string | null; max?: number };

/** The consent cookie the server sets on acknowledgement (same-site endpoints only). */
export interface CookieOption {
  /** Must match the site's `cookie.name`. @default "allparty" */
  name?: string;
  /** Share one consent across subdomains (`example.com`). @default the endpoint's host only */
  domain?: string | null;
  /** Lifetime; match the site's `expiryDays`. @default 365 */
  maxAgeDays?: number;
}

/** Options for {@link createServer} and {@link startServer}. */
export interface ServerOptions {
  /** The ledger. @default a SQLite file `ledger.sqlite` in `dataDir` */
  store?: StoreOption;
  /** Folder for the SQLite file and the key file. @default "./allparty-data" */
  dataDir?: string;
  /** @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. @default 8787 */
  port?: number;
  /** Path prefix the API is mounted under (`/consent` → `/consent/v1/records`). @default "" */
  prefix?: string;
  /** The log's name in signed checkpoints; auditors pin it with the public key. @default "allparty log" */
  origin?: string;
  /** Ed25519 private key file (PKCS#8 PEM), created on first run. @default `dataDir`/checkpoint-key.pem */
  keyFile?: string;
  /** Keys to use instead of a key file. */
  keys?: CheckpointKeys;
  /** Site origins allowed to send records cross-origin (CORS). @default [] (same-origin only) */
  corsOrigins?: readonly string[];
  /** Bearer tokens for auditor reads; none disables them. @default [] */
  auditorTokens?: readonly string[];
  /** Largest request body in bytes. @default 262144 */
  bodyLimit?: number;
  /** Most records in one batch. @default 50 */
  maxBatch?: number;
  /** Requests per IP per window on the write routes; false turns it off. @default { max: 300, windowMs: 60000 } */
  rateLimit?: { max: number; windowMs: number } | false;
  /**
   * Edge header(s) with the visitor's location: `cf-ipcountry`, or a country and a region header
   * (`["x-vercel-ip-country", "x-vercel-ip-country-region"]`) joined as `US-CA`. @default null
   */
  jurisdictionHeader?: string | readonly string[] | null;
  /** Secret for a keyed HMAC of the sender's IP in each record; null keeps no trace of the IP. @default null */
  ipHmacKey?: string | null;
  /** Echo the consent cookie with Set-Cookie on acknowledgement. @default null (off) */
  cookie?: CookieOption | null;
  /** Trust X-Forwarded-* (behind a load balancer). @default false */
  trustProxy?: boolean;
  /** How often inbox records are sealed into the tree. @default 250 */
  sealIntervalMs?: number;
  /** How often a checkpoint is signed (when the tree grew). @default 10000 */
  checkpointIntervalMs?: number;
  /** Days to keep records; null keeps them forever. @default null */
  retentionDays?: number | null;
  /** How often pruning runs when `retentionDays` is set. @default 21600000 (6 h) */
  pruneIntervalMs?: number;
  /** Fastify's request log. @default false */
  logger?: boolean;
}

/** A server that is built but not listening (tests use `app.inject`). */
export interface LogServer {
  app: FastifyInstance;
  store: LedgerStore;
  keys: CheckpointKeys;
  /** Seals everything pending and signs a checkpoint now. */
  flush(): Promise<Checkpoint | null>;
  close(): Promise<void>;
}

const COOKIE_VALUE = /^[0-9]{1,3}\.[A-Za-z0-9_-]{1,4000}\.[0-9a-f]{12}$/;
const REGION = /^[A-Za-z0-9]{1,3}(-[A-Za-z0-9]{1,8})?$/;
const HASH = /^[0-9a-f]{64}$/;
const EARLIEST = Date.UTC(2020, 0, 1);

function openStore(option: StoreOption | undefined, dataDir: string): Promise<LedgerStore> | LedgerStore {
  if (!option) return openSqliteStore({ path: join(dataDir, 'ledger.sqlite') });
  if ('sqlite' in option) return openSqliteStore({ path: option.sqlite });
  if ('postgres' in option)
    return openPostgresStore({
      connectionString: option.postgres,
      ...(option.schema ? { schema: option.schema } : {}),
      ...(option.appRole !== undefined ? { appRole: option.appRole } : {}),
      ...(option.max ? { max: option.max } : {}),
    });
  return option;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function tokenMatches(header: string | undefined, tokens: readonly string[]): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m) return false;
  const given = createHash('sha256').update(m[1]!).digest();
  let ok = false;
  for (const t of tokens) if (timingSafeEqual(given, createHash('sha256').update(t).digest())) ok = true;
  return ok;
}

/** Builds the log server: routes, validation, the ingest path and the sealing loops. */
export async function createServer(options: ServerOptions = {}): Promise<LogServer> {
  const dataDir = resolve(options.dataDir ?? 'allparty-data');
  const store = await openStore(options.store, dataDir);
  const keys = options.keys ?? loadOrCreateKeyFile(options.keyFile ?? join(dataDir, 'checkpoint-key.pem'));
  const signer = { origin: options.origin ?? 'allparty log', keys };
  const maxBatch = options.maxBatch ?? 50;
  const bodyLimit = options.bodyLimit ?? 256 * 1024;
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const corsOrigins = new Set(options.corsOrigins ?? []);
  const tokens = options.auditorTokens ?? [];
  const check = createRecordValidator();
  const ingest = createIngestCoalescer(
    store,
    // PostgreSQL: two writes in flight, each up to 1,000 records (sent as full 256-row
    // statements). Measured with packages/server/bench/ingest.mjs: mostly 5,900–6,800 records/s against
    // 4,800 with four writes of up to 256 each, whose padded, part-empty statements cost more.
    // (8 runs on the idle 2-core machine: median 6,127; 3,980-6,768.)
    store.kind === 'postgres' ? { maxInFlight: 2, maxEntries: 1000 } : { maxInFlight: 1 },
  );
  const metrics = createMetrics();
  const edge = options.jurisdictionHeader
    ? (typeof options.jurisdictionHeader === 'string'
        ? [options.jurisdictionHeader]
        : [...options.jurisdictionHeader]
      ).map((h) => h.toLowerCase())
    : [];

  // Plain JSON.parse: every record is checked against a schema that refuses unknown keys
  // (`__proto__` included), so the prototype-poisoning scan would add only cost.
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit,
    trustProxy: options.trustProxy ?? false,
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
  });
  // sendBeacon and cross-origin fetch without a preflight send JSON as text/plain.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const error = new Error('the body is not valid JSON') as Error & { statusCode: number };
      error.statusCode = 400;
      done(error, undefined);
    }
  });
  // Same-site endpoints need no CORS; cross-origin sites are allowed one by one, with credentials.
  if (corsOrigins.size)
    await app.register(cors, { origin: [...corsOrigins], credentials: true, methods: ['GET', 'POST'] });
  // The rate-limit headers go on 429 answers only (with retry-after): three fewer headers per record post.
  await app.register(rateLimit, {
    global: false,
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
  });
  const limit =
    options.rateLimit === false
      ? {}
      : {
          rateLimit: {
            max: options.rateLimit?.max ?? 300,
            timeWindow: options.rateLimit?.windowMs ?? 60_000,
          },
        };

  const jurisdiction = (req: FastifyRequest): { region: string; header: string } | null => {
    if (edge.length === 0) return null;
    const parts = edge.map((h) => {
      const v = req.headers[h];
      return typeof v === 'string' ? v.trim().toUpperCase() : '';
    });
    if (!parts[0] || parts[0] === 'XX' || parts[0] === 'T1') return null;
    const region = parts.filter(Boolean).join('-');
    return REGION.test(region) ? { region, header: edge.join(',') } : null;
  };

  // Notice texts are append-only, so a hash once known stays known: remember it and skip the query.
  const knownNotices = new Set<string>();
  const remember = (hash: string) => {
    if (knownNotices.size >= 10_000) knownNotices.clear();
    knownNotices.add(hash);
  };
  // Hashes not known yet are looked up together for all requests of one turn of the event loop.
  const lookupNotices = createLookupCoalescer((hashes) => store.knownNotices(hashes));
  const unknownNotices = async (hashes: readonly string[]): Promise<string[]> => {
    const ask = [...new Set(hashes)].filter((h) => !knownNotices.has(h));
    if (ask.length === 0) return [];
    const found = await lookupNotices(ask);
    for (const h of found) remember(h);
    return ask.filter((h) => !found.has(h));
  };
  const recordCounters = {
    stored: metrics.records.labels({ result: 'stored' }),
    duplicate: metrics.records.labels({ result: 'duplicate' }),
    rejected: metrics.records.labels({ result: 'rejected' }),
  };

  const auditor = async (req: FastifyRequest, reply: FastifyReply) => {
    if (tokens.length === 0)
      return reply.code(401).send({ error: 'auditor reads are disabled (no auditor token configured)' });
    if (!tokenMatches(req.headers.authorization, tokens))
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'a valid bearer token is required' });
  };

  app.post(`${prefix}/v1/records`, { config: limit }, async (req, reply) => {
    const started = performance.now();
    const body = req.body;
    if (!isObject(body) || !Array.isArray(body.records))
      return reply.code(400).send({ error: 'the body must be a JSON object with a "records" array' });
    for (const k in body)
      if (k !== 'records' && k !== 'cookie')
        return reply.code(400).send({ error: `unknown field "${k}" in the batch` });
    const records: unknown[] = body.records;
    if (records.length === 0 || records.length > maxBatch)
      return reply.code(400).send({ error: `a batch holds 1 to ${maxBatch} records, not ${records.length}` });
    if (body.cookie !== undefined && (typeof body.cookie !== 'string' || !COOKIE_VALUE.test(body.cookie)))
      return reply.code(400).send({ error: '"cookie" is not a consent cookie value' });

    const now = Date.now();
    const serverTime = new Date(now).toISOString();
    const found = jurisdiction(req);
    const ipHmac = options.ipHmacKey
      ? createHmac('sha256', options.ipHmacKey).update(req.ip).digest('hex')
      : null;
    type Result = { id: string | null; status: 'stored' | 'duplicate' | 'rejected'; reason?: string };
    const results: Result[] = [];
    const slots: number[] = [];
    const entries: IngestEntry[] = [];
    const hashes: string[] = [];
    for (let slot = 0; slot < records.length; slot++) {
      const raw = records[slot];
      const id = isObject(raw) && typeof raw.id === 'string' && raw.id.length <= 36 ? raw.id : null;
      const result = check(raw);
      if (!result.ok) {
        results.push({ id, status: 'rejected', reason: result.reason });
        continue;
      }
      const at = uuidv7Time(result.record.id);
      if (at < EARLIEST || at > now + 86_400_000) {
        results.push({ id, status: 'rejected', reason: 'the time inside the record id is out of range' });
        continue;
      }
      // The parsed body belongs to this request: the server's fields go straight into it.
      const stored = result.record;
      stored.serverTime = serverTime;
      if (found) stored.jurisdiction = { region: found.region, source: 'edge-header', header: found.header };
      if (ipHmac) stored.ipHmac = ipHmac;
      results.push({ id, status: 'stored' });
      slots.push(slot);
      entries.push(toIngestEntry(stored));
      hashes.push(stored.notice.hash);
    }
    // A notice lookup, when one is needed, runs beside the write; the answer waits for both
    // (acks only after commit).
    const [outcome, notices] = await Promise.all([
      entries.length ? ingest(entries) : [],
      hashes.every((h) => knownNotices.has(h)) ? [] : unknownNotices(hashes),
    ]);
    for (let i = 0; i < slots.length; i++) results[slots[i]!]!.status = outcome[i]!;
    for (const r of results) recordCounters[r.status].inc();
    metrics.batches.observe((performance.now() - started) / 1000);
    if (entries.length === 0)
      return reply.code(400).send({ error: 'no record in the batch was accepted', results, notices });
    if (options.cookie && typeof body.cookie === 'string') {
      const c = options.cookie;
      const parts = [
        `${c.name ?? 'allparty'}=${body.cookie}`,
        'Path=/',
        `Max-Age=${Math.round((c.maxAgeDays ?? 365) * 86_400)}`,
        'SameSite=Lax',
      ];
      if (c.domain) parts.push(`Domain=${c.domain}`);
      if (req.protocol === 'https') parts.push('Secure');
      reply.header('set-cookie', parts.join('; '));
    }
    return reply.send({ results, notices });
  });

  app.post(`${prefix}/v1/notices`, { config: limit }, async (req, reply) => {
    const body = req.body;
    if (!isObject(body) || typeof body.hash !== 'string' || typeof body.text !== 'string')
      return reply
        .code(400)
        .send({ error: 'the body must be { "hash": "<sha256 hex>", "text": "<notice text>" }' });
    if (!HASH.test(body.hash))
      return reply.code(400).send({ error: '"hash" must be 64 lowercase hex digits' });
    if (body.text.length > 100_000)
      return reply.code(400).send({ error: '"text" is longer than 100000 characters' });
    if (createHash('sha256').update(body.text, 'utf8').digest('hex') !== body.hash)
      return reply.code(400).send({ error: 'SHA-256 of "text" does not equal "hash"' });
    const result = await store.putNotice(body.hash, body.text);
    remember(body.hash);
    metrics.notices.inc({ result });
    return reply.send({ hash: body.hash, status: result });
  });

  registerReceiptRoute(app, {
    store,
    publicKey: keys.publicKey,
    prefix,
    corsOrigins,
    limit,
    checkpointIntervalMs: options.checkpointIntervalMs ?? 10_000,
  });

  const parseTime = (v: unknown): number | undefined | null => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string') return null;
    const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    return Number.isFinite(t) ? t : null;
  };
  const decode = (body: Buffer): unknown => JSON.parse(body.toString('utf8'));

  app.get(`${prefix}/v1/records`, { preHandler: auditor }, async (req, reply) => {
    const q = isObject(req.query) ? req.query : {};
    const from = parseTime(q.from);
    const to = parseTime(q.to);
    if (from === null || to === null)
      return reply.code(400).send({ error: '"from" and "to" are ISO 8601 times or ms' });
    const limitN = q.limit === undefined ? 1000 : Number(q.limit);
    if (!Number.isInteger(limitN) || limitN < 1 || limitN > 10_000)
      return reply.code(400).send({ error: '"limit" is 1 to 10000' });
    if (q.subject !== undefined && typeof q.subject !== 'string')
      return reply.code(400).send({ error: 'one "subject"' });
    const rows = await store.records({
      ...(typeof q.subject === 'string' ? { subject: q.subject } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      limit: limitN,
    });
    return { records: rows.map((r) => ({ seq: r.seq, sealed: r.seq !== null, record: decode(r.body) })) };
  });

  app.get<{ Params: { id: string } }>(
    `${prefix}/v1/records/:id`,
    { preHandler: auditor },
    async (req, reply) => {
      const row = await store.recordById(req.params.id);
      if (!row) return reply.code(404).send({ error: 'no such record' });
      const checkpoint = await store.latestCheckpoint('seal');
      const leaf = leafHash(row.body).toString('base64');
      if (row.seq === null || !checkpoint || row.seq >= checkpoint.size)
        return {
          record: decode(row.body),
          seq: row.seq,
          leafHash: leaf,
          proof: null,
          checkpoint,
          status: 'pending',
        };
      const hashes = await inclusionProofAt(store, row.seq, checkpoint.size);
      return {
        record: decode(row.body),
        seq: row.seq,
        leafHash: leaf,
        proof: {
          leafIndex: row.seq,
          treeSize: checkpoint.size,
          hashes: hashes.map((h) => h.toString('base64')),
        },
        checkpoint,
        status: 'sealed',
      };
    },
  );

  app.get(`${prefix}/v1/checkpoints/latest`, { preHandler: auditor }, async (_req, reply) => {
    const checkpoint = await store.latestCheckpoint('seal');
    if (!checkpoint) return reply.code(404).send({ error: 'no checkpoint yet' });
    return { checkpoint, publicKey: keys.publicKeyPem };
  });

  app.get(`${prefix}/v1/checkpoints`, { preHandler: auditor }, async () => ({
    checkpoints: await store.checkpoints(),
    publicKey: keys.publicKeyPem,
  }));

  app.get(`${prefix}/v1/checkpoints/consistency`, { preHandler: auditor }, async (req, reply) => {
    const q = isObject(req.query) ? req.query : {};
    const first = Number(q.from);
    const second = Number(q.to);
    const latest = await store.latestCheckpoint('seal');
    const pruned = (await store.latestCheckpoint('prune'))?.size ?? 0;
    if (!Number.isInteger(first) || !Number.isInteger(second) || first > second || first < 0)
      return reply.code(400).send({ error: '"from" and "to" are tree sizes, from ≤ to' });
    if (!latest || second > latest.size)
      return reply.code(400).send({ error: '"to" is beyond the latest checkpoint' });
    if (first > 0 && first < pruned)
      return reply.code(410).send({ error: `sizes below ${pruned} were pruned` });
    const proof = await consistencyProofBetween(store, first, second);
    return { from: first, to: second, proof: proof.map((h) => h.toString('base64')) };
  });

  app.get<{ Params: { hash: string } }>(
    `${prefix}/v1/notices/:hash`,
    { preHandler: auditor },
    async (req, reply) => {
      const text = HASH.test(req.params.hash) ? await store.getNotice(req.params.hash) : null;
      if (text === null) return reply.code(404).send({ error: 'no such notice' });
      return { hash: req.params.hash, text };
    },
  );

  app.get(`${prefix}/healthz`, async (_req, reply) => {
    try {
      await store.ping();
      return { ok: true, store: store.kind };
    } catch (error) {
      return reply.code(503).send({ ok: false, error: (error as Error).message });
    }
  });

  app.get(`${prefix}/metrics`, async (_req, reply) => {
    const [size, pending, latest] = await Promise.all([
      store.treeSize(),
      store.pendingCount(),
      store.latestCheckpoint('seal'),
    ]);
    metrics.treeSize.set(size);
    metrics.pending.set(pending);
    metrics.checkpointSize.set(latest?.size ?? 0);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // Sealing and signing: one writer at a time (the store's lock); a failed round is retried.
  let sealing: Promise<unknown> = Promise.resolve();
  const sealAll = async () => {
    for (;;) {
      const r = await store.seal(5000);
      if (!r || r.sealed < 5000) return;
    }
  };
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = sealing.then(fn, fn);
    sealing = run.catch(() => {
      metrics.sealErrors.inc();
    });
    return run;
  };
  const timers = [
    setInterval(() => void serial(sealAll).catch(() => {}), options.sealIntervalMs ?? 250),
    setInterval(
      () => void serial(() => store.checkpoint(signer)).catch(() => {}),
      options.checkpointIntervalMs ?? 10_000,
    ),
  ];
  if (options.retentionDays != null) {
    const days = options.retentionDays;
    const prune = () => serial(() => store.prune(Date.now() - days * 86_400_000, signer)).catch(() => {});
    timers.push(setInterval(() => void prune(), options.pruneIntervalMs ?? 6 * 3_600_000));
  }
  for (const t of timers) t.unref();

  let closed = false;
  return {
    app,
    store,
    keys,
    flush: () =>
      serial(async () => {
        await sealAll();
        return store.checkpoint(signer);
      }),
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
      await app.close();
      await serial(async () => {
        await sealAll();
        await store.checkpoint(signer);
      }).catch(() => {});
      await store.close();
    },
  };
}

/** Starts the log server and listens. */
export async function startServer(
  options: ServerOptions = {},
): Promise<{ url: string; close(): Promise<void>; server: LogServer }> {
  const server = await createServer(options);
  const address = await server.app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8787 });
  return {
    url: `${address}${(options.prefix ?? '').replace(/\/+$/, '')}`,
    close: () => server.close(),
    server,
  };
}
