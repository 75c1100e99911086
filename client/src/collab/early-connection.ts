/**
 * The session's connection, opened by the app shell before the session page (and Monaco, most of the
 * page's weight) has loaded: the WebSocket handshake and the document's sync then happen while the editor
 * downloads and starts, instead of after it. The session page adopts the connection when it connects and
 * from then on owns it (and destroys it); a page that never comes discards it here.
 *
 * Until then it also watches the session's language: a Python session starts loading Python at once.
 */
import type { AwarenessUser } from '../../../shared/awareness-user.js';
import { preloadPythonEarly } from '../run/early-python.js';
import { SessionConnection } from './session-connection.js';

let waiting: SessionConnection | null = null;

/** Opens the connection to `sessionId` for the page that is about to load. */
export function openEarlyConnection(sessionId: string, user: AwarenessUser): void {
  if (waiting?.sessionId === sessionId) return;
  discardEarlyConnection();
  const connection = new SessionConnection(sessionId, user);
  // The session page's controller replaces this listener when it adopts the connection.
  connection.listen(() => {
    if ((connection.language ?? connection.announcedLanguage) === 'python') preloadPythonEarly();
  });
  waiting = connection;
}

/** Hands the connection opened for `sessionId` to its new owner, or null when there is none. */
export function adoptEarlyConnection(sessionId: string): SessionConnection | null {
  const connection = waiting?.sessionId === sessionId ? waiting : null;
  if (connection !== null) waiting = null;
  return connection;
}

/** Closes a connection nobody adopted (the session page failed to load). */
export function discardEarlyConnection(): void {
  waiting?.destroy();
  waiting = null;
}
