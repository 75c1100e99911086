import { isAbsolute } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMIT_DEFAULTS } from '../../shared/limits.js';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      trustProxy: [],
      allowedOrigins: [],
      metricsToken: null,
    });
    expect(isAbsolute(config.clientDir)).toBe(true);
    expect(config.clientDir.endsWith('dist/client')).toBe(true);
    expect(config.limits).toEqual(LIMIT_DEFAULTS);
  });

  it('is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.limits)).toBe(true);
  });

  it('reads every setting, including each limit by its own name', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CLIENT_DIR: '/srv/client',
      TRUST_PROXY: '127.0.0.1, 10.0.0.0/8',
      ALLOWED_ORIGINS: 'https://pad.example.com,http://localhost:5173',
      MAX_PEERS_PER_SESSION: '7',
      IDLE_SESSION_TTL_MS: '1000',
      METRICS_TOKEN: 'a-long-enough-metrics-token',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'warn',
      clientDir: '/srv/client',
      trustProxy: ['127.0.0.1', '10.0.0.0/8'],
      allowedOrigins: ['https://pad.example.com', 'http://localhost:5173'],
      metricsToken: 'a-long-enough-metrics-token',
    });
    expect(config.limits.MAX_PEERS_PER_SESSION).toBe(7);
    expect(config.limits.IDLE_SESSION_TTL_MS).toBe(1000);
  });

  it('fails fast with one message listing every bad value', () => {
    const attempt = () =>
      loadConfig({
        PORT: '70000',
        LOG_LEVEL: 'loud',
        MAX_SESSIONS: '-1',
        ALLOWED_ORIGINS: 'example.com',
        METRICS_TOKEN: 'short',
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT.*LOG_LEVEL.*ALLOWED_ORIGINS.*METRICS_TOKEN.*MAX_SESSIONS/s);
  });
});
