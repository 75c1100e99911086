/**
 * Every bound the service enforces, with its default. The server's `loadConfig` lets each be overridden by
 * the environment variable named beside it; the README's configuration table lists them all.
 */
export const LIMIT_DEFAULTS = {
  /** MAX_CONTENT_BYTES: initial content accepted by `POST /api/sessions` (UTF-8 bytes). */
  MAX_CONTENT_BYTES: 512 * 1024,
  /** MAX_DOCUMENT_BYTES: encoded document state; an update that would exceed it is refused. */
  MAX_DOCUMENT_BYTES: 4 * 1024 * 1024,
  /** MAX_MESSAGE_BYTES: largest WebSocket frame (`ws` maxPayload). Above the document cap so a full sync fits. */
  MAX_MESSAGE_BYTES: 5 * 1024 * 1024,
  /** MAX_SESSIONS: sessions loaded in one process; creation answers 503 past it. */
  MAX_SESSIONS: 10_000,
  /** MAX_PEERS_PER_SESSION: connections to one session. */
  MAX_PEERS_PER_SESSION: 50,
  /** MAX_CONNECTIONS_PER_IP: concurrent WebSocket connections from one client address. */
  MAX_CONNECTIONS_PER_IP: 100,
  /** SESSION_CREATES_PER_MINUTE: `POST /api/sessions` per client address per minute. */
  SESSION_CREATES_PER_MINUTE: 30,
  /** API_REQUESTS_PER_MINUTE: other REST requests per client address per minute. */
  API_REQUESTS_PER_MINUTE: 600,
  /** MAX_MESSAGES_PER_SECOND: frames per connection per second (token bucket, burst of twice this). */
  MAX_MESSAGES_PER_SECOND: 200,
  /** MAX_BYTES_PER_SECOND: bytes per connection per second (token bucket; a full sync may burst). */
  MAX_BYTES_PER_SECOND: 2 * 1024 * 1024,
  /** MAX_AWARENESS_BYTES: one client's encoded awareness state. */
  MAX_AWARENESS_BYTES: 4 * 1024,
  /** MAX_AWARENESS_UPDATES_PER_SECOND: awareness frames per connection per second. */
  MAX_AWARENESS_UPDATES_PER_SECOND: 30,
  /** MAX_PENDING_BYTES: updates waiting for content nobody has sent. */
  MAX_PENDING_BYTES: 64 * 1024,
  /** PENDING_TIMEOUT_MS: how long such updates may wait before the sender is closed. */
  PENDING_TIMEOUT_MS: 10_000,
  /** MAX_BUFFERED_BYTES: a client's unsent outgoing bytes before it is closed as a slow consumer. */
  MAX_BUFFERED_BYTES: 8 * 1024 * 1024,
  /** HANDSHAKE_TIMEOUT_MS: time after the upgrade for sync step 1 to arrive. */
  HANDSHAKE_TIMEOUT_MS: 10_000,
  /** HEARTBEAT_INTERVAL_MS: ping interval; a peer that misses a whole interval is dropped. */
  HEARTBEAT_INTERVAL_MS: 30_000,
  /** JOIN_CACHE_GRACE_MS: how long a session's ready answer to fresh joins (a copy of its document) is kept
   * after the last person left, so clients reconnecting after a network blip or a redeploy of a proxy all
   * get the same encoded buffer instead of one encoding each. */
  JOIN_CACHE_GRACE_MS: 10_000,
  /** JOIN_CACHE_MAX_BYTES: those ready answers of all sessions together; past it the oldest are dropped. */
  JOIN_CACHE_MAX_BYTES: 256 * 1024 * 1024,
  /** IDLE_SESSION_TTL_MS: a session with nobody connected is unloaded from memory after this. */
  IDLE_SESSION_TTL_MS: 24 * 60 * 60 * 1000,
  /** MAX_RUNS_KEPT: run results kept in the document. */
  MAX_RUNS_KEPT: 20,
  /** MAX_RUN_OUTPUT_BYTES: output of one run kept in the document. */
  MAX_RUN_OUTPUT_BYTES: 64 * 1024,
  /** MAX_RUN_OUTPUT_LINES: output lines of one run kept in the document. */
  MAX_RUN_OUTPUT_LINES: 1_000,
  /** RUN_TIMEOUT_MS: a run is stopped after this (the run panel lets each person change it for their runs). */
  RUN_TIMEOUT_MS: 10_000,
  /** RUN_STOP_GRACE_MS: after Stop or the timeout, how long Python may take to honour the interrupt before
   * its worker is terminated (and Pyodide reloaded for the next run). */
  RUN_STOP_GRACE_MS: 1_500,
  /** RUN_START_TIMEOUT_MS: a run whose sandbox gives no sign of life (no start, no Python loading progress)
   * within this is ended as an error instead of waiting forever. */
  RUN_START_TIMEOUT_MS: 30_000,
  /** MAX_RUN_STDIN_BYTES: text of the run panel's stdin box passed to one run. */
  MAX_RUN_STDIN_BYTES: 64 * 1024,
  /** SHUTDOWN_TIMEOUT_MS: graceful shutdown gives up and exits after this. */
  SHUTDOWN_TIMEOUT_MS: 8_000,
  /** SESSION_TTL_MS: a session without activity (edits, joins) for this long expires and is deleted. */
  SESSION_TTL_MS: 30 * 24 * 60 * 60 * 1000,
  /** EXPIRY_SWEEP_INTERVAL_MS: how often expired sessions are looked for and deleted. */
  EXPIRY_SWEEP_INTERVAL_MS: 10 * 60 * 1000,
  /** ACTIVITY_WRITE_INTERVAL_MS: a busy session's last-activity time is written at most this often. */
  ACTIVITY_WRITE_INTERVAL_MS: 60 * 1000,
  /** COMPACT_AFTER_UPDATES: a session's update log is compacted into a snapshot past this many entries. */
  COMPACT_AFTER_UPDATES: 1_000,
  /** COMPACT_AFTER_BYTES: ... or past this many bytes of log. */
  COMPACT_AFTER_BYTES: 1024 * 1024,
  /** STORE_RETRY_MAX_MS: longest pause between retries of a failed store write (backoff starts at 100 ms). */
  STORE_RETRY_MAX_MS: 30_000,
} as const;

export type LimitName = keyof typeof LIMIT_DEFAULTS;
