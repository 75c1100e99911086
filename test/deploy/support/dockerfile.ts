import { readFileSync } from 'node:fs';

/**
 * Just enough of a Dockerfile reader for the tests to run what the image would run: stages, their
 * instructions, exec-form arrays and ENV pairs. No Docker engine runs on the test machines, so the
 * production-install test takes the runtime stage's CMD, HEALTHCHECK and ENV from here.
 */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly name: string;
  readonly from: string;
  readonly instructions: readonly Instruction[];
}

export const DOCKERFILE_PATH = new URL('../../../docker/Dockerfile', import.meta.url).pathname;

export interface Dockerfile {
  /** `ARG` defaults declared before the first FROM, which FROM lines may use. */
  readonly globalArgs: Readonly<Record<string, string>>;
  readonly stages: readonly Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const logicalLines = text
    .replaceAll(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: { name: string; from: string; instructions: Instruction[] }[] = [];
  const globalArgs: Record<string, string> = {};
  for (const line of logicalLines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      const from = (match?.[1] ?? args).replaceAll(
        /\$\{(\w+)\}/g,
        (all, name: string) => globalArgs[name] ?? all,
      );
      stages.push({ from, name: match?.[2] ?? String(stages.length), instructions: [] });
    } else if (stages.length === 0 && keyword.toUpperCase() === 'ARG') {
      const [name = '', value = ''] = args.split('=');
      globalArgs[name] = value;
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return { globalArgs, stages };
}

export function readDockerfile(): Dockerfile {
  return parseDockerfile(readFileSync(DOCKERFILE_PATH, 'utf8'));
}

export function stageNamed(dockerfile: Dockerfile, name: string): Stage {
  const stage = dockerfile.stages.find((candidate) => candidate.name === name);
  if (stage === undefined) throw new Error(`the Dockerfile has no stage named ${name}`);
  return stage;
}

export function instructions(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

/** The last instruction of a kind, as Docker applies it (CMD, HEALTHCHECK, USER). */
export function lastInstruction(stage: Stage, keyword: string): Instruction {
  const found = instructions(stage, keyword).at(-1);
  if (found === undefined) throw new Error(`stage ${stage.name} has no ${keyword}`);
  return found;
}

/** An exec-form array (`["node", "x.js"]`); shell form is refused, since it puts a shell in front of node. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`not an exec-form array: ${args}`);
  }
  return parsed;
}

/** The command of `HEALTHCHECK [options] CMD [...]`. */
export function healthcheckCommand(stage: Stage): string[] {
  const { args } = lastInstruction(stage, 'HEALTHCHECK');
  const at = args.indexOf('CMD ');
  if (at === -1) throw new Error(`HEALTHCHECK without CMD: ${args}`);
  return execForm(args.slice(at + 'CMD '.length));
}

/** Every `ENV KEY=value` pair of a stage (the `KEY=value` form only; quotes removed). */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructions(stage, 'ENV')) {
    for (const match of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) {
      env[match[1] ?? ''] = (match[2] ?? '').replace(/^"(.*)"$/, '$1');
    }
  }
  return env;
}
