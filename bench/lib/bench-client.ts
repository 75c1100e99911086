/**
 * One lightweight collaborator: a Y.Doc, an awareness instance and a `ws` socket speaking y-protocols,
 * the way y-websocket's WebsocketProvider does (sync step 1 and the local awareness state on open,
 * every local update broadcast), without its reconnect logic: an unexpected close is a failure.
 */
import { performance } from 'node:perf_hooks';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { DOC_ROOTS } from '../../shared/document-schema.js';
import { MESSAGE_TYPES } from '../../shared/protocol.js';
import type { AwarenessLog, EditLog, EditReceipts } from './edit-log.js';
import type { Dialect } from './wire.js';

export interface BenchClientOptions {
  /** Base URL, `ws://127.0.0.1:<port>`. */
  base: string;
  /** Path of the room on that server (`/ws/<id>` for ours, `/<room>` for y-websocket-server). */
  roomPath: string;
  room: string;
  dialect: Dialect;
  name: string;
  edits?: EditLog;
  cursors?: AwarenessLog;
}

interface CursorPosition {
  anchor: unknown;
  head: unknown;
}

const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#46f0f0'] as const;

export class BenchClient {
  readonly doc = new Y.Doc();
  readonly text: Y.Text = this.doc.getText(DOC_ROOTS.CODE);
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly synced: Promise<void>;
  bytesReceived = 0;
  /** Characters this client inserted, for the no-edit-lost check. */
  insertedChars = 0;
  /** Set when the server closed the socket or sent something unreadable. */
  failure: Error | null = null;
  private readonly socket: WebSocket;
  private readonly receipts: EditReceipts | undefined;
  private closing = false;
  private markSynced!: () => void;
  private failSync!: (error: Error) => void;

  constructor(private readonly options: BenchClientOptions) {
    this.receipts = options.edits?.receiver();
    this.synced = new Promise((resolve, reject) => {
      this.markSynced = resolve;
      this.failSync = reject;
    });
    this.synced.catch(() => undefined);
    const colorIndex = this.doc.clientID % COLORS.length;
    this.awareness.setLocalState({ user: { name: options.name, color: COLORS[colorIndex] } });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this) this.sendSync((encoder) => syncProtocol.writeUpdate(encoder, update));
    });
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => this.noteReceipts(transaction));
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) =>
      this.onAwareness(change, origin),
    );
    this.socket = new WebSocket(options.dialect.url(options.base, options.roomPath, options.room));
    this.socket.binaryType = 'nodebuffer';
    this.socket.on('open', () => this.onOpen());
    this.socket.on('message', (data: Buffer) => this.onFrame(data));
    this.socket.on('close', (code, reason) => this.onClose(code, reason.toString()));
    this.socket.on('error', (error) => this.fail(error));
  }

  /** Opens a client and waits until its first sync completed. */
  static async join(options: BenchClientOptions, timeoutMs = 30_000): Promise<BenchClient> {
    const client = new BenchClient(options);
    const timer = setTimeout(() => client.fail(new Error(`no sync within ${timeoutMs} ms`)), timeoutMs);
    try {
      await client.synced;
    } finally {
      clearTimeout(timer);
    }
    return client;
  }

  /** Inserts text and records the edit's id and time for the latency measurement. */
  insert(index: number, content: string): void {
    const clock = Y.getState(this.doc.store, this.doc.clientID);
    const at = performance.now();
    this.text.insert(index, content);
    this.insertedChars += content.length;
    this.options.edits?.recordInsert(this.doc.clientID, clock, at);
  }

  /** Publishes a cursor as y-monaco does: relative positions in the awareness state. */
  moveCursor(index: number): void {
    const position = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(this.text, index));
    const cursor: CursorPosition = { anchor: position, head: position };
    const at = performance.now();
    this.awareness.setLocalStateField('cursor', cursor);
    const clock = this.awareness.meta.get(this.doc.clientID)?.clock;
    if (clock !== undefined) this.options.cursors?.recordSend(this.doc.clientID, clock, at);
  }

  close(): Promise<void> {
    this.closing = true;
    this.awareness.destroy();
    this.doc.destroy();
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }

  private onOpen(): void {
    const { dialect, room } = this.options;
    for (const frame of dialect.openingFrames(room)) this.socket.send(frame);
    this.sendSync((encoder) => syncProtocol.writeSyncStep1(encoder, this.doc));
    this.sendAwareness([this.doc.clientID]);
  }

  private onFrame(data: Buffer): void {
    this.bytesReceived += data.byteLength;
    try {
      const message = this.options.dialect.read(data);
      if (!message) return;
      if (message.type === MESSAGE_TYPES.SYNC) {
        const reply = this.options.dialect.startFrame(this.options.room);
        encoding.writeVarUint(reply, MESSAGE_TYPES.SYNC);
        const before = encoding.length(reply);
        const syncType = syncProtocol.readSyncMessage(message.decoder, reply, this.doc, this);
        if (encoding.length(reply) > before) this.socket.send(encoding.toUint8Array(reply));
        if (syncType === syncProtocol.messageYjsSyncStep2) this.markSynced();
      } else if (message.type === MESSAGE_TYPES.AWARENESS) {
        awarenessProtocol.applyAwarenessUpdate(
          this.awareness,
          decoding.readVarUint8Array(message.decoder),
          this,
        );
      }
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      this.socket.terminate();
    }
  }

  private noteReceipts(transaction: Y.Transaction): void {
    if (transaction.local || !this.receipts) return;
    for (const [client, clock] of transaction.afterState) {
      if (clock !== (transaction.beforeState.get(client) ?? 0)) this.receipts.advanced(client, clock);
    }
  }

  private onAwareness({ added, updated, removed }: AwarenessChange, origin: unknown): void {
    if (origin === 'local') {
      if (this.socket.readyState === WebSocket.OPEN) this.sendAwareness([...added, ...updated, ...removed]);
      return;
    }
    const cursors = this.options.cursors;
    if (!cursors) return;
    for (const client of [...added, ...updated]) {
      const clock = this.awareness.meta.get(client)?.clock;
      if (clock !== undefined) cursors.recordReceipt(client, clock);
    }
  }

  private sendSync(write: (encoder: encoding.Encoder) => void): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const encoder = this.options.dialect.startFrame(this.options.room);
    encoding.writeVarUint(encoder, MESSAGE_TYPES.SYNC);
    write(encoder);
    this.socket.send(encoding.toUint8Array(encoder));
  }

  private sendAwareness(clients: number[]): void {
    const encoder = this.options.dialect.startFrame(this.options.room);
    encoding.writeVarUint(encoder, MESSAGE_TYPES.AWARENESS);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
    this.socket.send(encoding.toUint8Array(encoder));
  }

  private onClose(code: number, reason: string): void {
    if (!this.closing) this.fail(new Error(`server closed the socket: ${code} ${reason}`.trim()));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.failSync(error);
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
