/** Operations: `/healthz` for the load balancer and `/metrics` for Prometheus. */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';

/** Registers the operations routes. */
export function registerOperationsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store, metrics, prefix } = ctx;

  app.get(`${prefix}/healthz`, async (_req, reply) => {
    const problems = await ctx.health.check();
    if (problems.length === 0) return { ok: true, store: store.kind };
    return reply.code(503).send({ ok: false, store: store.kind, error: problems.join('; '), problems });
  });

  // Counts and sizes are for operators: behind the auditor token like the other reads.
  app.get(`${prefix}/metrics`, { preHandler: ctx.auditor }, async (_req, reply) => {
    const [size, pending, latest] = await Promise.all([
      store.treeSize(),
      store.pendingCount(),
      store.latestCheckpoint('seal'),
    ]);
    metrics.treeSize.set(size);
    metrics.pending.set(pending);
    metrics.checkpointSize.set(latest?.size ?? 0);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
