import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { fetchSessionInfo } from '../lib/api-client.js';

/**
 * When the session will be deleted if nobody uses it (every use moves the date forward), and a link that
 * downloads the code as a file named after the language.
 */
@customElement('session-lifetime')
export class SessionLifetimeElement extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 0.6rem;
      font-size: 0.82rem;
      color: var(--text-muted, inherit);
      white-space: nowrap;
    }
    a {
      padding: 0.3rem 0.7rem;
      border: 1px solid var(--border);
      border-radius: var(--radius);
      background: var(--surface);
      color: var(--text);
      text-decoration: none;
    }
    a:hover {
      background: var(--hover);
    }
    a:focus-visible {
      outline: 2px solid var(--accent);
      outline-offset: 1px;
    }
  `;

  @property({ attribute: 'session-id' }) sessionId = '';
  @state() private expiresAt: Date | null = null;
  private lookup: AbortController | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.lookup = new AbortController();
    fetchSessionInfo(this.sessionId, this.lookup.signal).then(
      (info) => {
        this.expiresAt = info ? new Date(info.expiresAt) : null;
      },
      () => {
        // Unreachable or aborted: the date is simply not shown.
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.lookup?.abort();
  }

  override render() {
    const expiry = this.expiresAt
      ? html`<span class="expiry" title="Every use moves this date forward."
          >Expires ${this.expiresAt.toLocaleDateString(undefined, { dateStyle: 'medium' })} if unused</span
        >`
      : null;
    return html`${expiry}<a href=${`/api/sessions/${encodeURIComponent(this.sessionId)}/content`} download
        >Download</a
      >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'session-lifetime': SessionLifetimeElement;
  }
}
