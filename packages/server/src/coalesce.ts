import type { IngestEntry, IngestResult, LedgerStore } from '@allparty/ledger';

/**
 * Group commit for the ingest path: records of requests that arrive while earlier writes are
 * committing wait and go together in the next write — one transaction (SQLite) or one INSERT
 * (PostgreSQL) for many single-record requests, so a commit's flush to disk is shared. Each
 * caller is answered only after the write holding its records has committed.
 */
export function createIngestCoalescer(
  store: LedgerStore,
  options: { maxEntries?: number; maxInFlight?: number } = {},
) {
  const maxEntries = options.maxEntries ?? 1000;
  const maxInFlight = options.maxInFlight ?? 4;
  const queue: Array<{
    entries: readonly IngestEntry[];
    resolve(r: IngestResult[]): void;
    reject(e: unknown): void;
  }> = [];
  let scheduled = false;
  let inFlight = 0;

  const pump = () => {
    scheduled = false;
    while (queue.length && inFlight < maxInFlight) {
      const take: typeof queue = [];
      let count = 0;
      while (queue.length && (take.length === 0 || count + queue[0]!.entries.length <= maxEntries)) {
        const next = queue.shift()!;
        take.push(next);
        count += next.entries.length;
      }
      inFlight++;
      store
        .ingest(take.flatMap((t) => t.entries))
        .then(
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
        )
        .finally(() => {
          inFlight--;
          pump();
        });
    }
  };

  return (entries: readonly IngestEntry[]): Promise<IngestResult[]> =>
    new Promise((resolve, reject) => {
      queue.push({ entries, resolve, reject });
      if (!scheduled && inFlight < maxInFlight) {
        scheduled = true;
        setImmediate(pump);
      }
    });
}
