/**
 * Preloaded into a server under test by `bench/heap-breakdown.ts` (`node --import`): on SIGWINCH (ignored
 * by default, unlike SIGUSR1, which would start the inspector) it writes the physical size of each V8 heap
 * space to `heap-spaces-<n>.json` in the process' `--diagnostic-dir`, so the same figures can be read
 * from our server and from the peers'.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';

const dirFlag = process.execArgv.find((arg) => arg.startsWith('--diagnostic-dir='));
const dir = dirFlag === undefined ? process.cwd() : dirFlag.slice('--diagnostic-dir='.length);
let sequence = 0;
process.on('SIGWINCH', () => {
  const spaces = Object.fromEntries(
    getHeapSpaceStatistics().map((space) => [space.space_name, space.physical_space_size]),
  );
  writeFileSync(join(dir, `heap-spaces-${sequence++}.json`), JSON.stringify(spaces));
});
