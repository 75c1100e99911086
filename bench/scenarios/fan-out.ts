/**
 * Fan-out: sessions of people typing at a steady pace; the figure that matters is how long a keystroke
 * takes to reach everyone else (p99), and what the server spends doing it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { AwarenessLog, EditLog } from '../lib/edit-log.js';
import { latencyMetrics, processMetrics } from '../lib/metrics.js';
import { startWindow } from '../lib/proc-stats.js';
import { BenchFailure, type Metric, type Scenario, type ScenarioRun } from '../lib/scenario.js';
import { assertConverged, closeSessions, driveEdits, openSessions, seededRandom } from '../lib/sessions.js';

export interface FanOutShape {
  id: string;
  title: string;
  sessions: number;
  clientsPerSession: number;
  editsPerClientPerSecond: number;
  cursors: boolean;
}

const WARM_UP_MS = { full: 2_000, quick: 1_000 };
const MEASURE_MS = { full: 6_000, quick: 4_000 };

export function fanOut(shape: FanOutShape): Scenario {
  const cursorNote = shape.cursors ? ', each edit followed by a cursor (awareness) update' : '';
  return {
    id: shape.id,
    title: shape.title,
    description:
      `${shape.sessions} × ${shape.clientsPerSession} clients, ${shape.editsPerClientPerSecond} single-character ` +
      `inserts per client per second${cursorNote}; latency from the sender's insert to each receiver's receipt.`,
    run: (run) => runFanOut(run, shape),
  };
}

async function runFanOut(run: ScenarioRun, shape: FanOutShape): Promise<Metric[]> {
  const edits = new EditLog();
  const cursors = shape.cursors ? new AwarenessLog() : undefined;
  const sessions = await openSessions(run, {
    sessions: shape.sessions,
    clientsPerSession: shape.clientsPerSession,
    edits,
    ...(cursors ? { cursors } : {}),
  });
  try {
    const clients = sessions.flatMap((session) => session.clients);
    const ratePerSecond = clients.length * shape.editsPerClientPerSecond;
    const random = seededRandom(1);
    const mode = run.quick ? 'quick' : 'full';
    await driveEdits({
      clients,
      ratePerSecond,
      durationMs: WARM_UP_MS[mode],
      cursors: shape.cursors,
      random,
    });
    edits.measuring = true;
    if (cursors) cursors.measuring = true;
    const finish = startWindow(run.server.pid);
    const sent = await driveEdits({
      clients,
      ratePerSecond,
      durationMs: MEASURE_MS[mode],
      cursors: shape.cursors,
      random,
    });
    // Let the last edits arrive before reading the server's CPU, so their delivery is counted.
    await delay(200);
    const measured = finish();
    await assertConverged(run, sessions);
    const receivers = shape.clientsPerSession - 1;
    if (edits.latencyMs.count !== sent * receivers) {
      throw new BenchFailure(
        `expected ${sent * receivers} measured deliveries, saw ${edits.latencyMs.count}`,
      );
    }
    run.log(`${sent} edits, ${edits.latencyMs.count} deliveries measured`);
    const metrics = latencyMetrics(edits.latencyMs, {
      subject: 'edit',
      percentiles: [50, 90, 99, 100],
      p99TargetRatio: 1.0,
    });
    if (cursors)
      metrics.push(...latencyMetrics(cursors.latencyMs, { subject: 'cursor', percentiles: [50, 99] }));
    metrics.push(...processMetrics(measured));
    return metrics;
  } finally {
    await closeSessions(sessions);
  }
}

export const FAN_OUT_SCENARIOS: readonly Scenario[] = [
  fanOut({
    id: 'fanout-10x5',
    title: 'Fan-out, 10 sessions × 5 clients × 5 edits/s',
    sessions: 10,
    clientsPerSession: 5,
    editsPerClientPerSecond: 5,
    cursors: false,
  }),
  fanOut({
    id: 'fanout-1x50',
    title: 'Fan-out, 1 session × 50 clients × 2 edits/s',
    sessions: 1,
    clientsPerSession: 50,
    editsPerClientPerSecond: 2,
    cursors: false,
  }),
  fanOut({
    id: 'fanout-1x50-cursors',
    title: 'Fan-out, 1 session × 50 clients × 2 edits/s, with cursor updates',
    sessions: 1,
    clientsPerSession: 50,
    editsPerClientPerSecond: 2,
    cursors: true,
  }),
];
