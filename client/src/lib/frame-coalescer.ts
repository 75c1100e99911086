/**
 * Runs a render once in the next animation frame however many times it was asked for before then: a burst
 * of awareness changes and edits costs one layout, not one each.
 */
export class FrameCoalescer {
  private frame = 0;

  constructor(private readonly render: () => void) {}

  /** Asks for a render; an arrow function so it can be passed as a listener as it is. */
  readonly schedule = (): void => {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  };

  cancel(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}
