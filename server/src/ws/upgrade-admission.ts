import type { IncomingMessage } from 'node:http';
import { isSessionId, WS_BASE_PATH } from '../../../shared/session-id.js';
import type { Session } from '../sessions/session.js';
import type { SessionRegistry } from '../sessions/session-registry.js';

/**
 * Decides whether an upgrade request may become a WebSocket, before the handshake: the path must name a
 * well-formed id of a session that exists. Nothing here creates a session.
 */
export type Admission =
  | { readonly admitted: true; readonly session: Session }
  | { readonly admitted: false; readonly status: number; readonly code: string; readonly reason: string };

export interface AdmissionContext {
  readonly registry: SessionRegistry;
}

const PATH_PREFIX = `${WS_BASE_PATH}/`;

/** The session id in `/ws/<id>[?query]`, or `null` when the path has another shape. */
export function sessionIdFromUrl(url: string | undefined): string | null {
  if (url === undefined || !url.startsWith(PATH_PREFIX)) return null;
  const queryStart = url.indexOf('?');
  const id = url.slice(PATH_PREFIX.length, queryStart === -1 ? undefined : queryStart);
  return isSessionId(id) ? id : null;
}

export async function admitUpgrade(request: IncomingMessage, context: AdmissionContext): Promise<Admission> {
  const id = sessionIdFromUrl(request.url);
  if (id === null) return refusal(404, 'NOT_FOUND', 'malformed session path');
  let session: Session | null;
  try {
    session = await context.registry.load(id);
  } catch (error) {
    return refusal(
      503,
      'TRY_AGAIN',
      `session could not be loaded: ${error instanceof Error ? error.message : error}`,
    );
  }
  if (session === null) return refusal(404, 'NOT_FOUND', 'unknown session');
  return { admitted: true, session };
}

function refusal(status: number, code: string, reason: string): Admission {
  return { admitted: false, status, code, reason };
}
