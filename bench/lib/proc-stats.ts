import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Linux reports utime/stime in clock ticks; 100 Hz on every kernel we run on (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcessSample {
  /**
   * CPU time of all the process' threads, in milliseconds: from the scheduler's nanosecond counters where
   * the kernel keeps them, else utime + stime in 10 ms ticks.
   */
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
    cpuMs: threadsCpuMs(pid) ?? (ticks * 1000) / CLOCK_TICKS_PER_SECOND,
    rssBytes: statusKb(status, 'VmRSS') * 1024,
    peakRssBytes: statusKb(status, 'VmHWM') * 1024,
  };
}

/**
 * The sum of every live thread's time on a CPU (the first field of `schedstat`, in ns). Ticks of 10 ms
 * would leave ±0.1 ms per join over 100 joins, a third of the big-document target's margin. A thread that
 * ends between two samples takes its time with it; the servers' threads (V8's, libuv's, a store worker)
 * live as long as the process.
 */
function threadsCpuMs(pid: number): number | null {
  if (!existsSync(`/proc/${pid}/schedstat`)) return null;
  let nanoseconds = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      const schedstat = readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8');
      nanoseconds += Number(schedstat.slice(0, schedstat.indexOf(' ')));
    } catch {
      // The thread ended since the directory was listed.
    }
  }
  return nanoseconds / 1e6;
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
