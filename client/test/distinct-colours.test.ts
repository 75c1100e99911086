/**
 * Two people whose browsers remembered the same colour join one session: the one who joins second is
 * shown in a colour nobody else uses, for this session only; their saved identity keeps their own colour.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { AwarenessUser } from '../../shared/awareness-user.js';
import { IDENTITY_STORAGE_KEY, USER_COLORS } from '../src/lib/identity.js';
import { BROWSER_TEST_TIMEOUT_MS, type TrackedPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import { createSession } from './support/server.js';
import { eventually, listedPeople, openSessionPage, typeAtEnd } from './support/session-page.js';

const SHARED_COLOUR = USER_COLORS[0];
const ADA = { name: 'Ada', color: SHARED_COLOUR };
const BOB = { name: 'Bob', color: SHARED_COLOUR };

const suite = useBrowserSuite();

/** `#rrggbb` as getComputedStyle spells it. */
function rgb(hex: string): string {
  const value = Number.parseInt(hex.slice(1), 16);
  return `rgb(${value >> 16}, ${(value >> 8) & 255}, ${value & 255})`;
}

/** The colour a page's people list shows for the person named `name`. */
function listedColour(page: Page, name: string): Promise<string> {
  return page
    .locator('user-list li', { hasText: name })
    .locator('.swatch')
    .evaluate((element) => getComputedStyle(element).backgroundColor);
}

/** The colour the page's identity editor shows as this person's. */
function shownOwnColour(page: Page): Promise<string> {
  return page.getByLabel('Your colour').inputValue();
}

function savedIdentity(page: Page): Promise<AwarenessUser | null> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), IDENTITY_STORAGE_KEY);
}

/** Ada's page, then Bob's, on a new session (closed after the test). */
async function openAdaThenBob(): Promise<{ id: string; a: TrackedPage; b: TrackedPage }> {
  const { id } = await createSession(suite.server.url, { content: 'hello\n' });
  const a = await openSessionPage(suite.browser, suite.server.url, id, { user: ADA });
  suite.track(a);
  await eventually(() => listedPeople(a.page)).toEqual(['Ada']);
  const b = await openSessionPage(suite.browser, suite.server.url, id, { user: BOB });
  suite.track(b);
  return { id, a, b };
}

/** A protocol-level peer in Node publishing `user` (closed after the test). */
function nodePeer(id: string, user: AwarenessUser): void {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${suite.server.url.replace('http', 'ws')}/ws`, id, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  provider.awareness.setLocalStateField('user', user);
  suite.trackProvider(provider);
}

describe('distinct colours in a session', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('shows the newcomer in a free colour, keeps their saved colour, and does not change it later', async () => {
    const { id, a, b } = await openAdaThenBob();

    await eventually(() => shownOwnColour(b.page)).not.toBe(SHARED_COLOUR);
    const bobColour = await shownOwnColour(b.page);
    expect(USER_COLORS).toContain(bobColour);
    // What Ada sees: Bob in the new colour, in the list and on his caret; Ada keeps hers.
    await eventually(() => listedColour(a.page, 'Bob')).toBe(rgb(bobColour));
    expect(await listedColour(a.page, 'Ada')).toBe(rgb(SHARED_COLOUR));
    expect(await shownOwnColour(a.page)).toBe(SHARED_COLOUR);
    await typeAtEnd(b.page, 'x');
    const caret = a.page.locator('.remote-cursor', { hasText: 'Bob' }).locator('.remote-cursor-caret');
    await eventually(() => caret.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(
      rgb(bobColour),
    );
    // Bob's own colour comes back in other sessions.
    expect(await savedIdentity(b.page)).toEqual(BOB);

    // A rename keeps the session's colour, and saves the name with the person's own colour.
    const nameField = b.page.getByLabel('Your name');
    await nameField.fill('Bobby');
    await nameField.press('Enter');
    await eventually(() => listedPeople(a.page)).toEqual(['Ada', 'Bobby']);
    expect(await listedColour(a.page, 'Bobby')).toBe(rgb(bobColour));
    expect(await savedIdentity(b.page)).toEqual({ name: 'Bobby', color: SHARED_COLOUR });

    // Someone arriving later in Bob's colour does not make Bob change again: the newcomer adapts.
    nodePeer(id, { name: 'Cy', color: bobColour });
    await eventually(() => listedPeople(b.page)).toEqual(['Bobby', 'Ada', 'Cy']);
    expect(await shownOwnColour(b.page)).toBe(bobColour);
    expect(await listedColour(a.page, 'Bobby')).toBe(rgb(bobColour));
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it('publishes and saves a colour the person then picks, even one already in use', async () => {
    const { a, b } = await openAdaThenBob();
    await eventually(() => shownOwnColour(b.page)).not.toBe(SHARED_COLOUR);
    const sessionColour = await shownOwnColour(b.page);
    const chosen = USER_COLORS.find((colour) => colour !== SHARED_COLOUR && colour !== sessionColour)!;

    await b.page.getByLabel('Your colour').fill(chosen);
    await eventually(() => listedColour(a.page, 'Bob')).toBe(rgb(chosen));
    expect(await shownOwnColour(b.page)).toBe(chosen);
    expect(await savedIdentity(b.page)).toEqual({ name: 'Bob', color: chosen });

    // Ada's colour too, if Bob insists: his choice is his.
    await b.page.getByLabel('Your colour').fill(SHARED_COLOUR);
    await eventually(() => listedColour(a.page, 'Bob')).toBe(rgb(SHARED_COLOUR));
    expect(await savedIdentity(b.page)).toEqual(BOB);
  });
});
