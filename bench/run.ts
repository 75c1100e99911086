/**
 * `npm run bench`: runs every scenario against our server and the two peers, one server process at a
 * time, and writes the comparison to bench/results.md.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { type BenchOptions, parseOptions } from './lib/cli-options.js';
import { describeMachine } from './lib/machine.js';
import { raiseGroupPriority, raisePriority } from './lib/priority.js';
import { type Outcome, renderReport } from './lib/report.js';
import { combineRounds, rotate } from './lib/rounds.js';
import { BenchFailure, type Scenario } from './lib/scenario.js';
import { launchServer, type RunningServer } from './lib/server-process.js';
import { DEFAULT_TARGETS, TARGETS, type Target, type TargetId } from './lib/targets.js';
import { SCENARIOS } from './scenarios/index.js';

const LOAD_GENERATOR_CPU = '0';
const SERVER_CPU = '1';

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), SCENARIOS, TARGETS, DEFAULT_TARGETS);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const pinned = availableParallelism() >= 2;
  if (pinned)
    execFileSync('taskset', ['-a', '-p', '-c', LOAD_GENERATOR_CPU, String(process.pid)], { stdio: 'ignore' });
  const prioritised = raisePriority(process.pid);
  const restoreGroupPriority = raiseGroupPriority();
  process.once('exit', restoreGroupPriority);
  const startedAt = new Date();
  const outcomes = new Map<string, Map<TargetId, Outcome>>();
  let failed = false;
  for (const scenario of options.scenarios) {
    const rounds = Math.min(options.rounds, scenario.maxRounds ?? options.rounds);
    const perTarget = new Map<TargetId, Outcome[]>(options.targets.map((target) => [target.id, []]));
    for (let round = 0; round < rounds; round++) {
      for (const target of rotate(options.targets, round)) {
        const cpu = pinned ? SERVER_CPU : null;
        const outcome = await runOne(scenario, target, options.quick, cpu, options.profileDir, round);
        perTarget.get(target.id)!.push(outcome);
      }
    }
    const byTarget = new Map<TargetId, Outcome>();
    for (const [id, outcomesOfTarget] of perTarget) {
      const combined = combineRounds(outcomesOfTarget);
      if ('error' in combined) failed = true;
      byTarget.set(id, combined);
    }
    outcomes.set(scenario.id, byTarget);
  }
  const markdown = renderReport({
    machine: describeMachine(),
    startedAt,
    durationS: (Date.now() - startedAt.getTime()) / 1000,
    quick: options.quick,
    rounds: options.rounds,
    pinned,
    prioritised,
    targets: options.targets,
    scenarios: options.scenarios,
    outcomes,
  });
  writeFileSync(options.out, markdown);
  console.log(`\n${markdown}`);
  console.error(`written to ${options.out}`);
  if (failed) {
    console.error(
      '\nBENCHMARK FAILED: at least one scenario lost or mangled edits or did not complete (see above).',
    );
    process.exitCode = 1;
  }
}

async function runOne(
  scenario: Scenario,
  target: Target,
  quick: boolean,
  cpu: string | null,
  profileDir: string | null,
  round: number,
): Promise<Outcome> {
  const log = (message: string) =>
    console.error(`[${scenario.id} / ${target.id} / round ${round + 1}] ${message}`);
  const extraNodeArgs =
    profileDir && target.id.startsWith('ours')
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${resolve(profileDir)}`,
          `--cpu-prof-name=${target.id}-${scenario.id}-${round + 1}.cpuprofile`,
        ]
      : [];
  log('starting');
  let server: RunningServer;
  try {
    server = await launchServer(target.launch(cpu, extraNodeArgs));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`ERROR: ${message}`);
    return { error: message.split('\n')[0] ?? message };
  }
  raisePriority(server.pid);
  let failed = false;
  try {
    const metrics = await scenario.run({ target, server, quick, log });
    log(metrics.map((metric) => `${metric.key}=${metric.value.toFixed(2)}`).join(' '));
    return { metrics };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${error instanceof BenchFailure ? 'FAILED' : 'ERROR'}: ${message}`);
    console.error(`${server.logTail()}\n(server log kept in ${server.logFile})`);
    failed = true;
    return { error: message };
  } finally {
    await server.stop(failed);
  }
}

await main();
