import type { IncomingMessage } from 'node:http';
import { CLOSE_CODES } from '../../../shared/close-codes.js';
import { isSessionId, WS_BASE_PATH } from '../../../shared/session-id.js';
import type { Session } from '../sessions/session.js';
import type { SessionRegistry } from '../sessions/session-registry.js';

/**
 * Decides whether an upgrade request may become a WebSocket, before the handshake. Raw upgrades bypass
 * Fastify's hooks and rate limits, so the WebSocket limits are enforced here and in the gateway (which
 * counts connections per client address): the origin, a well-formed id of a session that exists, and room
 * in that session.
 * Nothing here creates a session.
 */
export type Admission =
  | { readonly kind: 'admit'; readonly session: Session }
  /**
   * Accept the handshake only to close at once with a code the client shows: a 44xx code stops it
   * reconnecting, TRY_AGAIN (no session: it could not be loaded) makes it retry with backoff.
   */
  | {
      readonly kind: 'close';
      readonly session: Session | null;
      readonly code: number;
      readonly reason: string;
    }
  | { readonly kind: 'refuse'; readonly status: number; readonly code: string; readonly reason: string };

export interface AdmissionContext {
  readonly registry: SessionRegistry;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly maxPeersPerSession: number;
}

const PATH_PREFIX = `${WS_BASE_PATH}/`;

/** The session id in `/ws/<id>[?query]`, or `null` when the path has another shape. */
export function sessionIdFromUrl(url: string | undefined): string | null {
  if (url === undefined || !url.startsWith(PATH_PREFIX)) return null;
  const queryStart = url.indexOf('?');
  const id = url.slice(PATH_PREFIX.length, queryStart === -1 ? undefined : queryStart);
  return isSessionId(id) ? id : null;
}

/**
 * Browsers send `Origin` on every WebSocket and apply no CORS to it: a page elsewhere could otherwise
 * act in a session with its visitor's network position. Same origin means the Origin's host is the Host
 * the request was made to; other origins must be listed. Clients that are not browsers send no Origin.
 */
export function isOriginAllowed(request: IncomingMessage, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.has(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

export async function admitUpgrade(request: IncomingMessage, context: AdmissionContext): Promise<Admission> {
  if (!isOriginAllowed(request, context.allowedOrigins))
    return refusal(403, 'FORBIDDEN_ORIGIN', 'origin not allowed');
  const id = sessionIdFromUrl(request.url);
  if (id === null) return refusal(404, 'NOT_FOUND', 'malformed session path');
  let session: Session | null;
  try {
    session = await context.registry.load(id);
  } catch (error) {
    // The stored data is left as it is; only this session is affected, and the client retries.
    const reason = `session could not be loaded: ${error instanceof Error ? error.message : error}`;
    return { kind: 'close', session: null, code: CLOSE_CODES.TRY_AGAIN, reason };
  }
  if (session === null) return refusal(404, 'NOT_FOUND', 'unknown session');
  if (session.peerCount >= context.maxPeersPerSession) {
    return { kind: 'close', session, code: CLOSE_CODES.SESSION_FULL, reason: 'session full' };
  }
  return { kind: 'admit', session };
}

function refusal(status: number, code: string, reason: string): Admission {
  return { kind: 'refuse', status, code, reason };
}
