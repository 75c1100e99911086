import { randomBytes } from 'node:crypto';

/** 128 bits from the CSPRNG, base64url without padding: the 22 characters `isSessionId` accepts. */
export function generateSessionId(): string {
  return randomBytes(16).toString('base64url');
}
