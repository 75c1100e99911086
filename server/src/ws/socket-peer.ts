import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { type RawData, WebSocket } from 'ws';
import { CLOSE_CODES } from '../../../shared/close-codes.js';
import type { Session } from '../sessions/session.js';
import type { UpdateLimits } from '../sync/apply-update.js';
import { handleMessage } from '../sync/message-handler.js';
import type { Peer } from '../sync/peer.js';

/**
 * One WebSocket's life: it joins its session, feeds each binary frame to the protocol handler, closes
 * itself with the handler's code when a frame is refused, answers heartbeats, and leaves the session
 * (taking its awareness with it) when the socket closes for any reason.
 */
export interface SocketPeerOptions {
  readonly updateLimits: UpdateLimits;
  readonly log: FastifyBaseLogger;
  readonly onClosed: (peer: SocketPeer) => void;
}

/** Close reasons travel in the close frame, which allows at most 123 bytes. */
const MAX_CLOSE_REASON_CHARS = 60;

export class SocketPeer implements Peer {
  readonly id = randomBytes(6).toString('base64url');
  readonly log: FastifyBaseLogger;
  /** Cleared by every heartbeat, set again by the pong that answers it. */
  alive = true;
  private closing = false;

  constructor(
    private readonly ws: WebSocket,
    readonly session: Session,
    private readonly options: SocketPeerOptions,
  ) {
    this.log = options.log.child({ sessionId: session.id, connectionId: this.id });
    ws.on('message', this.onMessage);
    ws.on('pong', this.onPong);
    ws.on('error', this.onError);
    ws.once('close', this.onClose);
    this.log.debug('connection opened');
    session.join(this);
  }

  send(frame: Uint8Array): void {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(frame);
  }

  /** Closes with a code from the shared table; `reason` is logged in full and sent shortened. */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.log.info({ closeCode: code, reason }, 'connection closed by server');
    this.ws.close(code, reason.slice(0, MAX_CLOSE_REASON_CHARS));
  }

  /** Drops the socket without a close handshake (dead peers). */
  terminate(reason: string): void {
    this.closing = true;
    this.log.info({ reason }, 'connection terminated');
    this.ws.terminate();
  }

  ping(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
  }

  private readonly onMessage = (data: RawData, isBinary: boolean): void => {
    if (this.closing) return;
    if (!isBinary) {
      this.close(CLOSE_CODES.PROTOCOL_ERROR, 'text frames are not part of the protocol');
      return;
    }
    const outcome = handleMessage(this.session, this, toOwnedBytes(data), this.options.updateLimits);
    if (!outcome.ok) this.close(outcome.code, outcome.reason);
  };

  private readonly onPong = (): void => {
    this.alive = true;
  };

  private readonly onError = (error: Error): void => {
    // `ws` reports protocol violations (bad opcodes, oversized frames) here and closes the socket itself.
    this.log.info({ reason: error.message }, 'socket error');
  };

  private readonly onClose = (code: number): void => {
    this.closing = true;
    this.ws.off('message', this.onMessage);
    this.ws.off('pong', this.onPong);
    this.session.leave(this);
    this.options.onClosed(this);
    this.log.debug({ closeCode: code }, 'connection closed');
  };
}

/**
 * A copy of the frame in a buffer of its own. `ws` may hand out views into a larger buffer, and lib0's
 * decoders would read past a view's end into unrelated bytes instead of failing.
 */
function toOwnedBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  return new Uint8Array(data);
}
