/**
 * A Monaco editor showing a session's `code` text: the model (LF line endings, language from `meta`),
 * the y-monaco binding, undo of one's own edits, remote cursors and publishing our own selection.
 * Everything created here is destroyed here; the own-edit history is the session's and only borrowed.
 *
 * This module is the session page's way into Monaco: the page imports it dynamically, so that Monaco loads
 * in its own chunk while a plain view of the code is already editable.
 */
import { MonacoBinding } from 'y-monaco';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { LANGUAGES, type Language } from '../../../shared/languages.js';
import {
  CODE_FONT_SIZE_PX,
  CODE_LINE_HEIGHT_PX,
  CODE_PADDING_BOTTOM_PX,
  CODE_PADDING_TOP_PX,
  CODE_TAB_SIZE,
  codeFontFamily,
} from './code-metrics.js';
import { currentThemeName, followSystemTheme } from './editor-theme.js';
import { LocalUndo } from './local-undo.js';
import { monaco } from './monaco.js';
import type { CodeViewState } from './plain-code-view.js';
import { RemoteCursors } from './remote-cursors.js';
import { SelectionPublisher } from './selection-publisher.js';

export class EditorBinding {
  readonly editor: monaco.editor.IStandaloneCodeEditor;
  readonly model: monaco.editor.ITextModel;
  readonly binding: MonacoBinding;
  readonly undo: LocalUndo;
  private readonly cursors: RemoteCursors;
  private readonly stopFollowingTheme: () => void;
  private readonly selectionListener: monaco.IDisposable;
  private readonly selectionPublisher: SelectionPublisher;

  /**
   * `language` is the session's, when already known: the model starts in it, so no other language's syntax
   * definition is loaded on the way. Unknown yet, it starts as plain text.
   */
  constructor(
    container: HTMLElement,
    text: Y.Text,
    awareness: Awareness,
    language: Language | null,
    history: Y.UndoManager,
  ) {
    this.model = monaco.editor.createModel('', LANGUAGES[language ?? 'plaintext'].monaco);
    // CRLF would make Monaco's offsets differ from the shared text's and desynchronise peers.
    this.model.setEOL(monaco.editor.EndOfLineSequence.LF);
    this.editor = monaco.editor.create(container, {
      model: this.model,
      theme: currentThemeName(),
      automaticLayout: true,
      readOnly: true,
      minimap: { enabled: false },
      fontFamily: codeFontFamily(),
      fontSize: CODE_FONT_SIZE_PX,
      lineHeight: CODE_LINE_HEIGHT_PX,
      tabSize: CODE_TAB_SIZE,
      scrollBeyondLastLine: false,
      padding: { top: CODE_PADDING_TOP_PX, bottom: CODE_PADDING_BOTTOM_PX },
      fixedOverflowWidgets: true,
      ariaLabel: 'Code',
    });
    this.stopFollowingTheme = followSystemTheme();
    this.binding = new MonacoBinding(text, this.model, new Set([this.editor]), null);
    this.undo = new LocalUndo(this.editor, text, this.binding, history);
    this.cursors = new RemoteCursors(this.editor, text, awareness);
    this.selectionPublisher = new SelectionPublisher(text, awareness);
    this.selectionListener = this.editor.onDidChangeCursorSelection(() => this.publishSelection());
  }

  setLanguage(language: Language): void {
    const id = LANGUAGES[language].monaco;
    if (this.model.getLanguageId() !== id) monaco.editor.setModelLanguage(this.model, id);
  }

  setReadOnly(readOnly: boolean): void {
    if (this.editor.getOption(monaco.editor.EditorOption.readOnly) !== readOnly) {
      this.editor.updateOptions({ readOnly });
    }
  }

  /**
   * Takes over from the plain view: its selection (offsets into the same text, so nothing typed meanwhile
   * is lost or doubled), the line at the top of the view, and the focus.
   */
  adoptView(state: CodeViewState): void {
    const anchor = this.model.getPositionAt(state.anchor);
    const head = this.model.getPositionAt(state.head);
    this.editor.setSelection(monaco.Selection.fromPositions(anchor, head));
    const line = Math.min(state.firstVisibleLine, this.model.getLineCount());
    this.editor.setScrollTop(
      line === 1 && state.firstLineOffsetPx === 0
        ? 0
        : this.editor.getTopForLineNumber(line) + state.firstLineOffsetPx,
    );
    if (state.focused) this.editor.focus();
  }

  /** Scrolls a 1-based line into view and puts the caret at its start. */
  revealLine(lineNumber: number): void {
    const line = Math.min(Math.max(1, Math.trunc(lineNumber)), this.model.getLineCount());
    this.editor.setPosition({ lineNumber: line, column: 1 });
    this.editor.revealLineInCenterIfOutsideViewport(line);
    this.editor.focus();
  }

  /** Scrolls to a remote person's caret, leaving ours where it is. Returns false if they have none. */
  revealPeer(clientId: number): boolean {
    const position = this.cursors.positionOf(clientId);
    if (!position) return false;
    this.editor.revealPositionInCenterIfOutsideViewport(position);
    return true;
  }

  destroy(): void {
    this.selectionListener.dispose();
    this.cursors.destroy();
    this.undo.destroy();
    this.binding.destroy();
    this.stopFollowingTheme();
    this.editor.dispose();
    this.model.dispose();
    this.selectionPublisher.clear();
  }

  private publishSelection(): void {
    const selection = this.editor.getSelection();
    if (!selection) return;
    let anchor = this.model.getOffsetAt(selection.getStartPosition());
    let head = this.model.getOffsetAt(selection.getEndPosition());
    if (selection.getDirection() === monaco.SelectionDirection.RTL) [anchor, head] = [head, anchor];
    this.selectionPublisher.publish(anchor, head);
  }
}
