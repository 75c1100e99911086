import * as Y from 'yjs';
import { DOC_ROOTS, META_KEYS } from '../../../shared/document-schema.js';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../../../shared/languages.js';
import { LIMIT_DEFAULTS } from '../../../shared/limits.js';
import {
  encodeAwarenessFrame,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from '../sync/messages.js';
import type { Peer } from '../sync/peer.js';
import { type AwarenessLimits, SessionAwareness } from '../sync/session-awareness.js';
import type { JoinCacheBudget } from './join-cache-budget.js';

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

export interface SessionOptions {
  /** How long the ready answer to a fresh join outlives the last peer's departure (`JOIN_CACHE_GRACE_MS`). */
  readonly joinCacheGraceMs?: number;
  /** Shared by all sessions: bounds the bytes of their cached answers (`JOIN_CACHE_MAX_BYTES`). */
  readonly joinCacheBudget?: JoinCacheBudget;
}

interface HeldFrame {
  readonly frame: Uint8Array;
  readonly except: Peer | null;
}

export class Session {
  readonly doc: Y.Doc;
  readonly awareness: SessionAwareness;
  private readonly peers = new Set<Peer>();
  /**
   * The answer to a fresh join (sync step 2 with the whole document), encoded once and sent as this same
   * buffer to every joiner with an empty state vector until the next change. Its payload, from
   * `fullStateStart` on, is `encodeStateAsUpdate(doc)`, the full state the store and metrics ask for.
   */
  private fullStateFrame: Uint8Array | null = null;
  private fullStateStart = 0;
  /** Drops `fullStateFrame` once nobody has been connected for the grace period. */
  private fullStateExpiry: NodeJS.Timeout | null = null;
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
    private readonly options: SessionOptions = {},
  ) {
    // The session id is the document's guid: Yjs would otherwise draw a random UUID per document, which
    // costs ~30 calls into the system's random source and shows up when thousands of sessions open.
    this.doc = new Y.Doc({ gc: true, guid: id });
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

  /** The whole document as one update; cached between changes (a view into the cached join answer). */
  encodeFullState(): Uint8Array {
    return this.fullStateSyncStep2().subarray(this.fullStateStart);
  }

  /** Cheap upper bound of the encoded size, for metrics. */
  get approximateBytes(): number {
    return this.fullStateFrame === null
      ? this.sizeBound
      : this.fullStateFrame.byteLength - this.fullStateStart;
  }

  /** Drops the cached full encoding (kept only while people are joining). */
  releaseCaches(): void {
    if (this.fullStateFrame !== null) this.options.joinCacheBudget?.release(this);
    this.fullStateFrame = null;
    if (this.fullStateExpiry !== null) clearTimeout(this.fullStateExpiry);
    this.fullStateExpiry = null;
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
    else
      void this.storing.then(() => {
        peer.send(frame);
        // Released by a commit, after this iteration's uncork: leave now rather than one iteration later.
        peer.flush?.();
      });
  }

  /** The sync step 2 frame answering a peer's step 1: for a fresh join, the same cached buffer every time. */
  encodeSyncStep2For(stateVector: Uint8Array): Uint8Array {
    if (isEmptyStateVector(stateVector)) {
      if (this.fullStateFrame !== null) this.options.joinCacheBudget?.touch(this);
      return this.fullStateSyncStep2();
    }
    return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector));
  }

  /** Adds a peer and starts its sync: our state vector, then everyone's awareness. */
  join(peer: Peer): void {
    this.peers.add(peer);
    if (this.fullStateExpiry !== null) {
      clearTimeout(this.fullStateExpiry);
      this.fullStateExpiry = null;
    }
    peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    const awareness = this.awareness.encodeAll();
    if (awareness !== null) peer.send(encodeAwarenessFrame(awareness));
    this.hooks.onPeerCountChange(this);
  }

  /** Removes a peer and tells the others its cursor is gone. */
  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    // The cached answer serves joins (a reconnect storm re-joins a session that just emptied); an idle
    // session should hold only its document.
    if (this.peers.size === 0) this.expireFullStateAfterGrace();
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
    this.releaseCaches();
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
      this.releaseCaches();
      this.sizeBound += update.byteLength + 32;
      throw error;
    } finally {
      this.doc.on('update', this.relayUpdate);
    }
    this.relay(update, frame ?? encodeSyncUpdate(update), peer);
  }

  /** The cached sync step 2 frame with the whole document, encoded when missing. */
  private fullStateSyncStep2(): Uint8Array {
    if (this.fullStateFrame === null) {
      const state = Y.encodeStateAsUpdate(this.doc);
      const frame = encodeSyncStep2(state);
      this.fullStateFrame = frame;
      this.fullStateStart = frame.byteLength - state.byteLength;
      this.sizeBound = state.byteLength;
      // May drop other sessions' caches, never this one: it is the most recent.
      this.options.joinCacheBudget?.hold(this, frame.byteLength);
      // Encoded while nobody is connected (a REST read, the store): kept for the grace period only.
      if (this.peers.size === 0) this.expireFullStateAfterGrace();
    }
    return this.fullStateFrame;
  }

  private expireFullStateAfterGrace(): void {
    if (this.fullStateFrame === null || this.fullStateExpiry !== null || this.destroyed) return;
    const graceMs = this.options.joinCacheGraceMs ?? LIMIT_DEFAULTS.JOIN_CACHE_GRACE_MS;
    // A module-level callback with the session as argument: no closure per session.
    this.fullStateExpiry = setTimeout(expireFullState, graceMs, this);
    this.fullStateExpiry.unref();
  }

  /** The grace period ended: drop the cached answer unless someone joined meanwhile. */
  expireFullState(): void {
    this.fullStateExpiry = null;
    if (this.peers.size === 0) this.releaseCaches();
  }

  private readonly relayUpdate = (update: Uint8Array, origin: unknown): void => {
    this.relay(update, encodeSyncUpdate(update), origin);
  };

  private relay(update: Uint8Array, frame: Uint8Array, origin: unknown): void {
    this.releaseCaches();
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

function expireFullState(session: Session): void {
  session.expireFullState();
}

/** An empty state vector is a single zero byte: a fresh join, which gets the cached full state. */
function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.byteLength === 1 && stateVector[0] === 0;
}

function isPeer(origin: unknown, peers: ReadonlySet<Peer>): origin is Peer {
  return typeof origin === 'object' && origin !== null && peers.has(origin as Peer);
}
