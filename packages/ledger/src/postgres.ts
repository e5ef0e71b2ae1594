/**
 * The shared store: PostgreSQL (pg). Many collectors insert into the inbox at once, as a role
 * that may only INSERT there and read the rest; one sealer at a time (an advisory lock) writes
 * the log as the owner. Records are partitioned by month of decision; UPDATE and DELETE on the
 * log are revoked and refused by triggers (pruning, run by the owner, is the one exception).
 */
import { UUID } from '@allparty/core';
import pg from 'pg';
import { type Checkpoint, signCheckpoint } from './checkpoint';
import { frontierKeys, type NodeKey, rootFromFrontier, type TreeNode } from './merkle';
import {
  type CheckpointSigner,
  frontierFrom,
  type IngestEntry,
  type IngestResult,
  type LedgerStore,
  nodeKey,
  planLeaves,
  type RecordQuery,
  type StoredRecord,
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
CREATE TABLE IF NOT EXISTS ${t('records')} (
  seq bigint NOT NULL,
  id uuid NOT NULL,
  at bigint NOT NULL,
  subject text NOT NULL,
  body bytea NOT NULL,
  PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
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
GRANT INSERT ON ${t('inbox')}, ${t('notices')} TO "${app}";
GRANT USAGE ON ALL SEQUENCES IN SCHEMA "${s}" TO "${app}";`
    : ''
}
`;
}

/** Opens a PostgreSQL ledger, creating its schema, tables, triggers and app role if missing. */
export async function openPostgresStore(options: PostgresStoreOptions = {}): Promise<LedgerStore> {
  const s = options.schema ?? 'allparty';
  const app = options.appRole === undefined ? 'allparty_app' : options.appRole;
  if (!IDENT.test(s)) throw new Error(`postgres store: schema "${s}" is not a plain identifier`);
  if (app !== null && !IDENT.test(app))
    throw new Error(`postgres store: role "${app}" is not a plain identifier`);
  const t = (name: string) => `"${s}".${name}`;
  const pool = new pg.Pool({
    ...(options.connectionString ? { connectionString: options.connectionString } : {}),
    max: options.max ?? 10,
    // Every connection starts as the app role (a startup parameter, so no extra round trip).
    ...(app ? { options: `-c role=${app}` } : {}),
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  // Advisory lock keys: one for migrations, one for the sealer, per schema.
  const lockKey = (n: number) => `pg_advisory_xact_lock(${n}, hashtext('${s}'))`;
  const tryLock = `SELECT pg_try_advisory_xact_lock(7, hashtext('${s}')) AS ok`;

  /** Runs `fn` in a transaction as the owner (the session user), optionally under the seal lock. */
  const owner = async <T>(
    fn: (c: pg.PoolClient) => Promise<T>,
    lock: 'seal' | 'wait' | null,
  ): Promise<T | null> => {
    const c = await pool.connect();
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
      await c.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      c.release();
    }
  };

  // The migration creates the app role, so it runs on a connection of its own that does not
  // start as that role (on a fresh cluster the pool's startup parameter would name a missing role).
  const setup = new pg.Client(options.connectionString ? { connectionString: options.connectionString } : {});
  await setup.connect();
  try {
    await setup.query('BEGIN');
    await setup.query(`SELECT ${lockKey(6)}`);
    await setup.query(migration(s, app));
    await setup.query('COMMIT');
  } catch (error) {
    await setup.query('ROLLBACK').catch(() => {});
    await pool.end();
    throw error;
  } finally {
    await setup.end();
  }

  const partitions = new Set<string>();
  const ensurePartitions = async (c: pg.PoolClient, ats: readonly number[]) => {
    for (const at of ats) {
      const d = new Date(at);
      const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      const to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      const name = `records_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
      if (partitions.has(name)) continue;
      await c.query(
        `CREATE TABLE IF NOT EXISTS ${t(name)} PARTITION OF ${t('records')} FOR VALUES FROM (${from}) TO (${to})`,
      );
      partitions.add(name);
    }
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
  const nowOf = (signer: CheckpointSigner) => (signer.now ?? Date.now)();

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
        (_, r) => `($${4 * r + 2}::uuid, $${4 * r + 3}::bigint, $${4 * r + 4}::text, $${4 * r + 5}::bytea)`,
      );
      text = `INSERT INTO ${t('inbox')} (id, at, subject, received_at, body)
        SELECT k.id, k.at, k.subject, $1, k.body FROM (VALUES ${values.join(',')}) AS k(id, at, subject, body)
         WHERE k.id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM ${t('records')} r WHERE r.id = k.id AND r.at = k.at)
        ON CONFLICT (id) DO NOTHING RETURNING id`;
      ingestText.set(rows, text);
    }
    const values: Array<string | number | Buffer | null> = [receivedAt];
    for (const e of part) values.push(e.id, e.at, e.subject, e.body);
    for (let r = part.length; r < rows; r++) values.push(null, null, null, null);
    // Prepared statements live per connection, and this pool's connections serve this schema only.
    return { name: `allparty_ingest_${rows}`, text, values };
  };

  return {
    kind: 'postgres',
    async ingest(entries: readonly IngestEntry[]): Promise<IngestResult[]> {
      if (entries.length === 0) return [];
      const stored = new Set<string>();
      const receivedAt = Date.now();
      // One statement (one commit) per INGEST_ROWS records; group commit hands over fewer.
      for (let i = 0; i < entries.length; i += INGEST_ROWS) {
        const { rows } = await pool.query<{ id: string }>(
          ingestQuery(entries.slice(i, i + INGEST_ROWS), receivedAt),
        );
        for (const r of rows) stored.add(r.id);
      }
      // A repeated id within the batch is stored once, for its first occurrence.
      return entries.map((e) => (stored.delete(e.id) ? 'stored' : 'duplicate'));
    },
    async putNotice(hash, text) {
      const { rowCount } = await pool.query(
        `INSERT INTO ${t('notices')} (hash, text, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [hash, text, Date.now()],
      );
      return rowCount === 1 ? 'stored' : 'duplicate';
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
    async seal(limit = 5000) {
      return owner(async (c) => {
        const n = await size(c);
        // Bodies stay in the database: PostgreSQL hashes them (the verifier re-hashes them itself).
        // The oldest inbox rows first (the LIMIT inside), then one index probe each for a repeat:
        // the cost follows the batch, not the size of the log.
        const pending = await c.query(
          `SELECT i.n, i.at, sha256('\\x00'::bytea || i.body) AS leaf,
                  EXISTS (SELECT 1 FROM ${t('records')} r WHERE r.id = i.id AND r.at = i.at) AS sealed
             FROM (SELECT n, id, at, body FROM ${t('inbox')} ORDER BY n LIMIT $1) i ORDER BY i.n`,
          [limit],
        );
        if (pending.rows.length === 0) return { sealed: 0, size: n };
        const rows = pending.rows as Array<{ n: string; at: string; leaf: Buffer; sealed: boolean }>;
        const fresh = rows.filter((r) => !r.sealed);
        const nodes = planLeaves(
          n,
          await frontier(c, n),
          fresh.map((r) => r.leaf),
        );
        await ensurePartitions(
          c,
          fresh.map((r) => Number(r.at)),
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
        const cp = signCheckpoint(
          {
            origin: signer.origin,
            kind: 'seal',
            size: n,
            root: rootFromFrontier(await frontier(c, n)).toString('base64'),
            time: new Date(nowOf(signer)).toISOString(),
          },
          signer.keys,
        );
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
        const cp = signCheckpoint(
          {
            origin: signer.origin,
            kind: 'prune',
            size: k,
            root: rootFromFrontier(hashes).toString('base64'),
            time: new Date(nowOf(signer)).toISOString(),
            frontier: hashes.map((h) => h.toString('base64')),
          },
          signer.keys,
        );
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
    async treeSize() {
      return size(pool);
    },
    async pendingCount() {
      return Number((await pool.query(`SELECT count(*) AS n FROM ${t('inbox')}`)).rows[0].n);
    },
    async checkpoints() {
      const { rows } = await pool.query(`SELECT body FROM ${t('checkpoints')} ORDER BY n`);
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
    async close() {
      await pool.end();
    },
  };
}
