/**
 * Session ids are 22 base64url characters: 132 bits, of which the generator fills 128 from a CSPRNG
 * (16 random bytes, base64url without padding). The format check runs before any lookup so malformed ids
 * never reach the registry.
 */
export const SESSION_ID_LENGTH = 22;

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID_PATTERN.test(value);
}

/** The share path a person opens in the browser. */
export function sharePath(id: string): string {
  return `/s/${id}`;
}

/** The WebSocket path; y-websocket appends the room (the id) to a base URL ending in `/ws`. */
export const WS_BASE_PATH = '/ws';

export function websocketPath(id: string): string {
  return `${WS_BASE_PATH}/${id}`;
}
