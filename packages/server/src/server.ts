import { join, resolve } from 'node:path';
import {
  type Checkpoint,
  type CheckpointKeys,
  type LedgerStore,
  loadOrCreateKeyFile,
  openPostgresStore,
  openSqliteStore,
  tagKey,
  tagMatches,
} from '@allparty/ledger';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { auditorGuard } from './auth';
import type { ServerContext } from './context';
import { createHealth } from './health';
import { createMetrics } from './metrics';
import { registerAuditorRoutes } from './routes/auditor';
import { registerNoticesRoute } from './routes/notices';
import { registerOperationsRoutes } from './routes/operations';
import { registerReceiptRoute } from './routes/receipts';
import { knownNoticeSet, registerRecordsRoute } from './routes/records';
import { createSealer } from './sealer';
import { createWitnessPublisher } from './witness';

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
  /** Largest request body in bytes (the browser's queue sends at most 60,000). @default 65536 */
  bodyLimit?: number;
  /**
   * What anonymous senders may add per hour, per server instance: records per visitor (subject)
   * and request bytes per IP; over either, 429 with Retry-After (the record waits in the queue).
   * @default { recordsPerSubjectPerHour: 120, bytesPerIpPerHour: 4194304 }
   */
  limits?: { recordsPerSubjectPerHour?: number; bytesPerIpPerHour?: number };
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
  /**
   * The proxies in front of the server whose `X-Forwarded-*` headers are trusted: a number of
   * hops (1: the load balancer's own entry, the last in `X-Forwarded-For`; anything a client put
   * before it is ignored), or the proxies' addresses or CIDR ranges. `true` means 1 hop: never
   * every entry, which would let a client name any IP and pass the per-IP limits. @default false
   */
  trustProxy?: boolean | number | string | readonly string[];
  /** How often inbox records are sealed into the tree. @default 250 */
  sealIntervalMs?: number;
  /** How often a checkpoint is signed (when the tree grew). @default 10000 */
  checkpointIntervalMs?: number;
  /**
   * Longest an acknowledged record may wait to be sealed before `/healthz` answers 503 (the bound
   * the signed acknowledgement promises). @default 30000 or 20 seal intervals, whichever is longer
   */
  sealStallMs?: number;
  /** Days to keep records; null keeps them forever. @default null */
  retentionDays?: number | null;
  /** How often pruning runs when `retentionDays` is set. @default 21600000 (6 h) */
  pruneIntervalMs?: number;
  /**
   * Witnesses (`allparty-server witness` or any server speaking its protocol) that get every new
   * signed checkpoint with a consistency proof, so the log's history is held where its operator
   * cannot rewrite it. @default []
   */
  witnesses?: readonly string[];
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

/** Fastify's trustProxy from the option: hops or addresses, never "every entry". */
function proxyTrust(
  option: ServerOptions['trustProxy'],
): string | false | ((address: string, hop: number) => boolean) {
  if (option === undefined || option === false) return false;
  const hops = option === true ? 1 : option;
  if (typeof hops === 'number') {
    if (!Number.isInteger(hops) || hops < 1) throw new Error('trustProxy: a number of hops is 1 or more');
    // The socket's peer is hop 0; trusting hops 0…n-1 makes the client the entry n proxies added.
    return (_address, hop) => hop < hops;
  }
  // Addresses as one comma-separated list, as Fastify's proxy-addr reads it.
  return typeof hops === 'string' ? hops : hops.join(',');
}

/** Lowercase edge header names from the option. */
function edgeHeaders(option: ServerOptions['jurisdictionHeader']): string[] {
  if (!option) return [];
  return (typeof option === 'string' ? [option] : [...option]).map((h) => h.toLowerCase());
}

/** Builds the log server: the route modules over one store, and the sealing loops. */
export async function createServer(options: ServerOptions = {}): Promise<LogServer> {
  const dataDir = resolve(options.dataDir ?? 'allparty-data');
  const store = await openStore(options.store, dataDir);
  const keys = options.keys ?? loadOrCreateKeyFile(options.keyFile ?? join(dataDir, 'checkpoint-key.pem'));
  const signer = { origin: options.origin ?? 'allparty log', keys };
  const corsOrigins = new Set(options.corsOrigins ?? []);
  const metrics = createMetrics();

  // Plain JSON.parse: every record is checked against a schema that refuses unknown keys
  // (`__proto__` included), so the prototype-poisoning scan would add only cost.
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    trustProxy: proxyTrust(options.trustProxy),
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
  });
  // JSON bodies, also as text/plain (sendBeacon and cross-origin fetch without a preflight send
  // that): bytes that are not UTF-8 are refused, never replaced with U+FFFD and stored.
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer' }, (_req, body, done) => {
    const bad = (message: string) => {
      const error = new Error(message) as Error & { statusCode: number };
      error.statusCode = 400;
      done(error, undefined);
    };
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      return bad('the body is not valid UTF-8');
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      bad('the body is not valid JSON');
    }
  });
  // A failure inside the server is logged, never shown: a database's own message names its tables.
  app.setErrorHandler((error, req, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) {
      req.log.error(error);
      return reply.code(status).send({ error: 'the log could not answer; try again later' });
    }
    return reply.code(status).send({ error: (error as Error).message });
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

  const checkpointIntervalMs = options.checkpointIntervalMs ?? 10_000;
  const sealStallMs = options.sealStallMs ?? Math.max(30_000, 20 * (options.sealIntervalMs ?? 250));
  const sealerProblem: { get: () => string | null } = { get: () => null };
  const ctx: ServerContext = {
    store,
    keys,
    signer,
    metrics,
    prefix: (options.prefix ?? '').replace(/\/+$/, ''),
    corsOrigins,
    limit,
    auditor: auditorGuard(options.auditorTokens ?? []),
    checkpointIntervalMs,
    health: createHealth(
      store,
      { sealStallMs, signStallMs: sealStallMs + 3 * checkpointIntervalMs },
      sealerProblem,
    ),
    tagKey: tagKey(keys.privateKey),
    sealStallMs,
  };
  const knownNotices = knownNoticeSet();
  registerRecordsRoute(app, ctx, {
    maxBatch: options.maxBatch ?? 50,
    recordsPerSubjectPerHour: options.limits?.recordsPerSubjectPerHour ?? 120,
    bytesPerIpPerHour: options.limits?.bytesPerIpPerHour ?? 4 * 1024 * 1024,
    edgeHeaders: edgeHeaders(options.jurisdictionHeader),
    ipHmacKey: options.ipHmacKey ?? null,
    cookie: options.cookie
      ? {
          name: options.cookie.name ?? 'allparty',
          domain: options.cookie.domain ?? null,
          maxAgeDays: options.cookie.maxAgeDays ?? 365,
        }
      : null,
    knownNotices,
  });
  registerNoticesRoute(app, ctx, knownNotices);
  registerReceiptRoute(app, ctx);
  registerAuditorRoutes(app, ctx);
  registerOperationsRoutes(app, ctx);

  const witnesses = options.witnesses ?? [];
  const publisher = witnesses.length
    ? createWitnessPublisher(store, witnesses, (url, error) =>
        metrics.witnessErrors.inc({ witness: url, error: error.slice(0, 80) }),
      )
    : null;
  const sealer = createSealer(store, signer, metrics, {
    // A row without a tag was not written by a server holding the key (or it was removed): refused too.
    check: (id, leaf, tag) => tag !== null && tagMatches(ctx.tagKey, id, leaf, tag),
    ...(publisher ? { afterSigning: () => publisher.sync() } : {}),
    sealIntervalMs: options.sealIntervalMs ?? 250,
    checkpointIntervalMs: ctx.checkpointIntervalMs,
    retentionDays: options.retentionDays ?? null,
    pruneIntervalMs: options.pruneIntervalMs ?? 6 * 3_600_000,
  });

  sealerProblem.get = () => sealer.problem();
  let closed = false;
  return {
    app,
    store,
    keys,
    flush: () => sealer.flush(),
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await sealer.stop();
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
