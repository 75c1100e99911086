/**
 * A remote caret's name shows while its person moves or types and fades out a while after, so it does not
 * hide the code above for good; the caret stays. The same in Monaco and in the plain view shown while
 * Monaco loads. The other person is a Node peer, so the test decides exactly when they move or type.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DOC_ROOTS } from '../../shared/document-schema.js';
import { sharePath } from '../../shared/session-id.js';
import { localSelectionField } from '../src/lib/remote-selection.js';
import { BROWSER_TEST_TIMEOUT_MS, type TrackedPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import { holdEditorChunk, waitForPlainViewEditable } from './support/editor-chunk.js';
import { createSession } from './support/server.js';
import { eventually, identityStorage, openSessionPage } from './support/session-page.js';

const ADA = { name: 'Ada', color: '#e5484d' };
const GRACE = { name: 'Grace', color: '#30a46c' };

const suite = useBrowserSuite();

/** Grace, editing from Node: she moves her caret and types when the test says so. */
async function nodePeer(id: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${suite.server.url.replace('http', 'ws')}/ws`, id, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  suite.trackProvider(provider);
  provider.awareness.setLocalStateField('user', GRACE);
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  const code = doc.getText(DOC_ROOTS.CODE);
  return {
    code,
    moveTo(offset: number): void {
      provider.awareness.setLocalStateField('selection', localSelectionField(code, offset, offset));
    },
  };
}

function opacity(label: Locator): Promise<string> {
  return label.evaluate((element) => getComputedStyle(element).opacity);
}

/** Grace's label in `scope` shows on each move and each keystroke, and fades out in between. */
async function expectLabelShowsOnActivity(page: Page, scope: string, id: string): Promise<void> {
  const grace = await nodePeer(id);
  const marker = page.locator(`${scope} .remote-cursor`, { hasText: GRACE.name });
  const label = marker.locator('.remote-cursor-label');
  const caret = marker.locator('.remote-cursor-caret');

  grace.moveTo(0);
  await eventually(() => label.count()).toBe(1);
  await eventually(() => opacity(label)).toBe('1');
  await eventually(() => opacity(label)).toBe('0');
  // The caret itself stays; the faded label keeps its text.
  expect(await caret.isVisible()).toBe(true);
  expect(await label.textContent()).toBe(GRACE.name);

  grace.moveTo(3);
  await eventually(() => opacity(label)).toBe('1');
  await eventually(() => opacity(label)).toBe('0');

  // Typing before the next character leaves her published position as it was: the name shows anyway.
  grace.code.insert(3, 'abc');
  await eventually(() => opacity(label)).toBe('1');
  await eventually(() => opacity(label)).toBe('0');
  expect(await caret.isVisible()).toBe(true);
}

describe('remote caret names', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('show in the editor while the person moves or types, and fade out after', async () => {
    const { id } = await createSession(suite.server.url, { content: 'hello world\nsecond line\n' });
    const ada: TrackedPage = await openSessionPage(suite.browser, suite.server.url, id, { user: ADA });
    suite.track(ada);
    await expectLabelShowsOnActivity(ada.page, '.monaco-editor', id);

    // Someone else's edit shifts Grace's caret without her doing anything: her name stays hidden.
    const marker = ada.page.locator('.monaco-editor .remote-cursor', { hasText: GRACE.name });
    const before = await marker.boundingBox();
    await ada.page.evaluate(() => {
      const editor = document.querySelector('session-page')?.editor;
      editor?.executeEdits('test', [
        { range: { startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 1 }, text: '>>' },
      ]);
    });
    await eventually(async () => (await marker.boundingBox())?.x).toBeGreaterThan(before?.x ?? 0);
    expect(await marker.getAttribute('class')).not.toContain('remote-cursor--active');
    expect(ada.errors).toEqual([]);
  });

  it('show in the plain view the same way while the editor loads', async () => {
    const { id } = await createSession(suite.server.url, { content: 'hello world\nsecond line\n' });
    const ada = await suite.newPage({ localStorage: identityStorage(ADA) });
    await holdEditorChunk(ada.context);
    await ada.page.goto(`${suite.server.url}${sharePath(id)}`);
    await waitForPlainViewEditable(ada.page);
    await expectLabelShowsOnActivity(ada.page, '.plain-remote-carets', id);
    expect(ada.errors).toEqual([]);
  });
});
