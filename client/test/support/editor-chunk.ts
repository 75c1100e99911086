/**
 * Holding back Monaco's chunk (`editor-binding-<hash>.js`, which the session page imports dynamically) to
 * see the page as it is before the editor arrives: the plain code view. Deterministic: the chunk is served
 * only when the test releases it, or never.
 */
import type { BrowserContext, Page, Route } from 'playwright-core';

export const EDITOR_CHUNK_URL = /\/assets\/editor-binding-[\w-]+\.js$/;

export interface HeldChunk {
  /** Serves the chunk (every request for it, held or later). */
  release(): void;
}

/** Holds every request for Monaco's chunk in `context` until `release()`. */
export async function holdEditorChunk(context: BrowserContext): Promise<HeldChunk> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await context.route(EDITOR_CHUNK_URL, async (route: Route) => {
    await released;
    await route.continue();
  });
  return { release };
}

/** Makes every request for Monaco's chunk in `context` fail, as a broken network or proxy would. */
export async function failEditorChunk(context: BrowserContext): Promise<void> {
  await context.route(EDITOR_CHUNK_URL, (route) => route.abort('failed'));
}

/** Waits until the synced document can be typed into in the plain view (the editor not there yet). */
export async function waitForPlainViewEditable(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const session = document.querySelector('session-page');
    return Boolean(session?.editable && !session.editor && session.querySelector('.plain-code-input'));
  });
}

/** The plain view's text area. */
export function plainInput(page: Page) {
  return page.locator('session-page textarea.plain-code-input');
}

export interface PlainState {
  value: string;
  start: number;
  end: number;
  direction: string;
  focused: boolean;
}

export function plainState(page: Page): Promise<PlainState | null> {
  return page.evaluate(() => {
    const input = document.querySelector<HTMLTextAreaElement>('session-page textarea.plain-code-input');
    if (!input) return null;
    return {
      value: input.value,
      start: input.selectionStart,
      end: input.selectionEnd,
      direction: input.selectionDirection,
      focused: document.activeElement === input,
    };
  });
}

/** Focuses the plain view and selects from `anchor` to `head` (offsets into the text). */
export async function selectInPlainView(page: Page, anchor: number, head: number): Promise<void> {
  await page.evaluate(
    ([from, to]) => {
      const input = document.querySelector<HTMLTextAreaElement>('session-page textarea.plain-code-input');
      if (!input) throw new Error('The session page shows no plain code view.');
      input.focus();
      input.setSelectionRange(Math.min(from, to), Math.max(from, to), to < from ? 'backward' : 'forward');
    },
    [anchor, head] as const,
  );
}
