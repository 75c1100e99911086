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

/**
 * The headers for one response path. Every path gets the same set today; the sandboxed run frame, which is
 * framed by our own page, is the place where a path needs its own.
 */
export function securityHeadersFor(_path: string): Readonly<Record<string, string>> {
  return SECURITY_HEADERS;
}
