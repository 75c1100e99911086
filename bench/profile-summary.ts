/**
 * Summarises a V8 `.cpuprofile` (from `npm run bench -- --profile <dir>`): the functions with the most
 * self time, the most inclusive time, and self time per package or source folder.
 * Usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top=25] [skipMs=0]
 * `skipMs` leaves out the first milliseconds of the profile: the server's start (module loading, the store
 * opening) would otherwise outweigh a short scenario.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg, skipArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top] [skipMs]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const skipUs = Number(skipArg ?? 0) * 1000;
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
let elapsedUs = 0;
profile.samples.forEach((id, index) => {
  const deltaUs = profile.timeDeltas[index] ?? 0;
  elapsedUs += deltaUs;
  if (elapsedUs > skipUs) selfUs.set(id, (selfUs.get(id) ?? 0) + deltaUs);
});
const totalUs = [...selfUs.values()].reduce((sum, value) => sum + value, 0);
const idleNode = profile.nodes.find((node) => node.callFrame.functionName === '(idle)');
const idleUs = idleNode ? (selfUs.get(idleNode.id) ?? 0) : 0;
/** Shares are of the time the process was busy: idle samples would only dilute them. */
const busyUs = totalUs - idleUs;
if (idleNode) selfUs.delete(idleNode.id);

const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

const frameKey = (frame: CallFrame) =>
  `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;

const selfByFrame = new Map<string, number>();
const inclusiveByFrame = new Map<string, number>();
const selfByArea = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  add(selfByFrame, frameKey(node.callFrame), us);
  add(selfByArea, area(node.callFrame), us);
  // Each sample counts once per distinct frame on its stack (recursion is not double counted).
  const seen = new Set<string>();
  for (let current: number | undefined = id; current !== undefined; current = parents.get(current)) {
    const key = frameKey(byId.get(current)!.callFrame);
    if (!seen.has(key)) add(inclusiveByFrame, key, us);
    seen.add(key);
  }
}

print('Self time by function', selfByFrame);
print('Inclusive time by function', inclusiveByFrame);
print('Self time by area', selfByArea);

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

function print(title: string, map: Map<string, number>): void {
  console.log(`\n${title} (of ${(busyUs / 1000).toFixed(0)} ms busy; ${(idleUs / 1000).toFixed(0)} ms idle)`);
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, us] of rows) {
    console.log(
      `${((us / busyUs) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`,
    );
  }
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) return url.slice(modules + 'node_modules/'.length);
  const dist = url.indexOf('/dist/server/');
  return dist !== -1 ? url.slice(dist + '/dist/server/'.length) : url.replace(/^file:\/\//, '');
}

function area(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url.split('/')[0]!.replace(/:.*$/, ':') + url.slice(5).split('/')[0];
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const short = shortUrl(url).split('/');
  return short.slice(0, -1).join('/') || short[0]!;
}
