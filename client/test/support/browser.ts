/**
 * Real Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core. A missing browser
 * fails the test with the command that installs it; it never skips.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

export { CHROMIUM_ARGS, CHROMIUM_PATH, ChromiumMissingError, launchBrowser } from './chromium.js';

/** Playwright's wait for any single page action or condition. */
export const PAGE_TIMEOUT_MS = 60_000;

/** A vitest timeout for browser tests that open a few pages one after another. */
export const BROWSER_TEST_TIMEOUT_MS = 180_000;

export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught exceptions and `console.error` lines of the page, for asserting a clean run. */
  errors: string[];
  /** Messages of any `alert`/`confirm`/`prompt` the page opened (dismissed unless `acceptDialogs`). */
  dialogs: string[];
}

export interface NewPageOptions {
  /** Sets `localStorage` entries before any page script runs (e.g. the stored identity). */
  localStorage?: Record<string, string>;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** Answer dialogs with OK instead of Cancel (a person confirming an action). */
  acceptDialogs?: boolean;
}

/**
 * A page in its own browser context, so two pages share neither storage nor BroadcastChannel and really
 * talk through the server.
 */
export async function newTrackedPage(browser: Browser, options: NewPageOptions = {}): Promise<TrackedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  if (options.localStorage) {
    await context.addInitScript((entries: Record<string, string>) => {
      // Init scripts run in every frame, the sandboxed run frame too, which has no storage by design.
      if (window !== window.top) return;
      for (const [key, value] of Object.entries(entries)) window.localStorage.setItem(key, value);
    }, options.localStorage);
  }
  // Page loads parse megabytes of JavaScript; on a busy two-core machine they can take tens of seconds.
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const page = await context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void (options.acceptDialogs ? dialog.accept() : dialog.dismiss());
  });
  return { page, context, errors, dialogs };
}
