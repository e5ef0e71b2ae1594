// @vitest-environment node
// The smaller findings of issue 19 (defect 9), each on both stores.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type LogServer } from '../src/index';
import { kinds, makeRecord, type TestStore, testStore } from './helpers';

const TOKEN = 'auditor-secret';

for (const kind of kinds)
  describe(`smaller findings on ${kind}`, () => {
    let ts: TestStore;
    let server: LogServer;
    const start = async () => {
      ts = testStore(kind);
      server = await createServer({
        store: ts.option,
        dataDir: ts.dir,
        auditorTokens: [TOKEN],
        sealIntervalMs: 60_000,
        checkpointIntervalMs: 60_000,
      });
    };
    afterEach(async () => {
      await server?.close();
      await ts?.cleanup();
    });
    const post = (payload: string | Buffer, type = 'application/json') =>
      server.app.inject({ method: 'POST', url: '/v1/records', headers: { 'content-type': type }, payload });
    const get = (url: string, authorization = `Bearer ${TOKEN}`) =>
      server.app.inject({ method: 'GET', url, headers: { authorization } });

    it('answers 409 to another record under a known id, and duplicate to a true retry', async () => {
      await start();
      const record = makeRecord();
      expect((await post(JSON.stringify({ records: [record] }))).statusCode).toBe(200);
      const retry = await post(JSON.stringify({ records: [record] }));
      expect(retry.json().results).toEqual([{ id: record.id, status: 'duplicate' }]);
      const other = await post(JSON.stringify({ records: [{ ...record, event: 'refused' }] }));
      expect(other.statusCode).toBe(409);
      expect(other.json().results[0]).toMatchObject({
        status: 'rejected',
        reason: expect.stringMatching(/another record/),
      });
    });

    it('answers 400 to a time bound past the range of dates, without the database error', async () => {
      await start();
      const res = await get('/v1/records?from=99999999999999999999999');
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toMatch(/bigint|out of range|SQL/i);
    });

    it('keeps /metrics behind the auditor token and takes the bearer scheme in any case', async () => {
      await start();
      expect((await get('/metrics', '')).statusCode).toBe(401);
      expect((await get('/metrics', `bearer ${TOKEN}`)).statusCode).toBe(200);
      expect((await get('/v1/checkpoints', `BEARER ${TOKEN}`)).statusCode).toBe(200);
    });

    it('refuses bytes that are not UTF-8 instead of replacing them', async () => {
      await start();
      const json = JSON.stringify({ records: [makeRecord({ controller: { name: 'Caf\u00e9 Ltd' } })] });
      const bytes = Buffer.from(json, 'utf8');
      // Cut the two bytes of "é" to one: invalid UTF-8.
      const at = bytes.indexOf(Buffer.from('\u00e9', 'utf8'));
      const broken = Buffer.concat([bytes.subarray(0, at + 1), bytes.subarray(at + 2)]);
      for (const type of ['application/json', 'text/plain']) {
        const res = await post(broken, type);
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toMatch(/UTF-8/);
      }
      expect(await server.store.pendingCount()).toBe(0);
    });

    it('pages /v1/checkpoints', async () => {
      await start();
      for (let i = 0; i < 3; i++) {
        await post(JSON.stringify({ records: [makeRecord()] }));
        await server.flush();
      }
      const first = (await get('/v1/checkpoints?limit=2')).json();
      expect(first.checkpoints).toHaveLength(2);
      expect(first.next).toBe(2);
      const rest = (await get('/v1/checkpoints?offset=2&limit=2')).json();
      expect(rest.checkpoints.map((c: { size: number }) => c.size)).toEqual([3]);
      expect(rest.next).toBeNull();
      expect((await get('/v1/checkpoints?limit=100000')).statusCode).toBe(400);
    });
  });
