import { readFileSync } from 'node:fs';

/** Linux reports utime/stime in clock ticks; 100 Hz on every kernel we run on (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcessSample {
  /** utime + stime, in milliseconds. */
  cpuMs: number;
  /** Resident set size, in bytes. */
  rssBytes: number;
  /** Peak resident set size (VmHWM), in bytes. */
  peakRssBytes: number;
}

/** Reads the CPU time and memory of another process from /proc (the server under test). */
export function sampleProcess(pid: number): ProcessSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after the closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND,
    rssBytes: statusKb(status, 'VmRSS') * 1024,
    peakRssBytes: statusKb(status, 'VmHWM') * 1024,
  };
}

function statusKb(status: string, key: string): number {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`/proc status has no ${key}`);
  return Number(match[1]);
}

export interface WindowResult {
  seconds: number;
  serverCpuMs: number;
  /** The load generator's own CPU time: near 100 % of a core means it, not the server, set the pace. */
  generatorCpuMs: number;
  end: ProcessSample;
}

/** Starts a measurement window over the server's and the load generator's CPU time. */
export function startWindow(pid: number): () => WindowResult {
  const start = sampleProcess(pid);
  const generatorStart = process.cpuUsage();
  const startedAt = performance.now();
  return () => {
    const end = sampleProcess(pid);
    const generator = process.cpuUsage(generatorStart);
    return {
      seconds: (performance.now() - startedAt) / 1000,
      serverCpuMs: end.cpuMs - start.cpuMs,
      generatorCpuMs: (generator.user + generator.system) / 1000,
      end,
    };
  };
}
