/**
 * On a machine shared with builds and browser tests, the benchmark's processes (load generator and server
 * alike) run at a raised scheduling priority so that others' bursts disturb them less. With autogroup
 * scheduling (the Linux default) niceness only ranks threads within one session's group, so the group's
 * own niceness is raised too, and restored when the run ends. Every thread is reniced: Linux schedules
 * threads, and V8's and libuv's helper threads do real work.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** Raises this process' autogroup; returns the function that restores it (a no-op when not possible). */
export function raiseGroupPriority(): () => void {
  const file = '/proc/self/autogroup';
  try {
    const previous = /nice (-?\d+)/.exec(readFileSync(file, 'utf8'))?.[1];
    if (previous === undefined) return () => undefined;
    writeFileSync(file, String(BENCH_NICENESS));
    return () => {
      try {
        writeFileSync(file, previous);
      } catch {
        // The group is gone or no longer ours to change: nothing to restore.
      }
    };
  } catch {
    return () => undefined;
  }
}

/**
 * Raises the autogroups of this process' descendants that started their own session (Chromium does), so
 * the browser competes at the benchmark's priority too.
 */
export function raiseDescendantGroups(): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process exited while we looked.
    }
  }
  const ours = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!ours.has(pid) && ours.has(parent)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  let raised = 0;
  for (const pid of ours) {
    try {
      writeFileSync(`/proc/${pid}/autogroup`, String(BENCH_NICENESS));
      raised++;
    } catch {
      // Not ours to change, or gone.
    }
  }
  return raised;
}
