/**
 * A remote person's caret with their name above it (below on the first line, where above would be cut
 * off): the same marker in Monaco and in the plain view. The name is set with `textContent` and the colour
 * with `style.setProperty` from a validated `#rrggbb`: peers' values never become markup.
 *
 * The name would hide the code on the line above for good, so it shows only while the person is active:
 * from each move or keystroke until `REMOTE_LABEL_VISIBLE_MS` after the last one, then it fades out (a CSS
 * transition on `.remote-cursor--active`). The caret stays. One timer per marker, restarted on activity:
 * nothing runs while nobody moves.
 */
import type { AwarenessUser } from '../../../shared/awareness-user.js';

/** How long a name stays after its person's last move or keystroke. */
export const REMOTE_LABEL_VISIBLE_MS = 2500;

const ACTIVE_CLASS = 'remote-cursor--active';

export class CaretMarker {
  readonly node: HTMLDivElement;
  private readonly label: HTMLDivElement;
  private hideTimer: ReturnType<typeof setTimeout> | null = null;

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

  /** Shows the name again, for `REMOTE_LABEL_VISIBLE_MS` from now: the person moved or typed. */
  reveal(): void {
    this.node.classList.add(ACTIVE_CLASS);
    if (this.hideTimer !== null) clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(() => {
      this.hideTimer = null;
      this.node.classList.remove(ACTIVE_CLASS);
    }, REMOTE_LABEL_VISIBLE_MS);
  }

  /** Stops the name's timer; the owner removes the node. */
  destroy(): void {
    if (this.hideTimer !== null) clearTimeout(this.hideTimer);
    this.hideTimer = null;
  }
}
