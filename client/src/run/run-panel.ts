import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type * as Y from 'yjs';
import type { AwarenessUser } from '../../../shared/awareness-user.js';
import { DOC_ROOTS } from '../../../shared/document-schema.js';
import { LANGUAGES, type Language } from '../../../shared/languages.js';
import { LIMIT_DEFAULTS } from '../../../shared/limits.js';
import { RUN_STATUSES, type RunLimits, type RunRecord } from '../../../shared/run-record.js';
import { RunController } from './run-controller.js';
import { renderOutput, renderRunHeader, runLabel } from './run-output-view.js';
import { runPanelStyles } from './run-panel-styles.js';

/** The awareness API the panel needs to tell whether a running peer is still here. */
export interface PresenceSource {
  getStates(): Map<number, unknown>;
  on(event: 'change', listener: () => void): void;
  off(event: 'change', listener: () => void): void;
}

/** Fired when a line reference in the output is clicked; the session page moves the editor's cursor. */
export class RunGotoLineEvent extends Event {
  constructor(
    readonly line: number,
    readonly column: number,
  ) {
    super('run-goto-line', { bubbles: true, composed: true });
  }
}

const TIMEOUT_STORAGE_KEY = 'code-collab:run-timeout-s';
const MAX_TIMEOUT_S = 600;

function storedTimeoutSeconds(): number {
  const stored = Number(localStorage.getItem(TIMEOUT_STORAGE_KEY));
  return Number.isInteger(stored) && stored >= 1 && stored <= MAX_TIMEOUT_S
    ? stored
    : LIMIT_DEFAULTS.RUN_TIMEOUT_MS / 1000;
}

/**
 * Run button (and Ctrl/Cmd+Enter), Stop, the time limit, the stdin box, and the session's runs: the
 * newest is shown live, earlier ones can be picked. Code runs in the sandboxed frame of this tab only.
 */
@customElement('run-panel')
export class RunPanelElement extends LitElement {
  static override styles = runPanelStyles;

  @property({ attribute: false }) doc: Y.Doc | null = null;
  @property({ attribute: false }) language: Language | null = null;
  /** The language the session's REST metadata gave, known before the document has synced. */
  @property({ attribute: false }) announcedLanguage: Language | null = null;
  @property({ attribute: false }) user: AwarenessUser | null = null;
  @property({ attribute: false }) presence: PresenceSource | null = null;
  /** The server's run limits; the defaults apply until they are known. */
  @property({ attribute: false }) runLimits: RunLimits | null = null;

  @state() private timeoutSeconds = storedTimeoutSeconds();
  /** The run whose output is shown; null follows the newest. */
  @state() private selectedRunId: string | null = null;
  @query('.frame-host') private frameHost!: HTMLElement;
  @query('textarea.stdin') private stdinBox!: HTMLTextAreaElement;

  private controller: RunController | null = null;
  private stopObservingRuns: (() => void) | null = null;
  private readonly refresh = () => this.requestUpdate();
  /** Awareness changes with every caret move; it only matters to the panel while someone's run is open. */
  private readonly onPresenceChange = () => {
    if (this.controller?.store.hasRunning()) this.requestUpdate();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    // Capture phase, so the shortcut works from the editor too (Monaco binds Ctrl+Enter itself).
    document.addEventListener('keydown', this.onShortcut, true);
    // Moved in the page: pick up the session again (on first connection, updated() does this).
    if (this.hasUpdated) {
      this.attachDoc();
      this.presence?.on('change', this.onPresenceChange);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onShortcut, true);
    this.presence?.off('change', this.onPresenceChange);
    this.detachDoc();
  }

  /** Runs the current code of the session, here. */
  run(): void {
    const { controller, doc, language, user } = this;
    if (controller === null || doc === null || language === null || user === null) return;
    if (!LANGUAGES[language].runnable) return;
    this.selectedRunId = null;
    controller.start(
      {
        language,
        code: doc.getText(DOC_ROOTS.CODE).toString(),
        stdin: this.stdinBox?.value ?? '',
        timeoutMs: this.timeoutSeconds * 1000,
      },
      user,
    );
  }

  stop(): void {
    this.controller?.stop();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('doc')) this.attachDoc();
    if ((changed.has('runLimits') || changed.has('doc')) && this.runLimits !== null) {
      this.controller?.setLimits(this.runLimits);
    }
    if (changed.has('presence')) {
      (changed.get('presence') as PresenceSource | null | undefined)?.off('change', this.onPresenceChange);
      this.presence?.on('change', this.onPresenceChange);
    }
    const languageChanged = changed.has('language') || changed.has('announcedLanguage');
    if ((languageChanged || changed.has('doc')) && (this.language ?? this.announcedLanguage) === 'python') {
      // Python takes seconds to start: begin as soon as the session is known to be in Python (its metadata
      // usually answers before the document has synced), not at the first run.
      this.controller?.preloadPython();
    }
  }

  private attachDoc(): void {
    this.detachDoc();
    if (this.doc === null) return;
    this.controller = new RunController(this.doc, this.frameHost, this.refresh);
    this.stopObservingRuns = this.controller.store.observe(this.refresh);
    this.requestUpdate();
  }

  private detachDoc(): void {
    this.stopObservingRuns?.();
    this.stopObservingRuns = null;
    this.controller?.destroy();
    this.controller = null;
  }

  private readonly onShortcut = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    event.preventDefault();
    event.stopPropagation();
    this.run();
  };

  private isPresent(record: RunRecord): boolean {
    if (record.clientId === this.doc?.clientID) return this.controller?.current?.id === record.id;
    return this.presence === null || this.presence.getStates().has(record.clientId);
  }

  private runs(): RunRecord[] {
    const runs = this.controller?.store.list() ?? [];
    const current = this.controller?.current;
    // The local run is shown from memory, ahead of the throttled copy in the document.
    return current ? runs.map((record) => (record.id === current.id ? current : record)) : runs;
  }

  private setTimeoutSeconds(event: Event): void {
    const value = Math.round(Number((event.target as HTMLInputElement).value));
    if (!Number.isFinite(value) || value < 1 || value > MAX_TIMEOUT_S) return;
    this.timeoutSeconds = value;
    localStorage.setItem(TIMEOUT_STORAGE_KEY, String(value));
  }

  private gotoLine(line: number, column: number): void {
    this.dispatchEvent(new RunGotoLineEvent(line, column));
  }

  override render() {
    const runs = this.runs();
    const running = this.controller?.current ?? null;
    const runnable = this.language !== null && LANGUAGES[this.language].runnable;
    const selected = runs.find((record) => record.id === this.selectedRunId) ?? runs.at(-1) ?? null;
    const elsewhere = runs.filter(
      (record) =>
        record.status === RUN_STATUSES.RUNNING && record.id !== running?.id && this.isPresent(record),
    );
    const python = this.language === 'python' ? this.controller?.python : null;
    return html`
      <div class="toolbar">
        <button class="run" ?disabled=${!runnable || running !== null || this.controller === null} @click=${this.run}
          title=${runnable ? 'Run (Ctrl/Cmd+Enter)' : 'Running is available for JavaScript, TypeScript and Python'}>
          Run
        </button>
        <button class="stop" ?disabled=${running === null} @click=${this.stop}>Stop</button>
        <span class="shortcut">Ctrl/⌘+Enter</span>
        <label class="timeout">Time limit
          <input type="number" min="1" max=${MAX_TIMEOUT_S} .value=${String(this.timeoutSeconds)}
            @change=${this.setTimeoutSeconds} /> s</label>
      </div>
      ${python ? html`<div class="notice python ${python.state}" role="status">${python.detail}</div>` : nothing}
      ${elsewhere.map((record) => html`<div class="notice elsewhere" role="status">${record.by} is running…</div>`)}
      <label class="stdin">stdin (one line per input() / prompt())
        <textarea class="stdin" spellcheck="false" placeholder="Input for the program"></textarea>
      </label>
      ${
        runs.length > 1
          ? html`<div class="history"><label for="run-history">Run</label>
              <select id="run-history" @change=${(event: Event) => {
                const id = (event.target as HTMLSelectElement).value;
                this.selectedRunId = id === runs.at(-1)?.id ? null : id;
              }}>
                ${[...runs]
                  .reverse()
                  .map(
                    (record) =>
                      html`<option value=${record.id} ?selected=${record === selected}>${runLabel(record)}</option>`,
                  )}
              </select></div>`
          : nothing
      }
      ${selected ? renderRunHeader(selected, this.isPresent(selected)) : nothing}
      ${renderOutput(selected, (line, column) => this.gotoLine(line, column))}
      <div class="frame-host"></div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'run-panel': RunPanelElement;
  }
  interface HTMLElementEventMap {
    'run-goto-line': RunGotoLineEvent;
  }
}
