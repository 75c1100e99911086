/**
 * The frame most browser test files share: one Chromium and one server for the whole file, and whatever a
 * test opened (pages, Node peers) closed after that test. Call `useBrowserSuite()` at the top of the file;
 * its handles are valid inside hooks and tests.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { launchBrowser, type NewPageOptions, newTrackedPage, type TrackedPage } from './browser.js';
import { type RunningServer, startServer } from './server.js';

export interface BrowserSuite {
  readonly browser: Browser;
  readonly server: RunningServer;
  /** A fresh page in its own context, closed after the test. */
  newPage(options?: NewPageOptions): Promise<TrackedPage>;
  /** Closes pages opened some other way after the test. */
  track(...pages: TrackedPage[]): void;
  /** Destroys a Node peer (and its document) after the test. */
  trackProvider(provider: WebsocketProvider): WebsocketProvider;
}

export interface BrowserSuiteOptions {
  /** The server's environment (limits, stores) for the whole file. */
  serverEnv?: Record<string, string>;
  /** Checked for every page before it is closed, e.g. that it logged no errors. */
  checkPage?: (page: TrackedPage) => void;
}

export function useBrowserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  let browser: Browser | null = null;
  let server: RunningServer | null = null;
  const pages: TrackedPage[] = [];
  const providers: WebsocketProvider[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer(options.serverEnv);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async () => {
    for (const provider of providers.splice(0)) {
      provider.destroy();
      provider.doc.destroy();
    }
    for (const page of pages.splice(0)) {
      try {
        options.checkPage?.(page);
      } finally {
        await page.context.close();
      }
    }
  });

  const startedBrowser = (): Browser => {
    if (browser === null) throw new Error('The browser starts in beforeAll: use it inside hooks and tests.');
    return browser;
  };

  return {
    get browser() {
      return startedBrowser();
    },
    get server() {
      if (server === null) throw new Error('The server starts in beforeAll: use it inside hooks and tests.');
      return server;
    },
    async newPage(pageOptions) {
      const page = await newTrackedPage(startedBrowser(), pageOptions);
      pages.push(page);
      return page;
    },
    track(...opened) {
      pages.push(...opened);
    },
    trackProvider(provider) {
      providers.push(provider);
      return provider;
    },
  };
}
