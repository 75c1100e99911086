/**
 * Two people on one session, each in their own Chromium context, through the real server serving the
 * production build: what one does, the other sees.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../shared/languages.js';
import { BROWSER_TEST_TIMEOUT_MS, newTrackedPage, type TrackedPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import { createSession } from './support/server.js';
import {
  editorLanguage,
  editorValue,
  eventually,
  expectEditorValue,
  gotoSession,
  identityStorage,
  listedPeople,
  typeAtEnd,
  visibleEditorText,
} from './support/session-page.js';

const ADA = { name: 'Ada', color: '#e5484d' };
const BOB = { name: 'Bob', color: '#0090ff' };

const suite = useBrowserSuite();
/**
 * Ada's and Bob's pages live for the whole file, each in its own context, and visit one session per test;
 * they close with the browser.
 */
let ada: TrackedPage;
let bob: TrackedPage;

beforeAll(async () => {
  ada = await newTrackedPage(suite.browser, { localStorage: identityStorage(ADA) });
  bob = await newTrackedPage(suite.browser, { localStorage: identityStorage(BOB) });
});

beforeEach(() => {
  for (const tracked of [ada, bob]) {
    tracked.errors.length = 0;
    tracked.dialogs.length = 0;
  }
});

async function openTwo(body: Parameters<typeof createSession>[1] = {}) {
  const { server } = suite;
  const { id } = await createSession(server.url, body);
  await gotoSession(ada, server.url, id);
  await gotoSession(bob, server.url, id);
  return { id, a: ada, b: bob };
}

describe('two people on one session', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('shows the initial content the server wrote, and what A types appears for B', async () => {
    const { a, b } = await openTwo({ language: 'javascript', content: 'const answer = 42;\n' });
    expect(await visibleEditorText(b.page)).toBe('const answer = 42;\n');

    await typeAtEnd(a.page, 'console.log(answer);');
    const typed = await editorValue(a.page);
    expect(typed.startsWith('const answer = 42;\nconsole.log(answer')).toBe(true);
    await expectEditorValue(b.page, typed);
    await eventually(() => visibleEditorText(b.page)).toBe(typed);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it("shows A's cursor at A's position with A's name in A's colour", async () => {
    const { a, b } = await openTwo({ content: 'hello\nworld\n' });
    await typeAtEnd(a.page, 'x');

    const label = b.page.locator('.remote-cursor-label', { hasText: ADA.name });
    await eventually(() => label.count()).toBe(1);
    expect(await label.textContent()).toBe(ADA.name);
    const caretColor = await b.page
      .locator('.remote-cursor-caret')
      .evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(caretColor).toBe('rgb(229, 72, 77)');
    // B sees no cursor of its own among the remote ones.
    expect(await b.page.locator('.remote-cursor-label', { hasText: BOB.name }).count()).toBe(0);
  });

  it("shows A's selection highlighted in A's colour", async () => {
    const { a, b } = await openTwo({ content: 'select me please\n' });
    await a.page.evaluate(() => {
      const editor = document.querySelector('session-page')?.editor;
      editor?.setSelection({ startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 10 });
      editor?.focus();
    });
    const highlight = b.page.locator('.remote-selection').first();
    await eventually(() => highlight.count()).toBe(1);
    const background = await highlight.evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(background).toMatch(/^(rgba\(229, 72, 77|color\(srgb 0\.89)/);
  });

  it('lists both people, with names and colours, on both pages', async () => {
    const { a, b } = await openTwo();
    await eventually(() => listedPeople(a.page)).toEqual(['Ada', 'Bob']);
    await eventually(() => listedPeople(b.page)).toEqual(['Bob', 'Ada']);
    expect(await b.page.locator('user-list li', { hasText: 'Bob' }).locator('.you').textContent()).toBe(
      '(you)',
    );
    const swatch = b.page.locator('user-list li', { hasText: 'Ada' }).locator('.swatch');
    expect(await swatch.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(
      'rgb(229, 72, 77)',
    );
  });

  it("scrolls B's editor to A's cursor when B clicks A in the list, leaving B's caret alone", async () => {
    const lines = Array.from({ length: 200 }, (_, index) => `line ${index + 1}`).join('\n');
    const { a, b } = await openTwo({ content: `${lines}\n` });
    await typeAtEnd(a.page, 'the end');
    await b.page.evaluate(() =>
      document.querySelector('session-page')?.editor?.setPosition({ lineNumber: 1, column: 1 }),
    );
    const visibleRange = () =>
      b.page.evaluate(() => document.querySelector('session-page')?.editor?.getVisibleRanges()[0]);

    expect((await visibleRange())?.startLineNumber).toBe(1);
    await eventually(() => b.page.locator('.remote-cursor', { hasText: 'Ada' }).count()).toBe(1);
    await b.page.locator('user-list').getByRole('button', { name: 'Ada' }).click();
    await eventually(async () => (await visibleRange())?.endLineNumber ?? 0).toBeGreaterThanOrEqual(201);
    const caret = await b.page.evaluate(() => document.querySelector('session-page')?.editor?.getPosition());
    expect(caret).toMatchObject({ lineNumber: 1, column: 1 });
  });

  it('removes a person who leaves from the list and their cursor from the editor', async () => {
    const { a, b } = await openTwo({ content: 'bye\n' });
    await typeAtEnd(a.page, '!');
    await eventually(() => b.page.locator('.remote-cursor-label').count()).toBe(1);
    // Leaving the page, as closing the tab would.
    await a.page.goto('about:blank');
    await eventually(() => listedPeople(b.page)).toEqual(['Bob']);
    await eventually(() => b.page.locator('.remote-cursor-label').count()).toBe(0);
  });

  it("changes B's editor language when A picks another language", async () => {
    const { a, b } = await openTwo({ language: 'javascript', content: 'print("hi")\n' });
    expect(await editorLanguage(b.page)).toBe('javascript');
    await a.page.locator('language-picker select').selectOption('python');

    await eventually(() => editorLanguage(b.page)).toBe(LANGUAGES.python.monaco);
    await eventually(() => b.page.locator('language-picker select').inputValue()).toBe('python');
    expect(await editorLanguage(a.page)).toBe('python');
  });

  it('starts in the language the session was created with', async () => {
    const { b } = await openTwo({ language: 'python' });
    expect(await editorLanguage(b.page)).toBe('python');
    expect(await b.page.locator('language-picker select').inputValue()).toBe('python');
  });

  it("undoes only B's own typing when B presses Ctrl+Z, and redoes it with Ctrl+Shift+Z", async () => {
    const { a, b } = await openTwo({ content: '' });
    await typeAtEnd(a.page, 'alpha ');
    const afterA = await editorValue(a.page);
    await expectEditorValue(b.page, afterA);

    await typeAtEnd(b.page, 'beta');
    const afterB = await editorValue(b.page);
    expect(afterB).toBe(`${afterA}beta`);
    await expectEditorValue(a.page, afterB);

    await typeAtEnd(a.page, 'gamma');
    const afterBoth = await editorValue(a.page);
    await expectEditorValue(b.page, afterBoth);

    await b.page.keyboard.press('Control+z');
    const expected = afterBoth.replace('beta', '');
    await expectEditorValue(b.page, expected);
    await expectEditorValue(a.page, expected);
    expect(expected).toContain('alpha');
    expect(expected).toContain('gamma');
    // The caret goes back to where the undone text was.
    const caret = await b.page.evaluate(() => {
      const editor = document.querySelector('session-page')?.editor;
      const position = editor?.getPosition();
      return position ? editor?.getModel()?.getOffsetAt(position) : null;
    });
    expect(caret).toBe(afterA.length);

    await b.page.keyboard.press('Control+Shift+z');
    await expectEditorValue(b.page, afterBoth);
  });

  it('keeps line endings LF on every model', async () => {
    const { b } = await openTwo({ content: 'a\nb\n' });
    const eol = await b.page.evaluate(() =>
      document.querySelector('session-page')?.editor?.getModel()?.getEOL(),
    );
    expect(eol).toBe('\n');
  });
});
