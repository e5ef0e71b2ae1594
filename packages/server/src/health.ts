/**
 * What `/healthz` checks: that the store answers and could take a write now (not a read-only
 * standby, not a full disk, not a revoked grant), that the last write to it did not fail, and
 * that the sealer keeps up (no acknowledged record waits longer than a stated bound to be sealed,
 * and the newest sealed records get a signed checkpoint in time). A load balancer that takes an
 * unhealthy instance out of rotation sends records to one that can keep its promise.
 */
import type { LedgerStore } from '@allparty/ledger';

/** Options for {@link createHealth}. */
export interface HealthOptions {
  /** Longest a received record may wait to be sealed before the server reports itself unhealthy, ms. */
  sealStallMs: number;
  /** Longest the tree may grow without a signed checkpoint covering it, ms. */
  signStallMs: number;
  /** Longest a health check may wait for the store, ms. @default 2000 */
  timeoutMs?: number;
}

/** Why the last sealing round failed, or null (filled in once the sealer runs). */
export type SealerProblem = () => string | null;

/** The server's health. */
export interface Health {
  /** Notes the outcome of a write the collector made. */
  wrote(error?: unknown): void;
  /** Problems now; empty when healthy. */
  check(): Promise<string[]>;
}

const within = <T>(ms: number, what: string, p: Promise<T>): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    p.then(resolve, reject).finally(() => clearTimeout(timer));
  });

/** Tracks and checks the health of one server over its store. */
export function createHealth(
  store: LedgerStore,
  options: HealthOptions,
  sealerProblem: { get: SealerProblem },
): Health {
  let lastWriteError: { at: number; message: string } | null = null;
  const timeout = options.timeoutMs ?? 2000;
  return {
    wrote(error) {
      lastWriteError = error
        ? { at: Date.now(), message: error instanceof Error ? error.message : String(error) }
        : null;
    },
    async check() {
      const problems: string[] = [];
      try {
        await within(timeout, 'the store', store.ping());
        const [writeProblem, oldest, size, latest] = await within(
          timeout,
          'the store',
          Promise.all([
            store.writeProblem(),
            store.oldestPendingAt(),
            store.treeSize(),
            store.latestCheckpoint('seal'),
          ]),
        );
        if (writeProblem) problems.push(writeProblem);
        const now = Date.now();
        if (oldest !== null && now - oldest > options.sealStallMs)
          problems.push(
            `the sealer is stalled: the oldest unsealed record was received ${Math.round((now - oldest) / 1000)} s ago (bound ${Math.round(options.sealStallMs / 1000)} s)`,
          );
        if (latest && size > latest.size && now - Date.parse(latest.time) > options.signStallMs)
          problems.push(
            `signing is stalled: positions ${latest.size}–${size - 1} have no signed checkpoint since ${latest.time}`,
          );
      } catch (error) {
        problems.push((error as Error).message);
      }
      const sealing = sealerProblem.get();
      if (sealing) problems.push(`the last sealing round failed: ${sealing}`);
      if (lastWriteError)
        problems.push(
          `the last write to the store failed ${new Date(lastWriteError.at).toISOString()}: ${lastWriteError.message}`,
        );
      return problems;
    },
  };
}
