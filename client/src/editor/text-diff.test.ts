import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type DeltaOperation, minimalChange, transformOffset } from './text-diff.js';

function apply(before: string, after: string): string {
  const change = minimalChange(before, after);
  if (!change) return before;
  return before.slice(0, change.index) + change.insert + before.slice(change.index + change.remove);
}

/** The delta Yjs reports for `edit`, applied to a text holding `content`. */
function deltaOf(content: string, edit: (text: Y.Text) => void): DeltaOperation[] {
  const doc = new Y.Doc();
  const text = doc.getText('code');
  text.insert(0, content);
  let delta: DeltaOperation[] = [];
  text.observe((event) => {
    delta = event.delta as DeltaOperation[];
  });
  edit(text);
  return delta;
}

describe('minimalChange', () => {
  it('finds a typed character, a deletion and a replaced selection as one small change', () => {
    expect(minimalChange('abc', 'abXc')).toEqual({ index: 2, remove: 0, insert: 'X' });
    expect(minimalChange('abcd', 'ad')).toEqual({ index: 1, remove: 2, insert: '' });
    expect(minimalChange('hello world', 'hello there')).toEqual({ index: 6, remove: 5, insert: 'there' });
    expect(minimalChange('same', 'same')).toBeNull();
  });

  it('does not let prefix and suffix overlap when a repeated character is typed', () => {
    expect(minimalChange('aa', 'aaa')).toEqual({ index: 2, remove: 0, insert: 'a' });
    expect(apply('abab', 'ab')).toBe('ab');
    expect(apply('', 'x')).toBe('x');
    expect(apply('x', '')).toBe('');
  });

  it('never splits a surrogate pair', () => {
    const change = minimalChange('a😀b', 'a😃b');
    expect(change).toEqual({ index: 1, remove: 2, insert: '😃' });
    expect(apply('😀😀', '😀😃😀')).toBe('😀😃😀');
    for (const c of [minimalChange('😀😀', '😀😃😀'), minimalChange('x😀', 'x😃')]) {
      expect(c?.insert.length ?? 0).toBeGreaterThan(0);
      expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(c?.insert ?? '')).toBe(false);
    }
  });
});

describe('transformOffset', () => {
  it('moves an offset by text inserted or deleted before it, and not by changes after it', () => {
    const insertAbove = deltaOf('line one\nline two\n', (text) => text.insert(0, 'new line\n'));
    expect(transformOffset(12, insertAbove)).toBe(21);
    const deleteAbove = deltaOf('line one\nline two\n', (text) => text.delete(0, 9));
    expect(transformOffset(12, deleteAbove)).toBe(3);
    const insertBelow = deltaOf('line one\nline two\n', (text) => text.insert(15, 'xyz'));
    expect(transformOffset(12, insertBelow)).toBe(12);
  });

  it('puts text inserted at the offset before it, and pulls an offset inside a deletion to its start', () => {
    const atOffset = deltaOf('abcdef', (text) => text.insert(3, 'XY'));
    expect(transformOffset(3, atOffset)).toBe(5);
    const around = deltaOf('abcdef', (text) => text.delete(1, 4));
    expect(transformOffset(3, around)).toBe(1);
    expect(transformOffset(5, around)).toBe(1);
    expect(transformOffset(6, around)).toBe(2);
  });

  it('follows several changes of one transaction', () => {
    const doc = new Y.Doc();
    const text = doc.getText('code');
    text.insert(0, '0123456789');
    let delta: DeltaOperation[] = [];
    text.observe((event) => {
      delta = event.delta as DeltaOperation[];
    });
    doc.transact(() => {
      text.insert(2, 'ab');
      text.delete(8, 2);
    });
    // "ab" went in before "5" and "8"; "67" went out between them.
    const after = text.toString();
    expect(after).toBe('01ab234589');
    expect(after[transformOffset(5, delta)]).toBe('5');
    expect(after[transformOffset(8, delta)]).toBe('8');
  });
});
