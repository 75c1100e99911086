/**
 * Renders the nginx snippets that carry the security headers from their one definition,
 * `shared/security-headers.ts`, so nginx and the Node server can never disagree.
 *
 *   node --import tsx nginx/render.ts          writes the snippets into nginx/code-collab/
 *   node --import tsx nginx/render.ts --check  exits 1 when a committed snippet is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PUBLIC_ASSET_PREFIXES, SANDBOX_PAGE_PATH, securityHeadersFor } from '../shared/security-headers.js';

/** Where the generated snippets live, next to the hand-written ones they are included by. */
export const SNIPPET_DIR = fileURLToPath(new URL('./code-collab/', import.meta.url));

/**
 * One snippet per distinct header set, each rendered from the paths that use it. server.conf includes each
 * in the locations serving those paths; the tests compare nginx's answers with `securityHeadersFor(path)`.
 */
export const HEADER_PROFILES: readonly { readonly file: string; readonly paths: readonly string[] }[] = [
  { file: 'security-headers.conf', paths: ['/'] },
  { file: 'sandbox-security-headers.conf', paths: [SANDBOX_PAGE_PATH] },
  { file: 'public-asset-security-headers.conf', paths: PUBLIC_ASSET_PREFIXES },
];

const GENERATED_NOTICE = [
  '# Generated from shared/security-headers.ts by nginx/render.ts; do not edit.',
  '# Regenerate with: node --import tsx nginx/render.ts',
];

/**
 * nginx-only addition: HSTS belongs to whoever terminates TLS. The value comes from a map on `$scheme`
 * (code-collab/http.conf) and is empty over plain HTTP, where add_header then sends nothing.
 */
const HSTS_LINE = 'add_header Strict-Transport-Security $code_collab_hsts always;';

/** The one header set all of a profile's paths share; a profile whose paths disagree is a mistake. */
function profileHeaders(paths: readonly string[]): Readonly<Record<string, string>> {
  const [first, ...rest] = paths.map((path) => securityHeadersFor(path));
  if (first === undefined) throw new Error('a header profile needs at least one path');
  for (const other of rest) {
    if (JSON.stringify(other) !== JSON.stringify(first)) {
      throw new Error(
        `paths ${paths.join(', ')} have different security headers; give them their own snippet`,
      );
    }
  }
  return first;
}

/** A double-quoted nginx string; `$` would start a variable and nginx strings cannot escape it. */
function nginxString(value: string): string {
  if (/[$"\\\r\n]/.test(value)) {
    throw new Error(`header value cannot be written as an nginx string: ${JSON.stringify(value)}`);
  }
  return `"${value}"`;
}

function addHeaderLines(headers: Readonly<Record<string, string>>): string[] {
  // `always`: nginx's own error pages (404, 429, 502) carry the headers too.
  return Object.entries(headers).map(([name, value]) => `add_header ${name} ${nginxString(value)} always;`);
}

/** Every generated snippet: file name inside code-collab/ and its full text. */
export function renderSnippets(): Map<string, string> {
  const snippets = new Map<string, string>();
  // Proxied responses get nginx's copy of every header any profile sets, so the app's are all dropped.
  const names = new Set<string>();
  for (const profile of HEADER_PROFILES) {
    const headers = profileHeaders(profile.paths);
    for (const name of Object.keys(headers)) names.add(name);
    snippets.set(profile.file, [...GENERATED_NOTICE, ...addHeaderLines(headers), HSTS_LINE, ''].join('\n'));
  }
  names.add('Strict-Transport-Security');
  const hideLines = [...names].map((name) => `proxy_hide_header ${name};`);
  snippets.set('proxy-hide-security-headers.conf', [...GENERATED_NOTICE, ...hideLines, ''].join('\n'));
  return snippets;
}

/** File names whose committed text differs from what would be rendered now. */
export function staleSnippets(dir: string = SNIPPET_DIR): string[] {
  const stale: string[] = [];
  for (const [name, text] of renderSnippets()) {
    let current = '';
    try {
      current = readFileSync(join(dir, name), 'utf8');
    } catch {
      // A missing file is stale.
    }
    if (current !== text) stale.push(name);
  }
  return stale;
}

export function writeSnippets(dir: string = SNIPPET_DIR): void {
  for (const [name, text] of renderSnippets()) writeFileSync(join(dir, name), text);
}

function main(args: readonly string[]): void {
  if (args.includes('--check')) {
    const stale = staleSnippets();
    if (stale.length > 0) {
      process.stderr.write(
        `out of date in nginx/code-collab/: ${stale.join(', ')}; run node --import tsx nginx/render.ts\n`,
      );
      process.exitCode = 1;
    }
    return;
  }
  writeSnippets();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2));
}
