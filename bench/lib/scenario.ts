/** What a scenario is, what it reports, and what it runs against. */
import type { RunningServer } from './server-process.js';
import type { Target } from './targets.js';

export type Unit = 'ms' | 'µs' | 's' | 'KB' | 'MB' | '% core' | 'edits/s' | 'count';

export interface Metric {
  /** Stable key, unique in the scenario. */
  key: string;
  label: string;
  unit: Unit;
  value: number;
  better: 'lower' | 'higher' | 'info';
  /** The target for ours ÷ the better peer, when it sets one. */
  targetRatio?: number;
  /** The absolute target for ours, when it sets one. */
  targetValue?: number;
}

export interface ScenarioRun {
  target: Target;
  server: RunningServer;
  quick: boolean;
  log(message: string): void;
}

export interface Scenario {
  id: string;
  title: string;
  /** One sentence for the results file: what is measured, how. */
  description: string;
  /** At most this many rounds (slow scenarios whose figures barely move run once). */
  maxRounds?: number;
  run(run: ScenarioRun): Promise<Metric[]>;
}

/** A convergence or delivery failure: the run must not report figures for it. */
export class BenchFailure extends Error {
  override name = 'BenchFailure';
}
