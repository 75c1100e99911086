/** The figures several scenarios report, built the same way everywhere. */
import type { WindowResult } from './proc-stats.js';
import type { Metric } from './scenario.js';
import type { Samples } from './stats.js';

export interface LatencyOptions {
  /** `edit` or `cursor`: the label's subject; metric keys are prefixed unless it is `edit`. */
  subject: 'edit' | 'cursor';
  /** Which percentiles to report, in order. */
  percentiles: readonly number[];
  /** The target ratio for p99, if any. */
  p99TargetRatio?: number;
}

export function latencyMetrics(samples: Samples, options: LatencyOptions): Metric[] {
  const keyPrefix = options.subject === 'edit' ? '' : `${options.subject}-`;
  return options.percentiles.map((p) => {
    const name = p === 100 ? 'max' : `p${p}`;
    const metric: Metric = {
      key: `${keyPrefix}${name}`,
      label: `${options.subject} latency ${name}`,
      unit: 'ms',
      value: samples.percentile(p),
      better: 'lower',
    };
    if (p === 99 && options.p99TargetRatio !== undefined) metric.targetRatio = options.p99TargetRatio;
    return metric;
  });
}

/** Server CPU and RSS over a window, and the load generator's CPU to show it was not the bottleneck. */
export function processMetrics(measured: WindowResult): Metric[] {
  const percentOfCore = (cpuMs: number) => cpuMs / 10 / measured.seconds;
  return [
    {
      key: 'cpu',
      label: 'server CPU',
      unit: '% core',
      value: percentOfCore(measured.serverCpuMs),
      better: 'lower',
    },
    {
      key: 'rss',
      label: 'server RSS',
      unit: 'MB',
      value: measured.end.rssBytes / 1024 ** 2,
      better: 'lower',
    },
    {
      key: 'generator-cpu',
      label: 'load generator CPU',
      unit: '% core',
      value: percentOfCore(measured.generatorCpuMs),
      better: 'info',
    },
  ];
}
