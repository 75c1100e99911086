import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

const COPIED_FEEDBACK_MS = 2000;

/** The session's share link, read-only, with a button that copies it. */
@customElement('share-link')
export class ShareLinkElement extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: stretch;
      min-width: 0;
      border: 1px solid var(--border);
      border-radius: var(--radius);
      background: var(--surface-sunken);
      overflow: hidden;
    }
    input {
      flex: 1 1 auto;
      min-width: 0;
      width: 100%;
      border: 0;
      padding: 0.4rem 0.6rem;
      background: transparent;
      color: var(--text);
      font: 0.82rem var(--font-mono);
      text-overflow: ellipsis;
    }
    input:focus {
      outline: none;
    }
    button {
      border: 0;
      border-left: 1px solid var(--border);
      padding: 0 0.8rem;
      background: var(--surface);
      color: var(--text);
      font: inherit;
      font-size: 0.85rem;
      cursor: pointer;
      white-space: nowrap;
    }
    button:hover {
      background: var(--hover);
    }
    button:focus-visible {
      outline: 2px solid var(--accent);
      outline-offset: -2px;
    }
  `;

  @property() url = '';
  @state() private copied = false;
  private resetTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.resetTimer);
  }

  override render() {
    return html`
      <input
        type="text"
        readonly
        aria-label="Share link"
        .value=${this.url}
        @focus=${(event: FocusEvent) => (event.target as HTMLInputElement).select()}
      />
      <button type="button" @click=${this.copy}>${this.copied ? 'Copied!' : 'Copy link'}</button>
    `;
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.url);
    } catch {
      // The Clipboard API needs a secure context; fall back to copying the selected field.
      const input = this.renderRoot.querySelector('input');
      input?.select();
      document.execCommand('copy');
    }
    this.copied = true;
    clearTimeout(this.resetTimer);
    this.resetTimer = setTimeout(() => {
      this.copied = false;
    }, COPIED_FEEDBACK_MS);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'share-link': ShareLinkElement;
  }
}
