import { SANDBOX_PAGE_PATH } from '../../../shared/security-headers.js';
import { type HostMessage, parseRuntimeMessage, type RuntimeMessage } from './sandbox-protocol.js';

/**
 * The app page's side of the sandboxed run frame: creates the hidden iframe, sends it requests once it is
 * ready, and passes on only messages that really come from that frame (`event.source`) and parse. The
 * iframe has `sandbox="allow-scripts"` and never `allow-same-origin`: its documents and workers get an
 * opaque origin. `allow="cross-origin-isolated"` lets it use SharedArrayBuffer for Python interrupts.
 */
export class SandboxHost {
  readonly #container: HTMLElement;
  #onMessage: (message: RuntimeMessage) => void;
  #frame: HTMLIFrameElement | null = null;
  #ready = false;
  #queue: HostMessage[] = [];

  constructor(container: HTMLElement, onMessage: (message: RuntimeMessage) => void = () => undefined) {
    this.#container = container;
    this.#onMessage = onMessage;
    window.addEventListener('message', this.#receive);
  }

  /** Who receives the frame's messages from now on (a host started early changes hands once). */
  listen(onMessage: (message: RuntimeMessage) => void): void {
    this.#onMessage = onMessage;
  }

  send(message: HostMessage): void {
    this.#ensureFrame();
    if (this.#ready) this.#frame?.contentWindow?.postMessage(message, '*');
    else this.#queue.push(message);
  }

  /** Throws the frame away (and every worker in it); the next request starts a fresh one. */
  reset(): void {
    this.#frame?.remove();
    this.#frame = null;
    this.#ready = false;
    this.#queue = [];
  }

  destroy(): void {
    window.removeEventListener('message', this.#receive);
    this.reset();
  }

  #ensureFrame(): void {
    if (this.#frame !== null) return;
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts');
    frame.setAttribute('allow', 'cross-origin-isolated');
    frame.title = 'Code runner';
    frame.hidden = true;
    frame.src = SANDBOX_PAGE_PATH;
    this.#frame = frame;
    this.#container.append(frame);
  }

  readonly #receive = (event: MessageEvent<unknown>) => {
    // An opaque origin posts as "null"; the source check is what ties the message to our frame.
    if (this.#frame === null || event.source !== this.#frame.contentWindow || event.origin !== 'null') return;
    const message = parseRuntimeMessage(event.data);
    if (message === null) return;
    if (message.type === 'ready') {
      this.#ready = true;
      // '*': the frame's origin is opaque and cannot be named; the frame itself checks who is talking.
      for (const queued of this.#queue.splice(0)) this.#frame.contentWindow?.postMessage(queued, '*');
      return;
    }
    this.#onMessage(message);
  };
}
