// @vitest-environment node
// Review scenario of issue 19 defect 6: behind a load balancer (--trust-proxy), every distinct
// X-Forwarded-For passed the per-IP rate limit.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type LogServer, type ServerOptions } from '../src/index';
import { makeRecord, type TestStore, testStore } from './helpers';

describe('behind a load balancer', () => {
  let ts: TestStore;
  let server: LogServer;
  const start = async (trustProxy: NonNullable<ServerOptions['trustProxy']>) => {
    ts = testStore('sqlite');
    server = await createServer({
      store: ts.option,
      dataDir: ts.dir,
      trustProxy,
      rateLimit: { max: 5, windowMs: 60_000 },
      ipHmacKey: 'k',
      sealIntervalMs: 60_000,
      checkpointIntervalMs: 60_000,
    });
  };
  afterEach(async () => {
    await server?.close();
    await ts?.cleanup();
  });
  /** A client that makes up a new X-Forwarded-For entry each time; the balancer appends the address it saw. */
  const rotating = (i: number, seen = '203.0.113.7') =>
    server.app.inject({
      method: 'POST',
      url: '/v1/records',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}, ${seen}` },
      payload: JSON.stringify({ records: [makeRecord()] }),
    });

  for (const trust of [true, 1, ['127.0.0.1']] as const)
    it(`counts the address the balancer saw, not what the client wrote (trustProxy ${JSON.stringify(trust)})`, async () => {
      await start(trust as NonNullable<ServerOptions['trustProxy']>);
      const codes: number[] = [];
      for (let i = 0; i < 8; i++) codes.push((await rotating(i)).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      // Another visitor behind the same balancer has an allowance of their own.
      expect((await rotating(99, '203.0.113.8')).statusCode).toBe(200);
    });
});
