import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { localSelectionField } from '../lib/remote-selection.js';
import { CaretActivity } from './caret-activity.js';

/** Two documents kept in sync by hand, the page's (`local`) and a remote person's. */
function pair() {
  const local = new Y.Doc();
  const remote = new Y.Doc();
  remote.getText('code').insert(0, 'hello world\n');
  Y.applyUpdate(local, Y.encodeStateAsUpdate(remote));
  const activity = new CaretActivity();
  local.getText('code').observe(activity.noteEdit);
  const sync = () => Y.applyUpdate(local, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(local)));
  const stateAt = (offset: number) => ({
    selection: localSelectionField(remote.getText('code'), offset, offset),
  });
  return { local, remote, activity, sync, stateAt };
}

describe('CaretActivity', () => {
  it('counts a first sight and every move of the published selection, not the same one again', () => {
    const { remote, activity, stateAt } = pair();
    const id = remote.clientID;
    expect(activity.moved(id, stateAt(3))).toBe(true);
    activity.settle(new Set([id]));
    expect(activity.moved(id, stateAt(3))).toBe(false);
    activity.settle(new Set([id]));
    expect(activity.moved(id, stateAt(5))).toBe(true);
  });

  it('counts typing that leaves the published selection as it was', () => {
    const { remote, activity, sync, stateAt } = pair();
    const id = remote.clientID;
    const before = stateAt(3);
    activity.moved(id, before);
    activity.settle(new Set([id]));
    remote.getText('code').insert(3, 'abc');
    sync();
    expect(stateAt(6)).toEqual(before);
    expect(activity.moved(id, stateAt(6))).toBe(true);
    activity.settle(new Set([id]));
    expect(activity.moved(id, stateAt(6))).toBe(false);
  });

  it('does not count edits by someone else that shift the caret', () => {
    const { local, remote, activity, stateAt } = pair();
    const id = remote.clientID;
    activity.moved(id, stateAt(3));
    activity.settle(new Set([id]));
    local.getText('code').insert(0, '>>');
    expect(activity.moved(id, stateAt(3))).toBe(false);
  });

  it('forgets people who left, so they count as new when they come back', () => {
    const { remote, activity, stateAt } = pair();
    const id = remote.clientID;
    activity.moved(id, stateAt(3));
    activity.settle(new Set());
    expect(activity.moved(id, stateAt(3))).toBe(true);
  });
});
