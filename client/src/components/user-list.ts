import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { Peer } from '../lib/peers.js';

/**
 * The people in the session. Names are rendered as text; a colour reaches the page only as a custom
 * property value set through `style.setProperty` (what `styleMap` does), after validation as `#rrggbb`.
 */
@customElement('user-list')
export class UserListElement extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.15rem;
    }
    li {
      display: flex;
      align-items: center;
      gap: 0.55rem;
      padding: 0.3rem 0.4rem;
      border-radius: var(--radius);
      min-width: 0;
    }
    li:hover {
      background: var(--hover);
    }
    .swatch {
      flex: none;
      width: 0.8rem;
      height: 0.8rem;
      border-radius: 50%;
      background: var(--peer-color, var(--muted));
      box-shadow: 0 0 0 2px color-mix(in srgb, var(--peer-color, var(--muted)) 30%, transparent);
    }
    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .anonymous .name {
      font-style: italic;
      color: var(--muted);
    }
    .you {
      flex: none;
      font-size: 0.75rem;
      color: var(--muted);
    }
  `;

  @property({ attribute: false }) peers: readonly Peer[] = [];

  override render() {
    return html`
      <ul aria-label="People in this session">
        ${repeat(
          this.peers,
          (peer) => peer.clientId,
          (peer) => html`
            <li class=${peer.identified ? 'peer' : 'peer anonymous'} title=${peer.name}>
              <span class="swatch" style=${styleMap({ '--peer-color': peer.color })}></span>
              <span class="name">${peer.name}</span>
              ${peer.isLocal ? html`<span class="you">(you)</span>` : null}
            </li>
          `,
        )}
      </ul>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'user-list': UserListElement;
  }
}
