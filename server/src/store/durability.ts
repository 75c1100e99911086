import type { FastifyBaseLogger } from 'fastify';
import { CLOSE_CODES } from '../../../shared/close-codes.js';
import type { Config } from '../config.js';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { createStore } from './create-store.js';
import { DurablePersistence } from './durable-persistence.js';
import { ExpirySweeper } from './expiry-sweeper.js';

/** First pause after a failed store write; doubles up to STORE_RETRY_MAX_MS. */
const STORE_RETRY_INITIAL_MS = 100;
/** Expired sessions deleted per store round trip during a sweep. */
const SWEEP_BATCH_SIZE = 100;

/** The configured store, wrapped in the persistence the session registry talks to. */
export function createPersistence(config: Config, log: FastifyBaseLogger): DurablePersistence {
  const { limits } = config;
  const store = createStore(config.store);
  log.info(
    { store: store.kind, dataDir: store.kind === 'sqlite' ? config.store.dataDir : undefined },
    'store opened',
  );
  return new DurablePersistence(store, {
    sessionTtlMs: limits.SESSION_TTL_MS,
    activityWriteIntervalMs: limits.ACTIVITY_WRITE_INTERVAL_MS,
    compactAfterUpdates: limits.COMPACT_AFTER_UPDATES,
    compactAfterBytes: limits.COMPACT_AFTER_BYTES,
    retryInitialMs: Math.min(STORE_RETRY_INITIAL_MS, limits.STORE_RETRY_MAX_MS),
    retryMaxMs: limits.STORE_RETRY_MAX_MS,
    // The rest of the shutdown (closing sockets, unloading sessions) needs the other half.
    shutdownFlushMs: limits.SHUTDOWN_TIMEOUT_MS / 2,
    log,
  });
}

/** Starts the periodic deletion of expired sessions; the caller stops it on close. */
export function startExpirySweep(
  persistence: DurablePersistence,
  registry: SessionRegistry,
  config: Config,
  log: FastifyBaseLogger,
): ExpirySweeper {
  const sweeper = new ExpirySweeper(
    persistence,
    {
      isInUse: (id) => (registry.peek(id)?.peerCount ?? 0) > 0,
      evict: async (id) => registry.evict(id, CLOSE_CODES.GONE, 'the session expired'),
    },
    { intervalMs: config.limits.EXPIRY_SWEEP_INTERVAL_MS, batchSize: SWEEP_BATCH_SIZE, log },
  );
  sweeper.start();
  return sweeper;
}
