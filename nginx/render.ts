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
import { securityHeadersFor } from '../shared/security-headers.js';

/** Where the generated snippets live, next to the hand-written ones they are included by. */
export const SNIPPET_DIR = fileURLToPath(new URL('./code-collab/', import.meta.url));

/** The path whose headers the app page, its assets and the API share. */
export const APP_PAGE_PATH = '/';

const GENERATED_NOTICE = [
  '# Generated from shared/security-headers.ts by nginx/render.ts; do not edit.',
  '# Regenerate with: node --import tsx nginx/render.ts',
];

/**
 * nginx-only addition: HSTS belongs to whoever terminates TLS. The value comes from a map on `$scheme`
 * (code-collab/http.conf) and is empty over plain HTTP, where add_header then sends nothing.
 */
const HSTS_LINE = 'add_header Strict-Transport-Security $code_collab_hsts always;';

/** Header names the snippets emit, for proxy_hide_header: the app's own copies are dropped. */
function headerNames(headers: Readonly<Record<string, string>>): string[] {
  return [...Object.keys(headers), 'Strict-Transport-Security'];
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
  const headers = securityHeadersFor(APP_PAGE_PATH);
  return new Map([
    ['security-headers.conf', [...GENERATED_NOTICE, ...addHeaderLines(headers), HSTS_LINE, ''].join('\n')],
    [
      'proxy-hide-security-headers.conf',
      [...GENERATED_NOTICE, ...headerNames(headers).map((name) => `proxy_hide_header ${name};`), ''].join(
        '\n',
      ),
    ],
  ]);
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
