/**
 * The results as Markdown: one table per scenario, our figure divided by each peer's, and whether the
 * issue's target is met against the better peer of the same run.
 */
import type { MachineInfo } from './machine.js';
import { markdownTable } from './markdown-table.js';
import { BENCH_NICENESS } from './priority.js';
import type { Metric, Scenario } from './scenario.js';
import { OURS_LIMIT_OVERRIDES, type Target, type TargetId } from './targets.js';

export type Outcome = { metrics: Metric[] } | { error: string };

export interface RunReport {
  machine: MachineInfo;
  startedAt: Date;
  durationS: number;
  quick: boolean;
  rounds: number;
  pinned: boolean;
  /** Whether the load generator and servers ran at a raised priority (`nice`). */
  prioritised: boolean;
  targets: readonly Target[];
  scenarios: readonly Scenario[];
  outcomes: ReadonlyMap<string, ReadonlyMap<TargetId, Outcome>>;
}

export function renderReport(report: RunReport): string {
  const { machine } = report;
  const lines = [
    '## Benchmark results',
    '',
    `Measured ${report.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench` +
      `${report.quick ? ' -- --quick' : ''}\` in ${Math.round(report.durationS)} s on ${machine.cpuModel}, ` +
      `${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, Linux ${machine.kernel}.`,
    report.pinned
      ? 'Each server ran alone in its own process on CPU 1 (`taskset`); the load generator ran on CPU 0.'
      : 'Fewer than 2 CPUs: server and load generator were not pinned.',
    report.prioritised
      ? `Both ran at niceness ${BENCH_NICENESS}, ahead of other work on the machine.`
      : 'Both ran at normal priority.',
    'Server CPU is the run time of all its threads (`/proc/<pid>/task/*/schedstat`, in ns) and memory is RSS, both read from `/proc`. Latency runs from the',
    "sender's insert to each receiver's receipt, matched by Yjs id (clientID, clock). Every scenario ends with",
    'a convergence check (all copies identical, no character lost, a fresh join gets the same document).',
    `Each figure is the median of ${report.rounds} round${report.rounds === 1 ? '' : 's'} (servers in rotating order; ` +
      'the 1,000-session scenario runs once). Noise on a shared machine is large: compare ' +
      'figures within one run only.',
    '',
    `Ours (${report.targets.find((t) => t.id === 'ours')?.label ?? 'code-collab'}) ran its compiled build and its default SQLite store (in a temporary folder) with ` +
      `every protection on; limits that would throttle a load generator on one address were raised: ` +
      `${Object.entries(OURS_LIMIT_OVERRIDES)
        .map(([name, value]) => `\`${name}=${value}\``)
        .join(', ')}. The peers ran in their default configuration.`,
    '',
  ];
  lines.push(...renderTargets(report), '');
  for (const scenario of report.scenarios) {
    lines.push(...renderScenario(report, scenario), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** One line per target the issue sets: ours, the better peer, the ratio, and whether it is met. */
function renderTargets(report: RunReport): string[] {
  const peers = report.targets.filter((target) => !target.id.startsWith('ours'));
  if (!report.targets.some((target) => target.id === 'ours')) return [];
  const rows: string[][] = [];
  for (const scenario of report.scenarios) {
    const outcomes = report.outcomes.get(scenario.id);
    if (!outcomes) continue;
    for (const metric of metricList(outcomes)) {
      if (metric.targetRatio === undefined && metric.targetValue === undefined) continue;
      const ours = metricValue(outcomes.get('ours'), metric.key);
      const peerValues = peers
        .map((peer) => metricValue(outcomes.get(peer.id), metric.key))
        .filter(Number.isFinite);
      const best = peerValues.length > 0 ? Math.min(...peerValues) : Number.NaN;
      rows.push([
        scenario.title,
        `${metric.label} (${metric.unit})`,
        format(ours),
        format(best),
        Number.isFinite(ours / best) ? `${(ours / best).toFixed(2)}×` : '–',
        targetCell(metric, ours, peerValues),
      ]);
    }
  }
  return [
    '### Targets',
    '',
    ...markdownTable(['scenario', 'metric', 'ours', 'best peer', 'ratio', 'target'], rows, 2),
  ];
}

function renderScenario(report: RunReport, scenario: Scenario): string[] {
  const outcomes = report.outcomes.get(scenario.id);
  if (!outcomes) return [];
  const peers = report.targets.filter((target) => !target.id.startsWith('ours'));
  const hasOurs = report.targets.some((target) => target.id === 'ours');
  const header = [
    'metric',
    ...report.targets.map((target) => target.label),
    ...(hasOurs ? peers.map((peer) => `ours ÷ ${shortName(peer)}`) : []),
    ...(hasOurs ? ['target'] : []),
  ];
  const lines = [`### ${scenario.title}`, '', scenario.description, ''];
  const rows: string[][] = [];
  const failures = report.targets.flatMap((target) => {
    const outcome = outcomes.get(target.id);
    return outcome && 'error' in outcome
      ? [`**${target.label} FAILED:** ${outcome.error.replace(/\s+/g, ' ')}`]
      : [];
  });
  for (const metric of metricList(outcomes)) {
    const values = report.targets.map((target) => metricValue(outcomes.get(target.id), metric.key));
    const ours = metricValue(outcomes.get('ours'), metric.key);
    const cells = [`${metric.label} (${metric.unit})`, ...values.map((value) => format(value))];
    if (hasOurs) {
      const ratios = peers.map((peer) => ours / metricValue(outcomes.get(peer.id), metric.key));
      cells.push(...ratios.map((ratio) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–')));
      cells.push(
        targetCell(
          metric,
          ours,
          peers.map((peer) => metricValue(outcomes.get(peer.id), metric.key)),
        ),
      );
    }
    rows.push(cells);
  }
  lines.push(...markdownTable(header, rows));
  if (failures.length > 0) lines.push('', ...failures);
  return lines;
}

function metricList(outcomes: ReadonlyMap<TargetId, Outcome>): Metric[] {
  const seen = new Map<string, Metric>();
  for (const outcome of outcomes.values()) {
    if ('metrics' in outcome)
      for (const metric of outcome.metrics) if (!seen.has(metric.key)) seen.set(metric.key, metric);
  }
  return [...seen.values()];
}

function metricValue(outcome: Outcome | undefined, key: string): number {
  if (!outcome || !('metrics' in outcome)) return Number.NaN;
  return outcome.metrics.find((metric) => metric.key === key)?.value ?? Number.NaN;
}

function targetCell(metric: Metric, ours: number, peerValues: number[]): string {
  if (metric.targetValue !== undefined) {
    const met = ours <= metric.targetValue;
    return `≤ ${metric.targetValue} ${metric.unit}: ${met ? 'met' : 'missed'}`;
  }
  if (metric.targetRatio === undefined) return '';
  const finite = peerValues.filter(Number.isFinite);
  if (finite.length === 0 || !Number.isFinite(ours)) return `≤ ${metric.targetRatio}× best peer`;
  const ratio = ours / Math.min(...finite);
  return `≤ ${metric.targetRatio}× best peer: ${ratio.toFixed(2)}× ${ratio <= metric.targetRatio ? 'met' : 'missed'}`;
}

function shortName(target: Target): string {
  return target.id === 'y-websocket-server' ? 'y-ws' : target.id;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
