import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { Peer } from '../lib/peers.js';

/** Someone in the list was chosen: the page shows where they are in the code. */
export class PeerSelectEvent extends Event {
  static readonly eventName = 'peer-select';
  constructor(readonly clientId: number) {
    super(PeerSelectEvent.eventName, { bubbles: true, composed: true });
  }
}

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
    li.remote {
      cursor: pointer;
    }
    li.remote:hover {
      background: var(--hover);
    }
    button.name {
      all: unset;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      cursor: pointer;
    }
    li:focus-within {
      outline: 2px solid var(--accent);
      outline-offset: -2px;
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
            <li
              class="peer ${peer.identified ? '' : 'anonymous'} ${peer.isLocal ? 'local' : 'remote'}"
              title=${peer.isLocal ? peer.name : `${peer.name}: show their cursor`}
              @click=${peer.isLocal ? null : () => this.dispatchEvent(new PeerSelectEvent(peer.clientId))}
            >
              <span class="swatch" style=${styleMap({ '--peer-color': peer.color })}></span>
              ${
                peer.isLocal
                  ? html`<span class="name">${peer.name}</span><span class="you">(you)</span>`
                  : html`<button type="button" class="name">${peer.name}</button>`
              }
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
  interface HTMLElementEventMap {
    'peer-select': PeerSelectEvent;
  }
}
