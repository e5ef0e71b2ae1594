// @vitest-environment node
// Review scenario of issue 19 defect 6: anonymous requests added permanent data no record
// refers to (`POST /v1/notices` stored any text, and nobody can delete it).
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type LogServer } from '../src/index';
import { kinds, makeRecord, type TestStore, testStore } from './helpers';

for (const kind of kinds)
  describe(`what anonymous requests may add, on ${kind}`, () => {
    let ts: TestStore;
    let server: LogServer;
    afterEach(async () => {
      await server?.close();
      await ts?.cleanup();
    });
    const post = (url: string, body: unknown) =>
      server.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });

    it('stores a notice text only when a record the log took refers to it', async () => {
      ts = testStore(kind);
      server = await createServer({
        store: ts.option,
        dataDir: ts.dir,
        sealIntervalMs: 60_000,
        checkpointIntervalMs: 60_000,
      });
      const text = 'Any text at all, that no record refers to.';
      const hash = createHash('sha256').update(text).digest('hex');
      const stray = await post('/v1/notices', { hash, text });
      expect(stray.statusCode).toBe(409);
      expect(await server.store.getNotice(hash)).toBeNull();
      // A record that refers to it: the log asks for the text, and takes it.
      const answer = await post('/v1/records', {
        records: [makeRecord({ notice: { id: 'main', version: '1', language: 'en', hash } })],
      });
      expect(answer.json().notices).toEqual([hash]);
      expect((await post('/v1/notices', { hash, text })).json()).toEqual({ hash, status: 'stored' });
      expect(await server.store.getNotice(hash)).toBe(text);
      expect((await post('/v1/notices', { hash, text })).json()).toEqual({ hash, status: 'duplicate' });
    });
  });

describe('bounds per request, visitor and sender', () => {
  let ts: TestStore;
  let server: LogServer;
  afterEach(async () => {
    await server?.close();
    await ts?.cleanup();
  });
  const post = (body: string) =>
    server.app.inject({
      method: 'POST',
      url: '/v1/records',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });

  it('refuses a body larger than a browser sends, and answers 429 past a visitor’s or a sender’s hourly bound', async () => {
    ts = testStore('sqlite');
    server = await createServer({
      store: ts.option,
      dataDir: ts.dir,
      limits: { recordsPerSubjectPerHour: 3, bytesPerIpPerHour: 20_000 },
      sealIntervalMs: 60_000,
      checkpointIntervalMs: 60_000,
    });
    // 263,600 bytes in one request (the review's): over the 64 KiB a browser's queue never exceeds.
    const huge = JSON.stringify({
      records: [makeRecord({ controller: { name: 'x'.repeat(256) } })],
      pad: 'x'.repeat(263_000),
    });
    expect((await post(huge)).statusCode).toBe(413);
    const subject = makeRecord().subject;
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push((await post(JSON.stringify({ records: [makeRecord({ subject })] }))).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    // The sender's bytes: other visitors from the same address run out too.
    let last = 200;
    for (let i = 0; i < 40 && last === 200; i++)
      last = (await post(JSON.stringify({ records: [makeRecord()] }))).statusCode;
    const limited = await post(JSON.stringify({ records: [makeRecord()] }));
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
