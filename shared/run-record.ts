import { isUserColor, isUserName } from './awareness-user.js';
import { isLanguage, type Language } from './languages.js';
import { LIMIT_DEFAULTS } from './limits.js';

/**
 * One run as it is published in the document's `runs` array: a plain JSON object, replaced as a whole while
 * the run goes on (never mutated in place), newest last. Everyone in the session renders these; only the
 * person who started a run ever executes it.
 */
export const RUN_STATUSES = {
  RUNNING: 'running',
  /** Finished normally (exit status 0). */
  OK: 'ok',
  /** Ended by an uncaught error or a non-zero exit status. */
  ERROR: 'error',
  /** Ended by the Stop button. */
  STOPPED: 'stopped',
  /** Ended by the run timeout. */
  TIMEOUT: 'timeout',
} as const;

export type RunStatus = (typeof RUN_STATUSES)[keyof typeof RUN_STATUSES];

const STATUS_VALUES: readonly string[] = Object.values(RUN_STATUSES);

export function isRunStatus(value: unknown): value is RunStatus {
  return typeof value === 'string' && STATUS_VALUES.includes(value);
}

/** Where a piece of output came from; `system` is the pad's own notes (loading, truncation, exit). */
export const RUN_STREAMS = { STDOUT: 'stdout', STDERR: 'stderr', SYSTEM: 'system' } as const;

export type RunStream = (typeof RUN_STREAMS)[keyof typeof RUN_STREAMS];

const STREAM_VALUES: readonly string[] = Object.values(RUN_STREAMS);

export function isRunStream(value: unknown): value is RunStream {
  return typeof value === 'string' && STREAM_VALUES.includes(value);
}

/** Consecutive output of one stream; stdout and stderr chunks alternate in the order they were written. */
export interface RunOutputChunk {
  stream: RunStream;
  text: string;
}

export interface RunRecord {
  /** Random id chosen by the runner; identifies the entry to replace while the run goes on. */
  id: string;
  /** The runner's Y.Doc client id, so peers can tell a run whose runner has left. */
  clientId: number;
  /** The runner's display name and colour (untrusted, rendered as text). */
  by: string;
  color: string;
  language: Language;
  /** Epoch milliseconds on the runner's clock. */
  startedAt: number;
  status: RunStatus;
  /** Set once the run has ended. */
  durationMs: number | null;
  /** Process-style exit status once ended: 0 for success, 1 for an error, 130 when interrupted. */
  exitCode: number | null;
  output: RunOutputChunk[];
  /** True when output was cut at MAX_RUN_OUTPUT_BYTES / MAX_RUN_OUTPUT_LINES. */
  truncated: boolean;
}

/** How much of each run the document keeps; the server says which values it enforces. */
export interface RunLimits {
  maxRunsKept: number;
  maxOutputBytes: number;
  maxOutputLines: number;
}

export const DEFAULT_RUN_LIMITS: Readonly<RunLimits> = Object.freeze({
  maxRunsKept: LIMIT_DEFAULTS.MAX_RUNS_KEPT,
  maxOutputBytes: LIMIT_DEFAULTS.MAX_RUN_OUTPUT_BYTES,
  maxOutputLines: LIMIT_DEFAULTS.MAX_RUN_OUTPUT_LINES,
});

export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{8,32}$/;

/** Upper bound on the number of output chunks of one run; chunks of one stream are merged before this. */
export const MAX_RUN_OUTPUT_CHUNKS = 2_000;

function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isIntegerOrNull(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isInteger(value));
}

function parseOutput(value: unknown, maxBytes: number): RunOutputChunk[] | null {
  if (!Array.isArray(value) || value.length > MAX_RUN_OUTPUT_CHUNKS) return null;
  const chunks: RunOutputChunk[] = [];
  let length = 0;
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return null;
    const { stream, text } = item as Record<string, unknown>;
    if (!isRunStream(stream) || typeof text !== 'string') return null;
    // A string's UTF-16 length never exceeds its UTF-8 byte count, so this cheap check never refuses output
    // that the runner kept within the byte cap.
    length += text.length;
    if (length > maxBytes) return null;
    chunks.push({ stream, text });
  }
  return chunks;
}

/**
 * Returns the record when `value` is a well-formed run (the shape above, nothing nested deeper, output
 * within the byte cap plus room for the pad's own notes), otherwise `null`. Extra keys are refused.
 */
export function parseRunRecord(
  value: unknown,
  maxOutputBytes: number = LIMIT_DEFAULTS.MAX_RUN_OUTPUT_BYTES,
): RunRecord | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length !== RECORD_KEYS.length || !keys.every((key) => RECORD_KEYS.includes(key))) return null;
  const { id, clientId, by, color, language, startedAt, status, durationMs, exitCode, truncated } = record;
  if (typeof id !== 'string' || !RUN_ID_PATTERN.test(id)) return null;
  if (typeof clientId !== 'number' || !Number.isInteger(clientId) || clientId < 0) return null;
  if (!isUserName(by) || !isUserColor(color) || !isLanguage(language)) return null;
  if (!isNonNegativeNumber(startedAt) || !isRunStatus(status)) return null;
  if (durationMs !== null && !isNonNegativeNumber(durationMs)) return null;
  if (!isIntegerOrNull(exitCode) || typeof truncated !== 'boolean') return null;
  const output = parseOutput(record.output, maxOutputBytes + RUN_NOTE_ALLOWANCE_BYTES);
  if (output === null) return null;
  return { id, clientId, by, color, language, startedAt, status, durationMs, exitCode, output, truncated };
}

/** Room for the pad's own notes (truncation, exit status) on top of the program's output cap. */
export const RUN_NOTE_ALLOWANCE_BYTES = 1024;

const RECORD_KEYS: readonly string[] = [
  'id',
  'clientId',
  'by',
  'color',
  'language',
  'startedAt',
  'status',
  'durationMs',
  'exitCode',
  'output',
  'truncated',
];
