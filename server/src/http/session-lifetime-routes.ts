import type { FastifyInstance } from 'fastify';
import { SESSION_DOWNLOAD_BASENAME } from '../../../shared/api.js';
import { CLOSE_CODES } from '../../../shared/close-codes.js';
import { DOC_ROOTS } from '../../../shared/document-schema.js';
import { LANGUAGES } from '../../../shared/languages.js';
import { isSessionId } from '../../../shared/session-id.js';
import type { Config } from '../config.js';
import type { SessionRegistry } from '../sessions/session-registry.js';
import type { DurablePersistence } from '../store/durable-persistence.js';
import { tokenMatchesHash } from '../store/owner-token.js';
import { bearerToken } from './bearer-token.js';
import { ProblemError } from './problem.js';

const ONE_MINUTE = 60_000;

function notFound(): ProblemError {
  return new ProblemError(404, 'SESSION_NOT_FOUND', 'Session not found', 'No session has this id.');
}

/** The token of `Authorization: Bearer <token>`, or `null` when the header is missing or has another scheme. */
/** What outlives a connection: downloading the code, and deleting a session with its owner token. */
export function registerSessionLifetimeRoutes(
  app: FastifyInstance,
  config: Config,
  registry: SessionRegistry,
  persistence: DurablePersistence,
): void {
  const rateLimit = { max: config.limits.API_REQUESTS_PER_MINUTE, timeWindow: ONE_MINUTE };

  app.get<{ Params: { id: string } }>(
    '/api/sessions/:id/content',
    { config: { rateLimit } },
    async (request, reply) => {
      const { id } = request.params;
      const session = isSessionId(id) ? await registry.load(id) : null;
      if (session === null) throw notFound();
      const fileName = `${SESSION_DOWNLOAD_BASENAME}.${LANGUAGES[session.language].extension}`;
      return reply
        .header('Content-Type', 'text/plain; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${fileName}"`)
        .header('Cache-Control', 'no-store')
        .send(session.doc.getText(DOC_ROOTS.CODE).toString());
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/sessions/:id',
    { config: { rateLimit } },
    async (request, reply) => {
      const { id } = request.params;
      const record = isSessionId(id) ? await persistence.describe(id) : null;
      if (record === null) throw notFound();
      const token = bearerToken(request);
      if (token === null) {
        throw new ProblemError(
          401,
          'OWNER_TOKEN_REQUIRED',
          'Owner token required',
          'Send Authorization: Bearer <ownerToken>.',
          {
            'WWW-Authenticate': 'Bearer',
          },
        );
      }
      if (!tokenMatchesHash(token, record.ownerTokenHash)) {
        throw new ProblemError(
          403,
          'OWNER_TOKEN_INVALID',
          'Not the owner',
          'This owner token does not match the session.',
        );
      }
      // The store first: a join racing with the deletion then finds nothing to load.
      await persistence.delete(id);
      registry.evict(id, CLOSE_CODES.GONE, 'the session was deleted');
      request.log.info({ sessionId: id }, 'session deleted by its owner');
      return reply.code(204).send();
    },
  );
}
