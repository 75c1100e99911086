import * as Y from 'yjs';
import { DOC_ROOTS, META_KEYS } from '../../../shared/document-schema.js';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../../../shared/languages.js';
import { encodeAwarenessFrame, encodeSyncStep1, encodeSyncUpdate } from '../sync/messages.js';
import type { Peer } from '../sync/peer.js';
import { type AwarenessLimits, SessionAwareness } from '../sync/session-awareness.js';

/**
 * One live session: its document, who is connected, and their awareness. It owns the fan-out: every
 * change is encoded once and the same buffer goes to every peer.
 */
export interface SessionHooks {
  /** The number of connected peers changed (the registry starts or stops the idle clock). */
  onPeerCountChange(session: Session): void;
  /** Stores an applied update; a returned promise holds the update back from peers until it resolves. */
  persistUpdate?(session: Session, update: Uint8Array): Promise<void> | undefined;
}

interface HeldFrame {
  readonly frame: Uint8Array;
  readonly except: Peer | null;
}

export class Session {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: SessionAwareness;
  private readonly peers = new Set<Peer>();
  /** `encodeStateAsUpdate(doc)`, kept until the next change: fresh joins all ask for it. */
  private fullState: Uint8Array | null = null;
  private destroyed = false;
  /** The store write of the latest update, until it commits; `null` when everything applied is stored. */
  private storing: Promise<void> | null = null;
  /** Frames waiting for `storing`, in the order they are to be sent. */
  private heldFrames: HeldFrame[] | null = null;
  /**
   * An upper bound of the encoded document size: exact after each full encode, then grown by every
   * applied update's size plus a little for items it splits.
   */
  private sizeBound = 0;
  /** The schema's root types, fixed at creation so no update can give a root another type. */
  readonly rootOfType: ReadonlyMap<unknown, 'code' | 'meta' | 'runs'>;

  constructor(
    readonly id: string,
    readonly createdAt: Date,
    awarenessLimits: AwarenessLimits,
    private readonly hooks: SessionHooks,
  ) {
    this.awareness = new SessionAwareness(awarenessLimits);
    this.rootOfType = new Map<unknown, 'code' | 'meta' | 'runs'>([
      [this.doc.getText(DOC_ROOTS.CODE), DOC_ROOTS.CODE],
      [this.doc.getMap(DOC_ROOTS.META), DOC_ROOTS.META],
      [this.doc.getArray(DOC_ROOTS.RUNS), DOC_ROOTS.RUNS],
    ]);
    this.doc.on('update', this.relayUpdate);
  }

  get peerCount(): number {
    return this.peers.size;
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  get language(): Language {
    const language = this.doc.getMap(DOC_ROOTS.META).get(META_KEYS.LANGUAGE);
    return isLanguage(language) ? language : DEFAULT_LANGUAGE;
  }

  /** Bytes of the encoded document state. */
  get documentBytes(): number {
    return this.encodeFullState().byteLength;
  }

  /** The whole document as one update; cached between changes. */
  encodeFullState(): Uint8Array {
    if (this.fullState === null) {
      this.fullState = Y.encodeStateAsUpdate(this.doc);
      this.sizeBound = this.fullState.byteLength;
    }
    return this.fullState;
  }

  /** Cheap upper bound of the encoded size, for metrics. */
  get approximateBytes(): number {
    return this.fullState?.byteLength ?? this.sizeBound;
  }

  /** Drops the cached full encoding (kept only while people are joining). */
  releaseCaches(): void {
    this.fullState = null;
  }

  /** Whether the document stays within `maxBytes` after an update of `updateBytes`; encodes only near the cap. */
  fitsUpdate(updateBytes: number, maxBytes: number): boolean {
    if (this.sizeBound + updateBytes <= maxBytes) return true;
    return this.encodeFullState().byteLength + updateBytes <= maxBytes;
  }

  /**
   * Sends `frame` to `peer` once every update applied so far is stored: a sync answer carries the whole
   * document, so it must not show anyone an update a crash could still lose.
   */
  sendWhenStored(peer: Peer, frame: Uint8Array): void {
    if (this.storing === null) peer.send(frame);
    else void this.storing.then(() => peer.send(frame));
  }

  /** What a peer with the given state vector is missing. */
  encodeDiff(stateVector: Uint8Array): Uint8Array {
    // An empty state vector is a single zero byte: a fresh join gets the cached full state.
    if (stateVector.byteLength === 1 && stateVector[0] === 0) return this.encodeFullState();
    return Y.encodeStateAsUpdate(this.doc, stateVector);
  }

  /** Adds a peer and starts its sync: our state vector, then everyone's awareness. */
  join(peer: Peer): void {
    this.peers.add(peer);
    peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    const awareness = this.awareness.encodeAll();
    if (awareness !== null) peer.send(encodeAwarenessFrame(awareness));
    this.hooks.onPeerCountChange(this);
  }

  /** Removes a peer and tells the others its cursor is gone. */
  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    // The cached encoding serves joins; an empty session should hold only its document.
    if (this.peers.size === 0) this.fullState = null;
    const removal = this.awareness.removePeer(peer);
    if (removal !== null) this.broadcast(encodeAwarenessFrame(removal), null);
    this.hooks.onPeerCountChange(this);
  }

  broadcast(frame: Uint8Array, except: Peer | null): void {
    for (const peer of this.peers) {
      if (peer !== except) peer.send(frame);
    }
  }

  /** Closes every peer with the same code (shutdown, eviction). */
  closeAll(code: number, reason: string): void {
    for (const peer of [...this.peers]) peer.close(code, reason);
  }

  forEachPeer(visit: (peer: Peer) => void): void {
    for (const peer of this.peers) visit(peer);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.peers.clear();
    this.fullState = null;
    this.doc.off('update', this.relayUpdate);
    this.doc.destroy();
  }

  /**
   * Applies a validated client update. When it carries only new content (`onlyNewItems`), the transaction
   * adds exactly what the bytes say, so they are relayed and stored as they came — `frame`, when given, is
   * the sync-update frame they arrived in — and Yjs is spared encoding the transaction again (it does so
   * only while someone listens to `update`). Anything else goes through the `update` event as before.
   */
  applyFromPeer(update: Uint8Array, peer: Peer, onlyNewItems: boolean, frame: Uint8Array | null): void {
    if (!onlyNewItems) {
      Y.applyUpdate(this.doc, update, peer);
      return;
    }
    this.doc.off('update', this.relayUpdate);
    try {
      Y.applyUpdate(this.doc, update, peer);
    } catch (error) {
      // Validation should make this unreachable; the caller cuts the sender off. The document may have
      // taken part of the update: the caches no longer describe it.
      this.fullState = null;
      this.sizeBound += update.byteLength + 32;
      throw error;
    } finally {
      this.doc.on('update', this.relayUpdate);
    }
    this.relay(update, frame ?? encodeSyncUpdate(update), peer);
  }

  private readonly relayUpdate = (update: Uint8Array, origin: unknown): void => {
    this.relay(update, encodeSyncUpdate(update), origin);
  };

  private relay(update: Uint8Array, frame: Uint8Array, origin: unknown): void {
    this.fullState = null;
    // Splitting an existing item around an insertion adds a few bytes beyond the update itself.
    this.sizeBound += update.byteLength + 32;
    // The sender already has its own update; everyone else gets the same encoded frame.
    const except = isPeer(origin, this.peers) ? origin : null;
    // Peers see an update only once it is stored, so a crash never loses what anyone has seen.
    const stored = this.hooks.persistUpdate?.(this, update);
    if (stored === undefined) {
      this.broadcast(frame, except);
      return;
    }
    // Updates of one turn share their batch's promise: one continuation per batch, not one per update.
    if (stored !== this.storing || this.heldFrames === null) {
      const held: HeldFrame[] = [];
      this.storing = stored;
      this.heldFrames = held;
      void stored.then(() => {
        if (this.storing === stored) {
          this.storing = null;
          this.heldFrames = null;
        }
        for (const { frame, except } of held) this.broadcast(frame, except);
        // Nothing else is coming for these peers in this turn: no need to wait for the iteration's end.
        for (const peer of this.peers) peer.flush?.();
      });
    }
    this.heldFrames.push({ frame, except });
  }
}

function isPeer(origin: unknown, peers: ReadonlySet<Peer>): origin is Peer {
  return typeof origin === 'object' && origin !== null && peers.has(origin as Peer);
}
