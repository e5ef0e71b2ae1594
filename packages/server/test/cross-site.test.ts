// @vitest-environment node
// Review scenario: any website could set a visitor's consent cookie through the log with an
// auto-submitting <form enctype="text/plain"> (defect 1 of issue 19).
import { type ConsentState, encodeState } from '@allparty/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type LogServer } from '../src/index';
import { makeRecord, type TestStore, testStore } from './helpers';

const SITE = 'https://shop.example.com';

describe('cross-site writes', () => {
  let ts: TestStore;
  let server: LogServer;
  const start = async () => {
    ts = testStore('sqlite');
    server = await createServer({
      store: ts.option,
      dataDir: ts.dir,
      corsOrigins: [SITE],
      cookie: { name: 'allparty' },
      sealIntervalMs: 60_000,
      checkpointIntervalMs: 60_000,
    });
  };
  afterEach(async () => {
    await server?.close();
    await ts?.cleanup();
  });

  const allGranted = (record: ReturnType<typeof makeRecord>): string => {
    const state: ConsentState = {
      subject: record.subject,
      lastRecord: record.id,
      purposes: { replay: { granted: true, fingerprint: 'a'.repeat(16), at: Date.now() } },
      vendors: { hotjar: true },
    };
    return encodeState(state);
  };
  // What an auto-submitting <form enctype="text/plain"> on another site sends: the browser
  // names the attacker's page in Origin and marks the request cross-site.
  const formPost = (payload: unknown, headers: Record<string, string>) =>
    server.app.inject({
      method: 'POST',
      url: '/v1/records',
      headers: { 'content-type': 'text/plain', ...headers },
      payload: JSON.stringify(payload),
    });

  it('refuses a cross-site form post: 403, no Set-Cookie, nothing stored', async () => {
    await start();
    const record = makeRecord();
    for (const headers of [
      { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' },
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'cross-site' },
      // A sibling subdomain is same-site but not a configured origin.
      { origin: 'https://uploads.example.com', 'sec-fetch-site': 'same-site' },
    ]) {
      const answer = await formPost({ records: [record], cookie: allGranted(record) }, headers);
      expect(answer.statusCode, JSON.stringify(headers)).toBe(403);
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
    expect(await server.store.pendingCount()).toBe(0);
    const notice = await server.app.inject({
      method: 'POST',
      url: '/v1/notices',
      headers: {
        'content-type': 'text/plain',
        origin: 'https://attacker.example',
        'sec-fetch-site': 'cross-site',
      },
      payload: JSON.stringify({ hash: 'c'.repeat(64), text: 'x' }),
    });
    expect(notice.statusCode).toBe(403);
  });

  it('echoes a cookie only when it is the state the record it came with leaves behind', async () => {
    await start();
    const site = { origin: SITE, 'sec-fetch-site': 'cross-site' };
    // A refusal sent with an all-granted cookie: stored, but the cookie is not echoed.
    const refused = makeRecord({ event: 'refused', purposes: { replay: false }, vendors: { hotjar: false } });
    const forged = await formPost({ records: [refused], cookie: allGranted(refused) }, site);
    expect(forged.statusCode).toBe(200);
    expect(forged.headers['set-cookie']).toBeUndefined();
    // A cookie naming another record or subject is not echoed either.
    const given = makeRecord();
    const other = makeRecord();
    const elsewhere = await formPost({ records: [given], cookie: allGranted(other) }, site);
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.headers['set-cookie']).toBeUndefined();
    // The state the grant leaves behind is echoed.
    const own = makeRecord();
    const answer = await formPost({ records: [own], cookie: allGranted(own) }, site);
    expect(answer.statusCode).toBe(200);
    expect(String(answer.headers['set-cookie'])).toContain(`allparty=${allGranted(own).slice(0, 20)}`);
    // A garbled value is refused like any other bad field.
    const bad = await formPost({ records: [makeRecord()], cookie: '1.AAAA.000000000000' }, site);
    expect(bad.statusCode).toBe(400);
  });

  it('still takes records from tools that send no Origin (curl, a server-side relay)', async () => {
    await start();
    const answer = await formPost({ records: [makeRecord()] }, {});
    expect(answer.statusCode).toBe(200);
  });
});
