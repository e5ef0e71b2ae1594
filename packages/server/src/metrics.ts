import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The server's Prometheus metrics, in a registry of its own (several servers may share a process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'allparty_server_' });
  return {
    registry,
    records: new Counter({
      name: 'allparty_records_total',
      help: 'Records received, by result (stored, duplicate, rejected).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    notices: new Counter({
      name: 'allparty_notices_total',
      help: 'Notice texts received, by result.',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    batches: new Histogram({
      name: 'allparty_ingest_seconds',
      help: 'Time to validate and durably store one batch.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    treeSize: new Gauge({
      name: 'allparty_tree_size',
      help: 'Records sealed into the Merkle tree.',
      registers: [registry],
    }),
    pending: new Gauge({
      name: 'allparty_pending_records',
      help: 'Records stored but not yet sealed.',
      registers: [registry],
    }),
    checkpointSize: new Gauge({
      name: 'allparty_checkpoint_size',
      help: 'Tree size of the latest signed checkpoint.',
      registers: [registry],
    }),
    witnessErrors: new Counter({
      name: 'allparty_witness_errors_total',
      help: 'Checkpoints a witness did not take (unreachable, or refused: the error says why).',
      labelNames: ['witness', 'error'] as const,
      registers: [registry],
    }),
    sealErrors: new Counter({
      name: 'allparty_seal_errors_total',
      help: 'Sealing or signing rounds that failed.',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
