/**
 * Many small sessions: 1,000 sessions × 2 clients connect and sync, each with a short program in it and
 * both people's awareness. Measures the time to get everyone synced and the memory an idle session costs.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { sampleProcess } from '../lib/proc-stats.js';
import type { Metric, Scenario, ScenarioRun } from '../lib/scenario.js';
import {
  assertConverged,
  closeSessions,
  createRooms,
  joinClient,
  mapConcurrently,
  type Session,
} from '../lib/sessions.js';
import type { Room } from '../lib/targets.js';

const SESSIONS = { full: 1_000, quick: 200 };
const CLIENTS_PER_SESSION = 2;
/** Joins in flight at once: a crowd arriving, without overflowing the listen backlog. */
const JOIN_CONCURRENCY = 64;
const SETTLE_MS = 3_000;
const VERIFIED_SESSIONS = 20;
const PROGRAM = "def greet(name):\n    return f'Hello, {name}!'\n\nprint(greet('world'))\n";

export const MANY_SESSIONS: Scenario = {
  id: 'many-sessions',
  title: '1,000 sessions × 2 clients',
  description:
    `${SESSIONS.full.toLocaleString('en')} sessions × ${CLIENTS_PER_SESSION} clients (${JOIN_CONCURRENCY} joins in ` +
    'flight): time until every client is synced; then one client per session types a short program, and the ' +
    "server's RSS growth per session is read once all are idle. Our sessions are created first with " +
    '`POST /api/sessions` (timed apart); the peers create a room on its first join.',
  maxRounds: 1,
  run: runManySessions,
};

async function runManySessions(run: ScenarioRun): Promise<Metric[]> {
  const count = run.quick ? SESSIONS.quick : SESSIONS.full;
  await delay(500);
  const baseline = sampleProcess(run.server.pid);
  const createStarted = performance.now();
  const rooms = await createRooms(run, count);
  const createMs = performance.now() - createStarted;
  const { sessions, connectMs, cpuMsPerJoin } = await connectAll(run, rooms);
  try {
    for (const session of sessions) session.clients[0]!.insert(0, PROGRAM);
    await assertConverged(run, sessions, 0);
    await delay(SETTLE_MS);
    const idle = sampleProcess(run.server.pid);
    await assertConverged(run, sessions, VERIFIED_SESSIONS);
    run.log(
      `${count} sessions: connect ${connectMs.toFixed(0)} ms, RSS ${(idle.rssBytes / 1024 ** 2).toFixed(1)} MB`,
    );
    const metrics: Metric[] = [
      {
        key: 'connect',
        label: `connect + sync ${count * CLIENTS_PER_SESSION} clients`,
        unit: 's',
        value: connectMs / 1000,
        better: 'lower',
        targetRatio: 1.0,
      },
      {
        key: 'connect-cpu',
        label: 'server CPU per client join',
        unit: 'ms',
        value: cpuMsPerJoin,
        better: 'lower',
      },
      {
        key: 'rss-per-session',
        label: 'RSS per idle session (2 clients)',
        unit: 'KB',
        value: (idle.rssBytes - baseline.rssBytes) / 1024 / count,
        better: 'lower',
        targetValue: 30,
      },
      {
        key: 'rss',
        label: 'server RSS, all sessions idle',
        unit: 'MB',
        value: idle.rssBytes / 1024 ** 2,
        better: 'lower',
      },
    ];
    if (run.target.id === 'ours') {
      const label = `create ${count} sessions (REST, ours only)`;
      metrics.push({ key: 'create', label, unit: 's', value: createMs / 1000, better: 'info' });
    }
    return metrics;
  } finally {
    await closeSessions(sessions);
  }
}

interface Connected {
  sessions: Session[];
  connectMs: number;
  cpuMsPerJoin: number;
}

/** Every client of every room joins, at most `JOIN_CONCURRENCY` at a time, until all are synced. */
async function connectAll(run: ScenarioRun, rooms: readonly Room[]): Promise<Connected> {
  const joins = rooms.flatMap((room) => Array.from({ length: CLIENTS_PER_SESSION }, () => room));
  const before = sampleProcess(run.server.pid);
  const started = performance.now();
  const clients = await mapConcurrently(joins, JOIN_CONCURRENCY, (room, index) =>
    joinClient(run, room, `user ${index}`),
  );
  const connectMs = performance.now() - started;
  const after = sampleProcess(run.server.pid);
  const sessions: Session[] = rooms.map((room, index) => ({
    room,
    clients: clients.slice(index * CLIENTS_PER_SESSION, (index + 1) * CLIENTS_PER_SESSION),
    initialLength: 0,
  }));
  return { sessions, connectMs, cpuMsPerJoin: (after.cpuMs - before.cpuMs) / joins.length };
}
