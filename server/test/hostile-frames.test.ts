import * as encoding from 'lib0/encoding';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { CLOSE_CODES } from '../../shared/close-codes.js';
import { MESSAGE_TYPES, SYNC_MESSAGE_TYPES } from '../../shared/protocol.js';
import { type Witnessed, witnessedSession } from './support/hostile-fixture.js';
import { codeOf } from './support/providers.js';
import {
  awarenessFrame,
  openRawClient,
  syncFrame,
  textInsertUpdate,
  updateFrame,
} from './support/raw-client.js';
import { startServer, type TestServer } from './support/test-server.js';

/**
 * Hostile input over real sockets. Each case opens an attacker next to two honest clients, sends what it
 * sends, and expects: the attacker closed with the given code, the server up, the document unchanged,
 * and the honest clients still editing together.
 */
type Send = (frame: Uint8Array | string) => void;
interface Case {
  readonly name: string;
  readonly env?: Record<string, string>;
  readonly expected: number;
  /** Whether the attacker completes the handshake (sync step 1) before attacking. */
  readonly handshake?: boolean;
  attack(send: Send, session: Witnessed): void;
}

const servers = new Map<string, Promise<TestServer>>();
function serverFor(env: Record<string, string> = {}): Promise<TestServer> {
  const key = JSON.stringify(env);
  let server = servers.get(key);
  if (!server) {
    server = startServer(env);
    servers.set(key, server);
  }
  return server;
}

afterAll(async () => {
  for (const server of servers.values()) await (await server).close();
});

function updateOf(build: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  build(doc);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** Two updates of one client: the second builds on the first. */
function updatePair(): { first: Uint8Array; second: Uint8Array } {
  const doc = new Y.Doc();
  doc.getText('code').insert(0, 'first part');
  const first = Y.encodeStateAsUpdate(doc);
  const stateVector = Y.encodeStateVector(doc);
  doc.getText('code').insert(5, ' second');
  const second = Y.encodeStateAsUpdate(doc, stateVector);
  doc.destroy();
  return { first, second };
}

/** An update that builds on content the server never received. */
function dependentUpdate(): Uint8Array {
  return updatePair().second;
}

/** A delete of content the server never received. */
function unknownDelete(): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('code').insert(0, 'never sent');
  const stateVector = Y.encodeStateVector(doc);
  doc.getText('code').delete(0, 3);
  return Y.encodeStateAsUpdate(doc, stateVector);
}

function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

/** A valid sync step 1 whose state vector names `clients` clients: large, cheap to build, harmless. */
function largeStep1(clients: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, clients);
  for (let client = 1; client <= clients; client++) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, 0);
  }
  return syncFrame(SYNC_MESSAGE_TYPES.STEP1, encoding.toUint8Array(encoder));
}

const user = { name: 'Mallory', color: '#aa00aa' };
const ATTACKER_ID = 777_001;

const CASES: Case[] = [
  // Framing
  { name: 'a text frame', expected: CLOSE_CODES.PROTOCOL_ERROR, attack: (send) => send('hello') },
  {
    name: 'an unknown message type',
    expected: CLOSE_CODES.PROTOCOL_ERROR,
    attack: (send) => send(bytes(42)),
  },
  {
    name: 'the auth message type',
    expected: CLOSE_CODES.PROTOCOL_ERROR,
    attack: (send) => send(bytes(MESSAGE_TYPES.AUTH, 0)),
  },
  { name: 'an empty frame', expected: CLOSE_CODES.PROTOCOL_ERROR, attack: (send) => send(bytes()) },
  { name: 'a truncated varint', expected: CLOSE_CODES.PROTOCOL_ERROR, attack: (send) => send(bytes(0x80)) },
  {
    name: 'an over-long varint',
    expected: CLOSE_CODES.PROTOCOL_ERROR,
    attack: (send) => send(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)),
  },
  {
    name: 'a length prefix past the end',
    expected: CLOSE_CODES.PROTOCOL_ERROR,
    attack: (send) => send(bytes(MESSAGE_TYPES.SYNC, SYNC_MESSAGE_TYPES.UPDATE, 0xff, 0x7f, 1, 2, 3)),
  },
  {
    name: 'trailing bytes after a message',
    expected: CLOSE_CODES.PROTOCOL_ERROR,
    attack: (send) => send(new Uint8Array([...updateFrame(textInsertUpdate('x')), 0])),
  },
  {
    name: 'an unknown sync type',
    expected: CLOSE_CODES.PROTOCOL_ERROR,
    attack: (send) => send(syncFrame(9, bytes(0))),
  },
  {
    name: 'a malformed state vector',
    expected: CLOSE_CODES.PROTOCOL_ERROR,
    attack: (send) => send(syncFrame(SYNC_MESSAGE_TYPES.STEP1, bytes(5, 1))),
  },
  // Updates that do not decode
  {
    name: 'garbage as an update',
    expected: CLOSE_CODES.INVALID_UPDATE,
    attack: (send) => send(updateFrame(bytes(1, 1, 200, 9))),
  },
  {
    name: 'an update whose tail is cut off',
    expected: CLOSE_CODES.INVALID_UPDATE,
    attack: (send) => {
      const update = textInsertUpdate('valid head, missing tail');
      send(updateFrame(update.slice(0, update.length - 6)));
    },
  },
  {
    name: 'a few bytes declaring millions of structs',
    expected: CLOSE_CODES.INVALID_UPDATE,
    attack: (send) => send(updateFrame(bytes(1, 0xff, 0xff, 0xff, 0x0f, 1, 0))),
  },
  // Schema
  {
    name: 'a foreign root type',
    expected: CLOSE_CODES.SCHEMA_VIOLATION,
    attack: (send) => send(updateFrame(updateOf((doc) => doc.getMap('evil').set('x', 1)))),
  },
  {
    name: 'a nested shared type in meta',
    expected: CLOSE_CODES.SCHEMA_VIOLATION,
    attack: (send) => send(updateFrame(updateOf((doc) => doc.getMap('meta').set('nested', new Y.Map())))),
  },
  {
    name: 'an object value in meta',
    expected: CLOSE_CODES.SCHEMA_VIOLATION,
    attack: (send) => send(updateFrame(updateOf((doc) => doc.getMap('meta').set('language', { deep: [1] })))),
  },
  {
    name: 'formatting in the code text',
    expected: CLOSE_CODES.SCHEMA_VIOLATION,
    attack: (send) =>
      send(updateFrame(updateOf((doc) => doc.getText('code').insert(0, 'bold', { bold: true })))),
  },
  {
    name: 'an embed in the code text',
    expected: CLOSE_CODES.SCHEMA_VIOLATION,
    attack: (send) =>
      send(updateFrame(updateOf((doc) => doc.getText('code').insertEmbed(0, { image: 'x' })))),
  },
  {
    name: 'keyed entries on the code text',
    expected: CLOSE_CODES.SCHEMA_VIOLATION,
    attack: (send) => send(updateFrame(updateOf((doc) => doc.getMap('code').set('k', 'v')))),
  },
  {
    name: 'a string in the runs array',
    expected: CLOSE_CODES.SCHEMA_VIOLATION,
    attack: (send) => send(updateFrame(updateOf((doc) => doc.getArray('runs').push(['not an object'])))),
  },
  {
    name: 'an object that is not a run record in the runs array',
    expected: CLOSE_CODES.SCHEMA_VIOLATION,
    attack: (send) => send(updateFrame(updateOf((doc) => doc.getArray('runs').push([{ status: 'ok' }])))),
  },
  {
    name: 'binary content in the runs array',
    expected: CLOSE_CODES.SCHEMA_VIOLATION,
    attack: (send) =>
      send(updateFrame(updateOf((doc) => doc.getArray('runs').push([new Uint8Array([1, 2])])))),
  },
  {
    name: 'a shared type in the runs array',
    expected: CLOSE_CODES.SCHEMA_VIOLATION,
    attack: (send) => send(updateFrame(updateOf((doc) => doc.getArray('runs').push([new Y.Array()])))),
  },
  {
    name: 'a sub-document',
    expected: CLOSE_CODES.SCHEMA_VIOLATION,
    attack: (send) => send(updateFrame(updateOf((doc) => doc.getMap('meta').set('doc', new Y.Doc())))),
  },
  {
    name: 'deeply nested JSON in a run',
    expected: CLOSE_CODES.SCHEMA_VIOLATION,
    attack: (send) => {
      let deep: unknown = 'bottom';
      for (let level = 0; level < 50; level++) deep = { deep };
      send(updateFrame(updateOf((doc) => doc.getArray('runs').push([deep as Record<string, unknown>]))));
    },
  },
  // Dependencies: held outside the document, bounded in time and bytes
  {
    name: 'an update that depends on content never sent',
    env: { PENDING_TIMEOUT_MS: '300' },
    expected: CLOSE_CODES.PENDING_OVERFLOW,
    attack: (send) => send(updateFrame(dependentUpdate())),
  },
  {
    name: 'a delete of content never sent',
    env: { PENDING_TIMEOUT_MS: '300' },
    expected: CLOSE_CODES.PENDING_OVERFLOW,
    attack: (send) => send(updateFrame(unknownDelete())),
  },
  {
    name: 'more waiting updates than the pending bound',
    env: { MAX_PENDING_BYTES: '1000' },
    expected: CLOSE_CODES.PENDING_OVERFLOW,
    attack: (send) => {
      for (let i = 0; i < 30; i++) send(updateFrame(dependentUpdate()));
    },
  },
  // Size and rate limits
  {
    name: 'an update past the document size cap',
    env: { MAX_DOCUMENT_BYTES: '4000' },
    expected: CLOSE_CODES.DOCUMENT_TOO_LARGE,
    attack: (send) => send(updateFrame(textInsertUpdate('x'.repeat(5000)))),
  },
  {
    name: 'a frame above maxPayload',
    env: { MAX_MESSAGE_BYTES: '2048' },
    expected: CLOSE_CODES.MESSAGE_TOO_BIG,
    attack: (send) => send(updateFrame(textInsertUpdate('x'.repeat(4000)))),
  },
  {
    name: 'a flood of tiny frames',
    env: { MAX_MESSAGES_PER_SECOND: '10' },
    expected: CLOSE_CODES.RATE_LIMITED,
    attack: (send) => {
      for (let i = 0; i < 40; i++) send(bytes(MESSAGE_TYPES.QUERY_AWARENESS));
    },
  },
  {
    name: 'a flood of bytes',
    env: { MAX_BYTES_PER_SECOND: '2000', MAX_MESSAGE_BYTES: '4000' },
    expected: CLOSE_CODES.RATE_LIMITED,
    attack: (send) => {
      for (let i = 0; i < 10; i++) send(largeStep1(400));
    },
  },
  // Awareness
  {
    name: 'an oversized awareness state',
    expected: CLOSE_CODES.AWARENESS_VIOLATION,
    attack: (send) =>
      send(awarenessFrame([{ clientId: ATTACKER_ID, clock: 1, state: { user, junk: 'x'.repeat(5000) } }])),
  },
  {
    name: 'an awareness name that is too long',
    expected: CLOSE_CODES.AWARENESS_VIOLATION,
    attack: (send) =>
      send(
        awarenessFrame([
          { clientId: ATTACKER_ID, clock: 1, state: { user: { name: 'n'.repeat(200), color: '#000000' } } },
        ]),
      ),
  },
  {
    name: 'an awareness colour that is not a colour',
    expected: CLOSE_CODES.AWARENESS_VIOLATION,
    attack: (send) =>
      send(
        awarenessFrame([
          { clientId: ATTACKER_ID, clock: 1, state: { user: { name: 'x', color: 'red;}*{display:none' } } },
        ]),
      ),
  },
  {
    name: 'an awareness state that is not an object',
    expected: CLOSE_CODES.AWARENESS_VIOLATION,
    attack: (send) => send(awarenessFrame([{ clientId: ATTACKER_ID, clock: 1, state: [1, 2, 3] }])),
  },
  {
    name: 'thousands of fake awareness users in one frame',
    expected: CLOSE_CODES.AWARENESS_VIOLATION,
    attack: (send) =>
      send(
        awarenessFrame(
          Array.from({ length: 2000 }, (_, i) => ({ clientId: ATTACKER_ID + i, clock: 1, state: { user } })),
        ),
      ),
  },
  {
    name: 'an awareness flood',
    env: { MAX_AWARENESS_UPDATES_PER_SECOND: '5' },
    expected: CLOSE_CODES.RATE_LIMITED,
    attack: (send) => {
      for (let clock = 1; clock <= 30; clock++)
        send(awarenessFrame([{ clientId: ATTACKER_ID, clock, state: { user } }]));
    },
  },
  // Handshake
  {
    name: 'silence instead of sync step 1',
    env: { HANDSHAKE_TIMEOUT_MS: '300' },
    expected: CLOSE_CODES.HANDSHAKE_TIMEOUT,
    handshake: false,
    attack: () => {},
  },
];

describe('hostile frames', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, hostile) => {
    const server = await serverFor(hostile.env);
    const session = await witnessedSession(server);
    try {
      const before = session.snapshot();
      const attacker = await openRawClient(`${server.wsBaseUrl}/${session.id}`);
      if (hostile.handshake !== false) attacker.send(syncFrame(SYNC_MESSAGE_TYPES.STEP1, bytes(0)));
      hostile.attack(attacker.send, session);
      expect((await attacker.closed).code).toBe(hostile.expected);
      await session.assertUnharmed(before);
      // The attacker's awareness, if any got in before the refusal, left with it.
      expect(session.b.awareness.getStates().has(ATTACKER_ID)).toBe(false);
    } finally {
      session.dispose();
    }
  });
});

describe('awareness ownership', () => {
  it('never applies or relays a state for another connection’s client id', async () => {
    const server = await serverFor();
    const session = await witnessedSession(server);
    try {
      const victim = session.a.doc.clientID;
      session.a.awareness.setLocalStateField('user', { name: 'Ada', color: '#112233' });
      await vi.waitFor(() =>
        expect(session.b.awareness.getStates().get(victim)).toMatchObject({ user: { name: 'Ada' } }),
      );
      const before = session.snapshot();
      const attacker = await openRawClient(`${server.wsBaseUrl}/${session.id}`);
      const clock = session.a.awareness.meta.get(victim)?.clock ?? 0;
      attacker.send(awarenessFrame([{ clientId: ATTACKER_ID, clock: 1, state: { user } }]));
      attacker.send(awarenessFrame([{ clientId: victim, clock: clock + 10, state: { user } }]));
      attacker.send(awarenessFrame([{ clientId: victim, clock: clock + 11, state: null }]));
      attacker.send(awarenessFrame([{ clientId: ATTACKER_ID + 1, clock: 1, state: { user } }]));
      const renamed = { user: { ...user, name: 'Mallory 2' } };
      attacker.send(awarenessFrame([{ clientId: ATTACKER_ID, clock: 2, state: renamed }]));
      // Frames are handled in order: once the rename is relayed, the ones before it were handled.
      await vi.waitFor(() => expect(session.b.awareness.getStates().get(ATTACKER_ID)).toEqual(renamed));
      await session.assertUnharmed(before);
      expect(session.b.awareness.getStates().get(victim)).toMatchObject({ user: { name: 'Ada' } });
      expect(session.b.awareness.getStates().has(ATTACKER_ID + 1)).toBe(false);
      // a, b and the attacker's one identity.
      expect(server.app.sessionRegistry.peek(session.id)?.awareness.clientCount).toBe(3);
      expect(attacker.socket.readyState).toBe(attacker.socket.OPEN);
      attacker.socket.close();
    } finally {
      session.dispose();
    }
  });
});

describe('updates that arrive before what they build on', () => {
  it('are held outside the document and applied once the missing content arrives', async () => {
    const server = await serverFor();
    const session = await witnessedSession(server);
    try {
      const client = await openRawClient(`${server.wsBaseUrl}/${session.id}`);
      const { first, second } = updatePair();
      client.send(updateFrame(second));
      client.send(updateFrame(first));
      await vi.waitFor(() => expect(codeOf(session.b)).toContain('first second part'));
      expect(client.socket.readyState).toBe(client.socket.OPEN);
      const serverDoc = server.app.sessionRegistry.peek(session.id)!.doc;
      expect(serverDoc.store.pendingStructs).toBeNull();
      expect(serverDoc.store.pendingDs).toBeNull();
      client.socket.close();
    } finally {
      session.dispose();
    }
  });
});
