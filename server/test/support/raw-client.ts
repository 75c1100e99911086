import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { MESSAGE_TYPES, SYNC_MESSAGE_TYPES } from '../../../shared/protocol.js';

/**
 * A WebSocket client that speaks raw protocol bytes, for tests that send what no well-behaved client
 * would. `next()` returns the next frame, `closed` the close code.
 */
export interface RawClient {
  readonly socket: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  next(): Promise<Uint8Array>;
  send(bytes: Uint8Array | string): void;
}

export async function openRawClient(
  url: string,
  headers: Record<string, string> = {},
  options: { answerPings?: boolean } = {},
): Promise<RawClient> {
  const socket = new WebSocket(url, { headers, autoPong: options.answerPings ?? true });
  const queue: Uint8Array[] = [];
  const waiters: Array<(frame: Uint8Array) => void> = [];
  socket.on('message', (data) => {
    const frame = new Uint8Array(data as Buffer);
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else queue.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade refused with ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
  return {
    socket,
    closed,
    next: () => {
      const frame = queue.shift();
      if (frame) return Promise.resolve(frame);
      return new Promise((resolve) => waiters.push(resolve));
    },
    send: (bytes) => socket.send(bytes),
  };
}

/** `[type, subtype?, varUint8Array(payload)]` as the y-websocket protocol frames it. */
export function syncFrame(subType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPES.SYNC);
  encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function updateFrame(update: Uint8Array): Uint8Array {
  return syncFrame(SYNC_MESSAGE_TYPES.UPDATE, update);
}

export function awarenessFrame(
  entries: Array<{ clientId: number; clock: number; state: unknown }>,
): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(inner, clientId);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, JSON.stringify(state));
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPES.AWARENESS);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
  return encoding.toUint8Array(encoder);
}

/** An update that inserts `text` into `code` from a fresh client. */
export function textInsertUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('code').insert(0, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
