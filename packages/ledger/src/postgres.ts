/**
 * The shared store: PostgreSQL (pg). Many collectors insert into the inbox at once, as a role
 * that may only INSERT there and read the rest; one sealer at a time (an advisory lock) writes
 * the log as the owner. Records are partitioned by month of decision; UPDATE and DELETE on the
 * log are revoked and refused by triggers (pruning, run by the owner, is the one exception).
 */
import { UUID } from '@allparty/core';
import pg from 'pg';
import type { Checkpoint } from './checkpoint';
import { frontierKeys, type NodeKey, type TreeNode } from './merkle';
import {
  alteredError,
  frontierFrom,
  type IngestEntry,
  type IngestResult,
  type LedgerStore,
  nodeKey,
  planLeaves,
  type RecordQuery,
  type StoredRecord,
  signTreeHead,
} from './store';

/** Options for {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user@127.0.0.1:5432/db`. @default the PG* environment variables */
  connectionString?: string;
  /** The schema holding the ledger tables (created if missing). @default "allparty" */
  schema?: string;
  /**
   * The role collectors' queries run as (created NOLOGIN if missing; SELECT everywhere, INSERT
   * on the inbox and notices only). null runs everything as the connecting user. @default "allparty_app"
   */
  appRole?: string | null;
  /** Pool size. @default 10 */
  max?: number;
  /**
   * Open an existing ledger for reading only (verification, audits, a read replica or hot
   * standby): no schema, table, trigger or role is created, every transaction is read-only, and a
   * schema that holds no ledger is an error. Runs as the connecting user. @default false
   */
  readOnly?: boolean;
  /** Longest a statement may run before the database cancels it, ms. @default 30000 */
  statementTimeoutMs?: number;
  /** Longest a statement waits for a row or table lock, ms. @default 5000 */
  lockTimeoutMs?: number;
}

/**
 * Whether an error means the connection itself is gone (an admin's `pg_terminate_backend`, a
 * failover, a network cut): the statement may be retried on a fresh connection.
 */
export function connectionLost(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  return (
    code === '57P01' || // admin_shutdown (pg_terminate_backend)
    code === '57P02' || // crash_shutdown
    code === '57P03' || // cannot_connect_now
    code.startsWith('08') || // connection_exception
    code === 'ECONNRESET' ||
    code === 'ECONNREFUSED' ||
    code === 'EPIPE' ||
    /Connection terminated|terminating connection|Client has encountered a connection error/.test(message)
  );
}

/** Runs `fn`, and once more on a fresh connection if the first connection was lost. */
async function retryOnce<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!connectionLost(error)) throw error;
    return fn();
  }
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
/** Most records in one ingest statement (its padded row count: 1, 2, 4, … 256). */
const INGEST_ROWS = 256;
const APPEND_ONLY = ['records', 'nodes', 'checkpoints', 'notices', 'seals'];

function migration(s: string, app: string | null): string {
  const t = (name: string) => `"${s}".${name}`;
  return `
CREATE SCHEMA IF NOT EXISTS "${s}";
CREATE TABLE IF NOT EXISTS ${t('inbox')} (
  n bigserial PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  at bigint NOT NULL,
  subject text NOT NULL,
  received_at bigint NOT NULL,
  body bytea NOT NULL
);
-- Added after the first release: the inbox tag (see ack.ts); rows of older servers have none.
ALTER TABLE ${t('inbox')} ADD COLUMN IF NOT EXISTS tag bytea;
CREATE TABLE IF NOT EXISTS ${t('records')} (
  seq bigint NOT NULL,
  id uuid NOT NULL,
  at bigint NOT NULL,
  subject text NOT NULL,
  body bytea NOT NULL,
  PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE IF NOT EXISTS ${t('records_default')} PARTITION OF ${t('records')} DEFAULT;
CREATE INDEX IF NOT EXISTS records_seq ON ${t('records')} (seq);
CREATE INDEX IF NOT EXISTS records_subject ON ${t('records')} (subject, at);
CREATE TABLE IF NOT EXISTS ${t('nodes')} (
  level smallint NOT NULL,
  idx bigint NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (level, idx)
);
CREATE TABLE IF NOT EXISTS ${t('seals')} (n bigserial PRIMARY KEY, size bigint NOT NULL, at bigint NOT NULL);
CREATE TABLE IF NOT EXISTS ${t('checkpoints')} (
  n bigserial PRIMARY KEY,
  kind text NOT NULL,
  size bigint NOT NULL,
  body text NOT NULL
);
CREATE TABLE IF NOT EXISTS ${t('notices')} (hash text PRIMARY KEY, text text NOT NULL, received_at bigint NOT NULL);
CREATE TABLE IF NOT EXISTS ${t('notices_wanted')} (hash text PRIMARY KEY, at bigint NOT NULL);
CREATE OR REPLACE FUNCTION ${t('append_only')}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('allparty.prune', true) = 'on' THEN RETURN OLD; END IF;
  RAISE EXCEPTION 'allparty ledger: % on % refused: the log is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $fn$;
${APPEND_ONLY.map(
  (name) => `
CREATE OR REPLACE TRIGGER ${name}_append_only BEFORE UPDATE OR DELETE ON ${t(name)}
  FOR EACH ROW EXECUTE FUNCTION ${t('append_only')}();
CREATE OR REPLACE TRIGGER ${name}_no_truncate BEFORE TRUNCATE ON ${t(name)}
  FOR EACH STATEMENT EXECUTE FUNCTION ${t('append_only')}();`,
).join('\n')}
${
  app
    ? `
DO $do$ BEGIN
  CREATE ROLE "${app}" NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $do$;
GRANT USAGE ON SCHEMA "${s}" TO "${app}";
REVOKE ALL ON ALL TABLES IN SCHEMA "${s}" FROM PUBLIC, "${app}";
GRANT SELECT ON ALL TABLES IN SCHEMA "${s}" TO "${app}";
GRANT INSERT ON ${t('inbox')}, ${t('notices')}, ${t('notices_wanted')} TO "${app}";
GRANT USAGE ON ALL SEQUENCES IN SCHEMA "${s}" TO "${app}";`
    : ''
}
`;
}

/**
 * Creates the schema, tables, triggers and app role if missing, on a connection of its own that
 * does not start as the app role (on a fresh cluster the pool's startup parameter would name a
 * missing role), under the schema's migration lock.
 */
async function migrate(connection: pg.ClientConfig, s: string, app: string | null): Promise<void> {
  const setup = new pg.Client(connection);
  setup.on('error', () => {
    // The migration's own query reports the failure.
  });
  await setup.connect();
  try {
    await setup.query('BEGIN');
    await setup.query(`SELECT pg_advisory_xact_lock(6, hashtext('${s}'))`);
    await setup.query(migration(s, app));
    await setup.query('COMMIT');
  } catch (error) {
    await setup.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await setup.end();
  }
}

/** Opens a PostgreSQL ledger, creating its schema, tables, triggers and app role if missing. */
export async function openPostgresStore(options: PostgresStoreOptions = {}): Promise<LedgerStore> {
  const s = options.schema ?? 'allparty';
  const readOnly = options.readOnly === true;
  const app = readOnly ? null : options.appRole === undefined ? 'allparty_app' : options.appRole;
  if (!IDENT.test(s)) throw new Error(`postgres store: schema "${s}" is not a plain identifier`);
  if (app !== null && !IDENT.test(app))
    throw new Error(`postgres store: role "${app}" is not a plain identifier`);
  const t = (name: string) => `"${s}".${name}`;
  const connection = {
    ...(options.connectionString ? { connectionString: options.connectionString } : {}),
    // Shown in pg_stat_activity: which log a connection serves.
    application_name: `allparty:${s}`,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    lock_timeout: options.lockTimeoutMs ?? 5000,
    idle_in_transaction_session_timeout: 60_000,
    // A verifier's session can change nothing, whatever its grants.
    ...(readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  };
  const pool = new pg.Pool({
    ...connection,
    max: options.max ?? 10,
    // Every connection starts as the app role (a startup parameter, so no extra round trip).
    ...(app ? { options: `-c role=${app}` } : {}),
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  // Every client keeps a listener for its whole life: a connection dropped between two of its
  // queries (checked out or idle) emits 'error', which with no listener would end the process.
  // The query that needed the connection reports the failure itself.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  if (readOnly) {
    const { rows } = await pool
      .query(`SELECT to_regclass($1) AS records, to_regclass($2) AS checkpoints`, [
        t('records'),
        t('checkpoints'),
      ])
      .catch(async (error: unknown) => {
        await pool.end();
        throw error;
      });
    if (!rows[0].records || !rows[0].checkpoints) {
      await pool.end();
      throw new Error(`postgres store: schema "${s}" holds no consent log`);
    }
  } else
    await migrate(connection, s, app).catch(async (error: unknown) => {
      await pool.end();
      throw error;
    });
  return storeOver(pool, s);
}

/** The queries and transactions the store's methods share, over one pool and schema. */
function pgHelpers(pool: pg.Pool, s: string) {
  const t = (name: string) => `"${s}".${name}`;
  const lockKey = (n: number) => `pg_advisory_xact_lock(${n}, hashtext('${s}'))`;
  const tryLock = `SELECT pg_try_advisory_xact_lock(7, hashtext('${s}')) AS ok`;

  /**
   * Runs `fn` in a transaction as the owner (the session user), optionally under the seal lock.
   * A checked-out client reports a dropped connection as an 'error' event, which would end the
   * process if nobody listened: the listener marks the client broken, so it is discarded (not
   * returned to the pool), and the transaction is tried once more on a fresh connection.
   */
  const owner = <T>(fn: (c: pg.PoolClient) => Promise<T>, lock: 'seal' | 'wait' | null): Promise<T | null> =>
    retryOnce(() => ownerOnce(fn, lock));
  const ownerOnce = async <T>(
    fn: (c: pg.PoolClient) => Promise<T>,
    lock: 'seal' | 'wait' | null,
  ): Promise<T | null> => {
    const c = await pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    c.on('error', onError);
    try {
      await c.query('BEGIN');
      await c.query('SET LOCAL ROLE NONE');
      if (lock === 'seal' && !(await c.query(tryLock)).rows[0].ok) {
        await c.query('ROLLBACK');
        return null;
      }
      if (lock === 'wait') await c.query(`SELECT ${lockKey(7)}`);
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (error) {
      if (!broken && !connectionLost(error)) await c.query('ROLLBACK').catch(() => {});
      else broken ??= error as Error;
      throw error;
    } finally {
      c.off('error', onError);
      c.release(broken);
    }
  };

  // Month partitions are created ahead (this month and the next two), in a transaction of their
  // own, so an insert never waits behind a CREATE TABLE; a record of any other month (a queue
  // held offline for long, a pruned month) lands in the default partition. A name is remembered
  // only once its CREATE committed.
  const partitions = new Set<string>();
  const monthPartition = (year: number, month: number) => {
    const from = Date.UTC(year, month, 1);
    const to = Date.UTC(year, month + 1, 1);
    const d = new Date(from);
    const name = `records_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    return { name, from, to };
  };
  const ensureMonthsAhead = async (now = Date.now()) => {
    const d = new Date(now);
    const wanted = [0, 1, 2]
      .map((k) => monthPartition(d.getUTCFullYear(), d.getUTCMonth() + k))
      .filter((p) => !partitions.has(p.name));
    if (wanted.length === 0) return;
    await owner(async (c) => {
      for (const p of wanted)
        await c.query(
          `CREATE TABLE IF NOT EXISTS ${t(p.name)} PARTITION OF ${t('records')} FOR VALUES FROM (${p.from}) TO (${p.to})`,
        );
    }, null);
    for (const p of wanted) partitions.add(p.name);
  };

  const size = async (c: pg.PoolClient | pg.Pool) =>
    Number((await c.query(`SELECT coalesce(max(size), 0) AS size FROM ${t('seals')}`)).rows[0].size);
  const getNodes = async (c: pg.PoolClient | pg.Pool, keys: readonly NodeKey[]) => {
    const out = new Map<string, Buffer>();
    if (keys.length === 0) return out;
    const { rows } = await c.query(
      `SELECT level, idx, hash FROM ${t('nodes')} n
       JOIN unnest($1::smallint[], $2::bigint[]) AS k(level, idx) USING (level, idx)`,
      [keys.map((k) => k.level), keys.map((k) => k.idx)],
    );
    for (const r of rows) out.set(nodeKey(Number(r.level), Number(r.idx)), r.hash as Buffer);
    return out;
  };
  const frontier = async (c: pg.PoolClient, n: number) => frontierFrom(n, await getNodes(c, frontierKeys(n)));
  const latestOf = async (c: pg.PoolClient | pg.Pool, kind?: Checkpoint['kind']) => {
    const { rows } = kind
      ? await c.query(`SELECT body FROM ${t('checkpoints')} WHERE kind = $1 ORDER BY n DESC LIMIT 1`, [kind])
      : await c.query(`SELECT body FROM ${t('checkpoints')} ORDER BY n DESC LIMIT 1`);
    return rows[0] ? (JSON.parse(rows[0].body) as Checkpoint) : null;
  };
  const putCheckpoint = (c: pg.PoolClient, cp: Checkpoint) =>
    c.query(`INSERT INTO ${t('checkpoints')} (kind, size, body) VALUES ($1, $2, $3)`, [
      cp.kind,
      cp.size,
      JSON.stringify(cp),
    ]);
  const putNodes = async (c: pg.PoolClient, nodes: readonly TreeNode[]) => {
    for (let i = 0; i < nodes.length; i += 5000) {
      const part = nodes.slice(i, i + 5000);
      await c.query(
        `INSERT INTO ${t('nodes')} (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`,
        [part.map((n) => n.level), part.map((n) => n.idx), part.map((n) => n.hash)],
      );
    }
  };
  const toRecord = (r: {
    seq: string | null;
    id: string;
    at: string;
    subject: string;
    body: Buffer;
  }): StoredRecord => ({
    seq: r.seq === null ? null : Number(r.seq),
    id: r.id,
    at: Number(r.at),
    subject: r.subject,
    body: r.body,
  });

  // Ingest is a prepared multi-row INSERT: one parameter per value (node-postgres sends Buffers
  // as binary, so bodies are not re-encoded as text), rows padded with NULLs up to a power of
  // two, so a connection prepares (parses and plans) at most nine statements and reuses them.
  const ingestText = new Map<number, string>();
  const ingestQuery = (part: readonly IngestEntry[], receivedAt: number): pg.QueryConfig => {
    let rows = 1;
    while (rows < part.length) rows *= 2;
    let text = ingestText.get(rows);
    if (!text) {
      const values = Array.from(
        { length: rows },
        (_, r) =>
          `($${5 * r + 2}::uuid, $${5 * r + 3}::bigint, $${5 * r + 4}::text, $${5 * r + 5}::bytea, $${5 * r + 6}::bytea)`,
      );
      text = `INSERT INTO ${t('inbox')} (id, at, subject, received_at, body, tag)
        SELECT k.id, k.at, k.subject, $1, k.body, k.tag FROM (VALUES ${values.join(',')}) AS k(id, at, subject, body, tag)
         WHERE k.id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM ${t('records')} r WHERE r.id = k.id AND r.at = k.at)
        ON CONFLICT (id) DO NOTHING RETURNING id`;
      ingestText.set(rows, text);
    }
    const values: Array<string | number | Buffer | null> = [receivedAt];
    for (const e of part) values.push(e.id, e.at, e.subject, e.body, e.tag ?? null);
    for (let r = part.length; r < rows; r++) values.push(null, null, null, null, null);
    // Prepared statements live per connection, and this pool's connections serve this schema only.
    return { name: `allparty_ingest_tag_${rows}`, text, values };
  };
  return {
    t,
    owner,
    partitions,
    ensureMonthsAhead,
    size,
    getNodes,
    frontier,
    latestOf,
    putCheckpoint,
    putNodes,
    toRecord,
    ingestQuery,
  };
}

type PgHelpers = ReturnType<typeof pgHelpers>;

/** The store's writes: ingest, notices, sealing, signing and pruning. */
function pgWrites(
  pool: pg.Pool,
  h: PgHelpers,
): Pick<
  LedgerStore,
  'ingest' | 'putNotice' | 'wantNotices' | 'knownNotices' | 'getNotice' | 'seal' | 'checkpoint' | 'prune'
> {
  const {
    t,
    owner,
    partitions,
    ensureMonthsAhead,
    size,
    frontier,
    latestOf,
    putCheckpoint,
    putNodes,
    ingestQuery,
  } = h;
  return {
    async ingest(entries: readonly IngestEntry[]): Promise<IngestResult[]> {
      if (entries.length === 0) return [];
      const stored = new Set<string>();
      const receivedAt = Date.now();
      // One statement (one commit) per INGEST_ROWS records; group commit hands over fewer.
      for (let i = 0; i < entries.length; i += INGEST_ROWS) {
        // Idempotent (a known id is skipped), so a statement cut off with its connection is
        // sent again; a row it did commit then answers as a duplicate, which is acknowledged too.
        const query = ingestQuery(entries.slice(i, i + INGEST_ROWS), receivedAt);
        const { rows } = await retryOnce(() => pool.query<{ id: string }>(query));
        for (const r of rows) stored.add(r.id);
      }
      // A repeated id within the batch is stored once, for its first occurrence.
      return entries.map((e) => (stored.delete(e.id) ? 'stored' : 'duplicate'));
    },
    async putNotice(hash, text) {
      const { rowCount } = await pool.query(
        `INSERT INTO ${t('notices')} (hash, text, received_at)
         SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM ${t('notices_wanted')} WHERE hash = $1)
         ON CONFLICT DO NOTHING`,
        [hash, text, Date.now()],
      );
      if (rowCount === 1) return 'stored';
      const { rows } = await pool.query(`SELECT 1 FROM ${t('notices')} WHERE hash = $1`, [hash]);
      return rows.length ? 'duplicate' : 'unreferenced';
    },
    async wantNotices(hashes) {
      if (hashes.length === 0) return;
      await pool.query(
        `INSERT INTO ${t('notices_wanted')} (hash, at) SELECT h, $2 FROM unnest($1::text[]) AS h ON CONFLICT DO NOTHING`,
        [[...hashes], Date.now()],
      );
    },
    async knownNotices(hashes) {
      const { rows } = await pool.query(`SELECT hash FROM ${t('notices')} WHERE hash = ANY($1::text[])`, [
        [...hashes],
      ]);
      return new Set(rows.map((r: { hash: string }) => r.hash));
    },
    async getNotice(hash) {
      const { rows } = await pool.query(`SELECT text FROM ${t('notices')} WHERE hash = $1`, [hash]);
      return rows[0]?.text ?? null;
    },
    async seal(limit = 5000, check) {
      await ensureMonthsAhead();
      return owner(async (c) => {
        const n = await size(c);
        // Bodies stay in the database: PostgreSQL hashes them (the verifier re-hashes them itself).
        // The oldest inbox rows first (the LIMIT inside), then one index probe each for a repeat:
        // the cost follows the batch, not the size of the log.
        const pending = await c.query(
          `SELECT i.n, i.id, i.at, i.tag, sha256('\\x00'::bytea || i.body) AS leaf,
                  EXISTS (SELECT 1 FROM ${t('records')} r WHERE r.id = i.id AND r.at = i.at) AS sealed
             FROM (SELECT n, id, at, body, tag FROM ${t('inbox')} ORDER BY n LIMIT $1) i ORDER BY i.n`,
          [limit],
        );
        if (pending.rows.length === 0) return { sealed: 0, size: n };
        const rows = pending.rows as Array<{
          n: string;
          id: string;
          at: string;
          leaf: Buffer;
          tag: Buffer | null;
          sealed: boolean;
        }>;
        const fresh = rows.filter((r) => !r.sealed);
        if (check) for (const r of fresh) if (!check(r.id, r.leaf, r.tag)) throw alteredError(r.id);
        const nodes = planLeaves(
          n,
          await frontier(c, n),
          fresh.map((r) => r.leaf),
        );
        // Inbox rows leave and fresh ones enter the log in one statement (each row read once).
        const moved = await c.query(
          `WITH gone AS (
             DELETE FROM ${t('inbox')} i USING unnest($1::bigint[]) AS d(n) WHERE i.n = d.n
             RETURNING i.n, i.id, i.at, i.subject, i.body)
           INSERT INTO ${t('records')} (seq, id, at, subject, body)
           SELECT k.seq, g.id, g.at, g.subject, g.body
             FROM unnest($2::bigint[], $3::bigint[]) AS k(n, seq) JOIN gone g ON g.n = k.n`,
          [rows.map((r) => r.n), fresh.map((r) => r.n), fresh.map((_, i) => n + i)],
        );
        if (moved.rowCount !== fresh.length) throw new Error('ledger: the inbox changed while sealing');
        await putNodes(c, nodes);
        const after = n + fresh.length;
        await c.query(`INSERT INTO ${t('seals')} (size, at) VALUES ($1, $2)`, [after, Date.now()]);
        return { sealed: fresh.length, size: after };
      }, 'seal');
    },
    async checkpoint(signer, force = false) {
      return owner(async (c) => {
        const n = await size(c);
        const last = await latestOf(c, 'seal');
        if (!force && (n === 0 || last?.size === n)) return null;
        const cp = signTreeHead(signer, 'seal', n, await frontier(c, n));
        await putCheckpoint(c, cp);
        return cp;
      }, 'wait');
    },
    async prune(cutoff, signer) {
      return owner(async (c) => {
        const n = await size(c);
        const first = (await c.query(`SELECT min(seq) AS k FROM ${t('records')} WHERE at >= $1`, [cutoff]))
          .rows[0].k;
        const k = first === null ? n : Number(first);
        if (k <= ((await latestOf(c, 'prune'))?.size ?? 0)) return null;
        const hashes = await frontier(c, k);
        const cp = signTreeHead(signer, 'prune', k, hashes);
        const keep = frontierKeys(k);
        await c.query(`SET LOCAL allparty.prune = 'on'`);
        await c.query(`DELETE FROM ${t('records')} WHERE seq < $1`, [k]);
        await c.query(
          `DELETE FROM ${t('nodes')} WHERE (idx + 1) * (2::numeric ^ level) <= $1
             AND (level, idx) NOT IN (SELECT * FROM unnest($2::smallint[], $3::bigint[]))`,
          [k, keep.map((x) => x.level), keep.map((x) => x.idx)],
        );
        await c.query(`SET LOCAL allparty.prune = 'off'`);
        // Drop month partitions that pruning emptied.
        const parts = await c.query(
          `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = '${t('records')}'::regclass`,
        );
        for (const { relname } of parts.rows as Array<{ relname: string }>) {
          const m = /^records_y(\d{4})m(\d{2})$/.exec(relname);
          if (!m || Date.UTC(Number(m[1]), Number(m[2]), 1) > cutoff) continue;
          const any = await c.query(`SELECT 1 FROM ${t(relname)} LIMIT 1`);
          if (any.rows.length === 0) {
            await c.query(`DROP TABLE ${t(relname)}`);
            partitions.delete(relname);
          }
        }
        await putCheckpoint(c, cp);
        return cp;
      }, 'wait');
    },
  };
}

/** The store's reads. */
function pgReads(
  pool: pg.Pool,
  h: PgHelpers,
): Omit<
  LedgerStore,
  | 'kind'
  | 'ingest'
  | 'putNotice'
  | 'wantNotices'
  | 'knownNotices'
  | 'getNotice'
  | 'seal'
  | 'checkpoint'
  | 'prune'
> {
  const { t, size, getNodes, latestOf, toRecord } = h;
  return {
    async treeSize() {
      return size(pool);
    },
    async pendingCount() {
      return Number((await pool.query(`SELECT count(*) AS n FROM ${t('inbox')}`)).rows[0].n);
    },
    async checkpoints(page) {
      const { rows } = page
        ? await pool.query(`SELECT body FROM ${t('checkpoints')} ORDER BY n LIMIT $1 OFFSET $2`, [
            page.limit,
            page.offset,
          ])
        : await pool.query(`SELECT body FROM ${t('checkpoints')} ORDER BY n`);
      return rows.map((r: { body: string }) => JSON.parse(r.body) as Checkpoint);
    },
    async latestCheckpoint(kind) {
      return latestOf(pool, kind);
    },
    async nodes(keys) {
      return getNodes(pool, keys);
    },
    async nodeRange(level, from, to) {
      const { rows } = await pool.query(
        `SELECT level, idx, hash FROM ${t('nodes')} WHERE level = $1 AND idx BETWEEN $2 AND $3 ORDER BY idx`,
        [level, from, to],
      );
      return rows.map((r) => ({ level: Number(r.level), idx: Number(r.idx), hash: r.hash as Buffer }));
    },
    async recordById(id) {
      if (!UUID.test(id)) return null;
      const { rows } = await pool.query(
        `SELECT seq, id, at, subject, body FROM ${t('records')} WHERE id = $1
         UNION ALL SELECT NULL, id, at, subject, body FROM ${t('inbox')} WHERE id = $1`,
        [id],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async latestOfSubject(subject) {
      const { rows } = await pool.query(
        `(SELECT NULL::bigint AS seq, id, at, subject, body, 1 AS pending, n AS pos FROM ${t('inbox')}
           WHERE subject = $1 ORDER BY n DESC LIMIT 1)
         UNION ALL
         (SELECT seq, id, at, subject, body, 0, seq FROM ${t('records')} WHERE subject = $1 ORDER BY seq DESC LIMIT 1)
         ORDER BY pending DESC, pos DESC LIMIT 1`,
        [subject],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async records(query: RecordQuery) {
      const where: string[] = [];
      const params: Array<string | number> = [];
      if (query.subject !== undefined) {
        params.push(query.subject);
        where.push(`subject = $${params.length}`);
      }
      if (query.from !== undefined) {
        params.push(query.from);
        where.push(`at >= $${params.length}`);
      }
      if (query.to !== undefined) {
        params.push(query.to);
        where.push(`at < $${params.length}`);
      }
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      params.push(query.limit);
      const { rows } = await pool.query(
        `SELECT * FROM (SELECT seq, id, at, subject, body FROM ${t('records')} ${w}
          UNION ALL SELECT NULL::bigint, id, at, subject, body FROM ${t('inbox')} ${w}) x
          ORDER BY at, id LIMIT $${params.length}`,
        params,
      );
      return rows.map(toRecord);
    },
    async *scan(from, batch = 10_000) {
      let seq = from;
      let id = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const { rows } = await pool.query(
          `SELECT seq, id, at, subject, body FROM ${t('records')}
            WHERE seq >= $1::bigint AND (seq, id) > ($1::bigint, $2::uuid) ORDER BY seq, id LIMIT $3`,
          [seq, id, batch],
        );
        if (rows.length === 0) return;
        yield rows.map(toRecord);
        const last = rows[rows.length - 1];
        seq = Number(last.seq);
        id = last.id;
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async oldestPendingAt() {
      const { rows } = await pool.query(`SELECT received_at FROM ${t('inbox')} ORDER BY n LIMIT 1`);
      return rows[0] ? Number(rows[0].received_at) : null;
    },
    async writeProblem() {
      // Asked as the role collectors write as (the pool's connections start as it).
      const { rows } = await pool.query(
        `SELECT pg_is_in_recovery() AS standby, current_setting('transaction_read_only') AS read_only,
                has_table_privilege('${t('inbox')}', 'INSERT') AS can_insert`,
      );
      const r = rows[0] as { standby: boolean; read_only: string; can_insert: boolean };
      if (r.standby) return 'the database is a standby (read-only)';
      if (r.read_only === 'on') return 'the database refuses writes (transaction_read_only is on)';
      if (!r.can_insert) return `the collector role may not INSERT into ${t('inbox')}`;
      return null;
    },
    async close() {
      await pool.end();
    },
  };
}

/** The store's methods over a connected pool (the schema exists). */
function storeOver(pool: pg.Pool, s: string): LedgerStore {
  const h = pgHelpers(pool, s);
  return { kind: 'postgres', ...pgWrites(pool, h), ...pgReads(pool, h) };
}
