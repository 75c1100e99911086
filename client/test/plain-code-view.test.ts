/**
 * A share link shows the code as a plain editable view while Monaco's chunk is still on its way, then swaps
 * to Monaco without losing text, selection, scroll position, focus or undo history. Monaco's chunk is held
 * back (or failed) through request interception, so what the tests see does not depend on timing.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DOC_ROOTS } from '../../shared/document-schema.js';
import { sharePath } from '../../shared/session-id.js';
import { localSelectionField, parseRemoteSelection } from '../src/lib/remote-selection.js';
import { BROWSER_TEST_TIMEOUT_MS, type TrackedPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import {
  EDITOR_CHUNK_URL,
  failEditorChunk,
  type HeldChunk,
  holdEditorChunk,
  plainInput,
  plainState,
  selectInPlainView,
  waitForPlainViewEditable,
} from './support/editor-chunk.js';
import { createSession } from './support/server.js';
import {
  editorValue,
  eventually,
  expectEditorValue,
  identityStorage,
  openSessionPage,
  waitForEditable,
} from './support/session-page.js';

const ADA = { name: 'Ada', color: '#e5484d' };
const BOB = { name: 'Bob', color: '#0090ff' };

/** Where a person's caret is drawn in the page, from its marker's caret bar (null when not drawn). */
async function caretBox(tracked: TrackedPage, scope: string, name: string) {
  const marker = tracked.page.locator(`${scope} .remote-cursor`, {
    has: tracked.page.locator('.remote-cursor-label', { hasText: name }),
  });
  if ((await marker.count()) !== 1) return null;
  const box = await marker.locator('.remote-cursor-caret').boundingBox();
  return box && { x: Math.round(box.x), y: Math.round(box.y) };
}

const suite = useBrowserSuite();

/** Opens the session as Ada with Monaco's chunk held back, and waits for the plain view to be editable. */
async function openHeld(id: string): Promise<TrackedPage & { chunk: HeldChunk }> {
  const tracked = await suite.newPage({ localStorage: identityStorage(ADA) });
  const chunk = await holdEditorChunk(tracked.context);
  await tracked.page.goto(`${suite.server.url}${sharePath(id)}`);
  await waitForPlainViewEditable(tracked.page);
  return { ...tracked, chunk };
}

/** A second party in Node, editing the code through the server. */
async function nodePeer(id: string): Promise<{ doc: Y.Doc; code: Y.Text; provider: WebsocketProvider }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${suite.server.url.replace('http', 'ws')}/ws`, id, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  suite.trackProvider(provider);
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  return { doc, code: doc.getText(DOC_ROOTS.CODE), provider };
}

async function plainValue(tracked: TrackedPage): Promise<string> {
  return (await plainState(tracked.page))?.value ?? '';
}

describe('the plain code view while the editor loads', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('is editable once synced, labelled, and what is typed reaches another page', async () => {
    const { id } = await createSession(suite.server.url, { content: 'const a = 1;\n' });
    const ada = await openHeld(id);
    const input = plainInput(ada.page);
    expect(await input.inputValue()).toBe('const a = 1;\n');
    expect(await ada.page.getByRole('textbox', { name: 'Code' }).count()).toBe(1);
    expect(await ada.page.getByRole('status').filter({ hasText: 'Loading the full editor' }).count()).toBe(1);

    await selectInPlainView(ada.page, 13, 13);
    await ada.page.keyboard.type('let b = 2;');
    await ada.page.keyboard.press('Tab');
    await ada.page.keyboard.type('// two');
    const expected = 'const a = 1;\nlet b = 2;  // two';
    expect(await input.inputValue()).toBe(expected);

    const other = await openSessionPage(suite.browser, suite.server.url, id);
    suite.track(other);
    await expectEditorValue(other.page, expected);
    // Ada's caret, published from the plain view, is where she typed.
    const peer = await nodePeer(id);
    await eventually(() => {
      const state = [...peer.provider.awareness.getStates().values()].find(
        (candidate) => (candidate.user as { name?: string } | undefined)?.name === ADA.name,
      );
      return parseRemoteSelection(state, peer.code);
    }).toEqual({ anchor: expected.length, head: expected.length });
    expect(ada.errors).toEqual([]);
  });

  it('keeps the caret on the same character when someone else edits above it', async () => {
    const { id } = await createSession(suite.server.url, { content: 'first line\nsecond line\n' });
    const ada = await openHeld(id);
    const peer = await nodePeer(id);
    // The caret before the "l" of "second line", with "line" selected backwards.
    await selectInPlainView(ada.page, 22, 18);
    peer.code.insert(0, 'a new line above\n');
    await eventually(() => plainValue(ada)).toBe('a new line above\nfirst line\nsecond line\n');
    const state = await plainState(ada.page);
    expect(state?.value.slice(state.start, state.end)).toBe('line');
    expect(state?.direction).toBe('backward');
    await ada.page.keyboard.type('X');
    await eventually(() => peer.code.toString()).toBe('a new line above\nfirst line\nsecond X\n');
  });

  it("keeps an input method's composition going through someone else's edit", async () => {
    const { id } = await createSession(suite.server.url, { content: 'say: \n' });
    const ada = await openHeld(id);
    const peer = await nodePeer(id);
    await selectInPlainView(ada.page, 5, 5);
    // What a Japanese input method does: text being composed, then the chosen characters committed.
    const ime = await ada.context.newCDPSession(ada.page);
    await ime.send('Input.imeSetComposition', { text: 'にほ', selectionStart: 2, selectionEnd: 2 });
    peer.code.insert(0, '// note\n');
    // The edit has reached Ada's document while she is still composing.
    await eventually(() =>
      ada.page.evaluate(() => document.querySelector('session-page')?.code?.toString().startsWith('// note')),
    ).toBe(true);
    await ime.send('Input.imeSetComposition', { text: 'にほん', selectionStart: 3, selectionEnd: 3 });
    await ime.send('Input.insertText', { text: '日本' });

    const expected = '// note\nsay: 日本\n';
    await eventually(() => plainValue(ada)).toBe(expected);
    await eventually(() => peer.code.toString()).toBe(expected);
    const state = await plainState(ada.page);
    expect([state?.start, state?.end]).toEqual([expected.indexOf('\n', 8), expected.indexOf('\n', 8)]);
    await ada.page.keyboard.type('!');
    await eventually(() => peer.code.toString()).toBe('// note\nsay: 日本!\n');
  });

  it('undoes only its own typing with Ctrl+Z, and redoes it with Ctrl+Shift+Z', async () => {
    const { id } = await createSession(suite.server.url, { content: 'start\n' });
    const ada = await openHeld(id);
    const peer = await nodePeer(id);
    await selectInPlainView(ada.page, 6, 6);
    await ada.page.keyboard.type('mine');
    await eventually(() => peer.code.toString()).toBe('start\nmine');
    peer.code.insert(0, 'theirs ');
    await eventually(() => plainValue(ada)).toBe('theirs start\nmine');

    await ada.page.keyboard.press('Control+z');
    await eventually(() => plainValue(ada)).toBe('theirs start\n');
    await eventually(() => peer.code.toString()).toBe('theirs start\n');
    await ada.page.keyboard.press('Control+Shift+z');
    await eventually(() => plainValue(ada)).toBe('theirs start\nmine');
  });

  it('indents with Tab, and lets keyboard users leave with Esc then Tab or after Ctrl+M', async () => {
    const { id } = await createSession(suite.server.url, { content: 'x\n' });
    const ada = await openHeld(id);
    const focusedIsPlain = () =>
      ada.page.evaluate(() => document.activeElement?.classList.contains('plain-code-input') ?? false);
    await selectInPlainView(ada.page, 0, 0);
    await ada.page.keyboard.press('Tab');
    expect(await plainValue(ada)).toBe('  x\n');
    expect(await focusedIsPlain()).toBe(true);

    await ada.page.keyboard.press('Escape');
    await ada.page.keyboard.press('Tab');
    expect(await focusedIsPlain()).toBe(false);

    await selectInPlainView(ada.page, 0, 0);
    await ada.page.keyboard.press('Control+m');
    await ada.page.keyboard.press('Tab');
    expect(await focusedIsPlain()).toBe(false);
    expect(await plainValue(ada)).toBe('  x\n');
  });

  it("shows the others' carets with their names where Monaco then shows them", async () => {
    const { id } = await createSession(suite.server.url, { content: 'one\ntwo\n\tthree four\n' });
    const ada = await openHeld(id);
    const bob = await nodePeer(id);
    const atThree = 'one\ntwo\n\tthree'.length;
    bob.provider.awareness.setLocalState({
      user: BOB,
      selection: localSelectionField(bob.code, atThree, atThree),
    });
    await expect.poll(() => caretBox(ada, '.plain-remote-carets', 'Bob')).not.toBeNull();
    const onThirdLine = await caretBox(ada, '.plain-remote-carets', 'Bob');

    // A line added above moves the caret down with the text it is on.
    bob.code.insert(0, 'zero\n');
    await expect
      .poll(async () => (await caretBox(ada, '.plain-remote-carets', 'Bob'))?.y)
      .toBe((onThirdLine?.y ?? 0) + 21);
    const plain = await caretBox(ada, '.plain-remote-carets', 'Bob');

    ada.chunk.release();
    await waitForEditable(ada.page);
    await expect.poll(() => caretBox(ada, '.monaco-editor', 'Bob')).not.toBeNull();
    const monaco = await caretBox(ada, '.monaco-editor', 'Bob');
    // The plain view lines its text up with Monaco's, tab included: the caret does not jump at the swap.
    expect(Math.abs((monaco?.x ?? 0) - (plain?.x ?? 0))).toBeLessThanOrEqual(2);
    expect(Math.abs((monaco?.y ?? 0) - (plain?.y ?? 0))).toBeLessThanOrEqual(2);

    bob.provider.awareness.setLocalState(null);
    await expect.poll(() => caretBox(ada, '.monaco-editor', 'Bob')).toBeNull();
  });

  it('hands over to Monaco with the same text, selection, scroll position, focus and undo history', async () => {
    const lines = Array.from({ length: 120 }, (_, i) => `line ${i + 1}`);
    const { id } = await createSession(suite.server.url, { content: `${lines.join('\n')}\n` });
    const ada = await openHeld(id);
    // Typed before the swap: it must still be undoable in Monaco.
    const line50 = lines.slice(0, 49).join('\n').length + 1;
    await selectInPlainView(ada.page, line50, line50);
    await ada.page.keyboard.type('typed ');
    await plainInput(ada.page).evaluate((input) => {
      input.scrollTop = 12 + 40 * 21;
    });
    // "line 50" selected backwards, after what was typed.
    const start = line50 + 'typed '.length;
    await selectInPlainView(ada.page, start + 'line 50'.length, start);
    const before = await plainState(ada.page);

    ada.chunk.release();
    await waitForEditable(ada.page);
    const after = await ada.page.evaluate(() => {
      const editor = document.querySelector('session-page')?.editor;
      const model = editor?.getModel();
      const selection = editor?.getSelection();
      if (!editor || !model || !selection) return null;
      return {
        value: model.getValue(),
        anchor: model.getOffsetAt(selection.getSelectionStart()),
        head: model.getOffsetAt(selection.getPosition()),
        firstVisibleLine: editor.getVisibleRanges()[0]?.startLineNumber,
        focused: editor.hasTextFocus(),
        plainViews: document.querySelectorAll('.plain-code-view').length,
      };
    });
    expect(after).toEqual({
      value: before?.value,
      anchor: start + 'line 50'.length,
      head: start,
      firstVisibleLine: 41,
      focused: true,
      plainViews: 0,
    });

    await ada.page.keyboard.press('Control+z');
    await expectEditorValue(ada.page, `${lines.join('\n')}\n`);
  });

  it('loses no keystroke typed while the editor takes over', async () => {
    const { id } = await createSession(suite.server.url, { content: '' });
    const ada = await openHeld(id);
    await selectInPlainView(ada.page, 0, 0);
    ada.chunk.release();
    // Keys go in one after another until a few have gone to Monaco: before, during and after the swap.
    const hasEditor = () => ada.page.evaluate(() => document.querySelector('session-page')?.editor != null);
    let typed = '';
    for (let afterSwap = 0; afterSwap < 3; ) {
      const key = String.fromCharCode(97 + (typed.length % 26));
      await ada.page.keyboard.press(key);
      typed += key;
      if (await hasEditor()) afterSwap++;
    }
    await waitForEditable(ada.page);
    await expectEditorValue(ada.page, typed);
    expect(ada.errors).toEqual([]);
  });
});

describe('when the editor cannot be loaded', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('keeps the plain view usable and says the full editor could not be loaded', async () => {
    const { id } = await createSession(suite.server.url, { content: 'print(1)\n' });
    const ada = await suite.newPage({ localStorage: identityStorage(ADA) });
    await failEditorChunk(ada.context);
    await ada.page.goto(`${suite.server.url}${sharePath(id)}`);
    await ada.page.getByRole('alert').filter({ hasText: 'The full editor could not be loaded' }).waitFor();
    await waitForPlainViewEditable(ada.page);

    await selectInPlainView(ada.page, 9, 9);
    await ada.page.keyboard.type('print(2)');
    const other = await openSessionPage(suite.browser, suite.server.url, id);
    suite.track(other);
    await expectEditorValue(other.page, 'print(1)\nprint(2)');
    expect(await editorValue(ada.page)).toBe('');
  });
});

describe('when the editor is loaded', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('asks for Monaco only once the code has synced', async () => {
    const { id } = await createSession(suite.server.url, { content: 'x = 1\n' });
    const ada = await suite.newPage({ localStorage: identityStorage(ADA) });
    const syncedWhenAsked: boolean[] = [];
    await ada.context.route(EDITOR_CHUNK_URL, async (route) => {
      syncedWhenAsked.push(
        await ada.page.evaluate(() => document.querySelector('session-page')?.synced === true),
      );
      await route.continue();
    });
    await ada.page.goto(`${suite.server.url}${sharePath(id)}`);
    await waitForEditable(ada.page);
    expect(syncedWhenAsked).toEqual([true]);
  });

  it('still loads Monaco, read-only, when the code never syncs', async () => {
    const { id } = await createSession(suite.server.url, { content: 'x = 1\n' });
    const ada = await suite.newPage({ localStorage: identityStorage(ADA) });
    // A socket that opens but never hears from the server, as behind a proxy that swallows its frames.
    await ada.context.routeWebSocket(/\/ws\//, () => undefined);
    await ada.page.goto(`${suite.server.url}${sharePath(id)}`);
    await ada.page.waitForFunction(() => document.querySelector('session-page')?.editor != null, undefined, {
      timeout: 30_000,
    });
    const state = await ada.page.evaluate(() => {
      const session = document.querySelector('session-page');
      return { synced: session?.synced, readOnly: session?.editor?.getRawOptions().readOnly };
    });
    expect(state).toEqual({ synced: false, readOnly: true });
  });
});
