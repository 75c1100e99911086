#!/usr/bin/env bash
# Smoke test of a running compose stack, through nginx: health, the app page and its headers, Pyodide's
# WebAssembly, session creation, and a WebSocket upgrade.
# Usage: docker/smoke-test.sh [base-url]   (default http://localhost)
# SMOKE_INSECURE=1 accepts a self-signed certificate; SMOKE_RETRIES (10) is how often /healthz is retried.
set -euo pipefail
base="${1:-http://localhost}"
fail() { echo "smoke test failed: $*" >&2; exit 1; }
curl() { if [ "${SMOKE_INSECURE:-}" = 1 ]; then command curl -k "$@"; else command curl "$@"; fi; }

curl -fsS --retry "${SMOKE_RETRIES:-10}" --retry-all-errors --retry-delay 2 "$base/healthz" >/dev/null || fail "/healthz"

headers="$(curl -fsS -D - -o /dev/null "$base/")"
for expected in 'content-security-policy:' 'cross-origin-opener-policy: same-origin' \
  'cross-origin-embedder-policy: require-corp' 'x-content-type-options: nosniff' \
  'referrer-policy: no-referrer' 'cache-control: no-cache'; do
  grep -qi "^$expected" <<<"$headers" || fail "/ lacks '$expected'"
done

wasm="$(curl -fsS -D - -o /dev/null "$base/pyodide/pyodide.asm.wasm")"
grep -qi '^content-type: application/wasm' <<<"$wasm" || fail "Pyodide's WebAssembly is not served as application/wasm"

created="$(curl -fsS -X POST -H 'content-type: application/json' -d '{}' "$base/api/sessions")"
id="$(sed -n 's/.*"id":"\([A-Za-z0-9_-]*\)".*/\1/p' <<<"$created")"
[ -n "$id" ] || fail "no session id in: $created"
curl -fsS "$base/s/$id" | grep -qi '<!doctype html>' || fail "/s/$id is not the app page"

# The upgrade answer is all we need; the connection is then cut after a second.
upgrade="$(curl -sS -i -N --max-time 1 \
  -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
  -H 'Sec-WebSocket-Key: c21va2UtdGVzdC1rZXktMQ==' -H "Origin: $base" \
  "$base/ws/$id" || true)"
grep -q '^HTTP/1.1 101' <<<"$upgrade" || fail "WebSocket upgrade through nginx: $(head -1 <<<"$upgrade")"

echo "smoke test passed: $base"
