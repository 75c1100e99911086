import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';
import { DOC_ROOTS, META_KEYS } from '../../../shared/document-schema.js';
import { DEFAULT_LANGUAGE, type Language } from '../../../shared/languages.js';
import { LIMIT_DEFAULTS } from '../../../shared/limits.js';
import type { AwarenessLimits } from '../sync/session-awareness.js';
import { JoinCacheBudget } from './join-cache-budget.js';
import { Session, type SessionHooks, type SessionOptions } from './session.js';
import { generateSessionId } from './session-ids.js';
import type { SessionPersistence } from './session-persistence.js';

/**
 * The sessions loaded in this process. Loading is single-flight (two joins racing for one id share one
 * promise and one document), idle sessions are unloaded after a TTL, and every timer it starts it also
 * clears.
 */
export interface RegistryOptions {
  readonly persistence: SessionPersistence;
  readonly idleTtlMs: number;
  readonly maxSessions: number;
  readonly awarenessLimits: AwarenessLimits;
  readonly log: FastifyBaseLogger;
  /** How long a session keeps its ready answer to fresh joins after the last peer left. */
  readonly joinCacheGraceMs?: number;
  /** The most bytes all sessions' ready answers may hold together. */
  readonly joinCacheMaxBytes?: number;
}

export interface InitialContent {
  readonly language?: Language | undefined;
  readonly content?: string | undefined;
  /** SHA-256 of the owner token handed to the creator. */
  readonly ownerTokenHash?: string | undefined;
}

export class SessionCapacityError extends Error {
  override readonly name = 'SessionCapacityError';
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly loading = new Map<string, Promise<Session | null>>();
  /**
   * Ids evicted (deleted or expired in the store) while a load of them was in flight: the load read the
   * session before it was deleted and must not bring it back into memory.
   */
  private readonly evictedWhileLoading = new Set<string>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  private closed = false;
  /** One hooks object and one options object for every session: they take the session as an argument. */
  private readonly sessionHooks: SessionHooks = {
    onPeerCountChange: (session) => this.onPeerCountChange(session),
    // Only adopted sessions store their updates: the initial content and a loaded state are already stored.
    persistUpdate: (session, update) =>
      this.sessions.get(session.id) === session
        ? this.options.persistence.append(session.id, update, session)
        : undefined,
  };
  private readonly sessionOptions: SessionOptions;

  constructor(private readonly options: RegistryOptions) {
    this.sessionOptions = Object.freeze({
      ...(options.joinCacheGraceMs === undefined ? {} : { joinCacheGraceMs: options.joinCacheGraceMs }),
      joinCacheBudget: new JoinCacheBudget(options.joinCacheMaxBytes ?? LIMIT_DEFAULTS.JOIN_CACHE_MAX_BYTES),
    });
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Iterates the loaded sessions (metrics, shutdown). */
  values(): IterableIterator<Session> {
    return this.sessions.values();
  }

  /** A loaded session, without touching the store. */
  peek(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Creates a session with its initial content written once, by the server. */
  async create(initial: InitialContent): Promise<Session> {
    this.assertCapacity();
    let id = generateSessionId();
    while (this.sessions.has(id) || this.loading.has(id)) id = generateSessionId();
    const session = this.instantiate(id, new Date());
    session.doc.transact(() => {
      if (initial.content) session.doc.getText(DOC_ROOTS.CODE).insert(0, initial.content);
      session.doc.getMap(DOC_ROOTS.META).set(META_KEYS.LANGUAGE, initial.language ?? DEFAULT_LANGUAGE);
    });
    await this.options.persistence.create({
      id,
      createdAt: session.createdAt,
      state: session.encodeFullState(),
      language: session.language,
      ownerTokenHash: initial.ownerTokenHash ?? '',
    });
    // Only joins need the encoded copy; a session may be created and never opened.
    session.releaseCaches();
    this.adopt(session);
    return session;
  }

  /** The session with this id, loading it from the store if needed; `null` when it does not exist. */
  load(id: string): Promise<Session | null> {
    const loaded = this.sessions.get(id);
    if (loaded) return Promise.resolve(loaded);
    const inFlight = this.loading.get(id);
    if (inFlight) return inFlight;
    const promise = this.loadFromStore(id).finally(() => {
      this.loading.delete(id);
      this.evictedWhileLoading.delete(id);
    });
    this.loading.set(id, promise);
    return promise;
  }

  /** Unloads one session now: peers must already be gone or be closed by the caller. */
  async unload(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    this.clearIdleTimer(id);
    const state = session.encodeFullState();
    session.destroy();
    this.options.log.info({ sessionId: id }, 'session unloaded');
    await this.options.persistence.unload(id, state);
  }

  /**
   * Ends a session that no longer exists (deleted or expired in the store): closes its peers with `code`
   * and drops it from memory without handing its state back to the store.
   */
  evict(id: string, code: number, reason: string): void {
    if (this.loading.has(id)) this.evictedWhileLoading.add(id);
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    this.clearIdleTimer(id);
    session.closeAll(code, reason);
    session.destroy();
    this.options.log.info({ sessionId: id, reason }, 'session evicted');
  }

  /** Unloads everything and stops all timers. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.loading.values()]);
    await Promise.all([...this.sessions.keys()].map((id) => this.unload(id)));
    await this.options.persistence.close();
  }

  private async loadFromStore(id: string): Promise<Session | null> {
    const stored = await this.options.persistence.load(id);
    if (stored === null || this.closed) return null;
    if (this.evictedWhileLoading.has(id)) {
      // Hands the read state back as an unload does; the store drops writes for a session it no longer has.
      await this.options.persistence.unload(id, stored.state);
      return null;
    }
    this.assertCapacity();
    const session = this.instantiate(id, stored.createdAt);
    Y.applyUpdate(session.doc, stored.state);
    this.adopt(session);
    return session;
  }

  private instantiate(id: string, createdAt: Date): Session {
    return new Session(id, createdAt, this.options.awarenessLimits, this.sessionHooks, this.sessionOptions);
  }

  private adopt(session: Session): void {
    this.sessions.set(session.id, session);
    // Nobody is connected yet: a session that is created and never opened is unloaded like any other.
    this.startIdleTimer(session.id);
  }

  private assertCapacity(): void {
    if (this.closed) throw new SessionCapacityError('the server is shutting down');
    if (this.sessions.size >= this.options.maxSessions) {
      throw new SessionCapacityError(`${this.sessions.size} sessions are loaded, the most this server holds`);
    }
  }

  private onPeerCountChange(session: Session): void {
    if (session.peerCount === 0) this.startIdleTimer(session.id);
    else this.clearIdleTimer(session.id);
  }

  private startIdleTimer(id: string): void {
    if (this.closed || this.idleTimers.has(id)) return;
    const timer = setTimeout(() => {
      this.idleTimers.delete(id);
      this.unload(id).catch((error: unknown) =>
        this.options.log.error({ err: error, sessionId: id }, 'unload failed'),
      );
    }, this.options.idleTtlMs);
    timer.unref();
    this.idleTimers.set(id, timer);
  }

  private clearIdleTimer(id: string): void {
    const timer = this.idleTimers.get(id);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.idleTimers.delete(id);
  }
}
