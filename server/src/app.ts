import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { securityHeadersFor } from '../../shared/security-headers.js';
import type { Config } from './config.js';
import { registerHealthRoutes } from './http/health-routes.js';
import { ProblemError, registerProblemHandlers } from './http/problem.js';
import { registerSessionLifetimeRoutes } from './http/session-lifetime-routes.js';
import { registerSessionRoutes } from './http/session-routes.js';
import { registerStaticRoutes } from './http/static-routes.js';
import { ServerMetrics } from './observability/metrics.js';
import { SessionRegistry } from './sessions/session-registry.js';
import { createPersistence, startExpirySweep } from './store/durability.js';
import type { DurablePersistence } from './store/durable-persistence.js';
import { registerStoreMetrics } from './store/store-metrics.js';
import { registerWebSocketGateway } from './ws/websocket-gateway.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The loaded sessions; read by metrics and tests. */
    readonly sessionRegistry: SessionRegistry;
  }
}

export interface AppOptions {
  /** Where sessions are stored; the configured store (`config.store`) when omitted. */
  readonly persistence?: DurablePersistence;
}

/**
 * The whole server as a Fastify instance that has not started listening: tests call `listen({ port: 0 })`
 * or `inject()`, the process entry listens on the configured port.
 */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel },
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
    // Idle keep-alive connections are closed on shutdown instead of holding `close()` open.
    forceCloseConnections: 'idle',
  });
  // Only JSON bodies exist in this API; text/plain would otherwise be accepted as a string.
  app.removeContentTypeParser('text/plain');

  const { limits } = config;
  const persistence = options.persistence ?? createPersistence(config, app.log);
  const registry = new SessionRegistry({
    persistence,
    idleTtlMs: limits.IDLE_SESSION_TTL_MS,
    maxSessions: limits.MAX_SESSIONS,
    awarenessLimits: {
      maxStateBytes: limits.MAX_AWARENESS_BYTES,
      maxEntriesPerFrame: limits.MAX_PEERS_PER_SESSION + 1,
    },
    log: app.log,
    joinCacheGraceMs: limits.JOIN_CACHE_GRACE_MS,
    joinCacheMaxBytes: limits.JOIN_CACHE_MAX_BYTES,
  });

  const metrics = new ServerMetrics(registry);
  registerStoreMetrics(metrics.registry, persistence);
  let ready = true;
  app.decorate('sessionRegistry', registry);
  app.addHook('preClose', async () => {
    ready = false;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.headers(securityHeadersFor(request.url.split('?')[0] ?? '/'));
  });
  registerProblemHandlers(app);
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      metrics.rateLimited.inc({ scope: 'http' });
      return new ProblemError(
        429,
        'RATE_LIMITED',
        'Too many requests',
        `At most ${context.max} requests per minute; try again in ${Math.ceil(context.ttl / 1000)} s.`,
        { 'Retry-After': String(Math.ceil(context.ttl / 1000)) },
      );
    },
  });

  registerHealthRoutes(app, {
    metrics,
    metricsToken: config.metricsToken,
    isReady: () => ready && !persistence.health().failing,
    notReadyDetail: () =>
      ready
        ? 'The store is failing to take writes; they are kept and retried.'
        : 'The server is shutting down.',
  });
  registerSessionRoutes(app, config, registry, persistence);
  registerSessionLifetimeRoutes(app, config, registry, persistence);
  await registerStaticRoutes(app, config);
  registerWebSocketGateway(app, config, registry, metrics);
  const sweeper = startExpirySweep(persistence, registry, config, app.log);
  app.addHook('onClose', async () => {
    await sweeper.stop();
    // Unloads every session (compacting its log), then waits for the store to take every queued write.
    await registry.close();
  });
  return app;
}
