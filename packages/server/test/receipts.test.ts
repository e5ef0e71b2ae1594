// @vitest-environment node
import { subjectId, uuidv7 } from '@allparty/core';
import { verifyReceipt } from '@allparty/ledger';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type LogServer, type ServerOptions } from '../src/index';
import { kinds, makeRecord, type TestStore, testStore } from './helpers';

const SITE = 'https://shop.example.com';
const URL_ = '/v1/receipts/latest';

for (const kind of kinds) {
  describe(`visitor receipts on ${kind}`, () => {
    let ts: TestStore;
    let server: LogServer;
    const start = async (options: ServerOptions = {}) => {
      ts = testStore(kind);
      server = await createServer({
        store: ts.option,
        dataDir: ts.dir,
        auditorTokens: ['auditor-secret'],
        corsOrigins: [SITE],
        sealIntervalMs: 60_000,
        checkpointIntervalMs: 7_000,
        ...options,
      });
      return server;
    };
    afterEach(async () => {
      await server?.close();
      await ts?.cleanup();
    });
    const store = async (...records: ReturnType<typeof makeRecord>[]) => {
      const res = await server.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ records }),
      });
      expect(res.json().results.map((r: { status: string }) => r.status)).toEqual(
        records.map(() => 'stored'),
      );
    };
    /** What the banner sends: the state's subject and last record id, as text/plain JSON. */
    const ask = (body: unknown, headers: Record<string, string> = {}) =>
      server.app.inject({
        method: 'POST',
        url: URL_,
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: SITE, ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
    /** A visitor with two decisions: accepted a minute ago, then withdrew replay. */
    const visitor = async () => {
      const subject = subjectId();
      const given = makeRecord({ subject }, Date.now() - 60_000);
      const withdrawn = makeRecord(
        {
          subject,
          previous: given.id,
          event: 'withdrawn',
          purposes: { replay: false },
          vendors: { hotjar: false },
        },
        Date.now() - 1_000,
      );
      await store(given, withdrawn);
      return { subject, given, withdrawn };
    };

    it('serves the latest decision as an HTML receipt that verifies under the log key, without the auditor token', async () => {
      await start();
      const v = await visitor();
      await store(makeRecord()); // someone else
      await server.flush();
      // The browser names the record it knows; the receipt is of the subject's newest one.
      const res = await ask({ subject: v.subject, record: v.given.id });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="consent-receipt-${v.withdrawn.id}.html"`,
      );
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-allparty-receipt-record']).toBe(v.withdrawn.id);
      expect(res.headers['access-control-allow-origin']).toBe(SITE);
      const check = verifyReceipt(res.rawPayload, { publicKey: server.keys.publicKey });
      expect(check.problems).toEqual([]);
      expect(check.ok).toBe(true);
      expect(check.receipt?.record).toMatchObject({
        id: v.withdrawn.id,
        subject: v.subject,
        event: 'withdrawn',
      });
      expect(check.receipt?.summary).toContain('You refused: replay.');
      expect(check.receipt?.proof.treeSize).toBe(3);
      // Changing one byte of what was served breaks it.
      const copy = Buffer.from(res.rawPayload);
      const at = copy.indexOf('You refused');
      copy[at] = copy[at]! ^ 0x01;
      expect(verifyReceipt(copy, { publicKey: server.keys.publicKey }).ok).toBe(false);
    });

    it('answers JSON for Accept: application/json, also when named by the newest record', async () => {
      await start({ auditorTokens: [] });
      const v = await visitor();
      await server.flush();
      const res = await ask({ subject: v.subject, record: v.withdrawn.id }, { accept: 'application/json' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json()).toMatchObject({ receipt: 'allparty.receipt/1', record: { id: v.withdrawn.id } });
      expect(verifyReceipt(res.body, { publicKey: server.keys.publicKey }).ok).toBe(true);
    });

    it('says 409 with Retry-After while the latest decision is pending or not yet in a checkpoint, then serves it', async () => {
      await start();
      const v = await visitor();
      await server.flush();
      const later = makeRecord({ subject: v.subject, previous: v.withdrawn.id }, Date.now());
      await store(later);
      const pending = await ask({ subject: v.subject, record: v.given.id });
      expect(pending.statusCode).toBe(409);
      expect(pending.headers['retry-after']).toBe('7');
      expect(pending.headers['cache-control']).toBe('no-store');
      expect(pending.json()).toEqual({
        error: expect.stringMatching(/not in a signed checkpoint yet/),
        reason: 'pending',
        record: later.id,
        retryAfter: 7,
      });
      await server.store.seal();
      const uncovered = await ask({ subject: v.subject, record: v.given.id });
      expect(uncovered.statusCode).toBe(409);
      expect(uncovered.json()).toMatchObject({ reason: 'uncovered', record: later.id });
      await server.flush();
      const served = await ask({ subject: v.subject, record: v.given.id });
      expect(served.statusCode).toBe(200);
      expect(served.headers['x-allparty-receipt-record']).toBe(later.id);
    });

    it('refuses to enumerate: another subject, an unknown record and a half capability all learn nothing', async () => {
      await start();
      const v = await visitor();
      const other = await visitor();
      await server.flush();
      const wrongSubject = await ask({ subject: other.subject, record: v.given.id });
      const unknown = await ask({ subject: v.subject, record: uuidv7() });
      const guessed = await ask({ subject: subjectId(), record: uuidv7() });
      for (const res of [wrongSubject, unknown, guessed]) {
        expect(res.statusCode).toBe(404);
        expect(res.body).toBe(wrongSubject.body);
        expect(res.body).not.toContain(v.subject);
      }
      for (const body of [
        { subject: v.subject },
        { record: v.given.id },
        { subject: v.subject, record: 'not-a-uuid' },
        { subject: 'a b', record: v.given.id },
        { subject: [v.subject], record: v.given.id },
        '[]',
        'null',
      ]) {
        const res = await ask(body);
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toMatch(/"subject"/);
      }
    });

    it('serves the configured site origins and the log’s own origin only', async () => {
      await start();
      const v = await visitor();
      await server.flush();
      const capability = { subject: v.subject, record: v.given.id };
      const evil = await ask(capability, { origin: 'https://evil.example' });
      expect(evil.statusCode).toBe(403);
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
      expect(evil.body).not.toContain(v.subject);
      const sibling = await ask(capability, { origin: 'https://shop.example.com.evil.example' });
      expect(sibling.statusCode).toBe(403);
      // A page on the log's own origin (a same-site endpoint behind a proxy keeps the Host).
      expect(
        (await ask(capability, { origin: 'http://localhost:8080', host: 'localhost:8080' })).statusCode,
      ).toBe(200);
      expect(
        (await ask(capability, { origin: 'https://www.example.org', 'sec-fetch-site': 'same-origin' }))
          .statusCode,
      ).toBe(200);
      // A tool without a page (no Origin) still needs the capability.
      const tool = await server.app.inject({
        method: 'POST',
        url: URL_,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(capability),
      });
      expect(tool.statusCode).toBe(200);
    });

    it('is rate-limited like the other visitor routes', async () => {
      await start({ rateLimit: { max: 2, windowMs: 60_000 } });
      const v = await visitor();
      await server.flush();
      const codes: number[] = [];
      for (let i = 0; i < 3; i++)
        codes.push((await ask({ subject: v.subject, record: v.given.id })).statusCode);
      expect(codes).toEqual([200, 200, 429]);
    });

    it('is served under the prefix', async () => {
      await start({ prefix: '/consent' });
      const subject = subjectId();
      const r = makeRecord({ subject });
      const posted = await server.app.inject({
        method: 'POST',
        url: '/consent/v1/records',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ records: [r] }),
      });
      expect(posted.statusCode).toBe(200);
      await server.flush();
      const res = await server.app.inject({
        method: 'POST',
        url: `/consent${URL_}`,
        headers: { 'content-type': 'text/plain', origin: SITE },
        payload: JSON.stringify({ subject, record: r.id }),
      });
      expect(res.statusCode).toBe(200);
      expect((await ask({ subject, record: r.id })).statusCode).toBe(404);
    });
  });
}
