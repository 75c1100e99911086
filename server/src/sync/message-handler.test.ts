import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE_CODES } from '../../../shared/close-codes.js';
import { LIMIT_DEFAULTS } from '../../../shared/limits.js';
import { MESSAGE_TYPES, SYNC_MESSAGE_TYPES } from '../../../shared/protocol.js';
import { Session } from '../sessions/session.js';
import { handleMessage } from './message-handler.js';
import { encodeAwarenessFrame, encodeSyncStep1, encodeSyncUpdate } from './messages.js';
import type { Peer } from './peer.js';

/** The protocol without sockets: peers are recorders of what the session sends them. */
interface RecordingPeer extends Peer {
  readonly frames: Uint8Array[];
}

function recordingPeer(id: string): RecordingPeer {
  const frames: Uint8Array[] = [];
  return { id, frames, send: (frame) => frames.push(frame), close: () => {} };
}

function makeSession(): Session {
  return new Session(
    'AAAAAAAAAAAAAAAAAAAAAA',
    new Date(),
    { maxStateBytes: 1024, maxEntriesPerFrame: 4 },
    {
      onPeerCountChange: () => {},
    },
  );
}

const LIMITS = { maxDocumentBytes: 1 << 20, maxRunOutputBytes: LIMIT_DEFAULTS.MAX_RUN_OUTPUT_BYTES };

function decodeFrame(frame: Uint8Array): { type: number; subType?: number; payload: Uint8Array } {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  if (type === MESSAGE_TYPES.SYNC) {
    const subType = decoding.readVarUint(decoder);
    return { type, subType, payload: decoding.readVarUint8Array(decoder) };
  }
  return { type, payload: decoding.readVarUint8Array(decoder) };
}

function awarenessUpdate(clientId: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}

describe('handleMessage', () => {
  it('greets a joining peer with sync step 1 and answers its step 1 with what it lacks', () => {
    const session = makeSession();
    session.doc.getText('code').insert(0, 'hello');
    const peer = recordingPeer('p');
    session.join(peer);
    expect(decodeFrame(peer.frames[0]!)).toMatchObject({
      type: MESSAGE_TYPES.SYNC,
      subType: SYNC_MESSAGE_TYPES.STEP1,
    });
    const outcome = handleMessage(session, peer, encodeSyncStep1(new Uint8Array([0])), LIMITS);
    expect(outcome.ok).toBe(true);
    const reply = decodeFrame(peer.frames[1]!);
    expect(reply.subType).toBe(SYNC_MESSAGE_TYPES.STEP2);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, reply.payload);
    expect(replica.getText('code').toString()).toBe('hello');
  });

  it('applies an update and relays one frame to everyone but its sender', () => {
    const session = makeSession();
    const [sender, other, third] = [recordingPeer('s'), recordingPeer('o'), recordingPeer('t')];
    for (const peer of [sender, other, third]) session.join(peer);
    const before = [sender.frames.length, other.frames.length, third.frames.length];
    const client = new Y.Doc();
    client.getText('code').insert(0, 'typed');
    expect(handleMessage(session, sender, encodeSyncUpdate(Y.encodeStateAsUpdate(client)), LIMITS).ok).toBe(
      true,
    );
    expect(session.doc.getText('code').toString()).toBe('typed');
    expect(sender.frames.length).toBe(before[0]);
    expect(other.frames.length).toBe(before[1]! + 1);
    // The very same buffer goes to every recipient: encoded once.
    expect(other.frames.at(-1)).toBe(third.frames.at(-1));
  });

  it('relays a new update in the frame it came in, and a step 2 re-framed as an update', () => {
    const session = makeSession();
    const [sender, other] = [recordingPeer('s'), recordingPeer('o')];
    session.join(sender);
    session.join(other);
    const client = new Y.Doc();
    client.getText('code').insert(0, 'ab');
    const incoming = encodeSyncUpdate(Y.encodeStateAsUpdate(client));
    expect(handleMessage(session, sender, incoming, LIMITS).ok).toBe(true);
    expect(other.frames.at(-1)).toBe(incoming);
    const vector = Y.encodeStateVector(client);
    client.getText('code').insert(2, 'c');
    const step2 = encoding.createEncoder();
    encoding.writeVarUint(step2, MESSAGE_TYPES.SYNC);
    encoding.writeVarUint(step2, SYNC_MESSAGE_TYPES.STEP2);
    encoding.writeVarUint8Array(step2, Y.encodeStateAsUpdate(client, vector));
    expect(handleMessage(session, sender, encoding.toUint8Array(step2), LIMITS).ok).toBe(true);
    expect(decodeFrame(other.frames.at(-1)!).subType).toBe(SYNC_MESSAGE_TYPES.UPDATE);
    expect(session.doc.getText('code').toString()).toBe('abc');
  });

  it('relays only what is new from an update that repeats known content, and nothing for a known one', () => {
    const session = makeSession();
    const [sender, other] = [recordingPeer('s'), recordingPeer('o')];
    session.join(sender);
    session.join(other);
    const client = new Y.Doc();
    client.getText('code').insert(0, 'known');
    handleMessage(session, sender, encodeSyncUpdate(Y.encodeStateAsUpdate(client)), LIMITS);
    const framesAfterFirst = other.frames.length;
    expect(handleMessage(session, sender, encodeSyncUpdate(Y.encodeStateAsUpdate(client)), LIMITS).ok).toBe(
      true,
    );
    expect(other.frames.length).toBe(framesAfterFirst);
    client.getText('code').insert(5, '!');
    const whole = Y.encodeStateAsUpdate(client);
    expect(handleMessage(session, sender, encodeSyncUpdate(whole), LIMITS).ok).toBe(true);
    const relayed = decodeFrame(other.frames.at(-1)!).payload;
    expect(relayed.byteLength).toBeLessThan(whole.byteLength);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, decodeFrame(other.frames.at(-2)!).payload);
    Y.applyUpdate(replica, relayed);
    expect(replica.getText('code').toString()).toBe('known!');
  });

  it('refuses an out-of-schema update without touching the document or anyone else', () => {
    const session = makeSession();
    const [sender, other] = [recordingPeer('s'), recordingPeer('o')];
    session.join(sender);
    session.join(other);
    const before = Y.encodeStateAsUpdate(session.doc);
    const framesBefore = other.frames.length;
    const client = new Y.Doc();
    client.getText('code').insert(0, 'fine');
    client.getMap('elsewhere').set('x', 1);
    const outcome = handleMessage(session, sender, encodeSyncUpdate(Y.encodeStateAsUpdate(client)), LIMITS);
    expect(outcome).toMatchObject({ ok: false, code: CLOSE_CODES.SCHEMA_VIOLATION });
    expect(Y.encodeStateAsUpdate(session.doc)).toEqual(before);
    expect(other.frames.length).toBe(framesBefore);
  });

  it('accepts a well-formed run record and refuses one with a field too many', () => {
    const session = makeSession();
    const sender = recordingPeer('s');
    session.join(sender);
    const run = {
      id: 'run-0001',
      clientId: 7,
      by: 'Ada',
      color: '#123456',
      language: 'python',
      startedAt: 1,
      status: 'ok',
      durationMs: 12,
      exitCode: 0,
      output: [{ stream: 'stdout', text: 'hi\n' }],
      truncated: false,
    };
    const client = new Y.Doc();
    client.getArray('runs').push([run]);
    expect(handleMessage(session, sender, encodeSyncUpdate(Y.encodeStateAsUpdate(client)), LIMITS).ok).toBe(
      true,
    );
    expect(session.doc.getArray('runs').toJSON()).toEqual([run]);
    const before = Y.encodeStateAsUpdate(session.doc);
    client.getArray('runs').push([{ ...run, id: 'run-0002', extra: 1 }]);
    const outcome = handleMessage(session, sender, encodeSyncUpdate(Y.encodeStateAsUpdate(client)), LIMITS);
    expect(outcome).toMatchObject({ ok: false, code: CLOSE_CODES.SCHEMA_VIOLATION });
    expect(Y.encodeStateAsUpdate(session.doc)).toEqual(before);
  });

  it('refuses a carriage return in the code, which would shift offsets between editors', () => {
    const session = makeSession();
    const sender = recordingPeer('s');
    session.join(sender);
    const before = Y.encodeStateAsUpdate(session.doc);
    const client = new Y.Doc();
    client.getText('code').insert(0, 'a\r\nb');
    const outcome = handleMessage(session, sender, encodeSyncUpdate(Y.encodeStateAsUpdate(client)), LIMITS);
    expect(outcome).toMatchObject({ ok: false, code: CLOSE_CODES.SCHEMA_VIOLATION });
    expect(Y.encodeStateAsUpdate(session.doc)).toEqual(before);
  });

  it('relays awareness, answers awareness queries, and announces a leaving peer’s removal', () => {
    const session = makeSession();
    const [a, b] = [recordingPeer('a'), recordingPeer('b')];
    session.join(a);
    session.join(b);
    const state = { user: { name: 'Ada', color: '#123456' }, cursor: null };
    expect(handleMessage(session, a, encodeAwarenessFrame(awarenessUpdate(11, 1, state)), LIMITS).ok).toBe(
      true,
    );
    expect(decodeFrame(b.frames.at(-1)!).type).toBe(MESSAGE_TYPES.AWARENESS);
    expect(handleMessage(session, b, new Uint8Array([MESSAGE_TYPES.QUERY_AWARENESS]), LIMITS).ok).toBe(true);
    const answer = decoding.createDecoder(decodeFrame(b.frames.at(-1)!).payload);
    expect(decoding.readVarUint(answer)).toBe(1);
    expect(decoding.readVarUint(answer)).toBe(11);
    session.leave(a);
    const removal = decoding.createDecoder(decodeFrame(b.frames.at(-1)!).payload);
    expect([
      decoding.readVarUint(removal),
      decoding.readVarUint(removal),
      decoding.readVarUint(removal),
    ]).toEqual([1, 11, 2]);
    expect(decoding.readVarString(removal)).toBe('null');
    expect(session.awareness.clientCount).toBe(0);
  });

  it('never lets one peer set or remove another’s awareness state', () => {
    const session = makeSession();
    const [a, b] = [recordingPeer('a'), recordingPeer('b')];
    session.join(a);
    session.join(b);
    const state = { user: { name: 'Ada', color: '#123456' } };
    handleMessage(session, a, encodeAwarenessFrame(awarenessUpdate(11, 3, state)), LIMITS);
    expect(handleMessage(session, b, encodeAwarenessFrame(awarenessUpdate(11, 3, state)), LIMITS).ok).toBe(
      true,
    );
    const framesBefore = a.frames.length;
    expect(handleMessage(session, b, encodeAwarenessFrame(awarenessUpdate(11, 9, null)), LIMITS).ok).toBe(
      true,
    );
    expect(
      handleMessage(session, b, encodeAwarenessFrame(awarenessUpdate(11, 10, { user: state.user })), LIMITS)
        .ok,
    ).toBe(true);
    expect(session.awareness.clientCount).toBe(1);
    expect(a.frames.length).toBe(framesBefore);
    // b may still announce its own state, once.
    expect(handleMessage(session, b, encodeAwarenessFrame(awarenessUpdate(22, 1, state)), LIMITS).ok).toBe(
      true,
    );
    expect(handleMessage(session, b, encodeAwarenessFrame(awarenessUpdate(33, 1, state)), LIMITS).ok).toBe(
      true,
    );
    expect(session.awareness.clientCount).toBe(2);
  });

  it('holds run records to the configured output cap, not only the default', () => {
    const runWithOutput = (bytes: number): Uint8Array => {
      const client = new Y.Doc();
      client.getArray('runs').push([
        {
          id: 'run-0001',
          clientId: client.clientID,
          by: 'Ada',
          color: '#123456',
          language: 'python',
          startedAt: 1,
          status: 'ok',
          durationMs: 5,
          exitCode: 0,
          output: [{ stream: 'stdout', text: 'x'.repeat(bytes) }],
          truncated: false,
        },
      ]);
      return encodeSyncUpdate(Y.encodeStateAsUpdate(client));
    };
    const tightLimits = { ...LIMITS, maxRunOutputBytes: 100 };
    /** Sends the run to a fresh session with one peer; returns the outcome and the runs it kept. */
    const send = (frame: Uint8Array, limits: typeof LIMITS) => {
      const session = makeSession();
      const peer = recordingPeer('p');
      session.join(peer);
      return {
        outcome: handleMessage(session, peer, frame, limits),
        kept: session.doc.getArray('runs').length,
      };
    };
    // Within the cap plus the allowance for the pad's own notes: accepted under the tight cap too.
    const small = send(runWithOutput(50), tightLimits);
    expect(small.outcome.ok).toBe(true);
    expect(small.kept).toBe(1);
    // Past the tight cap and its allowance for notes, well within the default: refused only when configured.
    const bytes = 4_000;
    expect(send(runWithOutput(bytes), LIMITS).outcome.ok).toBe(true);
    const tight = send(runWithOutput(bytes), tightLimits);
    expect(tight.outcome).toMatchObject({ ok: false, code: CLOSE_CODES.SCHEMA_VIOLATION });
    expect(tight.kept).toBe(0);
  });
});
