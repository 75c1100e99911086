/**
 * A Monaco editor showing a session's `code` text: the model (LF line endings, language from `meta`),
 * the y-monaco binding, undo of one's own edits, remote cursors and publishing our own selection.
 * Everything created here is destroyed here.
 */
import { MonacoBinding } from 'y-monaco';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { LANGUAGES, type Language } from '../../../shared/languages.js';
import { localSelectionField } from '../lib/remote-selection.js';
import { currentThemeName, followSystemTheme } from './editor-theme.js';
import { LocalUndo } from './local-undo.js';
import { monaco } from './monaco.js';
import { RemoteCursors } from './remote-cursors.js';

export class EditorBinding {
  readonly editor: monaco.editor.IStandaloneCodeEditor;
  readonly model: monaco.editor.ITextModel;
  readonly binding: MonacoBinding;
  readonly undo: LocalUndo;
  private readonly cursors: RemoteCursors;
  private readonly stopFollowingTheme: () => void;
  private readonly selectionListener: monaco.IDisposable;
  private lastPublishedSelection = '';

  /**
   * `language` is the session's, when already known: the model starts in it, so no other language's syntax
   * definition is loaded on the way. Unknown yet, it starts as plain text.
   */
  constructor(
    container: HTMLElement,
    private readonly text: Y.Text,
    private readonly awareness: Awareness,
    language: Language | null,
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
      fontSize: 14,
      lineHeight: 21,
      tabSize: 2,
      scrollBeyondLastLine: false,
      padding: { top: 12, bottom: 12 },
      fixedOverflowWidgets: true,
      ariaLabel: 'Code',
    });
    this.stopFollowingTheme = followSystemTheme();
    this.binding = new MonacoBinding(text, this.model, new Set([this.editor]), null);
    this.undo = new LocalUndo(this.editor, text, this.binding);
    this.cursors = new RemoteCursors(this.editor, text, awareness);
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
    this.awareness.setLocalStateField('selection', null);
  }

  private publishSelection(): void {
    const selection = this.editor.getSelection();
    if (!selection) return;
    let anchor = this.model.getOffsetAt(selection.getStartPosition());
    let head = this.model.getOffsetAt(selection.getEndPosition());
    if (selection.getDirection() === monaco.SelectionDirection.RTL) [anchor, head] = [head, anchor];
    const field = localSelectionField(this.text, anchor, head);
    // Remote edits make the binding restore our selection, which lands here again: the relative positions
    // rarely change then, and awareness would broadcast an identical state to everyone.
    const serialized = JSON.stringify(field);
    if (serialized === this.lastPublishedSelection) return;
    this.lastPublishedSelection = serialized;
    this.awareness.setLocalStateField('selection', field);
  }
}
