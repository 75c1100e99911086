/**
 * On a machine shared with builds and browser tests, the benchmark's processes (load generator and server
 * alike) run at a raised scheduling priority so that others' bursts disturb them less. Every thread of
 * the process is reniced: Linux schedules threads, and V8's and libuv's helper threads do real work.
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

export const BENCH_NICENESS = -10;

/** Returns whether the priority could be raised (it needs root or CAP_SYS_NICE). */
export function raisePriority(pid: number): boolean {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) setPriority(Number(tid), BENCH_NICENESS);
    return true;
  } catch {
    return false;
  }
}
