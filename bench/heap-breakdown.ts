/**
 * What an idle session costs in the server's heap, object by object: starts one server, takes a heap
 * snapshot at rest, opens N sessions × 2 clients the way `many-sessions` does (each types a short
 * program), takes a second snapshot once they are idle, and prints the difference per session grouped by
 * constructor (self sizes; typed-array backing stores are counted with their owners by V8), plus the
 * growth of each V8 heap space's physical size, read before each snapshot by a probe preloaded into the
 * server. The RSS figure belongs to `many-sessions`: taking a snapshot inflates the process' RSS by itself.
 *
 *   npm run build:server
 *   node --import tsx bench/heap-breakdown.ts [--servers ours|ours-alt|y-websocket-server|hocuspocus] [--sessions 1000]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ScenarioRun } from './lib/scenario.js';
import { launchServer } from './lib/server-process.js';
import { assertConverged, closeSessions, createRooms, joinClient, mapConcurrently } from './lib/sessions.js';
import { TARGETS } from './lib/targets.js';

const PROGRAM = "def greet(name):\n    return f'Hello, {name}!'\n\nprint(greet('world'))\n";
const SETTLE_MS = 3_000;
const TOP = 40;

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: 'ours' },
    sessions: { type: 'string', default: '1000' },
  },
});
const count = Number(values.sessions);
const target = TARGETS.find((candidate) => candidate.id === values.servers);
if (target === undefined) throw new Error(`unknown server ${values.servers}`);

const snapshotDir = mkdtempSync(join(tmpdir(), 'heap-breakdown-'));
const probe = fileURLToPath(new URL('./lib/heap-space-probe.mjs', import.meta.url));
const server = await launchServer(
  target.launch(null, [
    `--import=${probe}`,
    '--heapsnapshot-signal=SIGUSR2',
    `--diagnostic-dir=${snapshotDir}`,
  ]),
);
const run: ScenarioRun = {
  target,
  server,
  quick: false,
  log: (message) => process.stderr.write(`${message}\n`),
};
try {
  await delay(500);
  const spacesBefore = await heapSpaces(server.pid, 0);
  const before = await snapshot(server.pid);
  const rooms = await createRooms(run, count);
  const joins = rooms.flatMap((room) => [room, room]);
  const clients = await mapConcurrently(joins, 64, (room, index) => joinClient(run, room, `user ${index}`));
  const sessions = rooms.map((room, index) => ({
    room,
    clients: clients.slice(index * 2, index * 2 + 2),
    initialLength: 0,
  }));
  for (const session of sessions) session.clients[0]!.insert(0, PROGRAM);
  await assertConverged(run, sessions, 0);
  await delay(SETTLE_MS);
  const spacesAfter = await heapSpaces(server.pid, 1);
  const after = await snapshot(server.pid);
  report(before, after);
  const heapGrowth = after.total - before.total;
  process.stdout.write(
    `\n${target.id}: heap (live objects) ${(heapGrowth / 1024 / count).toFixed(1)} KB per session\n`,
  );
  for (const [name, bytes] of spacesAfter) {
    const growth = (bytes - (spacesBefore.get(name) ?? 0)) / 1024 / count;
    process.stdout.write(`  ${name}: ${growth.toFixed(1)} KB per session\n`);
  }
  await closeSessions(sessions);
} finally {
  await server.stop();
  rmSync(snapshotDir, { recursive: true, force: true });
}

/** Physical size of each V8 heap space of the server, written by the preloaded probe on SIGWINCH. */
async function heapSpaces(pid: number, sequence: number): Promise<Map<string, number>> {
  process.kill(pid, 'SIGWINCH');
  const file = join(snapshotDir, `heap-spaces-${sequence}.json`);
  for (let attempt = 0; attempt < 50; attempt++) {
    await delay(200);
    try {
      const spaces = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
      return new Map(Object.entries(spaces).map(([name, bytes]) => [`heap space ${name} (physical)`, bytes]));
    } catch {
      // not written yet
    }
  }
  throw new Error(`the heap-space probe wrote no ${file}`);
}

interface Summary {
  total: number;
  groups: Map<string, { count: number; bytes: number }>;
}

/** Asks the server for a heap snapshot and summarises it by node type and constructor. */
async function snapshot(pid: number): Promise<Summary> {
  process.kill(pid, 'SIGUSR2');
  const file = await waitForSnapshot();
  const summary = summarise(JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot);
  rmSync(file);
  return summary;
}

/** Node writes the snapshot in one go: it is complete once it parses. */
async function waitForSnapshot(): Promise<string> {
  for (;;) {
    await delay(500);
    const name = readdirSync(snapshotDir).find((entry) => entry.endsWith('.heapsnapshot'));
    if (name === undefined) continue;
    const file = join(snapshotDir, name);
    try {
      JSON.parse(readFileSync(file, 'utf8'));
      return file;
    } catch {
      // still being written
    }
  }
}

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

function summarise(heap: HeapSnapshot): Summary {
  const fields = heap.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = heap.snapshot.meta.node_types[0];
  const groups = new Map<string, { count: number; bytes: number }>();
  let total = 0;
  for (let i = 0; i < heap.nodes.length; i += width) {
    const type = types[heap.nodes[i + typeAt]!]!;
    const size = heap.nodes[i + sizeAt]!;
    const name = heap.strings[heap.nodes[i + nameAt]!]!;
    const key =
      type === 'object' || type === 'native' || type === 'closure' || type === 'hidden'
        ? `${type} ${name.slice(0, 60)}`
        : type;
    const group = groups.get(key) ?? { count: 0, bytes: 0 };
    group.count++;
    group.bytes += size;
    groups.set(key, group);
    total += size;
  }
  return { total, groups };
}

function report(before: Summary, after: Summary): void {
  const rows: Array<{ key: string; count: number; bytes: number }> = [];
  for (const [key, group] of after.groups) {
    const old = before.groups.get(key) ?? { count: 0, bytes: 0 };
    rows.push({ key, count: group.count - old.count, bytes: group.bytes - old.bytes });
  }
  rows.sort((a, b) => b.bytes - a.bytes);
  process.stdout.write('bytes/session  objects/session  group\n');
  for (const row of rows.slice(0, TOP)) {
    process.stdout.write(
      `${(row.bytes / count).toFixed(0).padStart(13)}  ${(row.count / count).toFixed(2).padStart(15)}  ${row.key}\n`,
    );
  }
}
