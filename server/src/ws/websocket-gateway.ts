import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer } from 'ws';
import { CLOSE_CODES } from '../../../shared/close-codes.js';
import type { Config } from '../config.js';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { refuseUpgrade } from './refuse-upgrade.js';
import { SocketPeer } from './socket-peer.js';
import { admitUpgrade } from './upgrade-admission.js';

/**
 * Glue between Fastify's HTTP server and `ws`: admits upgrades on `/ws/<id>`, runs the heartbeat over all
 * sockets with one timer, and closes every socket with 1012 when the app closes.
 */
export function registerWebSocketGateway(
  app: FastifyInstance,
  config: Config,
  registry: SessionRegistry,
): void {
  const { limits } = config;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const peers = new Set<SocketPeer>();
  const peerOptions = {
    updateLimits: { maxDocumentBytes: limits.MAX_DOCUMENT_BYTES },
    log: app.log,
    onClosed: (peer: SocketPeer) => peers.delete(peer),
  };
  let accepting = true;

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Errors on the raw socket (resets mid-handshake) must never become uncaught exceptions.
    socket.on('error', (error) => app.log.debug({ reason: error.message }, 'upgrade socket error'));
    if (!accepting) {
      refuseUpgrade(socket, 503, 'SHUTTING_DOWN', 'the server is restarting');
      return;
    }
    admitUpgrade(request, { registry })
      .then((admission) => {
        if (socket.destroyed) return;
        if (!admission.admitted) {
          app.log.info({ status: admission.status, reason: admission.reason }, 'upgrade refused');
          refuseUpgrade(socket, admission.status, admission.code, admission.reason);
          return;
        }
        if (!accepting || admission.session.isDestroyed) {
          refuseUpgrade(socket, 503, 'TRY_AGAIN', 'the session is being unloaded');
          return;
        }
        wss.handleUpgrade(request, socket, head, (ws) => {
          peers.add(new SocketPeer(ws, admission.session, peerOptions));
        });
      })
      .catch((error: unknown) => {
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
    accepting = false;
    clearInterval(heartbeat);
    app.server.off('upgrade', onUpgrade);
    for (const peer of peers) peer.close(CLOSE_CODES.SERVICE_RESTART, 'server restarting');
    // Peers that do not answer the close handshake promptly are cut off so shutdown stays bounded.
    await waitUntil(() => peers.size === 0, 2_000);
    for (const peer of peers) peer.terminate('shutdown');
    wss.close();
  });
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
