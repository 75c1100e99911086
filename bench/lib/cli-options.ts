import { parseArgs } from 'node:util';
import type { Scenario } from './scenario.js';
import type { Target } from './targets.js';

export interface BenchOptions {
  quick: boolean;
  /** Rounds over all servers; each figure is the median of its rounds. */
  rounds: number;
  scenarios: Scenario[];
  targets: Target[];
  out: string;
  /** Directory for `--cpu-prof` output of our server, or null. */
  profileDir: string | null;
}

export const USAGE = `Usage: npm run bench -- [--quick] [--rounds 3] [--servers ours,y-websocket-server,hocuspocus,ours-memory]
                        [--out bench/results.md] [--profile <dir>] [scenario ...]
Scenarios: all by default; name one or more to run only those.
--quick: shorter windows, 200 instead of 1,000 sessions, one round (default: three rounds).`;

export function parseOptions(
  argv: string[],
  allScenarios: readonly Scenario[],
  allTargets: readonly Target[],
  defaultTargets: readonly Target[],
): BenchOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      servers: { type: 'string' },
      out: { type: 'string', default: 'bench/results.md' },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const scenarios =
    positionals.length === 0 ? [...allScenarios] : positionals.map((id) => pick(allScenarios, id));
  const targets = values.servers
    ? values.servers.split(',').map((id) => pick(allTargets, id))
    : [...defaultTargets];
  const rounds = values.rounds === undefined ? (values.quick ? 1 : 3) : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds must be a positive integer\n${USAGE}`);
  return {
    quick: values.quick,
    rounds,
    scenarios,
    targets,
    out: values.out,
    profileDir: values.profile ?? null,
  };
}

function pick<T extends { id: string }>(items: readonly T[], id: string): T {
  const found = items.find((item) => item.id === id);
  if (!found)
    throw new Error(`unknown name "${id}"; known: ${items.map((item) => item.id).join(', ')}\n${USAGE}`);
  return found;
}
