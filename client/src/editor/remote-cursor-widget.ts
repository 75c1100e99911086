/** A remote person's caret and name label (`CaretMarker`), placed in Monaco as a content widget. */
import type { AwarenessUser } from '../../../shared/awareness-user.js';
import { CaretMarker } from './caret-marker.js';
import { monaco } from './monaco.js';

export class RemoteCursorWidget implements monaco.editor.IContentWidget {
  readonly allowEditorOverflow = false;
  readonly suppressMouseDown = true;
  private readonly marker = new CaretMarker();
  private position: monaco.IPosition = { lineNumber: 1, column: 1 };

  constructor(private readonly clientId: number) {}

  getId(): string {
    return `remote-cursor-${this.clientId}`;
  }

  getDomNode(): HTMLElement {
    return this.marker.node;
  }

  getPosition(): monaco.editor.IContentWidgetPosition {
    return { position: this.position, preference: [monaco.editor.ContentWidgetPositionPreference.EXACT] };
  }

  /**
   * Returns true when the widget moved and needs a layout. `active`: the person moved or typed, so their
   * name shows again (a shift by others' edits moves the widget without that).
   */
  update(user: AwarenessUser, position: monaco.IPosition, lineHeight: number, active: boolean): boolean {
    this.marker.show(user, lineHeight, position.lineNumber === 1);
    if (active) this.marker.reveal();
    const moved =
      position.lineNumber !== this.position.lineNumber || position.column !== this.position.column;
    this.position = position;
    return moved;
  }

  destroy(): void {
    this.marker.destroy();
  }
}
