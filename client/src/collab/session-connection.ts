/**
 * One session's shared document and its connection: the Y.Doc, the y-websocket provider and its awareness,
 * and the connection state as the page describes it to people.
 *
 * The server refuses an unknown session before the WebSocket upgrade, which a browser only sees as an
 * anonymous failure (close code 1006). So the REST metadata is consulted at start and after every failed
 * attempt to open the socket: a 404 there ends the connection for good with the not-found message, exactly
 * like a 44xx close code from an open socket would.
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { SessionInfo } from '../../../shared/api.js';
import type { AwarenessUser } from '../../../shared/awareness-user.js';
import { CLOSE_CODES, FINAL_CLOSE_MESSAGES, isFinalCloseCode } from '../../../shared/close-codes.js';
import { DOC_ROOTS, META_KEYS } from '../../../shared/document-schema.js';
import { isLanguage, type Language } from '../../../shared/languages.js';
import { WS_BASE_PATH } from '../../../shared/session-id.js';
import { fetchSessionInfo } from '../lib/api-client.js';
import { distinctColour } from '../lib/free-colour.js';
import { peerUser } from '../lib/peers.js';

export const CONNECTION_STATUSES = {
  /** The first connection attempt is under way. */
  CONNECTING: 'connecting',
  /** The socket is open. */
  CONNECTED: 'connected',
  /** The connection dropped; the provider keeps retrying and local edits are kept. */
  OFFLINE: 'offline',
  /**
   * The session exists (its REST metadata answers) but the WebSocket keeps being refused before it opens,
   * e.g. by the server's allowed origins or a proxy without WebSocket support; the provider keeps retrying.
   */
  REFUSED: 'refused',
  /** The server ended the session for good (or it never existed); no more retries. */
  CLOSED: 'closed',
} as const;

/** Failed attempts in a row, with the session known to exist, before the page says the server refuses. */
const FAILED_OPENS_BEFORE_REFUSED = 3;

export type ConnectionStatus = (typeof CONNECTION_STATUSES)[keyof typeof CONNECTION_STATUSES];

const GENERIC_CLOSE_MESSAGE = 'The server closed this session.';

export function websocketBaseUrl(location: Location = window.location): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}${WS_BASE_PATH}`;
}

export class SessionConnection {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly code: Y.Text;
  readonly meta: Y.Map<unknown>;
  status: ConnectionStatus = CONNECTION_STATUSES.CONNECTING;
  /** True once the first full sync with the server finished. */
  synced = false;
  /** Why the session ended, when `status` is `closed`. */
  closedMessage: string | null = null;
  /** The language the REST metadata gave at start, known before the document has synced. */
  announcedLanguage: Language | null = null;
  /** The session's REST metadata (expiry, the server's run limits), from the latest existence check. */
  info: SessionInfo | null = null;

  private readonly existenceCheck = new AbortController();
  private checkingExistence = false;
  private everConnected = false;
  /** Sockets that closed before opening since the last one that opened. */
  private failedOpens = 0;
  /** The person's identity as they chose it (and as it is saved); what is published may differ in colour. */
  private identity: AwarenessUser;
  /** Whether this join already made sure our colour differs from the others' (done once, at the first sync). */
  private colourChecked = false;
  private changeListener: () => void = () => undefined;
  private readonly onChange = () => this.changeListener();

  /**
   * Connects at once. `onChange` can be given later (`listen`): a connection opened early, before the
   * page that shows it has loaded, keeps its state in its fields until someone listens.
   */
  constructor(
    readonly sessionId: string,
    user: AwarenessUser,
    onChange?: () => void,
  ) {
    if (onChange) this.changeListener = onChange;
    this.identity = user;
    this.code = this.doc.getText(DOC_ROOTS.CODE);
    this.meta = this.doc.getMap(DOC_ROOTS.META);
    this.provider = new WebsocketProvider(websocketBaseUrl(), sessionId, this.doc, {
      connect: false,
      shouldReconnect: (event) => !isFinalCloseCode(event.code),
    });
    this.provider.awareness.setLocalStateField('user', user);
    this.provider.on('status', this.handleStatus);
    this.provider.on('sync', this.handleSync);
    this.provider.on('closed', this.handleClosed);
    this.provider.on('connection-close', this.handleConnectionClose);
    this.meta.observe(this.onChange);
    window.addEventListener('offline', this.handleBrowserOffline);
    this.provider.connect();
    void this.checkExistence();
  }

  /** Who is told about every change of status, sync or metadata from now on (one listener). */
  listen(onChange: () => void): void {
    this.changeListener = onChange;
  }

  get awareness() {
    return this.provider.awareness;
  }

  /** The session's language, once the server's metadata has arrived. */
  get language(): Language | null {
    const value = this.meta.get(META_KEYS.LANGUAGE);
    return isLanguage(value) ? value : null;
  }

  setLanguage(language: Language): void {
    if (this.status !== CONNECTION_STATUSES.CLOSED && language !== this.language) {
      this.meta.set(META_KEYS.LANGUAGE, language);
    }
  }

  /** The identity the others see in this session. */
  get publishedUser(): AwarenessUser {
    const { user, identified } = peerUser(this.awareness.getLocalState());
    return identified ? user : this.identity;
  }

  /** Publishes the person's own choice of name and colour, as it is (they chose it, even if it is taken). */
  setUser(user: AwarenessUser): void {
    this.identity = user;
    this.awareness.setLocalStateField('user', user);
  }

  /** Whether `user` is the person's identity this connection publishes (perhaps in another colour). */
  hasIdentity(user: AwarenessUser): boolean {
    return user.name === this.identity.name && user.color === this.identity.color;
  }

  /**
   * Takes another identity for the person without it being their choice (the page read it again): it is
   * published with a colour free in this session if the join's check already ran.
   */
  replaceIdentity(user: AwarenessUser): void {
    this.identity = user;
    if (this.colourChecked) this.publishDistinctColour();
    else this.awareness.setLocalStateField('user', user);
  }

  destroy(): void {
    this.existenceCheck.abort();
    window.removeEventListener('offline', this.handleBrowserOffline);
    this.meta.unobserve(this.onChange);
    this.provider.off('status', this.handleStatus);
    this.provider.off('sync', this.handleSync);
    this.provider.off('closed', this.handleClosed);
    this.provider.off('connection-close', this.handleConnectionClose);
    // Destroying the provider removes our awareness state and tells the others we left.
    this.provider.destroy();
    this.doc.destroy();
  }

  private end(message: string): void {
    if (this.status === CONNECTION_STATUSES.CLOSED) return;
    this.provider.shouldConnect = false;
    this.provider.disconnect();
    this.status = CONNECTION_STATUSES.CLOSED;
    this.closedMessage = message;
    this.onChange();
  }

  private readonly handleStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
    if (this.status === CONNECTION_STATUSES.CLOSED) return;
    if (status === 'connected') {
      this.everConnected = true;
      this.failedOpens = 0;
      this.status = CONNECTION_STATUSES.CONNECTED;
    } else if (this.status === CONNECTION_STATUSES.REFUSED) {
      // Each retry would flip the words back to "connecting": keep saying why until a socket opens.
      return;
    } else if (status === 'disconnected' || this.everConnected) {
      this.status = CONNECTION_STATUSES.OFFLINE;
    }
    this.onChange();
  };

  private readonly handleSync = (synced: boolean) => {
    if (synced) this.synced = true;
    // The server sends everyone's awareness before its answer to our sync: the others are known by now.
    // Only the newcomer adapts, once, so nobody's colour changes under them when someone joins later.
    if (synced && !this.colourChecked) {
      this.colourChecked = true;
      this.publishDistinctColour();
    }
    this.onChange();
  };

  /** Publishes the identity with a colour nobody else present uses, when one is free (this session only). */
  private publishDistinctColour(): void {
    const inUse: string[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      const { user, identified } = peerUser(state);
      if (clientId !== this.awareness.clientID && identified) inUse.push(user.color);
    }
    const color = distinctColour(this.identity.color, inUse);
    this.awareness.setLocalStateField('user', { ...this.identity, color });
  }

  private readonly handleClosed = ({ code }: { code: number }) => {
    this.end(FINAL_CLOSE_MESSAGES[code] ?? GENERIC_CLOSE_MESSAGE);
  };

  private readonly handleConnectionClose = (event: CloseEvent | null) => {
    // A socket that closed before it ever opened may be a refused upgrade: ask the REST API why.
    if (event !== null && !isFinalCloseCode(event.code) && this.status !== CONNECTION_STATUSES.CONNECTED) {
      this.failedOpens++;
      void this.checkExistence();
    }
  };

  private readonly handleBrowserOffline = () => {
    if (this.status === CONNECTION_STATUSES.CONNECTED) {
      this.status = CONNECTION_STATUSES.OFFLINE;
      this.onChange();
    }
  };

  private async checkExistence(): Promise<void> {
    if (this.checkingExistence || this.status === CONNECTION_STATUSES.CLOSED) return;
    this.checkingExistence = true;
    try {
      const info = await fetchSessionInfo(this.sessionId, this.existenceCheck.signal);
      if (info === null) {
        this.end(FINAL_CLOSE_MESSAGES[CLOSE_CODES.NOT_FOUND]!);
        return;
      }
      this.info = info;
      if (this.announcedLanguage === null && isLanguage(info.language))
        this.announcedLanguage = info.language;
      this.onChange();
      if (this.failedOpens >= FAILED_OPENS_BEFORE_REFUSED && this.isTryingToConnect()) {
        this.status = CONNECTION_STATUSES.REFUSED;
        this.onChange();
      }
    } catch {
      // The server is unreachable or busy: keep reconnecting; the next failed attempt asks again.
    } finally {
      this.checkingExistence = false;
    }
  }

  /** Connecting or reconnecting, not yet told why it fails (read after an await, so not narrowed). */
  private isTryingToConnect(): boolean {
    return this.status === CONNECTION_STATUSES.CONNECTING || this.status === CONNECTION_STATUSES.OFFLINE;
  }
}
