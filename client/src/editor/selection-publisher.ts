import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { localSelectionField } from '../lib/remote-selection.js';

/**
 * Publishes this person's selection in the code through awareness (y-monaco's `selection` field), for
 * whichever view shows the code. A state identical to the last one published is not sent again: one change
 * is often reported by several events, and remote edits make a view restore a selection whose relative
 * positions rarely change; awareness would broadcast the same state to everyone each time.
 */
export class SelectionPublisher {
  private lastPublished = '';

  constructor(
    private readonly text: Y.Text,
    private readonly awareness: Awareness,
  ) {}

  /** `anchor` is where the selection started, `head` where the caret is (offsets into the text). */
  publish(anchor: number, head: number): void {
    const field = localSelectionField(this.text, anchor, head);
    const serialized = JSON.stringify(field);
    if (serialized === this.lastPublished) return;
    this.lastPublished = serialized;
    this.awareness.setLocalStateField('selection', field);
  }

  /** Tells the others this person has no caret in the code any more. */
  clear(): void {
    this.lastPublished = '';
    this.awareness.setLocalStateField('selection', null);
  }
}
