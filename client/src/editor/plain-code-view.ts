/**
 * The code as a plain, editable `<textarea>`, shown while Monaco is still downloading and compiling (most
 * of a share link's weight), and kept if Monaco fails to load. Same font, size, line height, top padding
 * and colours as the editor, no wrapping, so the editor replaces it without the text jumping. Plain DOM in
 * the editor's host element (light DOM, like the editor).
 *
 * Tab inserts two spaces, as in the editor. Keyboard users leave with Esc then Tab, or switch Tab to moving
 * focus with Ctrl+M (Monaco's key for the same).
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import {
  CODE_FONT_SIZE_PX,
  CODE_LINE_HEIGHT_PX,
  CODE_PADDING_BOTTOM_PX,
  CODE_PADDING_TOP_PX,
  CODE_TAB_SIZE,
  codeFontFamily,
} from './code-metrics.js';
import { PlainRemoteCarets } from './plain-remote-carets.js';
import { PlainTextBinding } from './plain-text-binding.js';

/** What the editor taking over from the plain view needs to look the same. */
export interface CodeViewState {
  /** Selection as offsets into the shared text (the same in both views). */
  anchor: number;
  head: number;
  /** 1-based line at the top of the view, and how many pixels of it are scrolled past. */
  firstVisibleLine: number;
  firstLineOffsetPx: number;
  /** Whether the plain view had the keyboard focus. */
  focused: boolean;
}

const LOADING_NOTICE = 'Loading the full editor…';
export const EDITOR_LOAD_FAILED_MESSAGE =
  'The full editor could not be loaded: editing continues here as plain text. Reload the page to try again.';

export class PlainCodeView {
  readonly element: HTMLDivElement;
  readonly textarea: HTMLTextAreaElement;
  private readonly notice: HTMLParagraphElement;
  private readonly binding: PlainTextBinding;
  private readonly remoteCarets: PlainRemoteCarets;
  /** After Esc, the next Tab leaves the view. */
  private escapeBeforeTab = false;
  /** Ctrl+M toggles Tab between indenting and moving focus. */
  private tabMovesFocus = false;

  constructor(container: HTMLElement, text: Y.Text, awareness: Awareness, history: Y.UndoManager) {
    this.element = document.createElement('div');
    this.element.className = 'plain-code-view';
    this.textarea = document.createElement('textarea');
    const { textarea } = this;
    textarea.className = 'plain-code-input';
    textarea.setAttribute('aria-label', 'Code');
    textarea.readOnly = true;
    textarea.wrap = 'off';
    textarea.spellcheck = false;
    textarea.autocomplete = 'off';
    textarea.setAttribute('autocapitalize', 'off');
    textarea.setAttribute('autocorrect', 'off');
    textarea.setAttribute('translate', 'no');
    Object.assign(textarea.style, {
      fontFamily: codeFontFamily(),
      fontSize: `${CODE_FONT_SIZE_PX}px`,
      lineHeight: `${CODE_LINE_HEIGHT_PX}px`,
      paddingTop: `${CODE_PADDING_TOP_PX}px`,
      paddingBottom: `${CODE_PADDING_BOTTOM_PX}px`,
      tabSize: String(CODE_TAB_SIZE),
    });
    this.notice = document.createElement('p');
    this.notice.className = 'plain-code-notice';
    this.notice.setAttribute('role', 'status');
    this.notice.textContent = LOADING_NOTICE;
    this.remoteCarets = new PlainRemoteCarets(textarea, text, awareness);
    this.element.append(textarea, this.remoteCarets.element, this.notice);
    container.append(this.element);
    this.binding = new PlainTextBinding(textarea, text, awareness, history);
    textarea.addEventListener('keydown', this.handleKeydown);
  }

  setReadOnly(readOnly: boolean): void {
    this.textarea.readOnly = readOnly;
  }

  /** Says the editor will not come, and stays. */
  showLoadFailure(): void {
    this.notice.setAttribute('role', 'alert');
    this.notice.classList.add('plain-code-notice--error');
    this.notice.textContent = EDITOR_LOAD_FAILED_MESSAGE;
  }

  state(): CodeViewState {
    const { anchor, head } = this.binding.selection;
    const scrolled = Math.max(0, this.textarea.scrollTop - CODE_PADDING_TOP_PX);
    return {
      anchor,
      head,
      firstVisibleLine: Math.floor(scrolled / CODE_LINE_HEIGHT_PX) + 1,
      firstLineOffsetPx: scrolled % CODE_LINE_HEIGHT_PX,
      focused: document.activeElement === this.textarea,
    };
  }

  /** Puts the caret at the start of a 1-based line, scrolls it to the middle and focuses the view. */
  revealLine(lineNumber: number): void {
    const lines = this.textarea.value.split('\n');
    const line = Math.min(Math.max(1, Math.trunc(lineNumber)), lines.length);
    let offset = 0;
    for (let i = 0; i < line - 1; i++) offset += lines[i]!.length + 1;
    this.textarea.focus();
    this.textarea.setSelectionRange(offset, offset);
    const lineTop = CODE_PADDING_TOP_PX + (line - 1) * CODE_LINE_HEIGHT_PX;
    this.textarea.scrollTop = lineTop - (this.textarea.clientHeight - CODE_LINE_HEIGHT_PX) / 2;
  }

  destroy(): void {
    this.textarea.removeEventListener('keydown', this.handleKeydown);
    this.remoteCarets.destroy();
    this.binding.destroy();
    this.element.remove();
  }

  private readonly handleKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      this.escapeBeforeTab = true;
      return;
    }
    const leaving = this.escapeBeforeTab || this.tabMovesFocus;
    this.escapeBeforeTab = false;
    if (event.key === 'm' && event.ctrlKey && !event.altKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      this.tabMovesFocus = !this.tabMovesFocus;
      return;
    }
    if (event.key !== 'Tab' || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return;
    // Left alone, the browser moves the focus on.
    if (leaving || this.textarea.readOnly) return;
    event.preventDefault();
    const { selectionStart, selectionEnd } = this.textarea;
    const indent = ' '.repeat(CODE_TAB_SIZE);
    this.textarea.setRangeText(indent, selectionStart, selectionEnd, 'end');
    // setRangeText fires no input event; the binding learns of every change through one.
    this.textarea.dispatchEvent(new InputEvent('input', { inputType: 'insertText', data: indent }));
  };
}
