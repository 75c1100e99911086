import { describe, expect, it } from 'vitest';
import { isSessionId, sharePath, websocketPath } from './session-id.js';

describe('session ids', () => {
  it('accepts 22 base64url characters', () => {
    expect(isSessionId('AbCdEfGhIjKlMnOpQrSt_-')).toBe(true);
  });

  it.each([
    ['too short', 'abc'],
    ['too long', 'A'.repeat(23)],
    ['path traversal', '../../../etc/passwd123'],
    ['padding', 'AbCdEfGhIjKlMnOpQrSt=='],
    ['not a string', 42],
  ])('rejects %s', (_label, value) => {
    expect(isSessionId(value)).toBe(false);
  });

  it('builds the share and socket paths', () => {
    expect(sharePath('x')).toBe('/s/x');
    expect(websocketPath('x')).toBe('/ws/x');
  });
});
