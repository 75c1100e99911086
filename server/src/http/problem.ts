import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../../../shared/api.js';
import { StoreUnavailableError } from '../store/durable-persistence.js';
import { CorruptSessionDataError } from '../store/types.js';

/**
 * RFC 9457 problem details. Every error answer of the REST API is one of these, rendered by the single
 * error handler below; `code` is stable and meant for programs, `detail` for people.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const PROBLEM_TYPE_BASE = 'https://code-collab.dev/problems/';

export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    /** Extra response headers, e.g. `Retry-After`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail ?? title);
  }
}

export function problemBody(status: number, code: string, title: string, detail?: string): Problem {
  const problem: Problem = {
    type: `${PROBLEM_TYPE_BASE}${code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status,
    code,
  };
  if (detail !== undefined) problem.detail = detail;
  return problem;
}

/** Fastify's own error codes that reach the handler, mapped to ours. */
const FRAMEWORK_ERRORS: Readonly<Record<string, { code: string; title: string }>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported media type' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', title: 'Request body too large' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'INVALID_BODY', title: 'Invalid request body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'INVALID_JSON', title: 'Request body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'INVALID_BODY', title: 'Invalid request body' },
};

function toProblem(error: FastifyError | ProblemError): {
  problem: Problem;
  headers: Record<string, string>;
} {
  if (error instanceof CorruptSessionDataError || error instanceof StoreUnavailableError) {
    // One session's stored data cannot be read (or not yet): say so, without the details, which are logged.
    const detail = 'This session cannot be loaded right now; other sessions are not affected.';
    return {
      problem: problemBody(503, 'SESSION_UNAVAILABLE', 'Session unavailable', detail),
      headers: { 'Retry-After': '30' },
    };
  }
  if (error instanceof ProblemError) {
    return {
      problem: problemBody(error.status, error.code, error.title, error.detail),
      headers: { ...error.headers },
    };
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    return { problem: problemBody(500, 'INTERNAL', 'Internal server error'), headers: {} };
  }
  const known = FRAMEWORK_ERRORS[error.code];
  if (known) return { problem: problemBody(status, known.code, known.title, error.message), headers: {} };
  if (error instanceof SyntaxError) {
    return {
      problem: problemBody(400, 'INVALID_JSON', 'Request body is not valid JSON', error.message),
      headers: {},
    };
  }
  return { problem: problemBody(status, 'BAD_REQUEST', 'Bad request', error.message), headers: {} };
}

export function sendProblem(
  reply: FastifyReply,
  problem: Problem,
  headers: Record<string, string> = {},
): FastifyReply {
  return reply.code(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/** Installs the one error handler and the API's not-found handler. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ProblemError, request: FastifyRequest, reply: FastifyReply) => {
    const { problem, headers } = toProblem(error);
    if (problem.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ code: problem.code, status: problem.status }, 'request refused');
    }
    return sendProblem(reply, problem, headers);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(
      reply,
      problemBody(404, 'NOT_FOUND', 'Not found', `No resource answers ${request.method} here.`),
    ),
  );
}
