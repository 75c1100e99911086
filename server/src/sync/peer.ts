import { CLOSE_CODES } from '../../../shared/close-codes.js';

/**
 * One connection as the protocol layer sees it: something that has an id for logs and accepts frames.
 * Sockets, tests and benchmarks implement it; the protocol code never touches a socket.
 */
export interface Peer {
  readonly id: string;
  send(frame: Uint8Array): void;
  /**
   * Frames sent during one iteration of the event loop may be held back to leave together at its end;
   * this writes them out now (a store commit has just released everything it will).
   */
  flush?(): void;
  /** Ends the connection with a code from `shared/close-codes.ts`; `reason` is for logs. */
  close(code: number, reason: string): void;
}

/**
 * What handling one incoming frame came to. A refusal closes only the sender; a `deferrable` one is an
 * update that depends on content the server does not have yet, which the caller may hold back (outside the
 * document) and offer again once more content arrived.
 */
export type Outcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: number; readonly reason: string; readonly deferrable?: boolean };

export const OK: Outcome = Object.freeze({ ok: true });

export function refuse(code: number, reason: string): Outcome {
  return { ok: false, code, reason };
}

export function deferUntilDependencies(reason: string): Outcome {
  return { ok: false, code: CLOSE_CODES.PENDING_OVERFLOW, reason, deferrable: true };
}
