import type { FastifyInstance } from 'fastify';
import type { ServerMetrics } from '../observability/metrics.js';
import { PROBLEM_CONTENT_TYPE, problemBody } from './problem.js';

export interface HealthSources {
  readonly metrics: ServerMetrics;
  /** Whether the server takes new sessions and connections right now (false while shutting down). */
  isReady(): boolean;
  /** Why it is not ready, for the answer's detail. */
  notReadyDetail?(): string;
}

/**
 * `/healthz`: the process answers (liveness; restart it when this fails).
 * `/readyz`: it should get traffic (readiness; take it out of rotation when this fails).
 * `/metrics`: Prometheus text format.
 */
export function registerHealthRoutes(app: FastifyInstance, sources: HealthSources): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (sources.isReady()) return { status: 'ready' };
    return reply
      .code(503)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        problemBody(
          503,
          'NOT_READY',
          'Not ready',
          sources.notReadyDetail?.() ?? 'The server is shutting down.',
        ),
      );
  });
  app.get('/metrics', async (_request, reply) => {
    const body = await sources.metrics.registry.metrics();
    return reply.type(sources.metrics.registry.contentType).send(body);
  });
}
