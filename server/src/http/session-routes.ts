import type { FastifyInstance } from 'fastify';
import type { CreateSessionResponse, SessionInfo } from '../../../shared/api.js';
import { isSessionId, sharePath } from '../../../shared/session-id.js';
import type { Config } from '../config.js';
import { SessionCapacityError, type SessionRegistry } from '../sessions/session-registry.js';
import type { DurablePersistence } from '../store/durable-persistence.js';
import { hashToken, newOwnerToken } from '../store/owner-token.js';
import { parseCreateSessionBody } from './create-session-body.js';
import { ProblemError } from './problem.js';

const ONE_MINUTE = 60_000;

/** `POST /api/sessions` and `GET /api/sessions/:id`. */
export function registerSessionRoutes(
  app: FastifyInstance,
  config: Config,
  registry: SessionRegistry,
  persistence: DurablePersistence,
): void {
  const { limits } = config;
  // JSON escapes may take six bytes per content byte; the content limit itself is checked after parsing.
  const bodyLimit = limits.MAX_CONTENT_BYTES * 6 + 4096;

  app.post(
    '/api/sessions',
    { bodyLimit, config: { rateLimit: { max: limits.SESSION_CREATES_PER_MINUTE, timeWindow: ONE_MINUTE } } },
    async (request, reply) => {
      const initial = parseCreateSessionBody(request.body, limits.MAX_CONTENT_BYTES);
      // Shown once, in this answer; only its hash is stored.
      const ownerToken = newOwnerToken();
      let id: string;
      try {
        id = (await registry.create({ ...initial, ownerTokenHash: hashToken(ownerToken) })).id;
      } catch (error) {
        if (error instanceof SessionCapacityError) {
          throw new ProblemError(
            503,
            'SERVER_FULL',
            'Server full',
            'No more sessions can be opened right now.',
            {
              'Retry-After': '60',
            },
          );
        }
        throw error;
      }
      request.log.info({ sessionId: id }, 'session created');
      const body: CreateSessionResponse = { id, url: sharePath(id), ownerToken };
      // The answer carries the owner token: no cache may keep it.
      return reply
        .code(201)
        .header('Location', `/api/sessions/${id}`)
        .header('Cache-Control', 'no-store')
        .send(body);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/sessions/:id',
    { config: { rateLimit: { max: limits.API_REQUESTS_PER_MINUTE, timeWindow: ONE_MINUTE } } },
    async (request) => {
      const { id } = request.params;
      const session = isSessionId(id) ? await registry.load(id) : null;
      // Expired but not yet swept counts as gone.
      const record = session === null ? null : await persistence.describe(id);
      if (session === null || record === null)
        throw new ProblemError(404, 'SESSION_NOT_FOUND', 'Session not found', 'No session has this id.');
      const info: SessionInfo = {
        id: session.id,
        language: session.language,
        createdAt: session.createdAt.toISOString(),
        connections: session.peerCount,
        documentBytes: session.documentBytes,
        expiresAt: new Date(record.expiresAt).toISOString(),
        runLimits: {
          maxRunsKept: limits.MAX_RUNS_KEPT,
          maxOutputBytes: limits.MAX_RUN_OUTPUT_BYTES,
          maxOutputLines: limits.MAX_RUN_OUTPUT_LINES,
        },
      };
      return info;
    },
  );
}
