import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIMIT_DEFAULTS, type LimitName } from '../../shared/limits.js';
import { TOKEN_PATTERN } from './http/bearer-token.js';
import { STORE_KINDS, type StoreKind, type StoreSettings } from './store/create-store.js';
import { SQLITE_SYNCHRONOUS_MODES, type SqliteSynchronous } from './store/sqlite-store.js';

/**
 * The server's whole configuration, read once from the environment by `loadConfig`. Nothing else in the
 * server reads `process.env`; everything else receives this object.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Limits = Readonly<Record<LimitName, number>>;

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  /** Absolute path of the built client (`index.html`, `assets/`, `pyodide/`). */
  readonly clientDir: string;
  /**
   * Addresses or CIDR ranges of reverse proxies whose `X-Forwarded-For` is believed. Empty: the socket's
   * peer address is the client address, whatever headers say.
   */
  readonly trustProxy: readonly string[];
  /**
   * Origins (`scheme://host[:port]`) allowed to open WebSockets besides the server's own origin.
   */
  readonly allowedOrigins: readonly string[];
  /** When set, `/metrics` answers only requests with `Authorization: Bearer <metricsToken>`. */
  readonly metricsToken: string | null;
  /** Where sessions are stored: `STORE`, `DATA_DIR` (resolved like `CLIENT_DIR`), `SQLITE_SYNCHRONOUS`. */
  readonly store: Readonly<StoreSettings>;
  readonly limits: Limits;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Reads and validates the configuration; throws one `ConfigError` listing every problem found. */
export function loadConfig(env: Environment): Config {
  const problems: string[] = [];
  const read = <T>(name: string, fallback: T, parse: (raw: string) => Parsed<T>): T => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const parsed = parse(raw);
    if ('error' in parsed) {
      problems.push(`${name}=${JSON.stringify(raw)}: ${parsed.error}`);
      return fallback;
    }
    return parsed.value;
  };

  const port = read('PORT', 3000, (raw) => parseInteger(raw, 0, 65_535));
  const host = read('HOST', '0.0.0.0', (raw) => ({ value: raw }));
  const logLevel = read<LogLevel>('LOG_LEVEL', 'info', (raw) =>
    isLogLevel(raw) ? { value: raw } : { error: `must be one of ${LOG_LEVELS.join(', ')}` },
  );
  const clientDirSetting = read('CLIENT_DIR', 'dist/client', (raw) => ({ value: raw }));
  const clientDir = isAbsolute(clientDirSetting) ? clientDirSetting : resolve(repoRoot(), clientDirSetting);
  const trustProxy = read<string[]>('TRUST_PROXY', [], (raw) => ({ value: parseList(raw) }));
  const allowedOrigins = read<string[]>('ALLOWED_ORIGINS', [], (raw) => {
    const origins = parseList(raw);
    const bad = origins.find((origin) => !isOrigin(origin));
    return bad === undefined
      ? { value: origins }
      : { error: `${JSON.stringify(bad)} is not an origin like https://example.com` };
  });

  const metricsToken = read<string | null>('METRICS_TOKEN', null, (raw) =>
    TOKEN_PATTERN.test(raw)
      ? { value: raw }
      : { error: 'must be 16–128 characters of A–Z, a–z, 0–9, _ and -' },
  );

  const storeKind = read<StoreKind>('STORE', 'sqlite', (raw) =>
    oneOf(raw, STORE_KINDS) ? { value: raw } : { error: `must be one of ${STORE_KINDS.join(', ')}` },
  );
  const dataDirSetting = read('DATA_DIR', 'data', (raw) => ({ value: raw }));
  const sqliteSynchronous = read<SqliteSynchronous>('SQLITE_SYNCHRONOUS', 'normal', (raw) =>
    oneOf(raw, SQLITE_SYNCHRONOUS_MODES)
      ? { value: raw }
      : { error: `must be one of ${SQLITE_SYNCHRONOUS_MODES.join(', ')}` },
  );
  const store: StoreSettings = {
    kind: storeKind,
    dataDir: isAbsolute(dataDirSetting) ? dataDirSetting : resolve(repoRoot(), dataDirSetting),
    sqliteSynchronous,
  };

  const limits = {} as Record<LimitName, number>;
  for (const name of Object.keys(LIMIT_DEFAULTS) as LimitName[]) {
    limits[name] = read(name, LIMIT_DEFAULTS[name], (raw) => parseInteger(raw, 1, Number.MAX_SAFE_INTEGER));
  }

  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return Object.freeze({
    port,
    host,
    logLevel,
    clientDir,
    trustProxy: Object.freeze(trustProxy),
    allowedOrigins: Object.freeze(allowedOrigins),
    metricsToken,
    store: Object.freeze(store),
    limits: Object.freeze(limits),
  });
}

type Parsed<T> = { value: T } | { error: string };

function oneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

function parseInteger(raw: string, min: number, max: number): Parsed<number> {
  if (!/^\d+$/.test(raw)) return { error: 'must be a whole number' };
  const value = Number(raw);
  if (value < min || value > max) return { error: `must be between ${min} and ${max}` };
  return { value };
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

function parseList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** The folder holding the root `package.json`, found from this file both as source and as built output. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}
