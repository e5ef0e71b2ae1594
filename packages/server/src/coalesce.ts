import type { IngestEntry, IngestResult, LedgerStore } from '@allparty/ledger';

/**
 * Merges the ingests of requests that arrive in the same event-loop turn into one store write:
 * one transaction (SQLite) or one INSERT (PostgreSQL) for many single-record requests. Each
 * caller is answered only after the write that holds its records has committed.
 */
export function createIngestCoalescer(store: LedgerStore, maxEntries = 500) {
  const queue: Array<{
    entries: readonly IngestEntry[];
    resolve(r: IngestResult[]): void;
    reject(e: unknown): void;
  }> = [];
  let scheduled = false;

  const flush = async () => {
    scheduled = false;
    while (queue.length) {
      const take: typeof queue = [];
      let count = 0;
      while (queue.length && (take.length === 0 || count + queue[0]!.entries.length <= maxEntries)) {
        const next = queue.shift()!;
        take.push(next);
        count += next.entries.length;
      }
      const all = take.flatMap((t) => t.entries);
      // Each flush is its own write; several may be in flight on a pool.
      store.ingest(all).then(
        (results) => {
          let at = 0;
          for (const t of take) {
            t.resolve(results.slice(at, at + t.entries.length));
            at += t.entries.length;
          }
        },
        (error: unknown) => {
          for (const t of take) t.reject(error);
        },
      );
    }
  };

  return (entries: readonly IngestEntry[]): Promise<IngestResult[]> =>
    new Promise((resolve, reject) => {
      queue.push({ entries, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => void flush());
      }
    });
}
