/**
 * What a client publishes in awareness under `user`. Peers' values are untrusted: always parse them with
 * `parseAwarenessUser` and render the result as text.
 */
export interface AwarenessUser {
  name: string;
  /** `#rrggbb` */
  color: string;
}

export const MAX_USER_NAME_LENGTH = 40;

const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

export function isUserColor(value: unknown): value is string {
  return typeof value === 'string' && COLOR_PATTERN.test(value);
}

export function isUserName(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= MAX_USER_NAME_LENGTH;
}

/** Returns a valid user or `null` for anything malformed. */
export function parseAwarenessUser(value: unknown): AwarenessUser | null {
  if (typeof value !== 'object' || value === null) return null;
  const { name, color } = value as Record<string, unknown>;
  if (!isUserName(name) || !isUserColor(color)) return null;
  return { name, color };
}
