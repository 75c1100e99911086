import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { CONNECTION_STATUSES, type ConnectionStatus } from '../collab/session-connection.js';

const WORDS: Record<ConnectionStatus, string> = {
  [CONNECTION_STATUSES.CONNECTING]: 'Connecting…',
  [CONNECTION_STATUSES.CONNECTED]: 'Connected',
  [CONNECTION_STATUSES.OFFLINE]: 'Offline, reconnecting…',
  [CONNECTION_STATUSES.REFUSED]: 'Refused by the server, retrying…',
  [CONNECTION_STATUSES.CLOSED]: 'Disconnected',
};

/** The connection state in words, with a coloured dot as a second cue. */
@customElement('connection-status')
export class ConnectionStatusElement extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 0.45em;
      font-size: 0.85rem;
      color: var(--muted);
      white-space: nowrap;
    }
    .dot {
      width: 0.55em;
      height: 0.55em;
      border-radius: 50%;
      background: var(--warn);
    }
    :host([status='connected']) .dot {
      background: var(--ok);
    }
    :host([status='offline']) .dot,
    :host([status='refused']) .dot,
    :host([status='closed']) .dot {
      background: var(--danger);
    }
    :host([status='connecting']) .dot,
    :host([status='offline']) .dot,
    :host([status='refused']) .dot {
      animation: pulse 1.2s ease-in-out infinite;
    }
    @keyframes pulse {
      50% {
        opacity: 0.3;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .dot {
        animation: none !important;
      }
    }
  `;

  @property({ reflect: true }) status: ConnectionStatus = CONNECTION_STATUSES.CONNECTING;

  override render() {
    return html`<span class="dot"></span><span role="status" aria-live="polite">${WORDS[this.status]}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'connection-status': ConnectionStatusElement;
  }
}
