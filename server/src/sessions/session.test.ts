import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { LIMIT_DEFAULTS } from '../../../shared/limits.js';
import { MESSAGE_TYPES, SYNC_MESSAGE_TYPES } from '../../../shared/protocol.js';
import { handleMessage } from '../sync/message-handler.js';
import { encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from '../sync/messages.js';
import type { Peer } from '../sync/peer.js';
import { JoinCacheBudget } from './join-cache-budget.js';
import { Session, type SessionHooks } from './session.js';

/** The cached answer to fresh joins: one buffer for every joiner, always the current, stored document. */

interface RecordingPeer extends Peer {
  readonly frames: Uint8Array[];
}

function recordingPeer(id: string): RecordingPeer {
  const frames: Uint8Array[] = [];
  return { id, frames, send: (frame) => frames.push(frame), close: () => {} };
}

const LIMITS = { maxDocumentBytes: 1 << 20, maxRunOutputBytes: LIMIT_DEFAULTS.MAX_RUN_OUTPUT_BYTES };
const EMPTY_STATE_VECTOR = new Uint8Array([0]);
const GRACE_MS = 5_000;

function makeSession(hooks: Partial<SessionHooks> = {}, joinCacheBudget?: JoinCacheBudget): Session {
  return new Session(
    'AAAAAAAAAAAAAAAAAAAAAA',
    new Date(),
    { maxStateBytes: 1024, maxEntriesPerFrame: 4 },
    { onPeerCountChange: () => {}, ...hooks },
    { joinCacheGraceMs: GRACE_MS, ...(joinCacheBudget ? { joinCacheBudget } : {}) },
  );
}

/** A fresh client joins and sends sync step 1 with its empty state vector; returns the step 2 it got. */
function freshJoin(
  session: Session,
  peer = recordingPeer('joiner'),
): { peer: RecordingPeer; step2: () => Uint8Array } {
  session.join(peer);
  const before = peer.frames.length;
  expect(handleMessage(session, peer, encodeSyncStep1(EMPTY_STATE_VECTOR), LIMITS)).toEqual({ ok: true });
  return {
    peer,
    step2: () => {
      const frame = peer.frames.slice(before).find(isSyncStep2);
      if (frame === undefined) throw new Error('no sync step 2 yet');
      return frame;
    },
  };
}

function isSyncStep2(frame: Uint8Array): boolean {
  return frame[0] === MESSAGE_TYPES.SYNC && frame[1] === SYNC_MESSAGE_TYPES.STEP2;
}

/** The code text a client ends up with after applying a step 2 frame. */
function codeIn(step2: Uint8Array): string {
  const decoder = decoding.createDecoder(step2);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
  return doc.getText('code').toString();
}

/** An update typed by another client, as it arrives in a sync-update frame. */
function typed(session: Session, text: string): Uint8Array {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(session.doc));
  const before = Y.encodeStateVector(client);
  client.getText('code').insert(client.getText('code').length, text);
  return encodeSyncUpdate(Y.encodeStateAsUpdate(client, before));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the answer to fresh joins', () => {
  it('is one buffer sent to every fresh joiner, carrying the whole document', () => {
    const session = makeSession();
    session.doc.getText('code').insert(0, 'print(1)\n');
    const first = freshJoin(session).step2();
    const second = freshJoin(session).step2();
    expect(second).toBe(first);
    expect(codeIn(first)).toBe('print(1)\n');
    expect(session.encodeFullState()).toEqual(Y.encodeStateAsUpdate(session.doc));
  });

  it('survives the empty sync step 2 every fresh client answers with, which is neither relayed nor stored', () => {
    const stored: Uint8Array[] = [];
    const session = makeSession({ persistUpdate: (_session, update) => void stored.push(update) });
    session.doc.getText('code').insert(0, 'print(2)\n');
    stored.length = 0;
    const other = freshJoin(session).peer;
    const { peer, step2 } = freshJoin(session);
    const cached = step2();
    const framesBefore = other.frames.length;
    const emptyStep2 = encodeSyncStep2(Y.encodeStateAsUpdate(new Y.Doc(), Y.encodeStateVector(session.doc)));
    expect(handleMessage(session, peer, emptyStep2, LIMITS)).toEqual({ ok: true });
    expect(other.frames).toHaveLength(framesBefore);
    expect(stored).toEqual([]);
    expect(freshJoin(session).step2()).toBe(cached);
  });

  it('is encoded again after an edit, and a joiner after the edit gets it', () => {
    const session = makeSession();
    const writer = freshJoin(session).peer;
    const before = freshJoin(session).step2();
    expect(handleMessage(session, writer, typed(session, 'x = 2\n'), LIMITS)).toEqual({ ok: true });
    const after = freshJoin(session).step2();
    expect(after).not.toBe(before);
    expect(codeIn(after)).toBe('x = 2\n');
    expect(codeIn(freshJoin(session).step2())).toBe('x = 2\n');
  });

  it('reaches a joiner only once the edits it carries are stored', async () => {
    let commit = (): void => {};
    const stored = new Promise<void>((resolve) => {
      commit = resolve;
    });
    const session = makeSession({ persistUpdate: () => stored });
    const writer = freshJoin(session).peer;
    // Cached before the edit; the edit must replace it, not be hidden behind it.
    freshJoin(session).step2();
    expect(handleMessage(session, writer, typed(session, 'y = 3\n'), LIMITS)).toEqual({ ok: true });
    const joiner = freshJoin(session);
    expect(joiner.peer.frames.some(isSyncStep2)).toBe(false);
    commit();
    await vi.waitFor(() => expect(codeIn(joiner.step2())).toBe('y = 3\n'));
  });

  it('outlives the last peer for the grace period, then is dropped', () => {
    vi.useFakeTimers();
    const session = makeSession();
    session.doc.getText('code').insert(0, 'kept\n');
    const { peer, step2 } = freshJoin(session);
    const cached = step2();
    session.leave(peer);
    vi.advanceTimersByTime(GRACE_MS - 1);
    const rejoin = freshJoin(session);
    expect(rejoin.step2()).toBe(cached);
    session.leave(rejoin.peer);
    vi.advanceTimersByTime(GRACE_MS);
    expect(vi.getTimerCount()).toBe(0);
    const late = freshJoin(session).step2();
    expect(late).not.toBe(cached);
    expect(codeIn(late)).toBe('kept\n');
  });

  it('made while nobody is connected, is dropped after the grace period too', () => {
    vi.useFakeTimers();
    const session = makeSession();
    session.doc.getText('code').insert(0, 'read over REST\n');
    const bytes = session.documentBytes;
    expect(session.approximateBytes).toBe(bytes);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(GRACE_MS);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timer behind when the session is destroyed during the grace period', () => {
    vi.useFakeTimers();
    const session = makeSession();
    const { peer, step2 } = freshJoin(session);
    step2();
    session.leave(peer);
    expect(vi.getTimerCount()).toBe(1);
    session.destroy();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("the budget of all sessions' answers to fresh joins", () => {
  /** A session holding `text`, its answer to fresh joins about 420 bytes. */
  function sessionWith(text: string, budget: JoinCacheBudget): Session {
    const session = makeSession({}, budget);
    session.doc.getText('code').insert(0, text.repeat(400 / text.length));
    return session;
  }

  it('drops the answers used longest ago once the budget is full, and still answers correctly', () => {
    const budget = new JoinCacheBudget(1_000);
    const [a, b, c] = [sessionWith('a', budget), sessionWith('b', budget), sessionWith('c', budget)];
    const firstA = freshJoin(a).step2();
    const firstB = freshJoin(b).step2();
    expect(budget.bytes).toBe(firstA.byteLength + firstB.byteLength);
    // A is used again, so B is now the one used longest ago.
    expect(freshJoin(a).step2()).toBe(firstA);
    const firstC = freshJoin(c).step2();
    expect(budget.bytes).toBe(firstA.byteLength + firstC.byteLength);
    expect(budget.bytes).toBeLessThanOrEqual(budget.maxBytes);
    expect(freshJoin(a).step2()).toBe(firstA);
    const againB = freshJoin(b).step2();
    expect(againB).not.toBe(firstB);
    expect(codeIn(againB)).toBe('b'.repeat(400));
    expect(budget.bytes).toBeLessThanOrEqual(budget.maxBytes);
  });

  it('counts an answer no more once an edit, the grace period or the end of the session drops it', () => {
    vi.useFakeTimers();
    const budget = new JoinCacheBudget(1_000_000);
    const edited = sessionWith('e', budget);
    const writer = freshJoin(edited).peer;
    freshJoin(edited).step2();
    expect(handleMessage(edited, writer, typed(edited, 'more'), LIMITS)).toEqual({ ok: true });
    expect(budget.bytes).toBe(0);

    const left = sessionWith('l', budget);
    const { peer } = freshJoin(left);
    left.leave(peer);
    expect(budget.bytes).toBeGreaterThan(0);
    vi.advanceTimersByTime(GRACE_MS);
    expect(budget.bytes).toBe(0);

    const ended = sessionWith('d', budget);
    freshJoin(ended).step2();
    ended.destroy();
    expect(budget.bytes).toBe(0);
  });
});
