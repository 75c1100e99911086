/**
 * Names, colours and cursors come from other people's browsers, or from anything that speaks the protocol.
 * The page shows them as text and survives garbage.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { BROWSER_TEST_TIMEOUT_MS } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import { createSession } from './support/server.js';
import { eventually, listedPeople, openSessionPage, typeAtEnd } from './support/session-page.js';

const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

const suite = useBrowserSuite();

/** A protocol-level peer in Node, publishing whatever awareness state the test gives it. */
function nodePeer(id: string, state: Record<string, unknown>): WebsocketProvider {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${suite.server.url.replace('http', 'ws')}/ws`, id, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  provider.awareness.setLocalState(state);
  suite.trackProvider(provider);
  return provider;
}

/** A session holding `content`, open in Ada's and Bob's pages (closed after the test). */
async function openAdaAndBob(content: string) {
  const { id } = await createSession(suite.server.url, { content });
  const a = await openSessionPage(suite.browser, suite.server.url, id, {
    user: { name: 'Ada', color: '#e5484d' },
  });
  const b = await openSessionPage(suite.browser, suite.server.url, id, {
    user: { name: 'Bob', color: '#0090ff' },
  });
  suite.track(a, b);
  return { id, a, b };
}

describe('untrusted names and states', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('shows a name that looks like HTML literally, in the list and on the cursor, and runs nothing', async () => {
    const { a, b } = await openAdaAndBob('text\n');

    // A renames themself through the page, as a person would.
    const nameField = a.page.getByLabel('Your name');
    await nameField.fill(HOSTILE_NAME);
    await nameField.press('Enter');
    await typeAtEnd(a.page, 'x');

    await eventually(() => listedPeople(b.page)).toEqual(['Bob', HOSTILE_NAME]);
    await eventually(() => b.page.locator('.remote-cursor-label').textContent()).toBe(HOSTILE_NAME);
    expect(await listedPeople(a.page)).toEqual([HOSTILE_NAME, 'Bob']);
    for (const { page, dialogs, errors } of [a, b]) {
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('user-list img').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
    }
    // The name is remembered for the next visit.
    const stored = await a.page.evaluate(() => localStorage.getItem('code-collab.user'));
    expect(JSON.parse(stored ?? '{}')).toEqual({ name: HOSTILE_NAME, color: '#e5484d' });
  });

  it('keeps rendering everyone when peers publish no user and garbage selections', async () => {
    const { id, a, b } = await openAdaAndBob('one\ntwo\nthree\n');
    nodePeer(id, { selection: { anchor: 5, head: 'x' } });
    nodePeer(id, {
      selection: {
        anchor: { item: { client: 1, clock: 1e9 } },
        head: { type: { client: -1, clock: 'x' }, tname: 7 },
      },
    });
    nodePeer(id, { selection: { anchor: { tname: 'runs' }, head: { tname: 'runs' } }, note: 'no user' });
    await typeAtEnd(a.page, '!');

    await eventually(() => listedPeople(b.page)).toEqual([
      'Bob',
      'Ada',
      'Anonymous',
      'Anonymous',
      'Anonymous',
    ]);
    await eventually(() => b.page.locator('.remote-cursor-label').allTextContents()).toEqual(['Ada']);
    expect(b.errors).toEqual([]);
  });

  it('survives awareness states no honest server would relay: huge names, CSS in colours, wrong types', async () => {
    const { id } = await createSession(suite.server.url, { content: 'abc\n' });
    const b = await openSessionPage(suite.browser, suite.server.url, id, {
      user: { name: 'Bob', color: '#0090ff' },
    });
    suite.track(b);
    await b.page.evaluate(() => {
      const awareness = document.querySelector('session-page')?.provider?.awareness;
      if (!awareness) throw new Error('no awareness');
      const hostile: unknown[] = [
        { user: { name: 'x'.repeat(100_000), color: '#123456' } },
        { user: { name: 'Eve', color: 'red; background: url(https://example.invalid/)' } },
        { user: 'Mallory', selection: [1, 2, 3] },
        { user: { name: 42, color: null }, selection: { anchor: null, head: {} } },
      ];
      hostile.forEach((state, index) => {
        awareness.states.set(900_000 + index, state as Record<string, unknown>);
      });
      const added = hostile.map((_, index) => 900_000 + index);
      awareness.emit('change', [{ added, updated: [], removed: [] }, 'remote']);
    });

    await eventually(() => listedPeople(b.page)).toEqual([
      'Bob',
      'Anonymous',
      'Anonymous',
      'Anonymous',
      'Anonymous',
    ]);
    expect(await b.page.locator('.remote-cursor').count()).toBe(0);
    const swatches = await b.page
      .locator('user-list li.anonymous .swatch')
      .evaluateAll((elements) => elements.map((element) => getComputedStyle(element).backgroundColor));
    expect(new Set(swatches)).toEqual(new Set(['rgb(139, 141, 152)']));
    expect(b.errors).toEqual([]);
  });
});
