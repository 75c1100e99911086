/**
 * Cost per edit: one busy session (20 clients, 1,000 inserts per second in total, each relayed to 19
 * peers). The server's CPU time over the window divided by the edits sent is what one edit costs it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { EditLog } from '../lib/edit-log.js';
import { latencyMetrics, processMetrics } from '../lib/metrics.js';
import { startWindow } from '../lib/proc-stats.js';
import { BenchFailure, type Metric, type Scenario, type ScenarioRun } from '../lib/scenario.js';
import { assertConverged, closeSessions, driveEdits, openSessions, seededRandom } from '../lib/sessions.js';

const CLIENTS = 20;
const EDITS_PER_SECOND = 1_000;
const WARM_UP_MS = { full: 2_000, quick: 1_000 };
const MEASURE_MS = { full: 6_000, quick: 4_000 };

export const COST_PER_EDIT: Scenario = {
  id: 'cost-per-edit',
  title: 'Cost per edit, 1 session × 20 clients, 1,000 edits/s',
  description:
    `1 session × ${CLIENTS} clients typing ${EDITS_PER_SECOND.toLocaleString('en')} single-character inserts ` +
    'per second in total; server CPU (the run time of all its threads) per edit sent, each edit relayed to 19 peers.',
  run: runCostPerEdit,
};

async function runCostPerEdit(run: ScenarioRun): Promise<Metric[]> {
  const edits = new EditLog();
  const sessions = await openSessions(run, { sessions: 1, clientsPerSession: CLIENTS, edits });
  try {
    const clients = sessions[0]!.clients;
    const random = seededRandom(2);
    const mode = run.quick ? 'quick' : 'full';
    const drive = (durationMs: number) =>
      driveEdits({ clients, ratePerSecond: EDITS_PER_SECOND, durationMs, cursors: false, random });
    await drive(WARM_UP_MS[mode]);
    edits.measuring = true;
    const finish = startWindow(run.server.pid);
    const sent = await drive(MEASURE_MS[mode]);
    await delay(200);
    const measured = finish();
    const { seconds } = measured;
    await assertConverged(run, sessions);
    if (edits.latencyMs.count !== sent * (CLIENTS - 1)) {
      throw new BenchFailure(`expected ${sent * (CLIENTS - 1)} deliveries, saw ${edits.latencyMs.count}`);
    }
    const cpuMs = measured.serverCpuMs;
    run.log(`${sent} edits in ${seconds.toFixed(1)} s, server CPU ${cpuMs} ms`);
    return [
      {
        key: 'cpu-per-edit',
        label: 'server CPU per edit',
        unit: 'µs',
        value: (cpuMs * 1000) / sent,
        better: 'lower',
        targetRatio: 0.6,
      },
      { key: 'rate', label: 'edits sent', unit: 'edits/s', value: sent / seconds, better: 'info' },
      ...latencyMetrics(edits.latencyMs, { subject: 'edit', percentiles: [50, 99] }),
      ...processMetrics(measured),
    ];
  } finally {
    await closeSessions(sessions);
  }
}
