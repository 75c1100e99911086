/**
 * Driving the session page from tests: open it as a given person, wait until it can be edited, read what
 * the editor and the people list show. The page exposes its handles on `<session-page>` (see
 * client/src/components/session-page.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AwarenessUser } from '../../../shared/awareness-user.js';
import { sharePath } from '../../../shared/session-id.js';
import { IDENTITY_STORAGE_KEY } from '../../src/lib/identity.js';
import { type NewPageOptions, newTrackedPage, type TrackedPage } from './browser.js';

export interface OpenSessionOptions extends NewPageOptions {
  /** The identity stored before the page loads; a random one when omitted. */
  user?: AwarenessUser;
}

/** localStorage entries that make the page start as `user`. */
export function identityStorage(user: AwarenessUser): Record<string, string> {
  return { [IDENTITY_STORAGE_KEY]: JSON.stringify(user) };
}

/** Opens `/s/<id>` in a fresh context and waits until the editor holds the server's text and is editable. */
export async function openSessionPage(
  browser: Browser,
  baseUrl: string,
  sessionId: string,
  options: OpenSessionOptions = {},
): Promise<TrackedPage> {
  const { user, ...pageOptions } = options;
  const tracked = await newTrackedPage(browser, {
    ...pageOptions,
    localStorage: { ...pageOptions.localStorage, ...(user ? identityStorage(user) : {}) },
  });
  await tracked.page.goto(`${baseUrl}${sharePath(sessionId)}`);
  await waitForEditable(tracked.page);
  return tracked;
}

/**
 * Navigates an open page to `/s/<id>` and waits until it is editable. Reusing a page across sessions
 * keeps the browser's cache warm, so later loads skip most of the download and compile work.
 */
export async function gotoSession(tracked: TrackedPage, baseUrl: string, sessionId: string): Promise<void> {
  await tracked.page.goto(`${baseUrl}${sharePath(sessionId)}`);
  await waitForEditable(tracked.page);
}

export async function waitForEditable(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const session = document.querySelector('session-page');
    const editor = session?.editor;
    return Boolean(session?.synced && editor && editor.getRawOptions().readOnly === false);
  });
}

/** The editor's whole text (the model's value). */
export function editorValue(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('session-page')?.editor?.getValue() ?? '');
}

/** The language id of the editor's model, e.g. `python`. */
export function editorLanguage(page: Page): Promise<string> {
  return page.evaluate(
    () => document.querySelector('session-page')?.editor?.getModel()?.getLanguageId() ?? '',
  );
}

/** The text Monaco renders on screen, top to bottom (visible lines only). */
export function visibleEditorText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll<HTMLElement>('session-page .view-lines .view-line')];
    lines.sort((a, b) => Number.parseFloat(a.style.top) - Number.parseFloat(b.style.top));
    return lines.map((line) => (line.textContent ?? '').replaceAll('\u00a0', ' ')).join('\n');
  });
}

/** Focuses the editor and moves the caret to the end of the text. */
export async function focusEditorEnd(page: Page): Promise<void> {
  await page.evaluate(() => {
    const editor = document.querySelector('session-page')?.editor;
    const model = editor?.getModel();
    if (!editor || !model) throw new Error('The session page has no editor.');
    const lineNumber = model.getLineCount();
    editor.setPosition({ lineNumber, column: model.getLineMaxColumn(lineNumber) });
    editor.focus();
  });
}

/** Types at the end of the text, as a person at the keyboard would. */
export async function typeAtEnd(page: Page, text: string): Promise<void> {
  await focusEditorEnd(page);
  await page.keyboard.type(text);
}

/** The names the people list shows, in order. */
export function listedPeople(page: Page): Promise<string[]> {
  return page.locator('user-list li .name').allTextContents();
}

/**
 * `expect.poll` with a wait that suits pages on a busy machine (vitest's default gives up after one
 * second). Use it for anything that arrives over the network or after a render.
 */
export function eventually<T>(read: () => T | Promise<T>, timeout = POLL_TIMEOUT_MS) {
  return expect.poll(read, { timeout, interval: 100 });
}

export const POLL_TIMEOUT_MS = 20_000;

/** Waits until the editor shows `expected` (model value). */
export async function expectEditorValue(page: Page, expected: string): Promise<void> {
  await eventually(() => editorValue(page)).toBe(expected);
}

/** The connection state in words, as the header shows it. */
export async function connectionText(page: Page): Promise<string> {
  return (await page.locator('connection-status [role=status]').textContent()) ?? '';
}
