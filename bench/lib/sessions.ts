/**
 * Opening sessions full of clients, driving edits at a fixed rate, and checking convergence.
 */
import { setTimeout as delay } from 'node:timers/promises';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { BenchClient } from './bench-client.js';
import type { AwarenessLog, EditLog } from './edit-log.js';
import { BenchFailure, type ScenarioRun } from './scenario.js';
import type { Room } from './targets.js';

export interface Session {
  room: Room;
  clients: BenchClient[];
  /** Characters the session started with. */
  initialLength: number;
}

export interface OpenOptions {
  sessions: number;
  clientsPerSession: number;
  edits?: EditLog;
  cursors?: AwarenessLog;
  /** Joins in flight at once. */
  concurrency?: number;
}

export async function createRooms(run: ScenarioRun, count: number, concurrency = 16): Promise<Room[]> {
  return mapConcurrently(Array.from({ length: count }), concurrency, () =>
    run.target.createRoom(run.server.port),
  );
}

export function joinClient(
  run: ScenarioRun,
  room: Room,
  name: string,
  logs: Pick<OpenOptions, 'edits' | 'cursors'> = {},
): Promise<BenchClient> {
  return BenchClient.join({
    base: `ws://127.0.0.1:${run.server.port}`,
    roomPath: room.roomPath,
    room: room.room,
    dialect: run.target.dialect,
    name,
    ...logs,
  });
}

export async function openSessions(run: ScenarioRun, options: OpenOptions): Promise<Session[]> {
  const rooms = await createRooms(run, options.sessions);
  const joins = rooms.flatMap((room, s) =>
    Array.from({ length: options.clientsPerSession }, (_, c) => ({ room, name: `user ${s}.${c}` })),
  );
  const clients = await mapConcurrently(joins, options.concurrency ?? 32, ({ room, name }) =>
    joinClient(run, room, name, options),
  );
  return rooms.map((room, s) => ({
    room,
    clients: clients.slice(s * options.clientsPerSession, (s + 1) * options.clientsPerSession),
    initialLength: 0,
  }));
}

export async function closeSessions(sessions: readonly Session[]): Promise<void> {
  await Promise.all(sessions.flatMap((session) => session.clients.map((client) => client.close())));
}

export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Seeded random numbers (lib0's xoroshiro128+) so every server sees the same edit positions. */
export function seededRandom(seed: number): () => number {
  const generator = prng.create(seed);
  return () => prng.real53(generator);
}

export interface DriveOptions {
  clients: readonly BenchClient[];
  ratePerSecond: number;
  durationMs: number;
  cursors: boolean;
  random: () => number;
}

const TICK_MS = 2;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
/** How often a typist moves the caret somewhere else instead of typing on. */
const JUMP_PROBABILITY = 0.02;
/**
 * Where each client types next, like a person's caret: a relative position glued to the client's last
 * character, so other people's edits before it do not move it (an editor binding does the same).
 */
const carets = new WeakMap<BenchClient, Y.RelativePosition>();

/**
 * Types one character at a time, round-robin over the clients, at a fixed total rate: every tick makes up
 * the edits that fell due since the start, so a slow tick does not lower the rate. Each client types on at
 * its caret and now and then jumps to a random place, as people do.
 */
export async function driveEdits(options: DriveOptions): Promise<number> {
  const { clients, ratePerSecond, durationMs, random } = options;
  const start = performance.now();
  let done = 0;
  for (;;) {
    const elapsed = performance.now() - start;
    const due = Math.floor((Math.min(elapsed, durationMs) / 1000) * ratePerSecond);
    while (done < due) {
      const client = clients[done % clients.length]!;
      const caret = carets.get(client);
      const at = caret && Y.createAbsolutePositionFromRelativePosition(caret, client.doc);
      const jump = !at || random() < JUMP_PROBABILITY;
      const position = jump ? Math.floor(random() * (client.text.length + 1)) : at.index;
      client.insert(position, ALPHABET[done % ALPHABET.length]!);
      carets.set(client, Y.createRelativePositionFromTypeIndex(client.text, position + 1, -1));
      if (options.cursors) client.moveCursor(position + 1);
      done++;
    }
    if (elapsed >= durationMs) return done;
    await delay(TICK_MS);
  }
}

/** Delivery may lag behind on a loaded machine; give up only when nothing arrived for this long. */
const STALL_TIMEOUT_MS = 10_000;
const CONVERGENCE_TIMEOUT_MS = 120_000;

/**
 * Waits until every client holds every other client's edits, then checks that all copies are identical,
 * that no character was lost, and that a fresh client joining now receives the same document.
 */
export async function assertConverged(
  run: ScenarioRun,
  sessions: readonly Session[],
  verifyJoins = sessions.length,
): Promise<void> {
  const deadline = Date.now() + CONVERGENCE_TIMEOUT_MS;
  for (const session of sessions) {
    await waitForDelivery(run, session, deadline);
    const expectedLength =
      session.initialLength + session.clients.reduce((sum, client) => sum + client.insertedChars, 0);
    const reference = session.clients[0]!.text.toString();
    if (reference.length !== expectedLength) {
      throw new BenchFailure(
        `${run.target.id}: expected ${expectedLength} characters, found ${reference.length}`,
      );
    }
    for (const client of session.clients) {
      if (client.text.toString() !== reference) {
        throw new BenchFailure(`${run.target.id}: clients of ${session.room.room} diverged`);
      }
    }
  }
  for (const session of sessions.slice(0, verifyJoins)) {
    const verifier = await joinClient(run, session.room, 'verifier');
    const joined = verifier.text.toString();
    await verifier.close();
    if (joined !== session.clients[0]!.text.toString()) {
      throw new BenchFailure(
        `${run.target.id}: a fresh join of ${session.room.room} got a different document`,
      );
    }
  }
}

async function waitForDelivery(run: ScenarioRun, session: Session, deadline: number): Promise<void> {
  let missing = missingEdits(session);
  let lastProgress = Date.now();
  while (missing > 0) {
    throwIfFailed(session);
    const now = Date.now();
    if (now - lastProgress > STALL_TIMEOUT_MS || now > deadline) {
      const server = await joinClient(run, session.room, 'inspector');
      const serverMissing = missingFrom(session, server.doc);
      await server.close();
      throw new BenchFailure(
        `${run.target.id}: ${missing} characters never reached some client of ${session.room.room} ` +
          `(${describeGaps(session)}; a fresh join lacks ${serverMissing} of the senders' characters)`,
      );
    }
    await delay(20);
    const next = missingEdits(session);
    if (next < missing) lastProgress = Date.now();
    missing = next;
  }
  throwIfFailed(session);
}

/** Which receivers lack which senders' edits, briefly. */
function describeGaps(session: Session): string {
  const gaps: string[] = [];
  session.clients.forEach((receiver, r) => {
    const lacking = session.clients.filter(
      (sender) =>
        Y.getState(receiver.doc.store, sender.doc.clientID) <
        Y.getState(sender.doc.store, sender.doc.clientID),
    );
    if (lacking.length > 0) gaps.push(`client ${r} lacks edits of ${lacking.length} senders`);
  });
  return gaps.slice(0, 5).join(', ') + (gaps.length > 5 ? `, … ${gaps.length} receivers in all` : '');
}

function missingFrom(session: Session, doc: Y.Doc): number {
  let missing = 0;
  for (const sender of session.clients) {
    const clock = Y.getState(sender.doc.store, sender.doc.clientID);
    missing += Math.max(0, clock - Y.getState(doc.store, sender.doc.clientID));
  }
  return missing;
}

function missingEdits(session: Session): number {
  let missing = 0;
  for (const sender of session.clients) {
    const clock = Y.getState(sender.doc.store, sender.doc.clientID);
    for (const receiver of session.clients) {
      missing += Math.max(0, clock - Y.getState(receiver.doc.store, sender.doc.clientID));
    }
  }
  return missing;
}

function throwIfFailed(session: Session): void {
  const failed = session.clients.find((client) => client.failure);
  if (failed) throw new BenchFailure(`a client failed: ${failed.failure!.message}`);
}
