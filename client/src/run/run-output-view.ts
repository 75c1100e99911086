import { html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { LANGUAGES } from '../../../shared/languages.js';
import { RUN_STATUSES, type RunRecord } from '../../../shared/run-record.js';
import { splitLineReferences } from './output-links.js';

/**
 * Rendering of one run: a header (who, language, when, how it ended, how long) and its output. Everything
 * is bound as text — program output and peers' names are untrusted — and line references become links.
 */

export function describeStatus(record: RunRecord, runnerPresent: boolean): string {
  const duration = record.durationMs === null ? '' : ` · ${formatDuration(record.durationMs)}`;
  switch (record.status) {
    case RUN_STATUSES.RUNNING:
      return runnerPresent ? 'running…' : 'interrupted (the runner left)';
    case RUN_STATUSES.OK:
      return `exit ${record.exitCode ?? 0}${duration}`;
    case RUN_STATUSES.ERROR:
      return `exit ${record.exitCode ?? 1}${duration}`;
    case RUN_STATUSES.STOPPED:
      return `stopped${duration}`;
    case RUN_STATUSES.TIMEOUT:
      return `timed out${duration}`;
  }
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function runLabel(record: RunRecord): string {
  const time = new Date(record.startedAt).toLocaleTimeString();
  return `${time} · ${record.by} · ${LANGUAGES[record.language].label}`;
}

export function renderRunHeader(record: RunRecord, runnerPresent: boolean): TemplateResult {
  return html`<div class="run-header" data-run-id=${record.id}>
    <span class="by" style=${styleMap({ '--runner-color': record.color })}>${record.by}</span>
    <span class="language">${LANGUAGES[record.language].label}</span>
    <span class="started">${new Date(record.startedAt).toLocaleTimeString()}</span>
    <span class="status ${record.status}">${describeStatus(record, runnerPresent)}</span>
  </div>`;
}

export function renderOutput(
  record: RunRecord | null,
  onLineClick: (line: number, column: number) => void,
): TemplateResult {
  if (record === null) return html`<pre class="output empty">Run the code to see its output here.</pre>`;
  const empty = record.output.length === 0;
  return html`<pre class="output" aria-live="polite" aria-label="Output">${
    empty && record.status !== RUN_STATUSES.RUNNING ? html`<span class="empty">(no output)</span>` : nothing
  }${record.output.map(
    (chunk) =>
      html`<span class=${chunk.stream}>${splitLineReferences(chunk.text).map((segment) =>
        segment.line === undefined
          ? segment.text
          : html`<a
              class="line-link"
              href="#"
              title="Go to line ${segment.line}"
              @click=${(event: Event) => {
                event.preventDefault();
                onLineClick(segment.line ?? 1, segment.column ?? 1);
              }}
              >${segment.text}</a
            >`,
      )}</span>`,
  )}</pre>`;
}
