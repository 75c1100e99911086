import { isAbsolute } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('store configuration', () => {
  it('defaults to SQLite in ./data with synchronous=normal and a 30-day expiry', () => {
    const config = loadConfig({});
    expect(config.store.kind).toBe('sqlite');
    expect(isAbsolute(config.store.dataDir)).toBe(true);
    expect(config.store.dataDir.endsWith('/data')).toBe(true);
    expect(config.store.sqliteSynchronous).toBe('normal');
    expect(config.limits.SESSION_TTL_MS).toBe(30 * 24 * 60 * 60 * 1000);
  });

  it('reads STORE, DATA_DIR, SQLITE_SYNCHRONOUS and the store limits', () => {
    const config = loadConfig({
      STORE: 'memory',
      DATA_DIR: '/var/lib/code-collab',
      SQLITE_SYNCHRONOUS: 'full',
      SESSION_TTL_MS: '3600000',
      COMPACT_AFTER_UPDATES: '50',
    });
    expect(config.store).toEqual({
      kind: 'memory',
      dataDir: '/var/lib/code-collab',
      sqliteSynchronous: 'full',
    });
    expect(config.limits.SESSION_TTL_MS).toBe(3_600_000);
    expect(config.limits.COMPACT_AFTER_UPDATES).toBe(50);
  });

  it('refuses an unknown store or synchronous mode, naming the variable', () => {
    expect(() => loadConfig({ STORE: 'postgres' })).toThrow(ConfigError);
    expect(() => loadConfig({ STORE: 'postgres' })).toThrow(
      /STORE="postgres": must be one of sqlite, memory/,
    );
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'off' })).toThrow(/SQLITE_SYNCHRONOUS="off"/);
  });
});
