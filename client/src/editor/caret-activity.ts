/**
 * Tells which remote people moved their caret or typed since the last render, so their name can show again.
 *
 * A move changes the selection they publish. Typing often does not: a caret is published relative to the
 * character after it, which stays the same while they type before it. So the text's changes count too,
 * for the clients whose clock the changing transaction advanced: their inserts are in it, and a document's
 * client id is also its awareness id. Others' edits shift a caret's offset without changing either, and
 * do not count. (A text event's `changes.added` is always empty for Y.Text, hence the clocks.) Deletions
 * carry no author in Yjs: someone only pressing Backspace shows their name once their position changes.
 */
import type * as Y from 'yjs';

export class CaretActivity {
  private readonly selections = new Map<number, string>();
  private readonly typists = new Set<number>();

  /** A `Y.Text` observer; an arrow function so it can be passed as it is. */
  readonly noteEdit = (event: Y.YTextEvent): void => {
    const { beforeState, afterState } = event.transaction;
    for (const [clientId, clock] of afterState) {
      if (clock > (beforeState.get(clientId) ?? 0)) this.typists.add(clientId);
    }
  };

  /**
   * Whether `clientId`, whose awareness state is `state`, moved or typed since the last render (or just
   * appeared). Asked once per person per render.
   */
  moved(clientId: number, state: unknown): boolean {
    const selection = JSON.stringify((state as { selection?: unknown }).selection ?? null);
    const moved = this.selections.get(clientId) !== selection || this.typists.has(clientId);
    this.selections.set(clientId, selection);
    return moved;
  }

  /** Ends a render: forgets who typed, and everyone no longer `present`. */
  settle(present: ReadonlySet<number>): void {
    this.typists.clear();
    for (const clientId of this.selections.keys()) {
      if (!present.has(clientId)) this.selections.delete(clientId);
    }
  }
}
