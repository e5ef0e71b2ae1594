/**
 * The background work of one server: sealing inbox records into the tree, signing checkpoints
 * and pruning. One round at a time per server (the store's lock keeps servers apart); a failed
 * round is counted and the next one tries again.
 */
import type { Checkpoint, CheckpointSigner, InboxCheck, LedgerStore } from '@allparty/ledger';
import type { Metrics } from './metrics';

/** Options for {@link createSealer}. */
export interface SealerOptions {
  sealIntervalMs: number;
  checkpointIntervalMs: number;
  retentionDays: number | null;
  pruneIntervalMs: number;
  /** Checks each inbox row against its tag before it is sealed. */
  check?: InboxCheck;
  /** Called after each signing round (to send the newest checkpoint to the witnesses). */
  afterSigning?: () => Promise<void>;
}

/** The running sealer. */
export interface Sealer {
  /** Seals everything pending and signs a checkpoint now. */
  flush(): Promise<Checkpoint | null>;
  /** Stops the timers, then seals and signs what is left. */
  stop(): Promise<void>;
  /** Why the last sealing or signing round failed, or null when it succeeded. */
  problem(): string | null;
}

/** Starts the sealing, signing and pruning timers. */
export function createSealer(
  store: LedgerStore,
  signer: CheckpointSigner,
  metrics: Metrics,
  options: SealerOptions,
): Sealer {
  let sealing: Promise<unknown> = Promise.resolve();
  const sealAll = async () => {
    for (;;) {
      const r = await store.seal(5000, options.check);
      if (!r || r.sealed < 5000) return;
    }
  };
  let lastProblem: string | null = null;
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = sealing.then(fn, fn);
    sealing = run.then(
      () => {
        lastProblem = null;
      },
      (error: unknown) => {
        lastProblem = error instanceof Error ? error.message : String(error);
        metrics.sealErrors.inc();
      },
    );
    return run;
  };
  const sign = async () => {
    const cp = await serial(() => store.checkpoint(signer));
    await options.afterSigning?.();
    return cp;
  };
  const timers = [
    setInterval(() => void serial(sealAll).catch(() => {}), options.sealIntervalMs),
    setInterval(() => void sign().catch(() => {}), options.checkpointIntervalMs),
  ];
  if (options.retentionDays != null) {
    const days = options.retentionDays;
    const prune = () => serial(() => store.prune(Date.now() - days * 86_400_000, signer)).catch(() => {});
    timers.push(setInterval(() => void prune(), options.pruneIntervalMs));
  }
  for (const t of timers) t.unref();
  return {
    problem: () => lastProblem,
    flush: async () => {
      const cp = await serial(async () => {
        await sealAll();
        return store.checkpoint(signer);
      });
      await options.afterSigning?.();
      return cp;
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      await serial(async () => {
        await sealAll();
        await store.checkpoint(signer);
      }).catch(() => {});
      await options.afterSigning?.().catch(() => {});
    },
  };
}
