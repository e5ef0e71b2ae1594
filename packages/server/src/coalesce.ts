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

/**
 * Batches lookups: keys asked for during one turn of the event loop go to `lookup` together,
 * one query for many requests; each caller gets the found subset of its own keys.
 */
export function createLookupCoalescer(lookup: (keys: readonly string[]) => Promise<Set<string>>) {
  let waiting: Array<{
    keys: readonly string[];
    resolve(found: Set<string>): void;
    reject(e: unknown): void;
  }> = [];
  const run = () => {
    const batch = waiting;
    waiting = [];
    const keys = new Set<string>();
    for (const w of batch) for (const k of w.keys) keys.add(k);
    lookup([...keys]).then(
      (found) => {
        for (const w of batch) w.resolve(new Set(w.keys.filter((k) => found.has(k))));
      },
      (error: unknown) => {
        for (const w of batch) w.reject(error);
      },
    );
  };
  return (keys: readonly string[]): Promise<Set<string>> =>
    new Promise((resolve, reject) => {
      if (waiting.length === 0) setImmediate(run);
      waiting.push({ keys, resolve, reject });
    });
}
