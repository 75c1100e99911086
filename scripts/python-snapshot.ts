/**
 * A memory snapshot of Pyodide after its start, made at build time by make-python-snapshot.mjs. The run
 * frame's Python worker restores it instead of starting the interpreter (seconds saved on every Python
 * session's load) and falls back to the normal start when it is missing or refused.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';

/** Its name under /pyodide/ (the run frame asks for the same name). */
export const PYTHON_SNAPSHOT_FILE = 'python-snapshot.bin';

const MAKER = fileURLToPath(new URL('./make-python-snapshot.mjs', import.meta.url));
/** Quality 7 with a 16 MB window: ~4.9 MB in ~2.5 s; quality 9 saves 1% for twice the time. */
const SNAPSHOT_BROTLI = { quality: 7, windowBits: 24 } as const;

export async function makePythonSnapshot(): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'python-snapshot-'));
  try {
    const outFile = join(dir, PYTHON_SNAPSHOT_FILE);
    await runMaker(outFile);
    return await readFile(outFile);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runMaker(outFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAKER, outFile], { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`making the Python snapshot failed (exit ${code}):\n${stderr.slice(-4000)}`));
    });
  });
}

export function compressSnapshot(snapshot: Uint8Array): Promise<Uint8Array> {
  return promisify(brotliCompress)(snapshot, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: SNAPSHOT_BROTLI.quality,
      [constants.BROTLI_PARAM_LGWIN]: SNAPSHOT_BROTLI.windowBits,
      [constants.BROTLI_PARAM_SIZE_HINT]: snapshot.byteLength,
    },
  });
}
