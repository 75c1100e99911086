/**
 * Knows when a JavaScript program has finished: its module has been evaluated (top-level await included)
 * and no timer, interval or fetch it started is still pending, like a script under Node. An interval that
 * is never cleared keeps the program running until Stop or the timeout, as it would there.
 *
 * It replaces the worker's timer functions and `fetch` with counting wrappers; the worker is used for one
 * run only, so nothing has to be restored.
 */
type TimerId = ReturnType<typeof setTimeout>;

export class ProgramActivity {
  readonly #pendingTimers = new Set<TimerId>();
  readonly #intervals = new Set<TimerId>();
  #pendingFetches = 0;
  #moduleSettled = false;
  #idleCheckQueued = false;
  readonly #onIdle: () => void;
  readonly #onCallbackError: (error: unknown) => void;
  readonly #realSetTimeout = globalThis.setTimeout.bind(globalThis);

  constructor(onIdle: () => void, onCallbackError: (error: unknown) => void) {
    this.#onIdle = onIdle;
    this.#onCallbackError = onCallbackError;
  }

  install(): void {
    const realSetTimeout = this.#realSetTimeout;
    const realSetInterval = globalThis.setInterval.bind(globalThis);
    const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
    const realClearInterval = globalThis.clearInterval.bind(globalThis);
    const realFetch = globalThis.fetch.bind(globalThis);
    const scope = globalThis as unknown as Record<string, unknown>;

    scope.setTimeout = (handler: unknown, delay?: number, ...args: unknown[]) => {
      const id: TimerId = realSetTimeout(() => {
        this.#pendingTimers.delete(id);
        this.#invoke(handler, args);
        this.#checkIdle();
      }, delay);
      this.#pendingTimers.add(id);
      return id;
    };
    scope.setInterval = (handler: unknown, delay?: number, ...args: unknown[]) => {
      const id: TimerId = realSetInterval(() => this.#invoke(handler, args), delay);
      this.#intervals.add(id);
      return id;
    };
    scope.clearTimeout = (id?: TimerId) => {
      if (id === undefined) return;
      realClearTimeout(id);
      this.#pendingTimers.delete(id);
      this.#checkIdle();
    };
    scope.clearInterval = (id?: TimerId) => {
      if (id === undefined) return;
      realClearInterval(id);
      this.#intervals.delete(id);
      this.#checkIdle();
    };
    scope.fetch = async (...args: Parameters<typeof fetch>) => {
      this.#pendingFetches++;
      try {
        return await realFetch(...args);
      } finally {
        this.#pendingFetches--;
        this.#checkIdle();
      }
    };
  }

  /** Called once the program's module has been evaluated (or has failed). */
  moduleSettled(): void {
    this.#moduleSettled = true;
    this.#checkIdle();
  }

  #invoke(handler: unknown, args: unknown[]): void {
    try {
      // String handlers (`setTimeout('code')`) are a legacy form of eval and are not run.
      if (typeof handler === 'function') handler(...args);
    } catch (error) {
      this.#onCallbackError(error);
    }
  }

  #busy(): boolean {
    return (
      !this.#moduleSettled ||
      this.#pendingTimers.size > 0 ||
      this.#intervals.size > 0 ||
      this.#pendingFetches > 0
    );
  }

  #checkIdle(): void {
    if (this.#busy() || this.#idleCheckQueued) return;
    this.#idleCheckQueued = true;
    // One more turn of the event loop: promise callbacks of the last task may still start new work.
    this.#realSetTimeout(() => {
      this.#idleCheckQueued = false;
      if (!this.#busy()) this.#onIdle();
    }, 0);
  }
}
