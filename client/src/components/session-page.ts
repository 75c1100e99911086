/**
 * The page of one session: header (share link, language, connection, identity), the editor, the people in
 * the session and the run area. Renders into light DOM because Monaco's stylesheets live in the document
 * head and would not reach a shadow root around the editor.
 *
 * Its public properties are the session's handles for tests and for the run panel. The code shows first in
 * a plain editable view, and in Monaco (`editor`) once Monaco's chunk has loaded.
 */
import { html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { AwarenessUser } from '../../../shared/awareness-user.js';
import type { Language } from '../../../shared/languages.js';
import { sharePath } from '../../../shared/session-id.js';
import { CollabSessionController } from '../collab/collab-session-controller.js';
import { CONNECTION_STATUSES, type ConnectionStatus } from '../collab/session-connection.js';
import type { monaco } from '../editor/monaco.js';
import { loadIdentity, saveIdentity } from '../lib/identity.js';
import type { RunGotoLineEvent } from '../run/run-panel.js';
import '../run/run-panel.js';
import type { IdentityChangeEvent } from './identity-editor.js';
import type { LanguageChangeEvent } from './language-picker.js';
import type { PeerSelectEvent } from './user-list.js';
import './connection-status.js';
import './identity-editor.js';
import './language-picker.js';
import './session-lifetime.js';
import './share-link.js';
import './user-list.js';

@customElement('session-page')
export class SessionPageElement extends LitElement {
  @property({ attribute: 'session-id' }) sessionId = '';
  @state() user: AwarenessUser = loadIdentity();
  private readonly session = new CollabSessionController(this);

  protected override createRenderRoot() {
    return this;
  }

  /** The session's shared document (`code`, `meta`, `runs`). */
  get doc(): Y.Doc | null {
    return this.session.connection?.doc ?? null;
  }

  get code(): Y.Text | null {
    return this.session.connection?.code ?? null;
  }

  get provider(): WebsocketProvider | null {
    return this.session.connection?.provider ?? null;
  }

  /** The Monaco editor; null until its chunk has loaded (the plain view shows the code meanwhile). */
  get editor(): monaco.editor.IStandaloneCodeEditor | null {
    return this.session.editor?.editor ?? null;
  }

  /** True once the synced document can be typed into, in the plain view or in the editor. */
  get editable(): boolean {
    return this.session.editable;
  }

  get language(): Language | null {
    return this.session.language;
  }

  get connectionStatus(): ConnectionStatus {
    return this.session.connection?.status ?? CONNECTION_STATUSES.CONNECTING;
  }

  /** True once the server's copy of the document has arrived. */
  get synced(): boolean {
    return this.session.connection?.synced ?? false;
  }

  get editorContainer(): HTMLElement | null {
    return this.querySelector<HTMLElement>('.editor-host');
  }

  /** Changes the language for everyone. */
  setLanguage(language: Language): void {
    this.session.connection?.setLanguage(language);
  }

  /** Scrolls a 1-based line into view, puts the caret there and focuses the code. */
  revealLine(lineNumber: number): void {
    this.session.revealLine(lineNumber);
  }

  override render() {
    const connection = this.session.connection;
    const status = this.connectionStatus;
    const closed = status === CONNECTION_STATUSES.CLOSED;
    // The connection looks the session up over REST when it starts: expiry and the server's run limits.
    const info = connection?.info ?? null;
    return html`
      <header class="session-header">
        <a class="brand" href="/" title="Start page"><span class="brand-mark">{ }</span> code-collab</a>
        <share-link .url=${`${location.origin}${sharePath(this.sessionId)}`}></share-link>
        <language-picker
          label-hidden
          .value=${this.session.language}
          ?disabled=${closed || !this.synced}
          @language-change=${(event: LanguageChangeEvent) => this.setLanguage(event.language)}
        ></language-picker>
        <connection-status .status=${status}></connection-status>
        <session-lifetime session-id=${this.sessionId} .info=${info}></session-lifetime>
        <identity-editor .user=${this.publishedUser} @identity-change=${this.changeIdentity}></identity-editor>
      </header>
      ${
        closed
          ? html`<div class="session-banner" role="alert">
              <span>${connection?.closedMessage ?? ''}</span>
              <a href="/">Start a new session</a>
            </div>`
          : null
      }
      <main class="session-body">
        <div class="editor-pane"><div class="editor-host"></div></div>
        <aside class="side-pane">
          <section class="people-panel" aria-labelledby="people-heading">
            <h2 id="people-heading">People <span class="count">${this.session.peers.length}</span></h2>
            <user-list
              .peers=${this.session.peers}
              @peer-select=${(event: PeerSelectEvent) => this.session.editor?.revealPeer(event.clientId)}
            ></user-list>
          </section>
          <section class="run-area" aria-label="Run">
            <run-panel
              .doc=${this.doc}
              .language=${this.session.language}
              .announcedLanguage=${connection?.announcedLanguage ?? null}
              .user=${this.publishedUser}
              .presence=${this.provider?.awareness ?? null}
              .runLimits=${info?.runLimits ?? null}
              @run-goto-line=${(event: RunGotoLineEvent) => this.revealLine(event.line)}
            ></run-panel>
          </section>
        </aside>
      </main>
    `;
  }

  /** Who the others see: this person, perhaps in another colour for this session (see `SessionConnection`). */
  get publishedUser(): AwarenessUser {
    return this.session.publishedUser ?? this.user;
  }

  private changeIdentity(event: IdentityChangeEvent): void {
    const shown = this.publishedUser;
    // A colour given for this session only is not saved: only what the person changed becomes theirs.
    const chosen = {
      name: event.user.name,
      color: event.user.color === shown.color ? this.user.color : event.user.color,
    };
    this.user = chosen;
    saveIdentity(chosen);
    this.session.setUser(event.user);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'session-page': SessionPageElement;
  }
}
