// @vitest-environment node
// Review scenarios of issue 19 defect 5: a client forged the edge-header provenance, records
// carried impossible times, and a record dated now+23 h was served as a visitor's latest
// decision over their real withdrawal.
import { subjectId } from '@allparty/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type LogServer } from '../src/index';
import { kinds, makeRecord, type TestStore, testStore } from './helpers';

const SITE = 'https://shop.example.com';
const HOUR = 3_600_000;

for (const kind of kinds)
  describe(`provenance and time on ${kind}`, () => {
    let ts: TestStore;
    let server: LogServer;
    const start = async () => {
      ts = testStore(kind);
      server = await createServer({
        store: ts.option,
        dataDir: ts.dir,
        corsOrigins: [SITE],
        auditorTokens: ['t'],
        sealIntervalMs: 60_000,
        checkpointIntervalMs: 60_000,
      });
    };
    afterEach(async () => {
      await server?.close();
      await ts?.cleanup();
    });
    const post = async (record: ReturnType<typeof makeRecord>) => {
      const res = await server.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ records: [record] }),
      });
      return res.json().results[0] as { status: string; reason?: string };
    };

    it('refuses provenance only the server may state', async () => {
      await start();
      const forged = await post(
        makeRecord({ jurisdiction: { region: 'US-TX', source: 'edge-header', header: 'cf-ipcountry' } }),
      );
      expect(forged).toMatchObject({
        status: 'rejected',
        reason: expect.stringMatching(/set by the server/),
      });
      const noSource = await post(
        makeRecord({ jurisdiction: { region: 'US-TX', source: 'config', header: 'x' } }),
      );
      expect(noSource.status).toBe('rejected');
      expect((await post(makeRecord({ clockSkew: 0 }))).status).toBe('rejected');
      expect(await server.store.pendingCount()).toBe(0);
    });

    it('refuses times that contradict each other, and seals a skewed clock instead of trusting it', async () => {
      await start();
      const now = Date.now();
      expect((await post(makeRecord({}, Date.UTC(2019, 5, 1)))).status).toBe('rejected');
      expect((await post(makeRecord({ clientTime: '2031-01-01T00:00:00.000Z' }))).reason).toMatch(
        /clientTime/,
      );
      expect((await post(makeRecord({ expires: '9999-12-31T00:00:00.000Z' }))).reason).toMatch(/expires/);
      // A fast device clock (23 h ahead) and an old queued record are kept, with the skew sealed.
      const ahead = makeRecord({}, now + 23 * HOUR);
      const old = makeRecord({}, now - 30 * 24 * HOUR);
      const onTime = makeRecord({}, now);
      for (const r of [ahead, old, onTime]) expect((await post(r)).status).toBe('stored');
      const body = async (id: string) =>
        JSON.parse((await server.store.recordById(id))!.body.toString()) as {
          clockSkew?: number;
          serverTime: string;
        };
      expect((await body(ahead.id)).clockSkew).toBeGreaterThan(22 * HOUR);
      expect((await body(old.id)).clockSkew).toBeLessThan(-29 * 24 * HOUR);
      expect((await body(onTime.id)).clockSkew).toBeUndefined();
      expect(Math.abs(Date.parse((await body(onTime.id)).serverTime) - now)).toBeLessThan(60_000);
    });

    it('serves the decision the log received last as the latest, whatever time it carries', async () => {
      await start();
      const subject = subjectId();
      // Dated 23 h ahead (a fast clock, or a forgery under a known subject id)...
      const future = makeRecord({ subject }, Date.now() + 23 * HOUR);
      expect((await post(future)).status).toBe('stored');
      await server.flush();
      // ...then the visitor's real withdrawal, made and received now.
      const withdrawal = makeRecord({
        subject,
        previous: future.id,
        event: 'withdrawn',
        method: { type: 'control', control: 'withdraw' },
        purposes: { replay: false },
        vendors: { hotjar: false },
      });
      expect((await post(withdrawal)).status).toBe('stored');
      await server.flush();
      const res = await server.app.inject({
        method: 'POST',
        url: '/v1/receipts/latest',
        headers: { 'content-type': 'text/plain', origin: SITE, accept: 'application/json' },
        payload: JSON.stringify({ subject, record: future.id }),
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-allparty-receipt-record']).toBe(withdrawal.id);
    });
  });
