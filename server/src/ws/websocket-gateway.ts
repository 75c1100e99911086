import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import proxyAddr from '@fastify/proxy-addr';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer } from 'ws';
import { CLOSE_CODES } from '../../../shared/close-codes.js';
import type { Config } from '../config.js';
import type { ServerMetrics } from '../observability/metrics.js';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { refuseUpgrade } from './refuse-upgrade.js';
import { SocketPeer } from './socket-peer.js';
import { connectionRates } from './token-bucket.js';
import { type AdmissionContext, admitUpgrade, sessionIdFromUrl } from './upgrade-admission.js';

/**
 * Glue between Fastify's HTTP server and `ws`: admits upgrades on `/ws/<id>`, counts connections per client
 * address, runs the heartbeat over all sockets with one timer, and closes every socket with 1012 when the
 * app closes.
 */
export interface Gateway {
  /** False once shutdown began. */
  readonly accepting: boolean;
}

export function registerWebSocketGateway(
  app: FastifyInstance,
  config: Config,
  registry: SessionRegistry,
  metrics: ServerMetrics,
): Gateway {
  const { limits } = config;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const peers = new Set<SocketPeer>();
  const perAddress = new Map<string, number>();
  // Only a configured proxy may name the client address; anyone else's X-Forwarded-For is ignored.
  const trusted = config.trustProxy.length > 0 ? proxyAddr.compile([...config.trustProxy]) : () => false;
  const context: AdmissionContext = {
    registry,
    allowedOrigins: new Set(config.allowedOrigins),
    maxPeersPerSession: limits.MAX_PEERS_PER_SESSION,
  };
  const peerOptions = {
    limits,
    rates: connectionRates(limits),
    updateLimits: {
      maxDocumentBytes: limits.MAX_DOCUMENT_BYTES,
      maxRunOutputBytes: limits.MAX_RUN_OUTPUT_BYTES,
    },
    log: app.log,
    metrics,
    onClosed: (peer: SocketPeer) => {
      peers.delete(peer);
      release(peer.address);
    },
  };
  const release = (address: string): void => {
    const count = (perAddress.get(address) ?? 1) - 1;
    if (count <= 0) perAddress.delete(address);
    else perAddress.set(address, count);
  };
  const gateway = { accepting: true };

  const refuse = (
    socket: Duplex,
    status: number,
    code: string,
    reason: string,
    address: string,
    url?: string,
  ): void => {
    metrics.refusedUpgrades.inc({ code });
    if (status === 429) metrics.rateLimited.inc({ scope: 'upgrade' });
    app.log.info(
      { status, code, reason, address, sessionId: sessionIdFromUrl(url) ?? undefined },
      'upgrade refused',
    );
    refuseUpgrade(socket, status, code, reason);
  };

  // Errors on the raw socket (resets mid-handshake) must never become uncaught exceptions. One listener
  // for all sockets: a closure made inside `onUpgrade` would keep that request and its bytes alive for as
  // long as the socket lives.
  const onRawSocketError = (error: Error): void => {
    app.log.debug({ reason: error.message }, 'upgrade socket error');
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', onRawSocketError);
    let address = 'unknown';
    try {
      address = proxyAddr(request, trusted);
    } catch {
      // A socket that is already gone has no address; the admission below refuses it anyway.
    }
    if (!gateway.accepting) {
      refuse(socket, 503, 'SHUTTING_DOWN', 'the server is restarting', address);
      return;
    }
    // Counted from the first byte of the upgrade, so parallel attempts cannot all slip past the limit.
    if ((perAddress.get(address) ?? 0) >= limits.MAX_CONNECTIONS_PER_IP) {
      refuse(socket, 429, 'TOO_MANY_CONNECTIONS', 'too many connections from this address', address);
      return;
    }
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    admitUpgrade(request, context)
      .then((admission) => {
        if (admission.kind === 'refuse') {
          release(address);
          refuse(socket, admission.status, admission.code, admission.reason, address, request.url);
          return;
        }
        if (socket.destroyed) {
          release(address);
          return;
        }
        if (!gateway.accepting || admission.session?.isDestroyed) {
          release(address);
          refuse(socket, 503, 'TRY_AGAIN', 'the session is being unloaded', address);
          return;
        }
        let upgraded = false;
        // The handshake answer and the first frames (sync step 1, awareness) leave in one write.
        uncorkOnNextTick(socket);
        wss.handleUpgrade(request, socket, head, (ws) => {
          upgraded = true;
          // `ws` has its own error listener on the socket from here on.
          socket.off('error', onRawSocketError);
          // Parallel admissions of one session all saw room; the first ones to get here take it.
          if (admission.kind === 'admit' && admission.session.peerCount >= limits.MAX_PEERS_PER_SESSION) {
            release(address);
            metrics.closes.inc({ code: String(CLOSE_CODES.SESSION_FULL) });
            ws.close(CLOSE_CODES.SESSION_FULL, 'session full');
            return;
          }
          if (admission.kind === 'close') {
            release(address);
            metrics.closes.inc({ code: String(admission.code) });
            app.log.info(
              {
                sessionId: admission.session?.id,
                address,
                closeCode: admission.code,
                reason: admission.reason,
              },
              'connection closed on admission',
            );
            // The close frame carries at most 123 bytes of reason; the full one is in the log above.
            ws.close(admission.code, admission.reason.slice(0, 60));
            return;
          }
          peers.add(new SocketPeer(ws, admission.session, address, peerOptions));
        });
        // `ws` answers a malformed handshake with 400 itself and never calls back.
        if (!upgraded) release(address);
      })
      .catch((error: unknown) => {
        release(address);
        app.log.error({ err: error }, 'upgrade failed');
        refuseUpgrade(socket, 500, 'INTERNAL', 'internal error');
      });
  };
  app.server.on('upgrade', onUpgrade);

  // One timer for every socket: a peer that did not answer the previous ping is gone.
  const heartbeat = setInterval(() => {
    for (const peer of peers) {
      if (!peer.alive) {
        peer.terminate('missed heartbeat');
        continue;
      }
      peer.alive = false;
      peer.ping();
    }
  }, limits.HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();

  app.addHook('preClose', async () => {
    gateway.accepting = false;
    clearInterval(heartbeat);
    app.server.off('upgrade', onUpgrade);
    for (const peer of peers) peer.close(CLOSE_CODES.SERVICE_RESTART, 'server restarting');
    // Peers that do not answer the close handshake promptly are cut off so shutdown stays bounded.
    await waitUntil(() => peers.size === 0, 2_000);
    for (const peer of peers) peer.terminate('shutdown');
    wss.close();
  });
  return gateway;
}

function uncorkOnNextTick(socket: Duplex): void {
  socket.cork();
  process.nextTick(() => socket.uncork());
}

function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now();
    const check = (): void => {
      if (condition() || Date.now() - started >= timeoutMs) resolve();
      else setTimeout(check, 20);
    };
    check();
  });
}
