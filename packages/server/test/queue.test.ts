// @vitest-environment node
import { createConsent, createRecordQueue, memoryStorage, parseConfig } from '@allparty/core';
import { verifyLog } from '@allparty/ledger';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type LogServer } from '../src/index';
import { type TestStore, testStore } from './helpers';

// The browser's record queue (core) against the real server: what one sends, the other takes.

const vendors = [
  {
    id: 'hotjar',
    legalName: 'Hotjar Ltd',
    purposes: ['replay'],
    hosts: ['*.hotjar.com'],
    capturesContents: true,
  },
];

describe('record queue → log server', () => {
  let ts: TestStore;
  let server: LogServer;
  afterEach(async () => {
    await server.close();
    await ts.cleanup();
  });

  it('delivers records, notice texts and the cookie, and the log verifies', async () => {
    ts = testStore('sqlite');
    server = await createServer({
      store: ts.option,
      dataDir: ts.dir,
      cookie: { name: 'allparty' },
      sealIntervalMs: 60_000,
      checkpointIntervalMs: 60_000,
    });
    const parsed = parseConfig(
      { vendors: { hotjar: { siteId: '1' } }, log: { endpoint: '/consent' } },
      { vendors },
    );
    if (!parsed.ok) throw new Error('config');
    const storage = memoryStorage();
    const consent = createConsent({
      config: parsed.config,
      vendors,
      storage,
      userActivation: () => true,
      gpc: () => false,
      page: () => ({ origin: 'https://shop.example', path: '/checkout' }),
    });
    consent.setNotice('  We use   Hotjar to record\nyour clicks and what you type. ', 'en');
    const setCookies: string[] = [];
    const fetch = async (url: string, init: RequestInit) => {
      const res = await server.app.inject({
        method: 'POST',
        url: url.replace(/^\/consent/, ''),
        headers: { 'content-type': 'application/json' },
        payload: String(init.body),
      });
      if (res.headers['set-cookie']) setCookies.push(String(res.headers['set-cookie']));
      return new Response(res.body, {
        status: res.statusCode,
        headers: { 'content-type': 'application/json' },
      });
    };
    const queue = createRecordQueue(consent, {
      endpoint: '/consent',
      storage: null,
      fetch,
      sendBeacon: null,
      events: null,
      cookie: () => storage.read(),
    });
    consent.addLoad({
      kind: 'held',
      vendor: 'hotjar',
      host: 'static.hotjar.com',
      via: 'script',
      t: 3,
      record: null,
    });
    consent.acceptAll();
    await queue.flush();
    consent.withdraw();
    await queue.flush();
    expect(queue.pending()).toEqual([]);

    const cp = await server.flush();
    expect(cp?.size).toBe(2);
    const rows = await server.store.records({ limit: 10 });
    const records = rows.map((r) => JSON.parse(r.body.toString()));
    expect(records.map((r) => r.event)).toEqual(['given', 'withdrawn']);
    expect(records[0].loads).toEqual([
      { kind: 'held', vendor: 'hotjar', host: 'static.hotjar.com', via: 'script', t: 3, record: null },
    ]);
    expect(records[1].previous).toBe(records[0].id);
    // The notice text arrived once and its hash checked out on the server.
    expect(await server.store.getNotice(records[0].notice.hash)).toBe(
      'We use Hotjar to record your clicks and what you type.',
    );
    expect(setCookies.at(-1)).toBe(`allparty=${storage.read()}; Path=/; Max-Age=31536000; SameSite=Lax`);
    expect((await verifyLog(server.store, { publicKey: server.keys.publicKey })).ok).toBe(true);
  });
});
