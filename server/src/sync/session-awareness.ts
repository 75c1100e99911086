import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { parseAwarenessUser } from '../../../shared/awareness-user.js';
import { CLOSE_CODES } from '../../../shared/close-codes.js';
import { expectEnd, readVarString, readVarUint } from './bounded-decoding.js';
import { OK, type Outcome, type Peer, refuse } from './peer.js';

/**
 * The server's view of a session's awareness (who is here, their cursor and name), speaking y-protocols'
 * awareness wire format. Unlike y-protocols' `Awareness` it needs no timer (dead peers are found by the
 * socket heartbeat) and it enforces ownership: a connection owns the one client id it announced first and
 * can neither set nor remove anyone else's state.
 */
export interface AwarenessLimits {
  /** Largest encoded JSON state of one client. */
  readonly maxStateBytes: number;
  /** Most entries one awareness frame may carry. */
  readonly maxEntriesPerFrame: number;
}

interface Entry {
  clock: number;
  /** The state as the JSON text it arrived in; relayed without re-serialising. */
  json: string;
}

interface DecodedEntry {
  clientId: number;
  clock: number;
  json: string;
  isNull: boolean;
}

export type AwarenessOutcome = Outcome & { readonly broadcast?: Uint8Array };

export class SessionAwareness {
  private readonly entries = new Map<number, Entry>();
  /**
   * The client id each connection claimed. Its reverse (who owns an id) is looked up by scanning it: a
   * session has at most a few dozen peers, and a second map would cost every idle session its memory.
   */
  private readonly idOf = new Map<Peer, number>();

  constructor(private readonly limits: AwarenessLimits) {}

  get clientCount(): number {
    return this.entries.size;
  }

  /** Validates the whole update and its ownership, then applies the newer entries. */
  apply(peer: Peer, update: Uint8Array): AwarenessOutcome {
    const decoded = this.decode(update);
    if (!Array.isArray(decoded)) return decoded;
    let ownId = this.idOf.get(peer);
    const writable: DecodedEntry[] = [];
    for (const entry of decoded) {
      const owner = this.ownerOf(entry.clientId);
      if (owner !== undefined && owner !== peer) {
        // Never applied. Stock clients echo every awareness change they hear, and two tabs of one browser
        // share changes over a BroadcastChannel, so an echo may even carry a clock the server has not seen
        // yet: refusing would disconnect honest clients.
        continue;
      }
      if (owner === undefined) {
        // Removals of unknown clients and echoes of departed ones change nothing.
        if (entry.isNull || (ownId !== undefined && ownId !== entry.clientId)) continue;
        // A connection's first announced state claims that client id for as long as it stays connected.
        ownId = entry.clientId;
      }
      writable.push(entry);
    }
    const accepted: Array<[number, number, string]> = [];
    for (const entry of writable) {
      const current = this.entries.get(entry.clientId);
      const currentClock = current?.clock ?? -1;
      const newer = entry.clock > currentClock;
      const removal = entry.isNull && entry.clock === currentClock;
      if (!newer && !removal) continue;
      this.idOf.set(peer, entry.clientId);
      if (entry.isNull) this.entries.delete(entry.clientId);
      else this.entries.set(entry.clientId, { clock: entry.clock, json: entry.json });
      accepted.push([entry.clientId, entry.clock, entry.json]);
    }
    if (accepted.length === 0) return OK;
    // The usual frame (one client's own state) was decoded exactly and taken whole: relay it as it came.
    if (accepted.length === decoded.length) return { ok: true, broadcast: update };
    return { ok: true, broadcast: encodeEntries(accepted) };
  }

  /** Every known state, for a newcomer; `null` when nobody has announced anything. */
  encodeAll(): Uint8Array | null {
    if (this.entries.size === 0) return null;
    const all: Array<[number, number, string]> = [];
    for (const [clientId, entry] of this.entries) all.push([clientId, entry.clock, entry.json]);
    return encodeEntries(all);
  }

  /** Drops the peer's state and claim; returns the removal to broadcast, if it had a state. */
  removePeer(peer: Peer): Uint8Array | null {
    const clientId = this.idOf.get(peer);
    if (clientId === undefined) return null;
    this.idOf.delete(peer);
    const entry = this.entries.get(clientId);
    if (entry === undefined) return null;
    this.entries.delete(clientId);
    return encodeEntries([[clientId, entry.clock + 1, 'null']]);
  }

  /** The connection that claimed `clientId`; each connection claims at most one id. */
  private ownerOf(clientId: number): Peer | undefined {
    for (const [peer, id] of this.idOf) if (id === clientId) return peer;
    return undefined;
  }

  private decode(update: Uint8Array): DecodedEntry[] | Outcome {
    const decoder = decoding.createDecoder(update);
    const count = readVarUint(decoder);
    if (count > this.limits.maxEntriesPerFrame) {
      return refuse(CLOSE_CODES.AWARENESS_VIOLATION, `awareness frame with ${count} entries`);
    }
    const entries: DecodedEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = readVarUint(decoder);
      const clock = readVarUint(decoder);
      const start = decoder.pos;
      const json = readVarString(decoder);
      if (decoder.pos - start > this.limits.maxStateBytes) {
        return refuse(CLOSE_CODES.AWARENESS_VIOLATION, 'awareness state too large');
      }
      const problem = checkState(json);
      if (problem !== null) return refuse(CLOSE_CODES.AWARENESS_VIOLATION, problem);
      entries.push({ clientId, clock, json, isNull: json === 'null' });
    }
    expectEnd(decoder);
    return entries;
  }
}

function checkState(json: string): string | null {
  let state: unknown;
  try {
    state = JSON.parse(json);
  } catch {
    return 'awareness state is not JSON';
  }
  if (state === null) return json === 'null' ? null : 'awareness state is not an object';
  if (typeof state !== 'object' || Array.isArray(state)) return 'awareness state is not an object';
  const user = (state as Record<string, unknown>).user;
  if (user !== undefined && parseAwarenessUser(user) === null)
    return 'awareness user has an invalid name or colour';
  return null;
}

function encodeEntries(entries: ReadonlyArray<readonly [number, number, string]>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const [clientId, clock, json] of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, json);
  }
  return encoding.toUint8Array(encoder);
}
