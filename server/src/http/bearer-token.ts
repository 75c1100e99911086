import type { FastifyRequest } from 'fastify';
import { hashToken, tokenMatchesHash } from '../store/owner-token.js';

/** The shape every token of this server has (owner tokens, `METRICS_TOKEN`). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** The token of an `Authorization: Bearer <token>` header, or `null` when there is none of that shape. */
export function bearerToken(request: FastifyRequest): string | null {
  const match = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
}

/** Compares two secrets in constant time, whatever their lengths (their digests are compared). */
export function tokensMatch(presented: string, expected: string): boolean {
  return tokenMatchesHash(presented, hashToken(expected));
}
