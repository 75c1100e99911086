import { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * Frames sent to a peer in one iteration of the event loop leave in one system call instead of one each:
 * everything the socket reads of that iteration produced (every typist's edit when nothing is held for the
 * store, the cursor moves that come with them). Uncorking on the next tick instead would write once per
 * incoming frame, i.e. once per typist per peer. `setImmediate` runs right after the poll phase, so this
 * adds no wait beyond the iteration itself; frames a store commit releases are flushed at once.
 */
export function corkForThisIteration(ws: WebSocket): void {
  const socket = rawSocket(ws);
  // `ws` corks only around one frame's header and body and uncorks before returning: a corked socket
  // here is corked by us, and its uncork is already scheduled.
  if (socket === undefined || socket.writableCorked > 0) return;
  socket.cork();
  if (corkedSockets.push(socket) === 1) setImmediate(uncorkAll);
}

/** Writes out what this iteration has corked on `ws` now; the uncork at its end then finds nothing to do. */
export function flushCorked(ws: WebSocket): void {
  const socket = rawSocket(ws);
  if (socket !== undefined && socket.writableCorked > 0) socket.uncork();
}

/** Sockets corked during this iteration of the event loop; one immediate uncorks them all at its end. */
let corkedSockets: Socket[] = [];

function uncorkAll(): void {
  const sockets = corkedSockets;
  corkedSockets = [];
  // A socket flushed earlier is no longer corked, and uncorking it again does nothing.
  for (const socket of sockets) socket.uncork();
}

/** `ws` keeps its TCP socket private; corking needs it. */
function rawSocket(ws: WebSocket): Socket | undefined {
  const socket = (ws as unknown as { _socket?: unknown })._socket;
  return socket instanceof Socket ? socket : undefined;
}
