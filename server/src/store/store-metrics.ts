import { Counter, Gauge, type Registry } from 'prom-client';
import type { DurablePersistence } from './durable-persistence.js';

/** The store's health as Prometheus metrics, read from the persistence when scraped. */
export function registerStoreMetrics(registry: Registry, persistence: DurablePersistence): void {
  const registers = [registry];
  new Gauge({
    name: 'codecollab_store_pending_writes',
    help: 'Store writes queued or being retried, not yet committed.',
    registers,
    collect() {
      this.set(persistence.health().pendingWrites);
    },
  });
  new Gauge({
    name: 'codecollab_store_failing',
    help: '1 while the last store write failed and is being retried.',
    registers,
    collect() {
      this.set(persistence.health().failing ? 1 : 0);
    },
  });
  const total = (name: string, help: string, read: () => number): void => {
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  };
  total(
    'codecollab_store_batches_total',
    'Store transactions committed.',
    () => persistence.health().committedBatches,
  );
  total(
    'codecollab_store_writes_total',
    'Store writes committed (appends, compactions, activity).',
    () => persistence.health().committedOps,
  );
  total(
    'codecollab_store_write_failures_total',
    'Failed store transactions (each is retried).',
    () => persistence.health().failedAttempts,
  );
}
