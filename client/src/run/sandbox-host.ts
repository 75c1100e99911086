import { SANDBOX_PAGE_PATH } from '../../../shared/security-headers.js';
import {
  type HostMessage,
  PYTHON_FRAME_HINT,
  parseRuntimeMessage,
  type RuntimeMessage,
} from './sandbox-protocol.js';

/**
 * The app page's side of the sandboxed run frame: creates the hidden iframe, sends it requests once it is
 * ready, and passes on only messages that really come from that frame (`event.source`) and parse. The
 * iframe has `sandbox="allow-scripts"` and never `allow-same-origin`: its documents and workers get an
 * opaque origin. `allow="cross-origin-isolated"` lets it use SharedArrayBuffer for Python interrupts.
 */
export class SandboxHost {
  readonly #container: HTMLElement;
  readonly #startPython: boolean;
  #onMessage: (message: RuntimeMessage) => void = () => undefined;
  #frame: HTMLIFrameElement | null = null;
  #ready = false;
  #queue: HostMessage[] = [];

  /**
   * `startPython`: the frame starts loading Python as soon as its script runs, rather than when the
   * page's first message reaches it (the page's thread is busy while a session opens).
   */
  constructor(container: HTMLElement, { startPython = false }: { startPython?: boolean } = {}) {
    this.#container = container;
    this.#startPython = startPython;
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
    frame.src = this.#startPython ? `${SANDBOX_PAGE_PATH}${PYTHON_FRAME_HINT}` : SANDBOX_PAGE_PATH;
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
