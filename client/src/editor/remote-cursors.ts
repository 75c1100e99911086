/**
 * Draws everyone else's selection (a decoration in their colour) and caret with a name label (a content
 * widget), from awareness. y-monaco only tags decorations with class names and draws no names, so we do it
 * ourselves, and we parse every peer's state first: one malformed peer is skipped, the others still render.
 */

import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { FrameCoalescer } from '../lib/frame-coalescer.js';
import { peerUser } from '../lib/peers.js';
import { parseRemoteSelection } from '../lib/remote-selection.js';
import { CaretActivity } from './caret-activity.js';
import { ClientColorRules, clientClassName } from './client-color-rules.js';
import { monaco } from './monaco.js';
import { RemoteCursorWidget } from './remote-cursor-widget.js';

export class RemoteCursors {
  private readonly decorations: monaco.editor.IEditorDecorationsCollection;
  private readonly widgets = new Map<number, RemoteCursorWidget>();
  private readonly colorRules = new ClientColorRules();
  private readonly frames = new FrameCoalescer(() => this.render());
  private readonly scheduleRender = this.frames.schedule;
  private readonly activity = new CaretActivity();

  constructor(
    private readonly editor: monaco.editor.IStandaloneCodeEditor,
    private readonly text: Y.Text,
    private readonly awareness: Awareness,
  ) {
    this.decorations = editor.createDecorationsCollection();
    awareness.on('change', this.scheduleRender);
    // Remote positions are relative to the text: any edit can move them.
    text.observe(this.handleEdit);
    this.render();
  }

  /** Where a remote person's caret is, if they have one in this text. */
  positionOf(clientId: number): monaco.IPosition | null {
    return this.widgets.get(clientId)?.getPosition().position ?? null;
  }

  destroy(): void {
    this.frames.cancel();
    this.awareness.off('change', this.scheduleRender);
    this.text.unobserve(this.handleEdit);
    for (const widget of this.widgets.values()) {
      this.editor.removeContentWidget(widget);
      widget.destroy();
    }
    this.widgets.clear();
    this.decorations.clear();
    this.colorRules.destroy();
  }

  private readonly handleEdit = (event: Y.YTextEvent) => {
    this.activity.noteEdit(event);
    this.scheduleRender();
  };

  private render(): void {
    const model = this.editor.getModel();
    if (!model) return;
    const lineHeight = this.editor.getOption(monaco.editor.EditorOption.lineHeight);
    const decorations: monaco.editor.IModelDeltaDecoration[] = [];
    const present = new Set<number>();
    for (const [clientId, state] of this.awareness.getStates()) {
      if (clientId === this.awareness.clientID) continue;
      try {
        const selection = parseRemoteSelection(state, this.text);
        if (!selection) continue;
        const { user } = peerUser(state);
        const anchor = model.getPositionAt(selection.anchor);
        const head = model.getPositionAt(selection.head);
        this.colorRules.set(clientId, user.color);
        if (selection.anchor !== selection.head) {
          decorations.push({
            range: monaco.Range.fromPositions(anchor, head),
            options: {
              className: `remote-selection ${clientClassName(clientId)}`,
              stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
            },
          });
        }
        this.placeWidget(clientId, user, head, lineHeight, this.activity.moved(clientId, state));
        present.add(clientId);
      } catch (error) {
        // A peer's state must never break the editor for everyone else.
        console.warn('Ignoring an unreadable remote cursor', error);
      }
    }
    this.removeWidgetsExcept(present);
    this.activity.settle(present);
    this.colorRules.retainOnly(present);
    this.decorations.set(decorations);
  }

  private placeWidget(
    clientId: number,
    user: { name: string; color: string },
    head: monaco.IPosition,
    lineHeight: number,
    active: boolean,
  ): void {
    let widget = this.widgets.get(clientId);
    if (!widget) {
      widget = new RemoteCursorWidget(clientId);
      widget.update(user, head, lineHeight, active);
      this.widgets.set(clientId, widget);
      this.editor.addContentWidget(widget);
    } else if (widget.update(user, head, lineHeight, active)) {
      this.editor.layoutContentWidget(widget);
    }
  }

  private removeWidgetsExcept(present: ReadonlySet<number>): void {
    for (const [clientId, widget] of this.widgets) {
      if (present.has(clientId)) continue;
      this.editor.removeContentWidget(widget);
      widget.destroy();
      this.widgets.delete(clientId);
    }
  }
}
