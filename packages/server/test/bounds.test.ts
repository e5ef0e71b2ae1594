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
