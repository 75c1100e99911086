/**
 * Security headers for every response, defined once: the Node server sets them itself, and the nginx
 * configuration is rendered from the same list.
 *
 * - Cross-origin isolation (COOP + COEP + CORP) gives the page `SharedArrayBuffer`, which Pyodide's
 *   interrupt buffer needs to stop a Python loop without reloading.
 * - The CSP lets Monaco and Pyodide work without `'unsafe-eval'` on the app page: WebAssembly through
 *   `'wasm-unsafe-eval'`, workers from our origin or blob URLs, Monaco's inline styles. The sandboxed run
 *   frame gets its own, separate policy.
 * - Session ids live in URLs, so no referrer is ever sent.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-src 'self' blob:",
  "child-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** The page the run panel frames (a Vite entry, built to dist/client/sandbox.html). */
export const SANDBOX_PAGE_PATH = '/sandbox.html';

/**
 * Static files the sandboxed run frame loads: its own script chunks and the runtime worker (`/assets/`) and
 * Pyodide (`/pyodide/`). The frame has an opaque origin, so every one of these loads is a cross-origin CORS
 * request (`Origin: null`): they answer `Access-Control-Allow-Origin: *` and, for the cross-origin-isolated
 * frame, `Cross-Origin-Resource-Policy: cross-origin`. They are public, hashed, credential-free files, so
 * being readable from anywhere exposes nothing.
 */
export const PUBLIC_ASSET_PREFIXES: readonly string[] = ['/assets/', '/pyodide/'];

/**
 * Policy of the sandboxed run frame. It runs people's code (in a worker it creates from a blob: URL, which
 * inherits this policy), so it may evaluate code (`'unsafe-eval'` for programs that use `eval`), but it may
 * talk to nothing but our origin, where CORS keeps the API unreadable to its opaque origin. Only our own
 * page may frame it.
 */
export const SANDBOX_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' blob: 'unsafe-eval' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * The run frame's headers: no X-Frame-Options (our page frames it; `frame-ancestors 'self'` limits who may),
 * COEP so that, with the parent's `allow="cross-origin-isolated"`, the frame is cross-origin isolated too and
 * can share a SharedArrayBuffer with its worker for Python interrupts.
 */
export const SANDBOX_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': SANDBOX_CONTENT_SECURITY_POLICY,
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': SECURITY_HEADERS['Permissions-Policy'] ?? '',
};

export const PUBLIC_ASSET_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Access-Control-Allow-Origin': '*',
};

/**
 * The headers for one response path (without its query string): the run frame and the files it loads have
 * their own; everything else, the app page and the API included, gets SECURITY_HEADERS.
 */
export function securityHeadersFor(path: string): Readonly<Record<string, string>> {
  if (path === SANDBOX_PAGE_PATH) return SANDBOX_SECURITY_HEADERS;
  if (PUBLIC_ASSET_PREFIXES.some((prefix) => path.startsWith(prefix))) return PUBLIC_ASSET_SECURITY_HEADERS;
  return SECURITY_HEADERS;
}
