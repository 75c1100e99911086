/**
 * The Lit reactive controller behind a session page. It owns the session's Y.Doc and provider (through
 * `SessionConnection`) and the Monaco editor with its binding (through `EditorBinding`): it creates them
 * when the page connects, and destroys them when the page leaves the document.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AwarenessUser } from '../../../shared/awareness-user.js';
import { DEFAULT_LANGUAGE, type Language } from '../../../shared/languages.js';
import { EditorBinding } from '../editor/editor-binding.js';
import { type Peer, peersFromStates } from '../lib/peers.js';
import { adoptEarlyConnection } from './early-connection.js';
import { CONNECTION_STATUSES, SessionConnection } from './session-connection.js';

export interface CollabSessionHost extends ReactiveControllerHost {
  readonly sessionId: string;
  /** This person's identity, published through awareness. */
  readonly user: AwarenessUser;
  /** The element Monaco renders into, once the host has rendered it. */
  readonly editorContainer: HTMLElement | null;
}

export class CollabSessionController implements ReactiveController {
  connection: SessionConnection | null = null;
  editor: EditorBinding | null = null;
  /** Everyone in the session, this tab first. */
  peers: Peer[] = [];

  constructor(private readonly host: CollabSessionHost) {
    host.addController(this);
  }

  get language(): Language | null {
    return this.connection?.language ?? null;
  }

  hostConnected(): void {
    // The app shell usually opened it already, while this page was loading; it is ours from here on.
    const early = adoptEarlyConnection(this.host.sessionId);
    const connection = early ?? new SessionConnection(this.host.sessionId, this.host.user);
    // Identical unless storage is unavailable and each read made up a new identity.
    const published = early?.awareness.getLocalState()?.user as AwarenessUser | undefined;
    const { user } = this.host;
    if (early && (published?.name !== user.name || published?.color !== user.color)) connection.setUser(user);
    connection.listen(this.handleChange);
    connection.awareness.on('change', this.handlePeersChange);
    this.connection = connection;
    this.handlePeersChange();
  }

  hostUpdated(): void {
    const container = this.host.editorContainer;
    if (this.connection && !this.editor && container) {
      const { code, awareness, language, announcedLanguage } = this.connection;
      this.editor = new EditorBinding(container, code, awareness, language ?? announcedLanguage);
      this.applyToEditor();
    }
  }

  hostDisconnected(): void {
    this.editor?.destroy();
    this.editor = null;
    if (this.connection) {
      this.connection.awareness.off('change', this.handlePeersChange);
      this.connection.destroy();
      this.connection = null;
    }
    this.peers = [];
  }

  /** Publishes a changed identity of the host's person. */
  setUser(user: AwarenessUser): void {
    this.connection?.setUser(user);
  }

  private applyToEditor(): void {
    const connection = this.connection;
    if (!this.editor || !connection) return;
    // Before the document has synced, the REST metadata's language; a synced document without one is in
    // the default language.
    const language =
      connection.language ?? connection.announcedLanguage ?? (connection.synced ? DEFAULT_LANGUAGE : null);
    if (language !== null) this.editor.setLanguage(language);
    // Read-only until the server's text has arrived (nothing to edit yet), and for good once the session
    // ended. While offline after a sync, edits continue and merge on reconnect.
    this.editor.setReadOnly(!connection.synced || connection.status === CONNECTION_STATUSES.CLOSED);
  }

  private readonly handleChange = () => {
    this.applyToEditor();
    this.host.requestUpdate();
  };

  private readonly handlePeersChange = () => {
    const connection = this.connection;
    if (!connection) return;
    this.peers = peersFromStates(connection.awareness.getStates(), connection.doc.clientID);
    this.host.requestUpdate();
  };
}
