import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { type AwarenessUser, isUserColor, MAX_USER_NAME_LENGTH } from '../../../shared/awareness-user.js';
import { normalizeUserName } from '../lib/identity.js';

export class IdentityChangeEvent extends Event {
  static readonly eventName = 'identity-change';
  constructor(readonly user: AwarenessUser) {
    super(IdentityChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Your name and colour as others see them; editing either announces the new identity. */
@customElement('identity-editor')
export class IdentityEditorElement extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
    }
    .color {
      position: relative;
      width: 1.6rem;
      height: 1.6rem;
      border-radius: 50%;
      background: var(--user-color);
      border: 2px solid var(--surface);
      box-shadow: 0 0 0 1px var(--border);
      overflow: hidden;
    }
    .color input {
      position: absolute;
      inset: 0;
      opacity: 0;
      cursor: pointer;
      width: 100%;
      height: 100%;
      border: 0;
      padding: 0;
    }
    input[type='text'] {
      width: 10rem;
      padding: 0.35rem 0.5rem;
      border: 1px solid var(--border);
      border-radius: var(--radius);
      background: var(--surface);
      color: var(--text);
      font: inherit;
      font-size: 0.85rem;
    }
    input[type='text'][aria-invalid='true'] {
      border-color: var(--danger);
    }
    input:focus-visible {
      outline: 2px solid var(--accent);
      outline-offset: 1px;
    }
  `;

  @property({ attribute: false }) user: AwarenessUser = { name: '', color: '#8b8d98' };
  @state() private invalid = false;

  override render() {
    return html`
      <label class="color" title="Your colour" style=${styleMap({ '--user-color': this.user.color })}>
        <input type="color" aria-label="Your colour" .value=${this.user.color} @change=${this.changeColor} />
      </label>
      <input
        type="text"
        aria-label="Your name"
        title="Your name, as others see it"
        maxlength=${MAX_USER_NAME_LENGTH}
        aria-invalid=${this.invalid ? 'true' : 'false'}
        .value=${this.user.name}
        @input=${() => {
          this.invalid = false;
        }}
        @change=${this.changeName}
        @keydown=${(event: KeyboardEvent) => {
          if (event.key === 'Enter') (event.target as HTMLInputElement).blur();
        }}
      />
    `;
  }

  private changeName(event: Event): void {
    const input = event.target as HTMLInputElement;
    const name = normalizeUserName(input.value);
    if (name === null) {
      this.invalid = true;
      return;
    }
    input.value = name;
    if (name !== this.user.name) this.dispatchEvent(new IdentityChangeEvent({ ...this.user, name }));
  }

  private changeColor(event: Event): void {
    const color = (event.target as HTMLInputElement).value.toLowerCase();
    if (isUserColor(color) && color !== this.user.color) {
      this.dispatchEvent(new IdentityChangeEvent({ ...this.user, color }));
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'identity-editor': IdentityEditorElement;
  }
  interface HTMLElementEventMap {
    'identity-change': IdentityChangeEvent;
  }
}
