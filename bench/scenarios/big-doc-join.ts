/**
 * Big-document join: the automerge-paper trace (259,778 edits) replayed into one session, then fresh
 * clients join it. The server's share of a join is the handshake, encoding the document and sending it;
 * its CPU time per join measures exactly that, while the wall time also includes the client decoding.
 */
import { setTimeout as delay } from 'node:timers/promises';
import * as Y from 'yjs';
import type { BenchClient } from '../lib/bench-client.js';
import { sampleProcess } from '../lib/proc-stats.js';
import { BenchFailure, type Metric, type Scenario, type ScenarioRun } from '../lib/scenario.js';
import { createRooms, joinClient } from '../lib/sessions.js';
import { Samples } from '../lib/stats.js';
import type { Room } from '../lib/targets.js';
import { replayTrace } from '../lib/trace.js';

// Enough joins that one slow join (a GC, the machine) moves the figure little.
const SEQUENTIAL_JOINS = { full: 100, quick: 8 };
const SIMULTANEOUS_JOINS = 10;
const SEED_TIMEOUT_MS = 30_000;

export const BIG_DOC_JOIN: Scenario = {
  id: 'big-doc-join',
  title: 'Big-document join (automerge-paper trace)',
  description:
    'The automerge-paper trace (259,778 edits, 104,852 characters) replayed into one session; then fresh ' +
    `clients join one after another (${SEQUENTIAL_JOINS.full}) and ${SIMULTANEOUS_JOINS} at once. Server CPU ` +
    'per join is its share (handshake, encoding, sending); the wall time includes the client applying it.',
  // Every round, like the fan-out scenarios: one run of 100 joins moved by ±0.2 of the ratio between runs.
  run: runBigDocJoin,
};

async function runBigDocJoin(run: ScenarioRun): Promise<Metric[]> {
  const trace = replayTrace();
  const [room] = await createRooms(run, 1);
  const seeder = await joinClient(run, room!, 'seeder');
  try {
    Y.applyUpdate(seeder.doc, trace.update);
    await waitForServerCopy(run, room!, trace.text);
    const sequential = await joinOneAfterAnother(run, room!, trace.text);
    const crowdMs = await joinAllAtOnce(run, room!, trace.text);
    return [
      {
        key: 'join-cpu',
        label: 'server CPU per join',
        unit: 'ms',
        value: sequential.serverCpuMsPerJoin,
        better: 'lower',
        targetRatio: 0.3,
      },
      {
        key: 'join-p50',
        label: 'join, open → synced, p50',
        unit: 'ms',
        value: sequential.wallMs.median,
        better: 'lower',
      },
      {
        key: 'join-max',
        label: 'join, open → synced, max',
        unit: 'ms',
        value: sequential.wallMs.max,
        better: 'lower',
      },
      {
        key: 'crowd',
        label: `${SIMULTANEOUS_JOINS} simultaneous joins, all synced`,
        unit: 'ms',
        value: crowdMs,
        better: 'lower',
      },
      {
        key: 'bytes',
        label: 'bytes received per join',
        unit: 'KB',
        value: sequential.bytes / 1024,
        better: 'lower',
      },
      {
        key: 'rss',
        label: 'server RSS',
        unit: 'MB',
        value: sequential.rssBytes / 1024 ** 2,
        better: 'lower',
      },
    ];
  } finally {
    await seeder.close();
  }
}

interface SequentialJoins {
  wallMs: Samples;
  serverCpuMsPerJoin: number;
  bytes: number;
  rssBytes: number;
}

/** Fresh clients join one after another; the server's CPU time over all of them, per join. */
async function joinOneAfterAnother(run: ScenarioRun, room: Room, text: string): Promise<SequentialJoins> {
  const joins = run.quick ? SEQUENTIAL_JOINS.quick : SEQUENTIAL_JOINS.full;
  const wallMs = new Samples();
  let bytes = 0;
  const before = sampleProcess(run.server.pid);
  for (let i = 0; i < joins; i++) {
    const started = performance.now();
    const client = await joinClient(run, room, `joiner ${i}`);
    wallMs.add(performance.now() - started);
    bytes = client.bytesReceived;
    await checkAndClose(run, client, text);
  }
  const after = sampleProcess(run.server.pid);
  return {
    wallMs,
    serverCpuMsPerJoin: (after.cpuMs - before.cpuMs) / joins,
    bytes,
    rssBytes: after.rssBytes,
  };
}

/** A class opening the same link at once: the time until every one of them is synced. */
async function joinAllAtOnce(run: ScenarioRun, room: Room, text: string): Promise<number> {
  const started = performance.now();
  const crowd = await Promise.all(
    Array.from({ length: SIMULTANEOUS_JOINS }, (_, i) => joinClient(run, room, `crowd ${i}`)),
  );
  const elapsed = performance.now() - started;
  for (const client of crowd) await checkAndClose(run, client, text);
  return elapsed;
}

/** The seed is one large update; wait until a fresh join sees all of it. */
async function waitForServerCopy(run: ScenarioRun, room: Room, text: string): Promise<void> {
  const deadline = Date.now() + SEED_TIMEOUT_MS;
  for (;;) {
    const client = await joinClient(run, room, 'seed check');
    const seen = client.text.toString();
    await client.close();
    if (seen === text) return;
    if (Date.now() > deadline)
      throw new BenchFailure(`${run.target.id}: the replayed trace never arrived whole`);
    await delay(200);
  }
}

async function checkAndClose(run: ScenarioRun, client: BenchClient, text: string): Promise<void> {
  const seen = client.text.toString();
  await client.close();
  if (seen !== text) throw new BenchFailure(`${run.target.id}: a joiner received a different document`);
}
