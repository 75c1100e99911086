import { describe, expect, it } from 'vitest';
import { isUserColor, isUserName } from '../../../shared/awareness-user.js';
import {
  IDENTITY_STORAGE_KEY,
  loadIdentity,
  normalizeUserName,
  randomIdentity,
  saveIdentity,
} from './identity.js';

/** An in-memory Web Storage, as a browser's localStorage behaves. */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
}

describe('identity', () => {
  it('makes up a valid friendly name and colour', () => {
    for (let i = 0; i < 50; i++) {
      const { name, color } = randomIdentity();
      expect(isUserName(name)).toBe(true);
      expect(isUserColor(color)).toBe(true);
      expect(name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    }
  });

  it('keeps the first identity across visits', () => {
    const storage = new MemoryStorage();
    const first = loadIdentity(storage);
    expect(loadIdentity(storage)).toEqual(first);
  });

  it('remembers an edited identity', () => {
    const storage = new MemoryStorage();
    saveIdentity({ name: 'Grace', color: '#30a46c' }, storage);
    expect(loadIdentity(storage)).toEqual({ name: 'Grace', color: '#30a46c' });
  });

  it.each([
    ['not JSON', '{'],
    ['a bad colour', JSON.stringify({ name: 'Eve', color: 'red' })],
    ['a huge name', JSON.stringify({ name: 'x'.repeat(100), color: '#000000' })],
  ])('replaces a stored identity that is %s', (_label, stored) => {
    const storage = new MemoryStorage();
    storage.setItem(IDENTITY_STORAGE_KEY, stored);
    const identity = loadIdentity(storage);
    expect(isUserName(identity.name) && isUserColor(identity.color)).toBe(true);
    expect(JSON.parse(storage.getItem(IDENTITY_STORAGE_KEY) ?? '')).toEqual(identity);
  });

  it('works without storage at all', () => {
    const identity = loadIdentity(undefined);
    expect(isUserName(identity.name)).toBe(true);
  });

  it('trims names and refuses blank or too long ones', () => {
    expect(normalizeUserName('  Ada  ')).toBe('Ada');
    expect(normalizeUserName('   ')).toBeNull();
    expect(normalizeUserName('x'.repeat(41))).toBeNull();
  });
});
