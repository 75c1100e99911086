/**
 * The Lit reactive controller behind a session page. It owns the session's Y.Doc and provider (through
 * `SessionConnection`), the history of this person's own edits, and the view of the code: first a plain
 * editable view (`PlainCodeView`), then the Monaco editor with its binding (`EditorBinding`) once Monaco's
 * chunk has arrived. It creates them when the page connects, and destroys them when the page leaves the
 * document.
 *
 * Monaco is most of a share link's weight, and parsing and running it takes seconds on a slow machine. It
 * is imported dynamically once the document has synced: compiling it earlier competes for the CPU with the
 * connection and the sync, and the plain view, which is editable from the sync on, would come later. In a
 * Python session it waits further, until Python has loaded: both need the CPU for seconds, and Python's
 * start is what people wait for before their first run, while the plain view already lets them edit.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type * as Y from 'yjs';
import type { AwarenessUser } from '../../../shared/awareness-user.js';
import { DEFAULT_LANGUAGE, type Language } from '../../../shared/languages.js';
import type { EditorBinding } from '../editor/editor-binding.js';
import { createOwnEditHistory } from '../editor/own-edit-history.js';
import { PlainCodeView } from '../editor/plain-code-view.js';
import { type Peer, peersFromStates } from '../lib/peers.js';
import { whenPythonSettles } from '../run/python-readiness.js';
import { adoptEarlyConnection } from './early-connection.js';
import { CONNECTION_STATUSES, SessionConnection } from './session-connection.js';

export interface CollabSessionHost extends ReactiveControllerHost {
  readonly sessionId: string;
  /** This person's identity, published through awareness. */
  readonly user: AwarenessUser;
  /** The element the code view renders into, once the host has rendered it. */
  readonly editorContainer: HTMLElement | null;
}

type EditorModule = typeof import('../editor/editor-binding.js');

/** Monaco is loaded at the first sync, or after this long without one (offline, a slow server). */
export const EDITOR_LOAD_FALLBACK_MS = 3000;
/** In a Python session, Monaco is loaded once Python has loaded (or failed), or after this long. */
export const EDITOR_AFTER_PYTHON_FALLBACK_MS = 8000;

export class CollabSessionController implements ReactiveController {
  connection: SessionConnection | null = null;
  /** The Monaco editor, once its chunk has loaded. */
  editor: EditorBinding | null = null;
  /** The plain view of the code, until the editor replaces it (for good if the editor fails to load). */
  plainView: PlainCodeView | null = null;
  /** Everyone in the session, this tab first. */
  peers: Peer[] = [];
  private history: Y.UndoManager | null = null;
  private editorModule: EditorModule | null = null;
  private editorFailed = false;
  private editorRequested = false;
  private editorFallback: ReturnType<typeof setTimeout> | null = null;
  /** Cancels the wait for Python's load, while a Python session's editor waits for it. */
  private cancelPythonWait: (() => void) | null = null;

  constructor(private readonly host: CollabSessionHost) {
    host.addController(this);
  }

  get language(): Language | null {
    return this.connection?.language ?? null;
  }

  /** True once the synced document can be typed into, in the plain view or the editor. */
  get editable(): boolean {
    return (this.editor !== null || this.plainView !== null) && !this.readOnly;
  }

  hostConnected(): void {
    // The app shell usually opened it already, while this page was loading; it is ours from here on.
    const early = adoptEarlyConnection(this.host.sessionId);
    const connection = early ?? new SessionConnection(this.host.sessionId, this.host.user);
    // Identical unless storage is unavailable and each read made up a new identity.
    const { user } = this.host;
    if (early && !early.hasIdentity(user)) early.replaceIdentity(user);
    connection.listen(this.handleChange);
    connection.awareness.on('change', this.handlePeersChange);
    this.connection = connection;
    this.history = createOwnEditHistory(connection.code);
    this.handlePeersChange();
    if (connection.synced) this.loadEditor(connection);
    else this.editorFallback = setTimeout(() => this.loadEditor(connection), EDITOR_LOAD_FALLBACK_MS);
  }

  hostUpdated(): void {
    this.showCode();
  }

  hostDisconnected(): void {
    if (this.editorFallback !== null) clearTimeout(this.editorFallback);
    this.editorFallback = null;
    this.cancelPythonWait?.();
    this.cancelPythonWait = null;
    this.editorRequested = false;
    this.editor?.destroy();
    this.editor = null;
    this.plainView?.destroy();
    this.plainView = null;
    this.history?.destroy();
    this.history = null;
    if (this.connection) {
      this.connection.awareness.off('change', this.handlePeersChange);
      this.connection.destroy();
      this.connection = null;
    }
    this.peers = [];
  }

  /**
   * The identity the others see: the host's, with another colour in this session when someone present
   * already had the host's colour at the join.
   */
  get publishedUser(): AwarenessUser | null {
    return this.connection?.publishedUser ?? null;
  }

  /** Publishes the identity the host's person chose. */
  setUser(user: AwarenessUser): void {
    this.connection?.setUser(user);
  }

  /** Scrolls a 1-based line into view, puts the caret there and focuses the code. */
  revealLine(lineNumber: number): void {
    if (this.editor) this.editor.revealLine(lineNumber);
    else this.plainView?.revealLine(lineNumber);
  }

  private get readOnly(): boolean {
    const connection = this.connection;
    // Read-only until the server's text has arrived (nothing to edit yet), and for good once the session
    // ended. While offline after a sync, edits continue and merge on reconnect.
    return !connection?.synced || connection.status === CONNECTION_STATUSES.CLOSED;
  }

  private loadEditor(connection: SessionConnection, afterPython = false): void {
    if (this.editorRequested || this.connection !== connection) return;
    if (!afterPython && (connection.language ?? connection.announcedLanguage) === 'python') {
      this.cancelPythonWait ??= whenPythonSettles(
        () => this.loadEditor(connection, true),
        EDITOR_AFTER_PYTHON_FALLBACK_MS,
      );
      return;
    }
    this.editorRequested = true;
    if (this.editorFallback !== null) clearTimeout(this.editorFallback);
    this.editorFallback = null;
    this.cancelPythonWait?.();
    this.cancelPythonWait = null;
    import('../editor/editor-binding.js').then(
      (module) => {
        if (this.connection !== connection) return;
        this.editorModule = module;
        this.showCode();
      },
      () => {
        if (this.connection !== connection) return;
        this.editorFailed = true;
        this.showCode();
      },
    );
  }

  /** Shows the editor if it has loaded, else the plain view; replaces the plain view by the editor. */
  private showCode(): void {
    const container = this.host.editorContainer;
    const { connection, history } = this;
    if (!container || !connection || !history || this.editor) return;
    if (this.editorModule && !this.editorFailed) {
      this.mountEditor(this.editorModule, container, connection, history);
      return;
    }
    if (!this.plainView) {
      this.plainView = new PlainCodeView(container, connection.code, connection.awareness, history);
      this.applyToViews();
    }
    if (this.editorFailed) this.plainView.showLoadFailure();
  }

  /**
   * Creates the editor and hands it the plain view's selection, scroll position and focus, all in one task:
   * no keystroke can arrive in between, and the text both show is the same Y.Text.
   */
  private mountEditor(
    module: EditorModule,
    container: HTMLElement,
    connection: SessionConnection,
    history: Y.UndoManager,
  ): void {
    const plain = this.plainView;
    const state = plain?.state() ?? null;
    const { code, awareness, language, announcedLanguage } = connection;
    try {
      this.editor = new module.EditorBinding(
        container,
        code,
        awareness,
        language ?? announcedLanguage,
        history,
      );
    } catch (error) {
      // The plain view stays, and says the editor failed; the error goes to the console.
      this.editorFailed = true;
      this.showCode();
      reportError(error);
      return;
    }
    this.applyToViews();
    if (state) this.editor.adoptView(state);
    plain?.destroy();
    this.plainView = null;
  }

  private applyToViews(): void {
    const connection = this.connection;
    if (!connection) return;
    const readOnly = this.readOnly;
    this.plainView?.setReadOnly(readOnly);
    if (!this.editor) return;
    // Before the document has synced, the REST metadata's language; a synced document without one is in
    // the default language.
    const language =
      connection.language ?? connection.announcedLanguage ?? (connection.synced ? DEFAULT_LANGUAGE : null);
    if (language !== null) this.editor.setLanguage(language);
    this.editor.setReadOnly(readOnly);
  }

  private readonly handleChange = () => {
    if (this.connection?.synced) this.loadEditor(this.connection);
    this.applyToViews();
    this.host.requestUpdate();
  };

  private readonly handlePeersChange = () => {
    const connection = this.connection;
    if (!connection) return;
    this.peers = peersFromStates(connection.awareness.getStates(), connection.doc.clientID);
    this.host.requestUpdate();
  };
}
