/**
 * A shared machine's noise comes in bursts. Each scenario runs in rounds, the servers in a rotating order,
 * and each figure is the median of its rounds; a failure in any round fails the scenario.
 */
import type { Outcome } from './report.js';
import type { Metric } from './scenario.js';
import { median } from './stats.js';

export function combineRounds(rounds: readonly Outcome[]): Outcome {
  const failed = rounds.findIndex((outcome) => 'error' in outcome);
  if (failed !== -1) {
    const outcome = rounds[failed]!;
    return { error: `${'error' in outcome ? outcome.error : ''} (round ${failed + 1})` };
  }
  const all = rounds.flatMap((outcome) => ('metrics' in outcome ? [outcome.metrics] : []));
  const metrics: Metric[] = all[0]!.map((metric) => ({
    ...metric,
    value: median(all.map((list) => list.find((m) => m.key === metric.key)?.value ?? Number.NaN)),
  }));
  return { metrics };
}

/** Round `r` starts with the `r`-th server, so no server always runs right after another. */
export function rotate<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
