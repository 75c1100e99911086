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
    "server's RSS is read once all are idle; this is done in two equal waves, and the second wave's growth per " +
    'session is the memory a further idle session costs. Our sessions are created first with ' +
    '`POST /api/sessions` (timed apart); the peers create a room on its first join.',
  maxRounds: 1,
  run: runManySessions,
};

async function runManySessions(run: ScenarioRun): Promise<Metric[]> {
  const count = run.quick ? SESSIONS.quick : SESSIONS.full;
  await delay(500);
  const baseline = sampleProcess(run.server.pid);
  // Two equal waves: the second one's growth is what a further idle session costs, without the process'
  // one-time growth (heap spaces sized up by the first burst, code compiled, buffer pools) that the first
  // wave pays for.
  const half = Math.floor(count / 2);
  const sessions: Session[] = [];
  try {
    const first = await connectWave(run, half, sessions);
    const halfIdle = sampleProcess(run.server.pid);
    const second = await connectWave(run, count - half, sessions);
    const idle = sampleProcess(run.server.pid);
    await assertConverged(run, sessions, VERIFIED_SESSIONS);
    const connectMs = first.connectMs + second.connectMs;
    const joins = first.joins + second.joins;
    run.log(
      `${count} sessions: connect ${connectMs.toFixed(0)} ms, RSS ${(halfIdle.rssBytes / 1024 ** 2).toFixed(1)} MB ` +
        `at ${half}, ${(idle.rssBytes / 1024 ** 2).toFixed(1)} MB at ${count}`,
    );
    const metrics: Metric[] = [
      {
        key: 'connect',
        label: `connect + sync ${joins} clients`,
        unit: 's',
        value: connectMs / 1000,
        better: 'lower',
        targetRatio: 1.0,
      },
      {
        key: 'connect-cpu',
        label: 'server CPU per client join',
        unit: 'ms',
        value: (first.cpuMs + second.cpuMs) / joins,
        better: 'lower',
      },
      {
        key: 'rss-per-session',
        label: `RSS per further idle session (2 clients), sessions ${half + 1}–${count}`,
        unit: 'KB',
        value: (idle.rssBytes - halfIdle.rssBytes) / 1024 / (count - half),
        better: 'lower',
        targetValue: 30,
      },
      {
        key: 'rss-per-session-average',
        label: 'RSS growth from start ÷ sessions (one-time growth included)',
        unit: 'KB',
        value: (idle.rssBytes - baseline.rssBytes) / 1024 / count,
        better: 'lower',
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
      const value = (first.createMs + second.createMs) / 1000;
      metrics.push({ key: 'create', label, unit: 's', value, better: 'info' });
    }
    return metrics;
  } finally {
    await closeSessions(sessions);
  }
}

interface Wave {
  createMs: number;
  connectMs: number;
  cpuMs: number;
  joins: number;
}

/**
 * `count` rooms are created, then every client of every room joins (at most `JOIN_CONCURRENCY` at a time) until all are synced; then one
 * client per session types a short program and the server is left idle to settle. The sessions are
 * appended to `sessions` as soon as they are open, so they are closed whatever happens next.
 */
async function connectWave(run: ScenarioRun, count: number, sessions: Session[]): Promise<Wave> {
  const createStarted = performance.now();
  const rooms = await createRooms(run, count);
  const createMs = performance.now() - createStarted;
  const joins = rooms.flatMap((room) => Array.from({ length: CLIENTS_PER_SESSION }, () => room));
  const before = sampleProcess(run.server.pid);
  const started = performance.now();
  const offset = sessions.length * CLIENTS_PER_SESSION;
  const clients = await mapConcurrently(joins, JOIN_CONCURRENCY, (room, index) =>
    joinClient(run, room, `user ${offset + index}`),
  );
  const connectMs = performance.now() - started;
  const after = sampleProcess(run.server.pid);
  const wave: Session[] = rooms.map((room, index) => ({
    room,
    clients: clients.slice(index * CLIENTS_PER_SESSION, (index + 1) * CLIENTS_PER_SESSION),
    initialLength: 0,
  }));
  sessions.push(...wave);
  for (const session of wave) session.clients[0]!.insert(0, PROGRAM);
  await assertConverged(run, wave, 0);
  await delay(SETTLE_MS);
  return { createMs, connectMs, cpuMs: after.cpuMs - before.cpuMs, joins: joins.length };
}
