import { describe, expect, it } from 'vitest';
import { ANONYMOUS_PEER, peersFromStates, peerUser } from './peers.js';

describe('peerUser', () => {
  it('accepts a valid name and colour', () => {
    expect(peerUser({ user: { name: 'Ada', color: '#e5484d' } })).toEqual({
      user: { name: 'Ada', color: '#e5484d' },
      identified: true,
    });
  });

  it.each([
    ['no state', undefined],
    ['no user', {}],
    ['a huge name', { user: { name: 'x'.repeat(10_000), color: '#e5484d' } }],
    ['CSS in the colour', { user: { name: 'Eve', color: 'red; background: url(x)' } }],
    ['a short colour', { user: { name: 'Eve', color: '#fff' } }],
    ['a blank name', { user: { name: '   ', color: '#e5484d' } }],
    ['a string user', { user: 'Mallory' }],
  ])('falls back to the anonymous placeholder for %s', (_label, state) => {
    expect(peerUser(state)).toEqual({ user: ANONYMOUS_PEER, identified: false });
  });
});

describe('peersFromStates', () => {
  it('lists this tab first, then everyone by name', () => {
    const states = new Map<number, unknown>([
      [3, { user: { name: 'Zoe', color: '#111111' } }],
      [1, { user: { name: 'Bob', color: '#222222' } }],
      [2, { selection: null }],
      [7, { user: { name: 'Ada', color: '#333333' } }],
    ]);
    expect(peersFromStates(states, 3).map((peer) => [peer.name, peer.isLocal])).toEqual([
      ['Zoe', true],
      ['Ada', false],
      ['Anonymous', false],
      ['Bob', false],
    ]);
  });
});
