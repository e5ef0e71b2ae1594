// @vitest-environment node
import { createHash } from 'node:crypto';
import { encodeState, sha256 } from '@allparty/core';
import {
  createRecordValidator,
  leafHash,
  verifyConsistency,
  verifyInclusion,
  verifyLog,
} from '@allparty/ledger';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type LogServer, type ServerOptions } from '../src/index';
import { kinds, makeRecord, type TestStore, testStore } from './helpers';

const TOKEN = 'auditor-secret';

for (const kind of kinds) {
  describe(`log server on ${kind}`, () => {
    let ts: TestStore;
    let server: LogServer;
    const start = async (options: ServerOptions = {}) => {
      ts = testStore(kind);
      server = await createServer({
        store: ts.option,
        dataDir: ts.dir,
        auditorTokens: [TOKEN],
        corsOrigins: ['https://shop.example.com'],
        sealIntervalMs: 60_000,
        checkpointIntervalMs: 60_000,
        ...options,
      });
      return server;
    };
    afterEach(async () => {
      await server?.close();
      await ts?.cleanup();
    });
    const post = (payload: unknown, headers: Record<string, string> = {}) =>
      server.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: { 'content-type': 'application/json', ...headers },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
    const auditor = (url: string) =>
      server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}` } });
    const nothingStored = async () => {
      expect(await server.store.pendingCount()).toBe(0);
      await server.flush();
      expect(await server.store.treeSize()).toBe(0);
    };

    it('stores a record, acknowledges a repeat as a duplicate, and proves it after sealing', async () => {
      await start();
      const record = makeRecord();
      const first = await post({ records: [record] });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({
        results: [{ id: record.id, status: 'stored' }],
        notices: ['c'.repeat(64)],
        ack: expect.objectContaining({ entries: [[record.id, expect.any(String)]] }),
      });
      expect((await post({ records: [record] })).json().results).toEqual([
        { id: record.id, status: 'duplicate' },
      ]);
      const cp = await server.flush();
      expect(cp?.size).toBe(1);
      expect((await post({ records: [record] })).json().results[0].status).toBe('duplicate');
      const got = (await auditor(`/v1/records/${record.id}`)).json();
      expect(got.status).toBe('sealed');
      expect(got.record).toMatchObject({ ...record, serverTime: expect.any(String) });
      expect(createRecordValidator({ stored: true })(got.record).ok).toBe(true);
      const canonical = leafHash(Buffer.from(JSON.stringify(sortKeys(got.record))));
      expect(canonical.toString('base64')).toBe(got.leafHash);
      const proof = got.proof.hashes.map((h: string) => Buffer.from(h, 'base64'));
      expect(
        verifyInclusion(
          got.proof.leafIndex,
          got.proof.treeSize,
          canonical,
          proof,
          Buffer.from(got.checkpoint.root, 'base64'),
        ),
      ).toBe(true);
      expect((await verifyLog(server.store, { publicKey: server.keys.publicKey })).ok).toBe(true);
    });

    it('answers a batch per record: valid ones stored, bad ones rejected with a reason', async () => {
      await start();
      const good = makeRecord();
      const res = await post({ records: [good, { ...makeRecord(), typed: 'secret' }] });
      expect(res.statusCode).toBe(200);
      expect(res.json().results).toEqual([
        { id: good.id, status: 'stored' },
        {
          id: expect.any(String),
          status: 'rejected',
          reason: expect.stringMatching(/unknown field "typed"/),
        },
      ]);
      await server.flush();
      expect(await server.store.treeSize()).toBe(1);
    });

    const bad: Array<[string, () => unknown, number, RegExp]> = [
      ['truncated JSON', () => JSON.stringify({ records: [makeRecord()] }).slice(0, 120), 400, /JSON/],
      ['a wrong type', () => ({ records: [{ ...makeRecord(), gpc: 'yes' }] }), 400, /gpc/],
      [
        'a huge string',
        () => ({ records: [{ ...makeRecord(), subject: 'x'.repeat(50_000) }] }),
        400,
        /subject/,
      ],
      [
        'an unknown field',
        () => ({ records: [{ ...makeRecord(), chat: 'hello' }] }),
        400,
        /unknown field "chat"/,
      ],
      [
        'an unknown batch field',
        () => ({ records: [makeRecord()], replay: [] }),
        400,
        /unknown field "replay"/,
      ],
      [
        'a wrong schema version',
        () => ({ records: [{ ...makeRecord(), schema: 'allparty.consent-record/9' }] }),
        400,
        /unknown record version/,
      ],
      ['an invalid UUID', () => ({ records: [{ ...makeRecord(), id: '1234' }] }), 400, /\/id/],
      [
        'a query string in the path',
        () => ({ records: [makeRecord({ page: { origin: 'https://a.example', path: '/?email=a@b.c' } })] }),
        400,
        /path/,
      ],
      [
        'a server-set field',
        () => ({ records: [{ ...makeRecord(), ipHmac: 'a'.repeat(64) }] }),
        400,
        /set by the server/,
      ],
      [
        'an id from the future',
        () => ({ records: [makeRecord({}, Date.now() + 10 * 86_400_000)] }),
        400,
        /out of range/,
      ],
      [
        'a __proto__ key',
        () =>
          JSON.stringify({ records: [makeRecord()] }).replace(
            '{"schema"',
            '{"__proto__":{"admin":true},"schema"',
          ),
        400,
        /unknown field "__proto__"/,
      ],
      ['an empty batch', () => ({ records: [] }), 400, /1 to 50/],
      ['a bare array', () => [makeRecord()], 400, /"records" array/],
      [
        'a forged cookie',
        () => ({ records: [makeRecord()], cookie: 'x; Domain=evil.example' }),
        400,
        /cookie/,
      ],
    ];
    for (const [name, body, status, reason] of bad)
      it(`refuses ${name} with ${status} and a reason, and stores nothing`, async () => {
        await start();
        const res = await post(body());
        expect(res.statusCode).toBe(status);
        expect(res.body.replace(/\\"/g, `"`)).toMatch(reason);
        await nothingStored();
      });

    it('refuses a 10 MB body with 413 and stores nothing', async () => {
      await start();
      const res = await post({
        records: [makeRecord({ controller: { name: 'x'.repeat(10 * 1024 * 1024) } })],
      });
      expect(res.statusCode).toBe(413);
      await nothingStored();
    });

    it('accepts JSON sent as text/plain (sendBeacon, no preflight)', async () => {
      await start();
      const record = makeRecord();
      const res = await post({ records: [record] }, { 'content-type': 'text/plain;charset=UTF-8' });
      expect(res.json().results[0].status).toBe('stored');
      expect((await post('{"records":[', { 'content-type': 'text/plain' })).statusCode).toBe(400);
    });

    it('asks for a notice text once, checks its hash and stores it', async () => {
      await start();
      const text = 'We use Hotjar, which records your clicks, scrolling and what you type.';
      const hash = sha256(text);
      expect(hash).toBe(createHash('sha256').update(text).digest('hex'));
      const first = await post({
        records: [makeRecord({ notice: { id: 'main', version: '1', language: 'en', hash } })],
      });
      expect(first.json().notices).toEqual([hash]);
      const wrong = await server.app.inject({
        method: 'POST',
        url: '/v1/notices',
        payload: { hash, text: `${text}!` },
      });
      expect(wrong.statusCode).toBe(400);
      const ok = await server.app.inject({ method: 'POST', url: '/v1/notices', payload: { hash, text } });
      expect(ok.json()).toEqual({ hash, status: 'stored' });
      const again = await post({
        records: [makeRecord({ notice: { id: 'main', version: '1', language: 'en', hash } })],
      });
      expect(again.json().notices).toEqual([]);
      expect((await auditor(`/v1/notices/${hash}`)).json().text).toBe(text);
    });

    it('records the jurisdiction from the edge header and how it was found, and a keyed hash of the IP only', async () => {
      await start({
        jurisdictionHeader: ['x-vercel-ip-country', 'x-vercel-ip-country-region'],
        ipHmacKey: 'k',
      });
      const record = makeRecord();
      await post({ records: [record] }, { 'x-vercel-ip-country': 'US', 'x-vercel-ip-country-region': 'ca' });
      const got = (await auditor(`/v1/records/${record.id}`)).json().record;
      expect(got.jurisdiction).toEqual({
        region: 'US-CA',
        source: 'edge-header',
        header: 'x-vercel-ip-country,x-vercel-ip-country-region',
      });
      expect(got.ipHmac).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(got)).not.toContain('127.0.0.1');
      const plain = makeRecord();
      await post({ records: [plain] });
      expect((await auditor(`/v1/records/${plain.id}`)).json().record.jurisdiction).toEqual({
        region: null,
        source: 'unknown',
      });
    });

    it('echoes the consent cookie with Set-Cookie when configured', async () => {
      await start({ cookie: { name: 'allparty', domain: 'example.com', maxAgeDays: 180 }, trustProxy: true });
      // The state the record leaves behind (a cookie that says anything else is not echoed).
      const stateAfter = (record: ReturnType<typeof makeRecord>) =>
        encodeState({
          subject: record.subject,
          lastRecord: record.id,
          purposes: { replay: { granted: true, fingerprint: 'ab'.repeat(8), at: Date.now() } },
          vendors: { hotjar: true },
        });
      const record = makeRecord();
      const cookie = stateAfter(record);
      const res = await post({ records: [record], cookie }, { 'x-forwarded-proto': 'https' });
      expect(res.headers['set-cookie']).toBe(
        `allparty=${cookie}; Path=/; Max-Age=15552000; SameSite=Lax; Domain=example.com; Secure`,
      );
      const second = makeRecord();
      const http = await post({ records: [second], cookie: stateAfter(second) });
      expect(http.headers['set-cookie']).not.toContain('Secure');
      expect(http.headers['set-cookie']).not.toContain('HttpOnly');
    });

    it('allows CORS only for configured site origins', async () => {
      await start();
      const allowed = await post({ records: [makeRecord()] }, { origin: 'https://shop.example.com' });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example.com');
      const other = await post({ records: [makeRecord()] }, { origin: 'https://evil.example' });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('keeps auditor reads behind the bearer token and serves queries and consistency proofs', async () => {
      await start();
      expect((await server.app.inject({ method: 'GET', url: '/v1/checkpoints/latest' })).statusCode).toBe(
        401,
      );
      expect(
        (
          await server.app.inject({
            method: 'GET',
            url: '/v1/records?subject=x',
            headers: { authorization: 'Bearer nope' },
          })
        ).statusCode,
      ).toBe(401);
      const subject = 'audited-subject-1';
      const t0 = Date.UTC(2026, 0, 5);
      const mine = [0, 1, 2].map((i) => makeRecord({ subject }, t0 + i * 3_600_000));
      await post({ records: [mine[0], makeRecord(), makeRecord()] });
      const cp1 = (await server.flush())!;
      await post({ records: [mine[1], mine[2], makeRecord()] });
      const cp2 = (await server.flush())!;
      const list = (
        await auditor(`/v1/records?subject=${subject}&from=${new Date(t0 + 1).toISOString()}`)
      ).json();
      expect(list.records.map((r: { record: { id: string } }) => r.record.id)).toEqual([
        mine[1]!.id,
        mine[2]!.id,
      ]);
      const latest = (await auditor('/v1/checkpoints/latest')).json();
      expect(latest.checkpoint).toEqual(cp2);
      const c = (await auditor(`/v1/checkpoints/consistency?from=${cp1.size}&to=${cp2.size}`)).json();
      const proof = c.proof.map((h: string) => Buffer.from(h, 'base64'));
      expect(
        verifyConsistency(
          cp1.size,
          cp2.size,
          Buffer.from(cp1.root, 'base64'),
          Buffer.from(cp2.root, 'base64'),
          proof,
        ),
      ).toBe(true);
    });

    it('prunes records past the retention period and leaves a signed prune checkpoint', async () => {
      await start({ retentionDays: 365, pruneIntervalMs: 50 });
      const old = [0, 1, 2].map((i) => makeRecord({}, Date.UTC(2021, 0, 1 + i)));
      const recent = makeRecord();
      await post({ records: [...old, recent] });
      await server.flush();
      await expect
        .poll(async () => (await server.store.latestCheckpoint('prune'))?.size, { timeout: 5000 })
        .toBe(3);
      expect(await server.store.recordById(old[0]!.id)).toBeNull();
      const got = (await auditor(`/v1/records/${recent.id}`)).json();
      expect(got.status).toBe('sealed');
      expect((await verifyLog(server.store, { publicKey: server.keys.publicKey })).ok).toBe(true);
    });

    it('rate-limits the write routes', async () => {
      await start({ rateLimit: { max: 3, windowMs: 60_000 } });
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await post({ records: [makeRecord()] })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
    });

    it('reports health and Prometheus metrics', async () => {
      await start();
      await post({ records: [makeRecord()] });
      await post({ records: [{ bad: true }] });
      expect((await server.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({
        ok: true,
        store: kind,
      });
      expect((await server.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
      const metrics = (await auditor('/metrics')).body;
      expect(metrics).toMatch(/allparty_records_total\{result="stored"\} 1/);
      expect(metrics).toMatch(/allparty_records_total\{result="rejected"\} 1/);
      expect(metrics).toMatch(/allparty_pending_records 1/);
    });
  });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}
