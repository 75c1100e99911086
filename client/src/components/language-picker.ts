import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { isLanguage, LANGUAGE_IDS, LANGUAGES, type Language } from '../../../shared/languages.js';

export class LanguageChangeEvent extends Event {
  static readonly eventName = 'language-change';
  constructor(readonly language: Language) {
    super(LanguageChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The language select. It shows the value it is given and announces a choice; it stores nothing. */
@customElement('language-picker')
export class LanguagePickerElement extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
      font-size: 0.85rem;
      color: var(--muted);
    }
    select {
      padding: 0.35rem 0.5rem;
      border: 1px solid var(--border);
      border-radius: var(--radius);
      background: var(--surface);
      color: var(--text);
      font: inherit;
      font-size: 0.85rem;
    }
    select:focus-visible {
      outline: 2px solid var(--accent);
      outline-offset: 1px;
    }
  `;

  /** `null` while the session's language is not known yet. */
  @property() value: Language | null = null;
  @property({ type: Boolean }) disabled = false;
  @property() label = 'Language';
  /** Shows the select alone (the session header, where the language names speak for themselves). */
  @property({ type: Boolean, attribute: 'label-hidden' }) labelHidden = false;

  override render() {
    return html`
      <label>
        ${this.labelHidden ? null : this.label}
        <select
          aria-label=${this.label}
          ?disabled=${this.disabled || this.value === null}
          @change=${this.handleChange}
        >
          ${this.value === null ? html`<option selected disabled value="">…</option>` : null}
          ${LANGUAGE_IDS.map(
            (id) => html`<option value=${id} ?selected=${id === this.value}>${LANGUAGES[id].label}</option>`,
          )}
        </select>
      </label>
    `;
  }

  override updated(): void {
    // `?selected` only sets the initial choice; keep the control in step when the value changes remotely.
    const select = this.renderRoot.querySelector('select');
    if (select && this.value !== null && select.value !== this.value) select.value = this.value;
  }

  private handleChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    if (isLanguage(value)) this.dispatchEvent(new LanguageChangeEvent(value));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'language-picker': LanguagePickerElement;
  }
  interface HTMLElementEventMap {
    'language-change': LanguageChangeEvent;
  }
}
