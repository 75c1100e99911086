import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import { type RawData, WebSocket } from 'ws';
import { CLOSE_CODES } from '../../../shared/close-codes.js';
import { MESSAGE_TYPES, SYNC_MESSAGE_TYPES } from '../../../shared/protocol.js';
import type { Limits } from '../config.js';
import type { ServerMetrics } from '../observability/metrics.js';
import type { Session } from '../sessions/session.js';
import type { UpdateLimits } from '../sync/apply-update.js';
import { handleMessage } from '../sync/message-handler.js';
import type { Peer } from '../sync/peer.js';
import { closeCodeName } from './close-code-names.js';
import { corkForThisIteration, flushCorked } from './iteration-cork.js';
import { ConnectionBuckets, type ConnectionRates } from './token-bucket.js';

/**
 * One WebSocket's life: it joins its session, meters and feeds each binary frame to the protocol handler,
 * closes itself with the handler's code when a frame is refused, must send sync step 1 before a deadline,
 * answers heartbeats, is closed rather than left to buffer without bound when it stops reading, and leaves
 * the session (taking its awareness with it) when the socket closes for any reason.
 */
export interface SocketPeerOptions {
  readonly limits: Limits;
  /** Made once from `limits` and shared by every connection. */
  readonly rates: ConnectionRates;
  readonly updateLimits: UpdateLimits;
  readonly log: FastifyBaseLogger;
  readonly metrics: ServerMetrics;
  readonly onClosed: (peer: SocketPeer) => void;
}

/** Close reasons travel in the close frame, which allows at most 123 bytes. */
const MAX_CLOSE_REASON_CHARS = 60;
const MESSAGE_TYPE_LABELS: Readonly<Record<number, string>> = {
  [MESSAGE_TYPES.SYNC]: 'sync',
  [MESSAGE_TYPES.AWARENESS]: 'awareness',
  [MESSAGE_TYPES.QUERY_AWARENESS]: 'query_awareness',
};

/**
 * Every open connection holds one of these, so its fields are kept few and made when first needed: the id
 * and the child logger only for logging, the held-frame list only when an update has to wait.
 */
export class SocketPeer implements Peer {
  private connectionId: string | null = null;
  private childLog: FastifyBaseLogger | null = null;
  /** Cleared by every heartbeat, set again by the pong that answers it. */
  alive = true;
  private closing = false;
  /** Update frames waiting for content this connection has not sent yet (never inside the document). */
  private held: Uint8Array[] | null = null;
  private heldBytes = 0;
  private heldTimer: NodeJS.Timeout | null = null;
  private handshakeTimer: NodeJS.Timeout | null;
  private readonly buckets: ConnectionBuckets;

  constructor(
    private readonly ws: WebSocket,
    readonly session: Session,
    readonly address: string,
    private readonly options: SocketPeerOptions,
  ) {
    this.buckets = new ConnectionBuckets(options.rates, performance.now());
    ws.on('message', this.onMessage);
    ws.on('pong', this.onPong);
    ws.on('error', this.onError);
    // `ws` emits 'close' exactly once; `once` would add a wrapper and its state to every connection.
    ws.on('close', this.onClose);
    // Timers call module-level functions with the peer as argument: no closure per connection.
    this.handshakeTimer = setTimeout(onHandshakeTimeout, options.limits.HANDSHAKE_TIMEOUT_MS, this);
    this.handshakeTimer.unref();
    options.metrics.connections.inc();
    if (logsDebug(options.log)) this.log.debug({ address }, 'connection opened');
    session.join(this);
  }

  /** Random, for logs only; made on first use. */
  get id(): string {
    this.connectionId ??= randomBytes(6).toString('base64url');
    return this.connectionId;
  }

  /** Logger carrying the session and connection ids; made on first use, as most connections never log. */
  get log(): FastifyBaseLogger {
    this.childLog ??= this.options.log.child({ sessionId: this.session.id, connectionId: this.id });
    return this.childLog;
  }

  send(frame: Uint8Array): void {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    // Dropping a frame would silently desynchronise the client; closing lets it resync on reconnect.
    if (this.ws.bufferedAmount + frame.byteLength > this.options.limits.MAX_BUFFERED_BYTES) {
      this.close(CLOSE_CODES.SLOW_CONSUMER, 'outgoing buffer full: the client stopped reading');
      // The close frame queues behind the full buffer a non-reader never drains: free it now.
      this.ws.terminate();
      return;
    }
    corkForThisIteration(this.ws);
    this.ws.send(frame);
    const { traffic } = this.options.metrics;
    traffic.framesOut++;
    traffic.bytesOut += frame.byteLength;
  }

  flush(): void {
    flushCorked(this.ws);
  }

  /** Closes with a code from the shared table; `reason` is logged in full and sent shortened. */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.options.metrics.closes.inc({ code: String(code) });
    const fields = { closeCode: code, closeName: closeCodeName(code), reason };
    if (code !== CLOSE_CODES.SERVICE_RESTART) this.log.info(fields, 'connection closed by server');
    this.ws.close(code, reason.slice(0, MAX_CLOSE_REASON_CHARS));
  }

  /** Drops the socket without a close handshake (dead peers, shutdown stragglers). */
  terminate(reason: string): void {
    this.closing = true;
    this.log.info({ reason }, 'connection terminated');
    this.ws.terminate();
  }

  ping(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
  }

  private refuse(code: number, reason: string): void {
    this.options.metrics.refusedFrames.inc({ reason: closeCodeName(code) });
    this.close(code, reason);
  }

  private readonly onMessage = (data: RawData, isBinary: boolean): void => {
    if (this.closing) return;
    const frame = toOwnedBytes(data);
    const { metrics } = this.options;
    metrics.traffic.bytesIn += frame.byteLength;
    const now = performance.now();
    if (!this.buckets.takeFrame(frame.byteLength, now)) {
      metrics.rateLimited.inc({ scope: 'websocket' });
      this.refuse(CLOSE_CODES.RATE_LIMITED, 'message or byte rate exceeded');
      return;
    }
    if (!isBinary) {
      this.refuse(CLOSE_CODES.PROTOCOL_ERROR, 'text frames are not part of the protocol');
      return;
    }
    const type = frame[0];
    const label = MESSAGE_TYPE_LABELS[type ?? -1] ?? 'other';
    metrics.traffic.framesIn[label] = (metrics.traffic.framesIn[label] ?? 0) + 1;
    if (type === MESSAGE_TYPES.AWARENESS && !this.buckets.takeAwareness(now)) {
      metrics.rateLimited.inc({ scope: 'awareness' });
      this.refuse(CLOSE_CODES.RATE_LIMITED, 'awareness update rate exceeded');
      return;
    }
    const outcome = handleMessage(this.session, this, frame, this.options.updateLimits);
    if (!outcome.ok) {
      if (outcome.deferrable) this.hold(frame);
      else this.refuse(outcome.code, outcome.reason);
      return;
    }
    if (this.held !== null && type === MESSAGE_TYPES.SYNC) this.retryHeld();
    if (
      this.handshakeTimer !== null &&
      type === MESSAGE_TYPES.SYNC &&
      frame[1] === SYNC_MESSAGE_TYPES.STEP1
    ) {
      clearTimeout(this.handshakeTimer);
      this.handshakeTimer = null;
    }
  };

  /**
   * An update that arrived before content it builds on (a client typing while its own resync is on the
   * way) waits here, bounded in bytes and time, and is validated again from scratch when more arrives.
   */
  private hold(frame: Uint8Array): void {
    const { limits } = this.options;
    if (this.heldBytes + frame.byteLength > limits.MAX_PENDING_BYTES) {
      this.refuse(CLOSE_CODES.PENDING_OVERFLOW, 'updates waiting for missing content exceeded their bound');
      return;
    }
    this.held ??= [];
    this.held.push(frame);
    this.heldBytes += frame.byteLength;
    if (this.heldTimer === null) {
      this.heldTimer = setTimeout(onHeldTimeout, limits.PENDING_TIMEOUT_MS, this);
      this.heldTimer.unref();
    }
  }

  private retryHeld(): void {
    const held = this.held ?? [];
    let progress = true;
    while (progress && !this.closing) {
      progress = false;
      for (const frame of [...held]) {
        const outcome = handleMessage(this.session, this, frame, this.options.updateLimits);
        if (!outcome.ok && outcome.deferrable) continue;
        held.splice(held.indexOf(frame), 1);
        this.heldBytes -= frame.byteLength;
        if (!outcome.ok) {
          this.refuse(outcome.code, outcome.reason);
          return;
        }
        progress = true;
      }
    }
    if (held.length === 0) this.dropHeld();
  }

  private dropHeld(): void {
    if (this.heldTimer !== null) clearTimeout(this.heldTimer);
    this.heldTimer = null;
    this.held = null;
    this.heldBytes = 0;
  }

  /** The held updates' deadline passed. */
  heldTimedOut(): void {
    this.heldTimer = null;
    this.refuse(CLOSE_CODES.PENDING_OVERFLOW, 'updates waited too long for missing content');
  }

  /** No sync step 1 arrived in time. */
  handshakeTimedOut(): void {
    this.handshakeTimer = null;
    this.refuse(CLOSE_CODES.HANDSHAKE_TIMEOUT, 'no sync step 1 before the handshake deadline');
  }

  private readonly onPong = (): void => {
    this.alive = true;
  };

  private readonly onError = (error: Error): void => {
    // `ws` reports protocol violations (bad opcodes, oversized frames) here and closes the socket itself.
    this.log.info({ reason: error.message }, 'socket error');
  };

  private readonly onClose = (code: number): void => {
    this.closing = true;
    if (this.handshakeTimer !== null) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
    this.dropHeld();
    this.ws.off('message', this.onMessage);
    this.ws.off('pong', this.onPong);
    this.options.metrics.connections.dec();
    this.session.leave(this);
    this.options.onClosed(this);
    if (logsDebug(this.options.log)) this.log.debug({ closeCode: code }, 'connection closed');
  };
}

function onHeldTimeout(peer: SocketPeer): void {
  peer.heldTimedOut();
}

function onHandshakeTimeout(peer: SocketPeer): void {
  peer.handshakeTimedOut();
}

/** Whether debug lines are written at all: building a per-connection logger for nothing costs memory. */
function logsDebug(log: FastifyBaseLogger): boolean {
  return log.level === 'debug' || log.level === 'trace';
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
