/**
 * How the built client reaches browsers fast:
 * - `session.html`: the app page for share links (`/s/<id>`), with preload hints for what a session page
 *   loads next. The browser fetches and compiles the editor's chunks while it still reads the page, instead
 *   of discovering them only once the app shell has run and imported them.
 * - A brotli copy of every compressible file, written beside it, which the server sends to browsers that
 *   accept it (no compression work per request, and the best compression level). No gzip copies: the
 *   Docker image writes those for nginx's gzip_static, and would stop at existing ones.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';
import type { Plugin } from 'vite';

/** The share-link page the server answers `/s/<id>` with (falls back to index.html without it). */
export const SESSION_PAGE_HTML = 'session.html';

/**
 * Modules a share link needs at once: the connection (opened first, so it syncs while the page loads) and
 * the session page, which shows a plain view of the code. Not the editor (Monaco): the page imports it once
 * the code has synced, as compiling its 3 MB any earlier delays the sync on a busy machine. Its styles
 * are hinted: they are small, and ready when it comes.
 */
const SESSION_ENTRY_MODULES = ['/src/collab/early-connection.ts', '/src/components/session-page.ts'];
const SESSION_STYLE_MODULES = ['/src/editor/editor-binding.ts'];

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  moduleIds: string[];
  imports: string[];
  viteMetadata?: { importedCss: Set<string> };
}

interface AssetLike {
  type: 'asset';
  fileName: string;
  source: string | Uint8Array;
}

type BundleLike = Record<string, ChunkLike | AssetLike>;

export function sessionPagePreload(): Plugin {
  return {
    name: 'code-collab:session-page-preload',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, output) {
      const bundle = output as unknown as BundleLike;
      const index = bundle['index.html'];
      if (index?.type !== 'asset') return;
      const chunkOf = (entry: string): ChunkLike => {
        const chunk = Object.values(bundle).find(
          (item): item is ChunkLike =>
            item.type === 'chunk' && item.moduleIds.some((id) => id.endsWith(entry)),
        );
        if (chunk === undefined)
          this.error(`no chunk holds ${entry}: the session page would preload the wrong files`);
        return chunk;
      };
      const scripts: string[] = [];
      const styles: string[] = [];
      for (const entry of SESSION_ENTRY_MODULES) collectChunk(bundle, chunkOf(entry), scripts, styles);
      for (const entry of SESSION_STYLE_MODULES) collectChunk(bundle, chunkOf(entry), [], styles);
      const page = String(index.source);
      // What the app page itself already loads needs no hint.
      const hints = [
        ...styles
          .filter((file) => !page.includes(file))
          .map((file) => `<link rel="preload" as="style" crossorigin href="/${file}" />`),
        ...scripts
          .filter((file) => !page.includes(file))
          .map((file) => `<link rel="modulepreload" crossorigin href="/${file}" />`),
      ];
      const html = page.replace('</head>', `  ${hints.join('\n    ')}\n  </head>`);
      this.emitFile({ type: 'asset', fileName: SESSION_PAGE_HTML, source: html });
    },
  };
}

/** A chunk's static imports first (they are needed before it runs), then the chunk itself. */
function collectChunk(
  bundle: BundleLike,
  chunk: ChunkLike,
  scripts: string[],
  styles: string[],
  seen = new Set<string>(),
): void {
  // Chunks may import each other in a cycle.
  if (seen.has(chunk.fileName)) return;
  seen.add(chunk.fileName);
  for (const name of chunk.imports) {
    const imported = bundle[name];
    if (imported?.type === 'chunk') collectChunk(bundle, imported, scripts, styles, seen);
  }
  if (!scripts.includes(chunk.fileName)) scripts.push(chunk.fileName);
  for (const css of chunk.viteMetadata?.importedCss ?? []) if (!styles.includes(css)) styles.push(css);
}

const COMPRESSIBLE = /\.(?:m?js|css|html|svg|json|wasm|ttf|txt)$/;
/** Copies that save less than this are not worth a second file (e.g. the already compressed stdlib zip). */
const MIN_SAVING = 0.1;
/** Brotli's best level takes seconds per megabyte; the largest files get a faster one. */
const MAX_BEST_LEVEL_BYTES = 4 * 1024 * 1024;
const FAST_BROTLI_LEVEL = 9;

const brotli = promisify(brotliCompress);

/** Writes `<file>.br` beside every compressible file of the build output. */
export function precompressAssets(): Plugin {
  let outDir = '';
  return {
    name: 'code-collab:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    // closeBundle: after every plugin wrote its files (Pyodide's runtime is copied in writeBundle).
    async closeBundle() {
      const files = (await listFiles(outDir)).filter((file) => COMPRESSIBLE.test(file));
      await Promise.all(files.map((file) => compressBeside(file)));
    },
  };
}

async function compressBeside(file: string): Promise<void> {
  const source = await readFile(file);
  const quality = source.byteLength > MAX_BEST_LEVEL_BYTES ? FAST_BROTLI_LEVEL : constants.BROTLI_MAX_QUALITY;
  const br = await brotli(source, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_SIZE_HINT]: source.byteLength,
    },
  });
  if (br.byteLength <= source.byteLength * (1 - MIN_SAVING)) await writeFile(`${file}.br`, br);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir);
  const nested = await Promise.all(
    entries.map(async (name) => {
      const path = join(dir, name);
      return (await stat(path)).isDirectory() ? listFiles(path) : [path];
    }),
  );
  return nested.flat();
}
