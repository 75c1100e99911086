/**
 * WebSocket close codes. 1xxx are the standard ones; 4xxx mirror HTTP statuses where they can.
 * A 44xx code means "do not reconnect": the client stops and tells the person why. Other 4xxx codes are
 * transient: the client reconnects with backoff.
 */
export const CLOSE_CODES = {
  /** Standard: the server is restarting; reconnect. */
  SERVICE_RESTART: 1012,
  /** Standard: a frame the protocol does not allow (text frames, unknown message types, bad encoding). */
  PROTOCOL_ERROR: 1002,
  /** Standard: a frame larger than `maxPayload`. */
  MESSAGE_TOO_BIG: 1009,
  /** The update could not be decoded or applied; the document is unchanged. */
  INVALID_UPDATE: 4000,
  /** The update touches something outside the document schema. */
  SCHEMA_VIOLATION: 4001,
  /** Updates waiting for missing content exceeded their bound. */
  PENDING_OVERFLOW: 4002,
  /** Awareness misuse: another client's id, oversized state, invalid name or colour. */
  AWARENESS_VIOLATION: 4003,
  /** The handshake (sync step 1) did not arrive in time. */
  HANDSHAKE_TIMEOUT: 4008,
  /** Message or byte rate exceeded. Transient: the client may reconnect after a pause. */
  RATE_LIMITED: 4029,
  /** The client stopped reading and its outgoing buffer overflowed; it resyncs on reconnect. */
  SLOW_CONSUMER: 4030,
  /** Loading the session from the store failed; try again. */
  TRY_AGAIN: 4503,
  /** Do not reconnect: the session does not exist. */
  NOT_FOUND: 4404,
  /** Do not reconnect: the origin is not allowed. */
  FORBIDDEN: 4403,
  /** Do not reconnect: the session was deleted or expired. */
  GONE: 4410,
  /** Do not reconnect: the document reached its size limit. */
  DOCUMENT_TOO_LARGE: 4413,
  /** Do not reconnect: the session has as many people as it allows. */
  SESSION_FULL: 4429,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

/** 44xx: the condition will not change by retrying. */
export function isFinalCloseCode(code: number): boolean {
  return code >= 4400 && code < 4500;
}

/** What the person is told when the server closed for good. */
export const FINAL_CLOSE_MESSAGES: Readonly<Record<number, string>> = {
  [CLOSE_CODES.NOT_FOUND]: 'This session does not exist.',
  [CLOSE_CODES.FORBIDDEN]: 'This page is not allowed to connect to the session.',
  [CLOSE_CODES.GONE]: 'This session has been deleted or has expired.',
  [CLOSE_CODES.DOCUMENT_TOO_LARGE]: 'The document reached its size limit; further edits were refused.',
  [CLOSE_CODES.SESSION_FULL]: 'This session is full.',
};
