/**
 * A remote person's caret and name label, as a Monaco content widget. The name is set with `textContent`
 * and the colour with `style.setProperty` from a validated `#rrggbb`: peers' values never become markup.
 */
import type { AwarenessUser } from '../../../shared/awareness-user.js';
import { monaco } from './monaco.js';

export class RemoteCursorWidget implements monaco.editor.IContentWidget {
  readonly allowEditorOverflow = false;
  readonly suppressMouseDown = true;
  private readonly node: HTMLDivElement;
  private readonly label: HTMLDivElement;
  private position: monaco.IPosition = { lineNumber: 1, column: 1 };

  constructor(private readonly clientId: number) {
    this.node = document.createElement('div');
    this.node.className = 'remote-cursor';
    this.node.setAttribute('aria-hidden', 'true');
    const caret = document.createElement('div');
    caret.className = 'remote-cursor-caret';
    this.label = document.createElement('div');
    this.label.className = 'remote-cursor-label';
    this.node.append(caret, this.label);
  }

  getId(): string {
    return `remote-cursor-${this.clientId}`;
  }

  getDomNode(): HTMLElement {
    return this.node;
  }

  getPosition(): monaco.editor.IContentWidgetPosition {
    return { position: this.position, preference: [monaco.editor.ContentWidgetPositionPreference.EXACT] };
  }

  /** Returns true when the widget moved and needs a layout. */
  update(user: AwarenessUser, position: monaco.IPosition, lineHeight: number): boolean {
    if (this.label.textContent !== user.name) this.label.textContent = user.name;
    if (this.node.style.getPropertyValue('--remote-color') !== user.color) {
      this.node.style.setProperty('--remote-color', user.color);
    }
    this.node.style.setProperty('--remote-line-height', `${lineHeight}px`);
    // On the first line a label above the caret would be clipped by the editor's top edge.
    this.node.classList.toggle('remote-cursor--label-below', position.lineNumber === 1);
    const moved =
      position.lineNumber !== this.position.lineNumber || position.column !== this.position.column;
    this.position = position;
    return moved;
  }
}
