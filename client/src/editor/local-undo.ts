/**
 * Undo and redo of this person's own edits only, in Monaco. Monaco's built-in undo stack knows nothing of
 * remote edits and would undo a collaborator's typing; the session's own-edit history (a Y.UndoManager,
 * see own-edit-history.ts) cannot. The undo keys are routed to it, and the caret returns to where the undone
 * change was. The history outlives this editor: it is shared with the plain view Monaco replaces.
 */
import type * as Y from 'yjs';
import { monaco } from './monaco.js';
import { type HistoryEntry, rememberCaret, rememberedCaret } from './own-edit-history.js';

export class LocalUndo {
  constructor(
    private readonly editor: monaco.editor.IStandaloneCodeEditor,
    private readonly text: Y.Text,
    private readonly origin: object,
    readonly manager: Y.UndoManager,
  ) {
    manager.addTrackedOrigin(origin);
    const { KeyMod, KeyCode } = monaco;
    editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyZ, () => this.undo());
    editor.addCommand(KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.KeyZ, () => this.redo());
    editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyY, () => this.redo());
    manager.on('stack-item-added', this.rememberCursor);
    manager.on('stack-item-updated', this.rememberCursor);
    manager.on('stack-item-popped', this.restoreCursor);
  }

  undo(): void {
    if (!this.editor.getOption(monaco.editor.EditorOption.readOnly)) this.manager.undo();
  }

  redo(): void {
    if (!this.editor.getOption(monaco.editor.EditorOption.readOnly)) this.manager.redo();
  }

  /** Stops listening; the history itself belongs to whoever created it. */
  destroy(): void {
    this.manager.off('stack-item-added', this.rememberCursor);
    this.manager.off('stack-item-updated', this.rememberCursor);
    this.manager.off('stack-item-popped', this.restoreCursor);
    this.manager.removeTrackedOrigin(this.origin);
  }

  private readonly rememberCursor = ({ stackItem }: { stackItem: HistoryEntry }) => {
    const model = this.editor.getModel();
    const position = this.editor.getPosition();
    if (model && position) rememberCaret(stackItem, this.text, model.getOffsetAt(position));
  };

  private readonly restoreCursor = ({ stackItem }: { stackItem: HistoryEntry }) => {
    const model = this.editor.getModel();
    const offset = rememberedCaret(stackItem, this.text);
    if (!model || offset === null) return;
    const position = model.getPositionAt(offset);
    this.editor.setPosition(position);
    this.editor.revealPositionInCenterIfOutsideViewport(position);
  };
}
