import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SessionInfo } from '../../../shared/api.js';
import { deleteSession } from '../lib/api-client.js';
import { forgetOwnerToken, ownerTokenFor } from '../lib/owner-tokens.js';

/**
 * When the session will be deleted if nobody uses it (every use moves the date forward), a link that
 * downloads the code as a file named after the language, and, in the browser that created the session,
 * a Delete button. Deleting closes everyone's connection with "gone", which the session page reports.
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
    button {
      font: inherit;
      padding: 0.3rem 0.7rem;
      border: 1px solid var(--danger, #c62828);
      border-radius: var(--radius);
      background: var(--surface);
      color: var(--danger, #c62828);
      cursor: pointer;
    }
    a:hover,
    button:hover {
      background: var(--hover);
    }
    button:focus-visible,
    a:focus-visible {
      outline: 2px solid var(--accent);
      outline-offset: 1px;
    }
  `;

  @property({ attribute: 'session-id' }) sessionId = '';
  /** Given by the session page, which looks the session up once. */
  @property({ attribute: false }) info: SessionInfo | null = null;
  @state() private ownerToken: string | null = null;
  @state() private deleteError = '';

  override connectedCallback(): void {
    super.connectedCallback();
    this.ownerToken = ownerTokenFor(this.sessionId);
  }

  override render() {
    const expiresAt = this.info ? new Date(this.info.expiresAt) : null;
    const expiry = expiresAt
      ? html`<span class="expiry" title="Every use moves this date forward."
          >Expires ${expiresAt.toLocaleDateString(undefined, { dateStyle: 'medium' })} if unused</span
        >`
      : null;
    const remove = this.ownerToken
      ? html`<button type="button" @click=${this.deleteSession} title="Only this browser can do this: it created the session.">
          Delete session
        </button>`
      : null;
    const failure = this.deleteError ? html`<span role="alert">${this.deleteError}</span>` : null;
    return html`${expiry}<a href=${`/api/sessions/${encodeURIComponent(this.sessionId)}/content`} download
        >Download</a
      >${remove}${failure}`;
  }

  private async deleteSession(): Promise<void> {
    const token = this.ownerToken;
    if (token === null) return;
    if (!confirm('Delete this session for everyone? The code cannot be recovered.')) return;
    this.deleteError = '';
    try {
      await deleteSession(this.sessionId, token);
      forgetOwnerToken(this.sessionId);
      this.ownerToken = null;
    } catch (error) {
      this.deleteError = `Could not delete: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'session-lifetime': SessionLifetimeElement;
  }
}
