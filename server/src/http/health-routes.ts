import type { FastifyInstance } from 'fastify';
import type { ServerMetrics } from '../observability/metrics.js';
import { bearerToken, tokensMatch } from './bearer-token.js';
import { PROBLEM_CONTENT_TYPE, ProblemError, problemBody } from './problem.js';

export interface HealthSources {
  readonly metrics: ServerMetrics;
  /** Whether the server takes new sessions and connections right now (false while shutting down). */
  isReady(): boolean;
  /** Why it is not ready, for the answer's detail. */
  notReadyDetail?(): string;
  /** `METRICS_TOKEN`: when set, `/metrics` requires it as a bearer token. */
  readonly metricsToken: string | null;
}

/**
 * `/healthz`: the process answers (liveness; restart it when this fails).
 * `/readyz`: it should get traffic (readiness; take it out of rotation when this fails).
 * `/metrics`: Prometheus text format; behind a bearer token when `METRICS_TOKEN` is set, as it tells
 * anyone how busy the server is.
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
  app.get('/metrics', async (request, reply) => {
    const { metricsToken } = sources;
    if (metricsToken !== null) {
      const token = bearerToken(request);
      if (token === null || !tokensMatch(token, metricsToken)) {
        throw new ProblemError(
          401,
          'METRICS_TOKEN_REQUIRED',
          'Metrics token required',
          'Send Authorization: Bearer <METRICS_TOKEN>.',
          { 'WWW-Authenticate': 'Bearer' },
        );
      }
    }
    const body = await sources.metrics.registry.metrics();
    return reply.type(sources.metrics.registry.contentType).send(body);
  });
}
