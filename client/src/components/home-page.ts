import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import {
  DEFAULT_LANGUAGE,
  isLanguage,
  LANGUAGE_IDS,
  LANGUAGES,
  type Language,
} from '../../../shared/languages.js';
import { isSessionId, sharePath } from '../../../shared/session-id.js';
import { createSession } from '../lib/api-client.js';
import { rememberOwnerToken } from '../lib/owner-tokens.js';

/** The start page: one button that creates a session and opens it. */
@customElement('home-page')
export class HomePageElement extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      place-items: center;
      min-height: 100vh;
      padding: 2rem 1rem;
      box-sizing: border-box;
    }
    .card {
      width: min(34rem, 100%);
      padding: 2.5rem;
      border: 1px solid var(--border);
      border-radius: calc(var(--radius) * 2);
      background: var(--surface);
      box-shadow: var(--shadow);
    }
    h1 {
      margin: 0 0 0.5rem;
      font-size: 2rem;
      letter-spacing: -0.02em;
    }
    .mark {
      color: var(--accent);
      font-family: var(--font-mono);
    }
    p {
      margin: 0 0 2rem;
      color: var(--muted);
      line-height: 1.55;
    }
    form {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      align-items: center;
    }
    select,
    button {
      font: inherit;
      border-radius: var(--radius);
      padding: 0.65rem 1rem;
    }
    select {
      border: 1px solid var(--border);
      background: var(--surface);
      color: var(--text);
    }
    button {
      border: 0;
      background: var(--accent);
      color: var(--accent-text);
      font-weight: 600;
      cursor: pointer;
    }
    button:hover {
      filter: brightness(1.08);
    }
    button:disabled {
      opacity: 0.6;
      cursor: progress;
    }
    :focus-visible {
      outline: 2px solid var(--accent);
      outline-offset: 2px;
    }
    .error {
      margin: 1rem 0 0;
      color: var(--danger);
    }
  `;

  @state() private language: Language = DEFAULT_LANGUAGE;
  @state() private creating = false;
  @state() private error = '';

  override render() {
    return html`
      <div class="card">
        <h1><span class="mark">{ }</span> code-collab</h1>
        <p>
          A shared code pad. Start a session, send the link, and edit the same code together with live cursors,
          then run it right in the browser.
        </p>
        <form @submit=${this.create}>
          <label>
            <select aria-label="Language" @change=${this.changeLanguage}>
              ${LANGUAGE_IDS.map(
                (id) =>
                  html`<option value=${id} ?selected=${id === this.language}>${LANGUAGES[id].label}</option>`,
              )}
            </select>
          </label>
          <button type="submit" ?disabled=${this.creating}>${this.creating ? 'Creating…' : 'New session'}</button>
        </form>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      </div>
    `;
  }

  private changeLanguage(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    if (isLanguage(value)) this.language = value;
  }

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.creating = true;
    this.error = '';
    try {
      const { id, ownerToken } = await createSession({ language: this.language });
      if (!isSessionId(id)) throw new Error('The server answered with an invalid session id.');
      rememberOwnerToken(id, ownerToken);
      location.assign(sharePath(id));
    } catch (error) {
      this.error = `Could not create a session: ${error instanceof Error ? error.message : String(error)}`;
      this.creating = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'home-page': HomePageElement;
  }
}
