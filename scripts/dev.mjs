// `npm run dev`: the Vite dev server (client with hot reload, proxying /api and /ws) and the server
// restarted on every change (`node --watch`). Ctrl+C, or either process dying, stops both.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const clientPort = process.env.DEV_CLIENT_PORT ?? '5173';
const serverPort = process.env.PORT ?? '3000';
const devOrigins = [`http://localhost:${clientPort}`, `http://127.0.0.1:${clientPort}`];

const children = [];
let stopping = false;

function start(name, args, env = {}) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[dev] ${name} exited (${signal ?? code}); stopping the other process.`);
      stop(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill('SIGTERM');
  // The server shuts down gracefully within its own timeout; do not wait forever for either.
  const force = setTimeout(() => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
    process.exit(exitCode);
  }, 10_000);
  Promise.all(running.map((child) => new Promise((done) => child.once('exit', done)))).then(() => {
    clearTimeout(force);
    process.exit(exitCode);
  });
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

start('server', ['--watch', '--import', 'tsx', 'server/src/main.ts'], {
  PORT: serverPort,
  HOST: process.env.HOST ?? '127.0.0.1',
  // The page comes from Vite's origin; its WebSockets reach the server through Vite's proxy.
  ALLOWED_ORIGINS: process.env.ALLOWED_ORIGINS ?? devOrigins.join(','),
});
start('vite', [join(root, 'node_modules/vite/bin/vite.js'), '--port', clientPort, '--strictPort']);
console.log(`[dev] open http://localhost:${clientPort} (server on port ${serverPort})`);
