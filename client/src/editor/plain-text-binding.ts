/**
 * Binds a `<textarea>` to the session's `code` Y.Text, both ways, for the plain view shown while Monaco
 * loads:
 * - what the person types becomes the smallest replacement in one transaction whose origin is this binding,
 *   so the own-edit history tracks it and remote peers receive a keystroke as a keystroke;
 * - what others change is shown at once, with the local selection carried through their change, so the
 *   caret stays on the same character when someone types above it;
 * - the undo keys go to the own-edit history, never to the textarea's own (which would undo remote text);
 * - the local selection is published through awareness in y-monaco's format, like the editor does.
 *
 * The textarea's value equals the text after every change on either side, except while an input method
 * composes (Japanese, Chinese, Korean, accents): changing the value then would end the composition and
 * leave its unfinished text behind. Others' changes wait until the composition ends, and the composed text
 * goes into the shared text then, moved past what they changed meanwhile.
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { type HistoryEntry, rememberCaret, rememberedCaret } from './own-edit-history.js';
import { SelectionPublisher } from './selection-publisher.js';
import { type DeltaOperation, minimalChange, transformOffset } from './text-diff.js';

export interface TextSelectionRange {
  anchor: number;
  head: number;
}

interface ShownSelection {
  start: number;
  end: number;
  direction: 'forward' | 'backward' | 'none';
}

export class PlainTextBinding {
  /** What the textarea showed after the last change on either side. */
  private shown: string;
  private readonly selectionPublisher: SelectionPublisher;
  /** Others' changes made while an input method composes, to be shown when it ends; null when not composing. */
  private changesDuringComposition: DeltaOperation[][] | null = null;

  constructor(
    private readonly textarea: HTMLTextAreaElement,
    private readonly text: Y.Text,
    awareness: Awareness,
    private readonly history: Y.UndoManager,
  ) {
    this.shown = text.toString();
    textarea.value = this.shown;
    textarea.setSelectionRange(0, 0);
    this.selectionPublisher = new SelectionPublisher(text, awareness);
    history.addTrackedOrigin(this);
    text.observe(this.handleTextChange);
    textarea.addEventListener('input', this.handleInput);
    textarea.addEventListener('beforeinput', this.handleBeforeInput);
    textarea.addEventListener('keydown', this.handleKeydown);
    textarea.addEventListener('compositionstart', this.handleCompositionStart);
    textarea.addEventListener('compositionend', this.handleCompositionEnd);
    for (const type of SELECTION_EVENTS) textarea.addEventListener(type, this.publishSelection);
    history.on('stack-item-added', this.rememberCaret);
    history.on('stack-item-updated', this.rememberCaret);
    history.on('stack-item-popped', this.restoreCaret);
  }

  /** The selection as offsets into the text; `anchor` is where it started, `head` where the caret is. */
  get selection(): TextSelectionRange {
    const { selectionStart, selectionEnd, selectionDirection } = this.textarea;
    return selectionDirection === 'backward'
      ? { anchor: selectionEnd, head: selectionStart }
      : { anchor: selectionStart, head: selectionEnd };
  }

  undo(): void {
    if (!this.textarea.readOnly) this.history.undo();
  }

  redo(): void {
    if (!this.textarea.readOnly) this.history.redo();
  }

  /** Stops binding. The awareness selection stays published: the view replacing this one takes it over. */
  destroy(): void {
    this.text.unobserve(this.handleTextChange);
    this.textarea.removeEventListener('input', this.handleInput);
    this.textarea.removeEventListener('beforeinput', this.handleBeforeInput);
    this.textarea.removeEventListener('keydown', this.handleKeydown);
    this.textarea.removeEventListener('compositionstart', this.handleCompositionStart);
    this.textarea.removeEventListener('compositionend', this.handleCompositionEnd);
    for (const type of SELECTION_EVENTS) this.textarea.removeEventListener(type, this.publishSelection);
    this.history.off('stack-item-added', this.rememberCaret);
    this.history.off('stack-item-updated', this.rememberCaret);
    this.history.off('stack-item-popped', this.restoreCaret);
    this.history.removeTrackedOrigin(this);
  }

  private readonly handleInput = () => {
    // The composition's text is taken when it ends: it is not final before.
    if (this.changesDuringComposition !== null) return;
    const value = this.textarea.value;
    const change = minimalChange(this.shown, value);
    this.shown = value;
    if (change && this.text.doc) {
      this.text.doc.transact(() => {
        if (change.remove > 0) this.text.delete(change.index, change.remove);
        if (change.insert) this.text.insert(change.index, change.insert);
      }, this);
    }
    this.publishSelection();
  };

  private readonly handleTextChange = (event: Y.YTextEvent, transaction: Y.Transaction) => {
    if (transaction.origin === this) return;
    const delta = event.delta as DeltaOperation[];
    if (this.changesDuringComposition !== null) {
      this.changesDuringComposition.push(delta);
      return;
    }
    this.showRemoteChange(delta);
  };

  private readonly handleCompositionStart = () => {
    this.changesDuringComposition ??= [];
  };

  /**
   * Puts the composed text into the shared text, where the composition started as moved by the others'
   * changes since, then shows those changes with the caret after the composed text.
   */
  private readonly handleCompositionEnd = () => {
    const changes = this.changesDuringComposition ?? [];
    this.changesDuringComposition = null;
    if (changes.length === 0) {
      this.handleInput();
      return;
    }
    const change = minimalChange(this.shown, this.textarea.value);
    let start = change?.index ?? this.textarea.selectionStart;
    let end = start + (change?.remove ?? 0);
    for (const delta of changes) {
      start = transformOffset(start, delta);
      end = Math.max(start, transformOffset(end, delta));
    }
    if (change && this.text.doc) {
      this.text.doc.transact(() => {
        if (end > start) this.text.delete(start, end - start);
        if (change.insert) this.text.insert(start, change.insert);
      }, this);
    }
    const caret = start + (change?.insert.length ?? 0);
    this.show({ start: caret, end: caret, direction: 'none' });
    this.publishSelection();
  };

  /** Shows someone else's change, carrying the selection through it. */
  private showRemoteChange(delta: readonly DeltaOperation[]): void {
    const { selectionStart, selectionEnd, selectionDirection } = this.textarea;
    this.show({
      start: transformOffset(selectionStart, delta),
      end: transformOffset(selectionEnd, delta),
      direction: selectionDirection ?? 'none',
    });
  }

  /** Shows the shared text with the given selection, the view scrolled where the person had it. */
  private show({ start, end, direction }: ShownSelection): void {
    const { textarea } = this;
    const { scrollTop, scrollLeft } = textarea;
    this.shown = this.text.toString();
    textarea.value = this.shown;
    textarea.setSelectionRange(start, end, direction);
    // Setting the value scrolls; the view stays where the person had it, like Monaco's.
    textarea.scrollTop = scrollTop;
    textarea.scrollLeft = scrollLeft;
  }

  /** The textarea's own history (menu, shortcuts the keydown handler missed) is replaced by ours. */
  private readonly handleBeforeInput = (event: InputEvent) => {
    if (event.inputType !== 'historyUndo' && event.inputType !== 'historyRedo') return;
    event.preventDefault();
    if (event.inputType === 'historyUndo') this.undo();
    else this.redo();
  };

  private readonly handleKeydown = (event: KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === 'z') {
      event.preventDefault();
      if (event.shiftKey) this.redo();
      else this.undo();
    } else if (key === 'y' && !event.shiftKey) {
      event.preventDefault();
      this.redo();
    }
  };

  private readonly publishSelection = () => {
    // While composing, the textarea's offsets may predate others' changes: published when it ends.
    if (this.changesDuringComposition !== null) return;
    const { anchor, head } = this.selection;
    this.selectionPublisher.publish(anchor, head);
  };

  private readonly rememberCaret = ({ stackItem }: { stackItem: HistoryEntry }) => {
    rememberCaret(stackItem, this.text, this.selection.head);
  };

  private readonly restoreCaret = ({ stackItem }: { stackItem: HistoryEntry }) => {
    const offset = rememberedCaret(stackItem, this.text);
    if (offset !== null) this.textarea.setSelectionRange(offset, offset);
    this.publishSelection();
  };
}

/** Events after which the selection may have moved (Chromium also fires `selectionchange` on the element). */
const SELECTION_EVENTS = ['selectionchange', 'select', 'keyup', 'mouseup', 'focus'] as const;
