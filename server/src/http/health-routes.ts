import type { FastifyInstance } from 'fastify';

/** Liveness: the process answers HTTP. */
export function registerHealthRoutes(app: FastifyInstance): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
}
