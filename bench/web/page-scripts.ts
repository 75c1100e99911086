/**
 * Functions that run inside the page. The bench compiles without DOM types, so each describes the little
 * it touches with the structural types below; each is self-contained because Playwright sends its source.
 * They read what `<session-page>` exposes (`synced`, `editable`, `editor`) and what the run panel shows.
 */

interface ModelLike {
  getValueLength(): number;
  getLineCount(): number;
  getLineMaxColumn(lineNumber: number): number;
  onDidChangeContent(listener: () => void): unknown;
}

interface EditorLike {
  getRawOptions(): { readOnly?: boolean };
  getModel(): ModelLike | null;
  setPosition(position: { lineNumber: number; column: number }): void;
  focus(): void;
}

interface ElementLike {
  editor?: EditorLike | null;
  synced?: boolean;
  /** True once the synced code can be typed into (plain view or editor); missing in builds before it. */
  editable?: boolean;
  shadowRoot?: { querySelector(selector: string): ElementLike | null } | null;
  dataset?: Record<string, string | undefined>;
  classList?: Iterable<string>;
}

export interface ChangeLog {
  modelAt: number[];
  frameAt: number[];
  lengths: number[];
}

interface PageGlobal {
  document: { querySelector(selector: string): ElementLike | null };
  performance: { now(): number; timeOrigin: number };
  requestAnimationFrame(callback: () => void): number;
  addEventListener(type: string, listener: () => void, capture: boolean): void;
  benchChanges?: ChangeLog;
  benchKeydowns?: number[];
}

/**
 * ms since navigation once the synced code can be typed into, in the plain view shown while Monaco loads
 * or in Monaco, else false. In builds without a plain view (no `editable`), once Monaco is editable.
 */
export function codeEditableAt(): number | false {
  const page = globalThis as unknown as PageGlobal;
  const session = page.document.querySelector('session-page');
  if (!session) return false;
  if (session.editable === undefined) {
    const editor = session.editor;
    if (!session.synced || !editor || editor.getRawOptions().readOnly !== false) return false;
  } else if (!session.editable) return false;
  return page.performance.now();
}

/** ms since navigation once the Monaco editor holds the synced document and accepts typing, else false. */
export function editableAt(): number | false {
  const page = globalThis as unknown as PageGlobal;
  const session = page.document.querySelector('session-page');
  const editor = session?.editor;
  if (!session?.synced || !editor || editor.getRawOptions().readOnly !== false) return false;
  return page.performance.now();
}

export function modelLength(): number {
  const page = globalThis as unknown as PageGlobal;
  return page.document.querySelector('session-page')?.editor?.getModel()?.getValueLength() ?? -1;
}

export function modelLengthAtLeast(length: number): boolean {
  const page = globalThis as unknown as PageGlobal;
  return (page.document.querySelector('session-page')?.editor?.getModel()?.getValueLength() ?? -1) >= length;
}

/** In the watching page: the time each content change reached the model, and the frame after it. */
export function recordChanges(): void {
  const page = globalThis as unknown as PageGlobal;
  const model = page.document.querySelector('session-page')?.editor?.getModel();
  if (!model) throw new Error('the session page has no editor model');
  const log: ChangeLog = { modelAt: [], frameAt: [], lengths: [] };
  page.benchChanges = log;
  model.onDidChangeContent(() => {
    log.modelAt.push(page.performance.timeOrigin + page.performance.now());
    log.lengths.push(model.getValueLength());
    page.requestAnimationFrame(() => log.frameAt.push(page.performance.timeOrigin + page.performance.now()));
  });
}

export function readChanges(): ChangeLog | undefined {
  return (globalThis as unknown as PageGlobal).benchChanges;
}

/** In the typing page: when each key went down. */
export function recordKeydowns(): void {
  const page = globalThis as unknown as PageGlobal;
  const log: number[] = [];
  page.benchKeydowns = log;
  page.addEventListener(
    'keydown',
    () => log.push(page.performance.timeOrigin + page.performance.now()),
    true,
  );
}

export function readKeydowns(): number[] {
  return (globalThis as unknown as PageGlobal).benchKeydowns ?? [];
}

/** Puts the caret at the end of the text and focuses the editor. */
export function focusEnd(): void {
  const page = globalThis as unknown as PageGlobal;
  const editor = page.document.querySelector('session-page')?.editor;
  const model = editor?.getModel();
  if (!editor || !model) throw new Error('the session page has no editor');
  const lineNumber = model.getLineCount();
  editor.setPosition({ lineNumber, column: model.getLineMaxColumn(lineNumber) });
  editor.focus();
}

export interface ShownRun {
  id: string;
  status: string;
}

/** The id of the run the panel shows and its status class (`running`, `ok`, ...), or empty strings. */
export function shownRun(): ShownRun {
  const page = globalThis as unknown as PageGlobal;
  const root = page.document.querySelector('run-panel')?.shadowRoot;
  const id = root?.querySelector('.run-header')?.dataset?.runId ?? '';
  const classes = [...(root?.querySelector('.run-header .status')?.classList ?? [])];
  return { id, status: classes.find((name) => name !== 'status') ?? '' };
}

/** Whether a run other than `previousId` is shown and has ended. */
export function runEndedAfter(previousId: string): boolean {
  const page = globalThis as unknown as PageGlobal;
  const root = page.document.querySelector('run-panel')?.shadowRoot;
  const id = root?.querySelector('.run-header')?.dataset?.runId ?? '';
  const classes = [...(root?.querySelector('.run-header .status')?.classList ?? [])];
  const status = classes.find((name) => name !== 'status') ?? '';
  return id !== '' && id !== previousId && status !== '' && status !== 'running';
}

export interface RunTiming {
  /** Page time (ms since navigation) when Run was clicked. */
  pressedAt: number;
  /** Page time when the panel showed the new run as ended. */
  endedAt: number;
  status: string;
}

/**
 * Clicks Run inside the page and resolves once the panel shows a run other than `previousId` as ended.
 * Both times are taken in the page, so the driver's round trips and polling are not counted.
 */
export function pressRunAndWaitForEnd(previousId: string): Promise<RunTiming> {
  const page = globalThis as unknown as PageGlobal & {
    MutationObserver: new (
      callback: () => void,
    ) => { observe(target: unknown, options: Record<string, boolean>): void; disconnect(): void };
  };
  const root = page.document.querySelector('run-panel')?.shadowRoot;
  const button = root?.querySelector('button.run') as { click(): void } | null | undefined;
  if (!root || !button) throw new Error('the page has no run panel');
  return new Promise((resolve) => {
    let pressedAt = 0;
    const observer = new page.MutationObserver(() => {
      const id = root.querySelector('.run-header')?.dataset?.runId ?? '';
      const classes = [...(root.querySelector('.run-header .status')?.classList ?? [])];
      const status = classes.find((name) => name !== 'status') ?? '';
      if (id === '' || id === previousId || status === '' || status === 'running') return;
      observer.disconnect();
      resolve({ pressedAt, endedAt: page.performance.now(), status });
    });
    observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    pressedAt = page.performance.now();
    button.click();
  });
}

/** Whether the run panel's Run button can be pressed. */
export function runButtonEnabled(): boolean {
  const page = globalThis as unknown as PageGlobal;
  const button = page.document.querySelector('run-panel')?.shadowRoot?.querySelector('button.run') as
    | { disabled?: boolean }
    | null
    | undefined;
  return button?.disabled === false;
}
