import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { SessionRegistry } from '../sessions/session-registry.js';

/**
 * Per-frame traffic, counted in plain numbers on the hot path and handed to prom-client only when scraped:
 * a labelled `Counter.inc` per frame per peer costs more than everything else here together.
 */
export interface Traffic {
  framesIn: Record<string, number>;
  bytesIn: number;
  framesOut: number;
  bytesOut: number;
}

/** Open WebSocket connections, counted in a plain number as they open and close and read when scraped. */
export class ConnectionCount {
  open = 0;

  inc(): void {
    this.open++;
  }

  dec(): void {
    this.open--;
  }
}

/**
 * How often the event-loop lag is sampled. prom-client's default of 10 ms wakes an idle server ~200 times a
 * second (measured with `perf stat` on `epoll_pwait`); every 100 ms wakes it ~20 times and still gives the
 * lag histogram ~150 samples between two scrapes 15 s apart. Each sample's delay is exact either way.
 */
const EVENT_LOOP_LAG_SAMPLE_MS = 100;

/** The server's Prometheus metrics, in a registry of its own (several apps may live in one test process). */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly traffic: Traffic = { framesIn: {}, bytesIn: 0, framesOut: 0, bytesOut: 0 };
  readonly connections = new ConnectionCount();
  readonly refusedFrames: Counter<'reason'>;
  readonly closes: Counter<'code'>;
  readonly refusedUpgrades: Counter<'code'>;
  readonly rateLimited: Counter<'scope'>;

  constructor(sessions: SessionRegistry) {
    const registers = [this.registry];
    collectDefaultMetrics({
      register: this.registry,
      prefix: 'codecollab_',
      eventLoopMonitoringPrecision: EVENT_LOOP_LAG_SAMPLE_MS,
    });
    new Gauge({
      name: 'codecollab_sessions_loaded',
      help: 'Sessions held in memory.',
      registers,
      collect() {
        this.set(sessions.size);
      },
    });
    new Gauge({
      name: 'codecollab_document_bytes',
      help: 'Upper bound of the encoded size of loaded documents.',
      labelNames: ['stat'],
      registers,
      collect() {
        let total = 0;
        let largest = 0;
        for (const session of sessions.values()) {
          total += session.approximateBytes;
          largest = Math.max(largest, session.approximateBytes);
        }
        this.set({ stat: 'sum' }, total);
        this.set({ stat: 'max' }, largest);
      },
    });
    const connections = this.connections;
    new Gauge({
      name: 'codecollab_connections',
      help: 'Open WebSocket connections.',
      registers,
      collect() {
        this.set(connections.open);
      },
    });
    const traffic = this.traffic;
    new Counter({
      name: 'codecollab_messages_received_total',
      help: 'WebSocket frames received, by protocol message type.',
      labelNames: ['type'],
      registers,
      collect() {
        this.reset();
        for (const [type, count] of Object.entries(traffic.framesIn)) this.inc({ type }, count);
      },
    });
    const tally = (name: string, help: string, read: () => number): void => {
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
    tally('codecollab_bytes_received_total', 'WebSocket bytes received.', () => traffic.bytesIn);
    tally('codecollab_messages_sent_total', 'WebSocket frames sent.', () => traffic.framesOut);
    tally('codecollab_bytes_sent_total', 'WebSocket bytes sent.', () => traffic.bytesOut);
    this.refusedFrames = new Counter({
      name: 'codecollab_refused_frames_total',
      help: 'Frames refused, by close code name.',
      labelNames: ['reason'],
      registers,
    });
    this.closes = new Counter({
      name: 'codecollab_server_closes_total',
      help: 'Connections closed by the server, by close code.',
      labelNames: ['code'],
      registers,
    });
    this.refusedUpgrades = new Counter({
      name: 'codecollab_refused_upgrades_total',
      help: 'WebSocket upgrades refused before the handshake, by problem code.',
      labelNames: ['code'],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'codecollab_rate_limited_total',
      help: 'Requests and connections refused by a rate limit.',
      labelNames: ['scope'],
      registers,
    });
  }
}
