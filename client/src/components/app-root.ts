/**
 * Chooses the page from the URL: `/` is the start page, `/s/<id>` a session. The session page (and Monaco
 * with it) is loaded only when needed, so the start page stays small. Light DOM, because the session page
 * below it must be in the document for Monaco's styles to apply.
 */
import { html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { CLOSE_CODES, FINAL_CLOSE_MESSAGES } from '../../../shared/close-codes.js';
import { isSessionId } from '../../../shared/session-id.js';
import { loadIdentity } from '../lib/identity.js';
import './home-page.js';

const SESSION_PATH = /^\/s\/([^/]+)\/?$/;

type Route = { page: 'home' } | { page: 'session'; id: string } | { page: 'missing' };

export function routeFor(pathname: string): Route {
  if (pathname === '/' || pathname === '/index.html') return { page: 'home' };
  const id = SESSION_PATH.exec(pathname)?.[1];
  return id !== undefined && isSessionId(id) ? { page: 'session', id } : { page: 'missing' };
}

@customElement('app-root')
export class AppRootElement extends LitElement {
  @state() private sessionPageLoaded = false;
  @state() private loadError = '';
  private readonly route = routeFor(location.pathname);

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.route.page === 'session' && !this.sessionPageLoaded) {
      document.title = 'Session · code-collab';
      const { id } = this.route;
      // The connection first, in parallel with the page: it syncs while the editor loads. The page is shown
      // only after the connection was opened, so that it adopts it rather than opening a second one. If
      // the connection's chunk fails to load, the page connects by itself (or reports the failure).
      const discardEarly = import('../collab/early-connection.js').then(
        ({ openEarlyConnection, discardEarlyConnection }) => {
          openEarlyConnection(id, loadIdentity());
          return discardEarlyConnection;
        },
        () => () => undefined,
      );
      Promise.all([discardEarly, import('./session-page.js')]).then(
        () => {
          this.sessionPageLoaded = true;
        },
        (error: unknown) => {
          void discardEarly.then((discard) => discard());
          this.loadError = `The editor could not be loaded: ${String(error)}. Reload the page to try again.`;
        },
      );
    }
  }

  override render() {
    if (this.loadError) return html`<p class="page-message" role="alert">${this.loadError}</p>`;
    switch (this.route.page) {
      case 'home':
        return html`<home-page></home-page>`;
      case 'session':
        return this.sessionPageLoaded
          ? html`<session-page session-id=${this.route.id}></session-page>`
          : html`<p class="page-message">Loading the editor…</p>`;
      case 'missing':
        return html`<div class="page-message" role="alert">
          <p>${FINAL_CLOSE_MESSAGES[CLOSE_CODES.NOT_FOUND]}</p>
          <a href="/">Start a new session</a>
        </div>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'app-root': AppRootElement;
  }
}
