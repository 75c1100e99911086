/**
 * Launching Debian's Chromium through playwright-core, shared by the browser tests and the page benchmark.
 * A missing browser fails with the command that installs it; nothing skips.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Without the networking flags Chromium keeps trying to reach the internet from the test machine. Headless
 * Chromium also starts the address bar's popup UI (a renderer for `chrome://omnibox-popup.top-chrome`) for
 * every new context, which keeps a core busy for the first seconds of each page: a browser window does not,
 * so it is switched off, and the tests and the page bench time the page, not Chromium's own UI.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup',
] as const;

export class ChromiumMissingError extends Error {
  constructor(path: string) {
    super(
      `Chromium is not installed at ${path}; browser tests need it. Install it with: apt-get install -y chromium`,
    );
    this.name = 'ChromiumMissingError';
  }
}

/** Launches headless Chromium with a fresh profile (playwright creates a temporary user-data-dir). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? CHROMIUM_PATH;
  if (!existsSync(executablePath)) throw new ChromiumMissingError(executablePath);
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
}
