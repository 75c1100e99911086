/**
 * Everyone else's caret and name over the plain code view, as Monaco shows them once it has loaded
 * (their selections are not shaded here). The view neither wraps nor uses a proportional font, so a caret
 * sits at its line times the line height and its column times the width of one character, less the scroll.
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { FrameCoalescer } from '../lib/frame-coalescer.js';
import { peerUser } from '../lib/peers.js';
import { parseRemoteSelection } from '../lib/remote-selection.js';
import { CaretActivity } from './caret-activity.js';
import { CaretMarker } from './caret-marker.js';
import { CODE_FONT_SIZE_PX, CODE_LINE_HEIGHT_PX, CODE_TAB_SIZE, codeFontFamily } from './code-metrics.js';

/** Characters measured at once for the width of one: a single glyph's width is rounded. */
const MEASURED_CHARACTERS = 64;

export class PlainRemoteCarets {
  readonly element: HTMLDivElement;
  private readonly markers = new Map<number, CaretMarker>();
  private readonly frames = new FrameCoalescer(() => this.render());
  private readonly scheduleRender = this.frames.schedule;
  private readonly activity = new CaretActivity();
  private characterWidth = 0;

  constructor(
    private readonly textarea: HTMLTextAreaElement,
    private readonly text: Y.Text,
    private readonly awareness: Awareness,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'plain-remote-carets';
    this.element.setAttribute('aria-hidden', 'true');
    awareness.on('change', this.scheduleRender);
    // Remote positions are relative to the text: any edit can move them, and so can scrolling.
    text.observe(this.handleEdit);
    textarea.addEventListener('scroll', this.scheduleRender);
    this.scheduleRender();
  }

  destroy(): void {
    this.frames.cancel();
    this.awareness.off('change', this.scheduleRender);
    this.text.unobserve(this.handleEdit);
    this.textarea.removeEventListener('scroll', this.scheduleRender);
    for (const marker of this.markers.values()) marker.destroy();
    this.markers.clear();
    this.element.remove();
  }

  private readonly handleEdit = (event: Y.YTextEvent) => {
    this.activity.noteEdit(event);
    this.scheduleRender();
  };

  private render(): void {
    const content = this.text.toString();
    const lineStarts = lineStartsOf(content);
    const style = getComputedStyle(this.textarea);
    const left = Number.parseFloat(style.paddingLeft) - this.textarea.scrollLeft;
    const top = Number.parseFloat(style.paddingTop) - this.textarea.scrollTop;
    const width = this.measureCharacter();
    const present = new Set<number>();
    for (const [clientId, state] of this.awareness.getStates()) {
      if (clientId === this.awareness.clientID) continue;
      const selection = parseRemoteSelection(state, this.text);
      if (!selection) continue;
      const line = lineOf(lineStarts, selection.head);
      const lineStart = lineStarts[line]!;
      const column = visualColumn(content, lineStart, selection.head);
      let marker = this.markers.get(clientId);
      if (!marker) {
        marker = new CaretMarker();
        this.markers.set(clientId, marker);
        this.element.append(marker.node);
      }
      marker.show(peerUser(state).user, CODE_LINE_HEIGHT_PX, line === 0);
      if (this.activity.moved(clientId, state)) marker.reveal();
      marker.node.style.transform = `translate(${left + column * width}px, ${top + line * CODE_LINE_HEIGHT_PX}px)`;
      present.add(clientId);
    }
    for (const [clientId, marker] of this.markers) {
      if (present.has(clientId)) continue;
      marker.destroy();
      marker.node.remove();
      this.markers.delete(clientId);
    }
    this.activity.settle(present);
  }

  private measureCharacter(): number {
    if (this.characterWidth > 0) return this.characterWidth;
    const context = document.createElement('canvas').getContext('2d');
    if (!context) return 0;
    // The view's own font, spelled as the view sets it (a computed `font` is often not one canvas takes).
    context.font = `${CODE_FONT_SIZE_PX}px ${codeFontFamily()}`;
    this.characterWidth = context.measureText('0'.repeat(MEASURED_CHARACTERS)).width / MEASURED_CHARACTERS;
    return this.characterWidth;
  }
}

/** Offsets where each line starts. */
function lineStartsOf(content: string): number[] {
  const starts = [0];
  for (let index = content.indexOf('\n'); index !== -1; index = content.indexOf('\n', index + 1)) {
    starts.push(index + 1);
  }
  return starts;
}

/** The 0-based line holding `offset`, by binary search over the line starts. */
function lineOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The column `offset` is shown at, with tabs expanded to the view's tab stops. */
function visualColumn(content: string, lineStart: number, offset: number): number {
  let column = 0;
  for (let index = lineStart; index < offset; index++) {
    column = content[index] === '\t' ? (Math.floor(column / CODE_TAB_SIZE) + 1) * CODE_TAB_SIZE : column + 1;
  }
  return column;
}
