import {
  type Consent,
  chunkFile,
  createQueueStore,
  loadScript,
  QUEUE_CHUNK,
  type QueueSender,
  recordWriter,
} from '@allparty/core';

/**
 * The record queue in two parts: each record is stored (localStorage) the moment it is made,
 * here; the code that sends them to the log is a lazy chunk, `allparty-queue.js`, loaded after
 * a decision or at start-up when records of an earlier page view still wait. A returning visitor
 * with nothing queued never downloads it; a record is never lost waiting for it.
 */
export function queueRecords(consent: Consent, endpoint: string, base: string, nonce: string | null): void {
  const store = createQueueStore();
  const write = recordWriter(consent, store);
  let sender: Promise<QueueSender | null> | null = null;
  const send = () => {
    sender ??= loadScript(base + chunkFile(QUEUE_CHUNK, __DEV__), nonce).then((ok) => {
      if (ok && window.allpartyQueue) return window.allpartyQueue(consent, store, { endpoint });
      // Offline, say: the stored records wait for the connection, the next record or page view.
      sender = null;
      addEventListener('online', () => void send(), { once: true });
      return null;
    });
    return sender;
  };
  consent.on('record', (record) => {
    write(record);
    void send().then((s) => s?.queued());
  });
  // A page view that makes no record keeps its ledger for the next record, even a later page view's.
  addEventListener('pagehide', () => write.keep());
  const waiting = store.load();
  if (waiting.records.length || waiting.want.length) void send();
}
