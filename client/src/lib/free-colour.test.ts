import { describe, expect, it } from 'vitest';
import { distinctColour } from './free-colour.js';
import { USER_COLORS } from './identity.js';

const [RED, ORANGE, YELLOW] = USER_COLORS;

describe('distinctColour', () => {
  it('keeps the own colour when nobody else uses it', () => {
    expect(distinctColour(RED, [ORANGE, YELLOW])).toBe(RED);
    expect(distinctColour('#123456', [RED])).toBe('#123456');
  });

  it('picks among the colours nobody uses when the own colour is taken', () => {
    const inUse: string[] = [RED, ORANGE];
    const free = USER_COLORS.filter((colour) => !inUse.includes(colour));
    const picks: number[] = [];
    const chosen = distinctColour(RED, inUse, (length) => {
      picks.push(length);
      return length - 1;
    });
    expect(picks).toEqual([free.length]);
    expect(chosen).toBe(free.at(-1));
  });

  it('treats colours that differ only in case as the same', () => {
    expect(distinctColour(RED, [RED.toUpperCase()], () => 0)).toBe(ORANGE);
  });

  it('gives a free colour for any random pick, never one in use', () => {
    const inUse = USER_COLORS.slice(0, 7);
    for (let index = 0; index < 3; index++) {
      const chosen = distinctColour(RED, inUse, () => index);
      expect(USER_COLORS.slice(7)).toContain(chosen);
    }
  });

  it('keeps the own colour when every colour is taken', () => {
    expect(distinctColour(RED, USER_COLORS, () => 0)).toBe(RED);
  });

  it('picks at random by default, only among free colours', () => {
    const chosen = new Set<string>();
    for (let attempt = 0; attempt < 200; attempt++) chosen.add(distinctColour(RED, [RED, ORANGE]));
    expect([...chosen].sort()).toEqual(
      USER_COLORS.filter((colour) => colour !== RED && colour !== ORANGE).sort(),
    );
  });
});
