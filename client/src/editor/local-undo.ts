/**
 * Undo and redo of this person's own edits only. Monaco's built-in undo stack knows nothing of remote edits
 * and would undo a collaborator's typing; a Y.UndoManager tracking only the binding's transactions cannot.
 * The undo keys are routed to it, and the caret returns to where the undone change was.
 */
import * as Y from 'yjs';
import { monaco } from './monaco.js';

const CURSOR_META = 'cursor';

/** Consecutive keystrokes closer than this are undone together, like in a plain editor. */
export const UNDO_CAPTURE_TIMEOUT_MS = 500;

export class LocalUndo {
  readonly manager: Y.UndoManager;

  constructor(
    private readonly editor: monaco.editor.IStandaloneCodeEditor,
    private readonly text: Y.Text,
    origin: object,
  ) {
    this.manager = new Y.UndoManager(text, {
      trackedOrigins: new Set([origin]),
      captureTimeout: UNDO_CAPTURE_TIMEOUT_MS,
    });
    const { KeyMod, KeyCode } = monaco;
    editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyZ, () => this.undo());
    editor.addCommand(KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.KeyZ, () => this.redo());
    editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyY, () => this.redo());
    this.manager.on('stack-item-added', this.rememberCursor);
    this.manager.on('stack-item-updated', this.rememberCursor);
    this.manager.on('stack-item-popped', this.restoreCursor);
  }

  undo(): void {
    if (!this.editor.getOption(monaco.editor.EditorOption.readOnly)) this.manager.undo();
  }

  redo(): void {
    if (!this.editor.getOption(monaco.editor.EditorOption.readOnly)) this.manager.redo();
  }

  destroy(): void {
    this.manager.off('stack-item-added', this.rememberCursor);
    this.manager.off('stack-item-updated', this.rememberCursor);
    this.manager.off('stack-item-popped', this.restoreCursor);
    this.manager.destroy();
  }

  private readonly rememberCursor = ({ stackItem }: { stackItem: { meta: Map<unknown, unknown> } }) => {
    const model = this.editor.getModel();
    const position = this.editor.getPosition();
    if (!model || !position) return;
    stackItem.meta.set(
      CURSOR_META,
      Y.createRelativePositionFromTypeIndex(this.text, model.getOffsetAt(position)),
    );
  };

  private readonly restoreCursor = ({ stackItem }: { stackItem: { meta: Map<unknown, unknown> } }) => {
    const relative = stackItem.meta.get(CURSOR_META);
    const model = this.editor.getModel();
    if (!(relative instanceof Y.RelativePosition) || !model || !this.text.doc) return;
    const absolute = Y.createAbsolutePositionFromRelativePosition(relative, this.text.doc);
    if (!absolute || absolute.type !== this.text) return;
    const position = model.getPositionAt(absolute.index);
    this.editor.setPosition(position);
    this.editor.revealPositionInCenterIfOutsideViewport(position);
  };
}
