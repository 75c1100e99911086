/**
 * Turns awareness states, which any peer can fill with anything, into the people the page shows. A state
 * without a valid `user` still counts as a person: it is shown under a neutral placeholder name.
 */
import { type AwarenessUser, parseAwarenessUser } from '../../../shared/awareness-user.js';

export interface Peer extends AwarenessUser {
  clientId: number;
  /** This browser tab. */
  isLocal: boolean;
  /** False when the peer published no valid name and colour. */
  identified: boolean;
}

export const ANONYMOUS_PEER: AwarenessUser = { name: 'Anonymous', color: '#8b8d98' };

/** The user a peer's awareness state describes, or the placeholder. Never throws. */
export function peerUser(state: unknown): { user: AwarenessUser; identified: boolean } {
  const user =
    typeof state === 'object' && state !== null
      ? parseAwarenessUser((state as { user?: unknown }).user)
      : null;
  return user ? { user, identified: true } : { user: ANONYMOUS_PEER, identified: false };
}

/** Everyone in the session, this tab first, then by name. */
export function peersFromStates(states: ReadonlyMap<number, unknown>, localClientId: number): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of states) {
    const { user, identified } = peerUser(state);
    peers.push({
      clientId,
      name: user.name,
      color: user.color,
      isLocal: clientId === localClientId,
      identified,
    });
  }
  return peers.sort(
    (a, b) =>
      Number(b.isLocal) - Number(a.isLocal) || a.name.localeCompare(b.name) || a.clientId - b.clientId,
  );
}
