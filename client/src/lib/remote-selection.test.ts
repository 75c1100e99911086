import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { localSelectionField, parseRemoteSelection } from './remote-selection.js';

function textWith(content: string): Y.Text {
  const doc = new Y.Doc();
  const text = doc.getText('code');
  text.insert(0, content);
  return text;
}

describe('parseRemoteSelection', () => {
  it('reads back what localSelectionField publishes, through JSON as awareness carries it', () => {
    const text = textWith('hello world');
    const state = JSON.parse(JSON.stringify({ selection: localSelectionField(text, 6, 11) }));
    expect(parseRemoteSelection(state, text)).toEqual({ anchor: 6, head: 11 });
  });

  it('follows the text when others insert before the selection', () => {
    const text = textWith('hello world');
    const state = JSON.parse(JSON.stringify({ selection: localSelectionField(text, 6, 6) }));
    text.insert(0, '>> ');
    expect(parseRemoteSelection(state, text)).toEqual({ anchor: 9, head: 9 });
  });

  it.each([
    ['no state', null],
    ['no selection', { user: { name: 'a', color: '#000000' } }],
    ['numbers', { selection: { anchor: 5, head: 'x' } }],
    ['an array', { selection: [1, 2] }],
    ['negative ids', { selection: { anchor: { item: { client: -1, clock: 0 } }, head: { tname: 'code' } } }],
    [
      'fractional clocks',
      { selection: { anchor: { item: { client: 1, clock: 0.5 } }, head: { tname: 'code' } } },
    ],
    ['empty positions', { selection: { anchor: {}, head: {} } }],
    ['a non-string type name', { selection: { anchor: { tname: 7 }, head: { tname: 7 } } }],
  ])('returns null for %s', (_label, state) => {
    expect(parseRemoteSelection(state, textWith('abc'))).toBeNull();
  });

  it('returns null for positions in another root type', () => {
    const text = textWith('abc');
    const other = text.doc!.getText('other');
    other.insert(0, 'xyz');
    const state = { selection: localSelectionField(other, 1, 2) };
    expect(parseRemoteSelection(JSON.parse(JSON.stringify(state)), text)).toBeNull();
  });

  it('returns null for items the document does not have', () => {
    const state = {
      selection: { anchor: { item: { client: 99, clock: 1e9 } }, head: { item: { client: 99, clock: 1 } } },
    };
    expect(parseRemoteSelection(state, textWith('abc'))).toBeNull();
  });
});
