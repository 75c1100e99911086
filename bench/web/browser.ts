/** Debian's Chromium driven by playwright-core, launched exactly as the browser tests launch it. */
export { launchBrowser as launchChromium } from '../../client/test/support/chromium.js';
