import { css } from 'lit';

export const runPanelStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    flex: 1;
    gap: 0.5rem;
    padding: 0.6rem 0.75rem 0.75rem;
    font: 14px / 1.4 var(--font-ui, system-ui);
    color: var(--text, inherit);
  }
  .toolbar {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  button {
    font: inherit;
    border: 1px solid var(--border, #ccc);
    border-radius: var(--radius, 6px);
    background: var(--surface, #fff);
    color: inherit;
    padding: 0.3rem 0.8rem;
    cursor: pointer;
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  button.run {
    background: var(--accent, #3e63dd);
    border-color: var(--accent, #3e63dd);
    color: var(--accent-text, #fff);
    font-weight: 600;
  }
  .shortcut {
    color: var(--muted, #666);
    font-size: 0.8rem;
  }
  .timeout {
    margin-left: auto;
    color: var(--muted, #666);
    font-size: 0.85rem;
  }
  .timeout input {
    width: 3.5rem;
    font: inherit;
  }
  .notice {
    font-size: 0.85rem;
    color: var(--muted, #666);
  }
  .notice.failed {
    color: var(--danger, #c00);
  }
  .elsewhere::before {
    content: '';
    display: inline-block;
    width: 0.55rem;
    height: 0.55rem;
    margin-right: 0.4rem;
    border-radius: 50%;
    background: var(--warn, #d6a300);
  }
  label.stdin {
    display: grid;
    gap: 0.2rem;
    font-size: 0.85rem;
    color: var(--muted, #666);
  }
  textarea {
    font: 13px / 1.35 var(--font-mono, monospace);
    min-height: 2.6rem;
    max-height: 8rem;
    resize: vertical;
    border: 1px solid var(--border, #ccc);
    border-radius: var(--radius, 6px);
    background: var(--surface, #fff);
    color: inherit;
    padding: 0.3rem 0.4rem;
  }
  .history {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    font-size: 0.85rem;
  }
  .history select {
    font: inherit;
    min-width: 0;
    flex: 1;
  }
  .run-header {
    display: flex;
    flex-wrap: wrap;
    gap: 0.35rem 0.75rem;
    font-size: 0.85rem;
    color: var(--muted, #666);
  }
  .run-header .by {
    color: var(--runner-color, inherit);
    font-weight: 600;
  }
  .run-header .status.ok {
    color: var(--ok, green);
  }
  .run-header .status.error,
  .run-header .status.timeout {
    color: var(--danger, #c00);
  }
  pre.output {
    flex: 1;
    min-height: 6rem;
    margin: 0;
    overflow: auto;
    padding: 0.5rem 0.6rem;
    border: 1px solid var(--border, #ccc);
    border-radius: var(--radius, 6px);
    background: var(--surface-sunken, #f7f8fa);
    font: 13px / 1.4 var(--font-mono, monospace);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .stderr {
    color: var(--danger, #c00);
  }
  .system {
    color: var(--muted, #666);
    font-style: italic;
  }
  .line-link {
    color: inherit;
    text-decoration: underline;
    cursor: pointer;
  }
  .empty {
    color: var(--muted, #666);
  }
  .frame-host {
    display: none;
  }
`;
