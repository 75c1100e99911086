import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { SessionRegistry } from '../sessions/session-registry.js';

/**
 * The server's Prometheus metrics, in a registry of its own (several apps may live in one test process).
 * Counters are incremented on hot paths, so they are created once with their label values resolved late.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly connections: Gauge;
  readonly messagesIn: Counter<'type'>;
  readonly bytesIn: Counter;
  readonly messagesOut: Counter;
  readonly bytesOut: Counter;
  readonly refusedFrames: Counter<'reason'>;
  readonly closes: Counter<'code'>;
  readonly refusedUpgrades: Counter<'code'>;
  readonly rateLimited: Counter<'scope'>;

  constructor(sessions: SessionRegistry) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'codecollab_' });
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
    this.connections = new Gauge({
      name: 'codecollab_connections',
      help: 'Open WebSocket connections.',
      registers,
    });
    this.messagesIn = new Counter({
      name: 'codecollab_messages_received_total',
      help: 'WebSocket frames received, by protocol message type.',
      labelNames: ['type'],
      registers,
    });
    this.bytesIn = new Counter({
      name: 'codecollab_bytes_received_total',
      help: 'WebSocket bytes received.',
      registers,
    });
    this.messagesOut = new Counter({
      name: 'codecollab_messages_sent_total',
      help: 'WebSocket frames sent.',
      registers,
    });
    this.bytesOut = new Counter({
      name: 'codecollab_bytes_sent_total',
      help: 'WebSocket bytes sent.',
      registers,
    });
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
