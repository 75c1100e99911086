/**
 * The start page, and what a session page tells people when the session is missing, ends, or the
 * connection drops.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CLOSE_CODES, FINAL_CLOSE_MESSAGES } from '../../shared/close-codes.js';
import { sharePath } from '../../shared/session-id.js';
import { BROWSER_TEST_TIMEOUT_MS, type TrackedPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import { createSession, type RunningServer, startServer } from './support/server.js';
import {
  connectionText,
  editorLanguage,
  editorValue,
  eventually,
  expectEditorValue,
  openSessionPage,
  typeAtEnd,
  waitForEditable,
} from './support/session-page.js';

const suite = useBrowserSuite();

/** What the page's provider is doing: a stopped provider neither holds nor schedules a socket. */
function providerState(tracked: TrackedPage) {
  return tracked.page.evaluate(() => {
    const session = document.querySelector('session-page');
    return {
      status: session?.connectionStatus,
      shouldConnect: session?.provider?.shouldConnect,
      socket: session?.provider?.ws != null,
      readOnly: session?.editor?.getRawOptions().readOnly,
    };
  });
}

describe('start page', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('creates a session in the chosen language and opens it', async () => {
    const home = await suite.newPage();
    await home.page.goto(suite.server.url);
    await home.page.getByLabel('Language').selectOption('python');
    await home.page.getByRole('button', { name: 'New session' }).click();

    await home.page.waitForURL(/\/s\/[A-Za-z0-9_-]{22}$/);
    await waitForEditable(home.page);
    expect(await editorLanguage(home.page)).toBe('python');
    const id = new URL(home.page.url()).pathname.split('/')[2];
    const info = await fetch(`${suite.server.url}/api/sessions/${id}`).then((response) => response.json());
    expect(info).toMatchObject({ id, language: 'python' });
    expect(await home.page.getByLabel('Share link').inputValue()).toBe(home.page.url());
    expect(home.errors).toEqual([]);
  });

  it('copies the share link', async () => {
    const { id } = await createSession(suite.server.url);
    const tracked = await openSessionPage(suite.browser, suite.server.url, id);
    suite.track(tracked);
    await tracked.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: suite.server.url,
    });
    await tracked.page.getByRole('button', { name: 'Copy link' }).click();
    await tracked.page.getByRole('button', { name: 'Copied!' }).waitFor();
    expect(await tracked.page.evaluate(() => navigator.clipboard.readText())).toBe(
      `${suite.server.url}/s/${id}`,
    );
  });
});

describe('session header', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('keeps the link, language, status, lifetime and identity on one row on a 1280 px wide screen', async () => {
    const { id } = await createSession(suite.server.url);
    const tracked = await openSessionPage(suite.browser, suite.server.url, id);
    suite.track(tracked);
    await tracked.page.setViewportSize({ width: 1280, height: 800 });
    // One row: every item overlaps every other vertically.
    const rows = await tracked.page.$$eval('.session-header > *', (items) =>
      items.map((item) => {
        const box = item.getBoundingClientRect();
        return { top: box.top, bottom: box.bottom };
      }),
    );
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...rows.map((row) => row.top))).toBeLessThan(Math.min(...rows.map((row) => row.bottom)));
    // The language select keeps its accessible name without the visible word.
    expect(await tracked.page.getByLabel('Language').inputValue()).toBe('javascript');
    expect(tracked.errors).toEqual([]);
  });
});

describe('deleting a session', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('lets the browser that created a session delete it for everyone, and nobody else', async () => {
    const owner = await suite.newPage({ acceptDialogs: true });
    await owner.page.goto(suite.server.url);
    await owner.page.getByRole('button', { name: 'New session' }).click();
    await owner.page.waitForURL(/\/s\/[A-Za-z0-9_-]{22}$/);
    await waitForEditable(owner.page);
    const id = new URL(owner.page.url()).pathname.split('/')[2]!;

    const guest = await openSessionPage(suite.browser, suite.server.url, id);
    suite.track(guest);
    expect(await guest.page.getByRole('button', { name: 'Delete session' }).count()).toBe(0);

    await owner.page.getByRole('button', { name: 'Delete session' }).click();
    const message = FINAL_CLOSE_MESSAGES[CLOSE_CODES.GONE]!;
    for (const tracked of [owner, guest]) {
      await tracked.page.getByRole('alert').filter({ hasText: message }).waitFor();
    }
    expect(owner.dialogs).toEqual(['Delete this session for everyone? The code cannot be recovered.']);
    expect((await fetch(`${suite.server.url}/api/sessions/${id}`)).status).toBe(404);
  });
});

describe('loading a share link', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('answers with hints that fetch the page at once, Monaco only later, and keeps them off the start page', async () => {
    const { id } = await createSession(suite.server.url);
    const sessionHtml = await fetch(`${suite.server.url}${sharePath(id)}`).then((response) =>
      response.text(),
    );
    const preloads = [...sessionHtml.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)"/g)].map(
      (match) => match[1]!,
    );
    // The editor's chunks, found by what they define, are among the hints.
    const sources = await Promise.all(
      preloads.map(async (path) => {
        const response = await fetch(`${suite.server.url}${path}`);
        expect(response.status, path).toBe(200);
        expect(response.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
        return response.text();
      }),
    );
    expect(sources.some((source) => source.includes('session-page'))).toBe(true);
    expect(preloads.some((path) => /\/session-page-[\w-]+\.js$/.test(path))).toBe(true);
    expect(preloads.some((path) => /\/early-connection-[\w-]+\.js$/.test(path))).toBe(true);
    // Monaco has a chunk of its own, which the session page imports once the code has synced: nothing
    // hinted holds it, so its compilation does not compete with the connection and the plain view.
    expect(sources.filter((source) => source.includes('MonacoEnvironment'))).toHaveLength(0);
    // Its styles are hinted, so they are there when it comes.
    expect(sessionHtml).toMatch(
      /<link rel="preload" as="style" crossorigin href="\/assets\/editor-binding-[\w-]+\.css"/,
    );
    const homeHtml = await fetch(suite.server.url).then((response) => response.text());
    expect(homeHtml).not.toMatch(/session-page|monaco-(?:base|model|editor)-/);
  });

  it('opens one connection for the session, and edits go through it', async () => {
    const { id } = await createSession(suite.server.url, { content: 'const a = 1;\n' });
    const tracked = await suite.newPage();
    const sockets: string[] = [];
    tracked.page.on('websocket', (socket) => sockets.push(socket.url()));
    await tracked.page.goto(`${suite.server.url}${sharePath(id)}`);
    await waitForEditable(tracked.page);
    expect(await editorValue(tracked.page)).toBe('const a = 1;\n');
    await typeAtEnd(tracked.page, 'a;');
    const other = await openSessionPage(suite.browser, suite.server.url, id);
    suite.track(other);
    await expectEditorValue(other.page, 'const a = 1;\na;');
    expect(sockets).toHaveLength(1);
    expect(tracked.errors).toEqual([]);
  });
});

describe('session page states', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('says a session that does not exist does not exist, and stops connecting', async () => {
    const tracked = await suite.newPage();
    await tracked.page.goto(`${suite.server.url}/s/AAAAAAAAAAAAAAAAAAAAAA`);
    const message = FINAL_CLOSE_MESSAGES[CLOSE_CODES.NOT_FOUND]!;
    await tracked.page.getByRole('alert').filter({ hasText: message }).waitFor();
    await eventually(() => providerState(tracked)).toEqual({
      status: 'closed',
      shouldConnect: false,
      socket: false,
      readOnly: true,
    });
    expect(await connectionText(tracked.page)).toContain('Disconnected');
  });

  it('says a malformed session link does not exist without opening a socket', async () => {
    const tracked = await suite.newPage();
    let sockets = 0;
    tracked.page.on('websocket', () => {
      sockets++;
    });
    await tracked.page.goto(`${suite.server.url}/s/not-a-session`);
    await tracked.page.getByRole('alert').filter({ hasText: 'This session does not exist.' }).waitFor();
    expect(sockets).toBe(0);
  });

  it('stops and explains when the server ends the session with a final close code', async () => {
    const { id } = await createSession(suite.server.url, { content: 'soon gone\n' });
    const tracked = await openSessionPage(suite.browser, suite.server.url, id);
    suite.track(tracked);
    suite.server.app.sessionRegistry.evict(id, CLOSE_CODES.GONE, 'deleted');

    const message = FINAL_CLOSE_MESSAGES[CLOSE_CODES.GONE]!;
    await tracked.page.getByRole('alert').filter({ hasText: message }).waitFor();
    await eventually(() => providerState(tracked)).toMatchObject({ status: 'closed', shouldConnect: false });
    expect(await editorValue(tracked.page)).toBe('soon gone\n');
  });

  it('says the server refuses the connection when the session exists but its socket never opens', async () => {
    // The holder below never syncs: a long handshake deadline keeps it from being dropped meanwhile.
    const strict = await startServer({ MAX_CONNECTIONS_PER_IP: '1', HANDSHAKE_TIMEOUT_MS: '600000' });
    // This address's only allowed connection is taken: every upgrade of the page is refused with 429.
    let holder: WebSocket | null = null;
    try {
      const { id } = await createSession(strict.url, { content: 'kept\n' });
      holder = new WebSocket(`${strict.url.replace(/^http/, 'ws')}/ws/${id}`);
      await once(holder, 'open');
      const tracked = await suite.newPage();
      await tracked.page.goto(`${strict.url}/s/${id}`);
      await eventually(() => connectionText(tracked.page)).toBe('Refused by the server, retrying…');
      // Not a final state: the page neither gives up nor claims the session is gone...
      expect(await providerState(tracked)).toMatchObject({ shouldConnect: true });
      expect(await tracked.page.locator('.session-banner').count()).toBe(0);
      // ...and connects as soon as the server lets it.
      holder.close();
      await eventually(() => connectionText(tracked.page)).toBe('Connected');
      await expectEditorValue(tracked.page, 'kept\n');
    } finally {
      holder?.close();
      await strict.close();
    }
  });

  it('shows offline while the connection is down, reconnects, and keeps edits made meanwhile', async () => {
    const { id } = await createSession(suite.server.url, { content: '' });
    const a = await openSessionPage(suite.browser, suite.server.url, id);
    const b = await openSessionPage(suite.browser, suite.server.url, id);
    suite.track(a, b);
    await eventually(() => connectionText(a.page)).toContain('Connected');

    await a.context.setOffline(true);
    await a.page.evaluate(() => document.querySelector('session-page')?.provider?.ws?.close());
    await eventually(() => connectionText(a.page)).toContain('Offline, reconnecting');
    await typeAtEnd(a.page, 'written offline');
    const offlineText = await editorValue(a.page);

    await a.context.setOffline(false);
    await eventually(() => connectionText(a.page)).toContain('Connected');
    await expectEditorValue(b.page, offlineText);
  });
});

describe('a full session', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let smallServer: RunningServer;

  beforeAll(async () => {
    smallServer = await startServer({ MAX_PEERS_PER_SESSION: '1' });
  });

  afterAll(async () => {
    await smallServer?.close();
  });

  it('tells the person who does not fit that the session is full, and stops retrying', async () => {
    const { id } = await createSession(smallServer.url);
    const first = await openSessionPage(suite.browser, smallServer.url, id);
    suite.track(first);
    const second = await suite.newPage();
    await second.page.goto(`${smallServer.url}/s/${id}`);

    const message = FINAL_CLOSE_MESSAGES[CLOSE_CODES.SESSION_FULL]!;
    await second.page.getByRole('alert').filter({ hasText: message }).waitFor();
    await eventually(() => providerState(second)).toMatchObject({ status: 'closed', shouldConnect: false });
    expect(await connectionText(first.page)).toBe('Connected');
  });
});
