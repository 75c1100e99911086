// `npm start` builds the client and the server first when their output is missing or older than the sources.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.endsWith('.test.ts')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const outputs = ['dist/client/index.html', 'dist/server/server/src/main.js'];
const sources = Math.max(...['client', 'server', 'shared'].map(newestMtime));
const stale = outputs.some((file) => !existsSync(file) || statSync(file).mtimeMs < sources);
if (stale) execSync('npm run build', { stdio: 'inherit' });
