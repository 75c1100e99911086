// Writes a memory snapshot of a started Pyodide: `node scripts/make-python-snapshot.mjs <out-file>`.
// Restoring it in the browser skips the interpreter's start-up, the slowest part of loading Python. The
// run frame's support code is not in it: everything that code imports is already imported by Pyodide's own
// start, so running it after a restore takes milliseconds, and the snapshot never goes stale with it.
//
// Run in a process of its own because it makes the start deterministic by replacing this process' clock
// and entropy: the same Pyodide gives the same bytes. The run frame reseeds `random` after every
// restore, so programs never see the fixed state; string hashing keeps the snapshot's fixed key, as with
// PYTHONHASHSEED set to a constant.

import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const [outFile] = process.argv.slice(2);
if (outFile === undefined) throw new Error('usage: make-python-snapshot.mjs <out-file>');

// Emscripten asks Node's crypto for entropy (CPython's hash key, `random`'s seed) and reads the clock
// through Date.now / performance.now; both are made reproducible for this one start.
const nodeCrypto = createRequire(import.meta.url)('node:crypto');
let entropyCounter = 0;
nodeCrypto.randomFillSync = (view) => {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (Math.imul(entropyCounter++, 2654435761) >>> 24) & 0xff;
  return view;
};
let ticks = 0;
const EPOCH_MS = Date.UTC(2025, 0, 1);
Date.now = () => EPOCH_MS + ticks++;
performance.now = () => ticks++;

const { loadPyodide } = await import('pyodide');
const pyodide = await loadPyodide({ _makeSnapshot: true });
await writeFile(outFile, pyodide.makeMemorySnapshot());
