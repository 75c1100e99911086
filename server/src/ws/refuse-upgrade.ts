import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { securityHeadersFor } from '../../../shared/security-headers.js';
import { PROBLEM_CONTENT_TYPE, problemBody } from '../http/problem.js';

/**
 * Answers an upgrade request with a plain HTTP error on the raw socket and closes it. Upgrades never reach
 * Fastify's reply machinery, so the problem body and headers are written here by hand.
 */
const REFUSAL_GRACE_MS = 5_000;

export function refuseUpgrade(
  socket: Duplex,
  status: number,
  code: string,
  detail: string,
  extraHeaders: Readonly<Record<string, string>> = {},
): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const title = STATUS_CODES[status] ?? 'Error';
  const body = JSON.stringify(problemBody(status, code, title, detail));
  const headers: Record<string, string> = {
    ...securityHeadersFor('/ws'),
    ...extraHeaders,
    Connection: 'close',
    'Content-Type': PROBLEM_CONTENT_TYPE,
    'Content-Length': String(Buffer.byteLength(body)),
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  // Destroyed once the answer is handed to the kernel, or after a grace period if the peer never reads.
  const grace = setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS);
  grace.unref();
  socket.once('close', () => clearTimeout(grace));
  socket.end(`HTTP/1.1 ${status} ${title}\r\n${head}\r\n\r\n${body}`, () => socket.destroy());
}
