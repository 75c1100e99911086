/**
 * A remote person's caret with their name above it (below on the first line, where above would be cut
 * off): the same marker in Monaco and in the plain view. The name is set with `textContent` and the colour
 * with `style.setProperty` from a validated `#rrggbb`: peers' values never become markup.
 */
import type { AwarenessUser } from '../../../shared/awareness-user.js';

export class CaretMarker {
  readonly node: HTMLDivElement;
  private readonly label: HTMLDivElement;

  constructor() {
    this.node = document.createElement('div');
    this.node.className = 'remote-cursor';
    this.node.setAttribute('aria-hidden', 'true');
    const caret = document.createElement('div');
    caret.className = 'remote-cursor-caret';
    this.label = document.createElement('div');
    this.label.className = 'remote-cursor-label';
    this.node.append(caret, this.label);
  }

  show(user: AwarenessUser, lineHeight: number, onFirstLine: boolean): void {
    if (this.label.textContent !== user.name) this.label.textContent = user.name;
    if (this.node.style.getPropertyValue('--remote-color') !== user.color) {
      this.node.style.setProperty('--remote-color', user.color);
    }
    this.node.style.setProperty('--remote-line-height', `${lineHeight}px`);
    this.node.classList.toggle('remote-cursor--label-below', onFirstLine);
  }
}
