import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The owner token proves who created a session. It is shown once, in the creation answer; the store keeps
 * only its SHA-256. 256 random bits need no salt or slow hash: nobody can guess a preimage.
 */
export function newOwnerToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The SHA-256 of a secret token, in hex: what is stored or compared instead of the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Constant-time comparison of a presented token with a stored hash. Digests have one length whatever the
 * token's, so neither the comparison's time nor an early length check tells anything about the secret.
 */
export function tokenMatchesHash(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
