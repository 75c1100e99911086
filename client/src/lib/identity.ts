/**
 * Who this browser is in a session: a friendly random name and colour on the first visit, editable,
 * remembered in localStorage and published through awareness as `user`.
 */
import {
  type AwarenessUser,
  MAX_USER_NAME_LENGTH,
  parseAwarenessUser,
} from '../../../shared/awareness-user.js';

/** Where the identity is kept in localStorage. */
export const IDENTITY_STORAGE_KEY = 'code-collab.user';

const ADJECTIVES = [
  'Agile',
  'Bold',
  'Brave',
  'Bright',
  'Calm',
  'Clever',
  'Cosmic',
  'Curious',
  'Daring',
  'Eager',
  'Gentle',
  'Happy',
  'Jolly',
  'Keen',
  'Lucky',
  'Mellow',
  'Nimble',
  'Quiet',
  'Rapid',
  'Sunny',
  'Swift',
  'Witty',
];

const ANIMALS = [
  'Badger',
  'Beaver',
  'Crane',
  'Dolphin',
  'Falcon',
  'Fox',
  'Gecko',
  'Heron',
  'Koala',
  'Lynx',
  'Otter',
  'Owl',
  'Panda',
  'Puffin',
  'Quokka',
  'Raven',
  'Seal',
  'Sparrow',
  'Tiger',
  'Walrus',
  'Wombat',
  'Yak',
];

/** Distinct, readable on light and dark backgrounds. */
export const USER_COLORS = [
  '#e5484d',
  '#f76b15',
  '#d6a300',
  '#30a46c',
  '#12a594',
  '#0090ff',
  '#3e63dd',
  '#8e4ec6',
  '#d6409f',
  '#ad7f58',
] as const;

/** A random index below `length`, from the browser's cryptographic source. */
export function randomIndex(length: number): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! % length;
}

function pick<T>(items: readonly T[]): T {
  const index = randomIndex(items.length);
  return items[index]!;
}

export function randomIdentity(): AwarenessUser {
  return { name: `${pick(ADJECTIVES)} ${pick(ANIMALS)}`, color: pick(USER_COLORS) };
}

/** Trims and validates a name typed by the person; `null` when it cannot be used. */
export function normalizeUserName(value: string): string | null {
  const name = value.trim();
  return name.length > 0 && name.length <= MAX_USER_NAME_LENGTH ? name : null;
}

/** The stored identity, or a new random one (stored right away) when there is none or it is invalid. */
export function loadIdentity(storage: Storage | undefined = safeLocalStorage()): AwarenessUser {
  const stored = readStored(storage);
  if (stored) return stored;
  const fresh = randomIdentity();
  saveIdentity(fresh, storage);
  return fresh;
}

export function saveIdentity(user: AwarenessUser, storage: Storage | undefined = safeLocalStorage()): void {
  try {
    storage?.setItem(IDENTITY_STORAGE_KEY, JSON.stringify(user));
  } catch {
    // Storage full or disabled: the identity lives for this page only, which is acceptable.
  }
}

function readStored(storage: Storage | undefined): AwarenessUser | null {
  try {
    const raw = storage?.getItem(IDENTITY_STORAGE_KEY);
    return raw ? parseAwarenessUser(JSON.parse(raw)) : null;
  } catch {
    return null;
  }
}

function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    // Some privacy settings throw on mere access.
    return undefined;
  }
}
