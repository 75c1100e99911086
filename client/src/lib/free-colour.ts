/**
 * Choosing a colour for this session that nobody present uses, so that everyone's caret can be told
 * apart. Pure: the caller gathers the colours in use and publishes the result.
 */
import { randomIndex, USER_COLORS } from './identity.js';

/** Picks an index below `length`; random by default, so two people joining at once rarely collide. */
export type PickIndex = (length: number) => number;

/**
 * `own` when nobody else uses it; otherwise one of `USER_COLORS` that nobody uses, picked by `pick`; `own`
 * again when every colour is taken (a shared colour is better than a made-up one).
 */
export function distinctColour(own: string, inUse: Iterable<string>, pick: PickIndex = randomIndex): string {
  const taken = new Set([...inUse].map((colour) => colour.toLowerCase()));
  if (!taken.has(own.toLowerCase())) return own;
  const free = USER_COLORS.filter((colour) => !taken.has(colour));
  return free.length === 0 ? own : free[pick(free.length)]!;
}
