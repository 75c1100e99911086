/**
 * Renders docs/screenshot.png: two people editing one session, seen from one of them.
 * Run with `node --import tsx client/test/screenshot.ts` after `npm run build:client`.
 */
import { launchBrowser } from './support/browser.js';
import { createSession, startServer } from './support/server.js';
import { openSessionPage, typeAtEnd } from './support/session-page.js';

const CODE = `// Merge overlapping meeting slots into free-busy blocks.
type Slot = { start: number; end: number };

export function mergeSlots(slots: Slot[]): Slot[] {
  const sorted = [...slots].sort((a, b) => a.start - b.start);
  const merged: Slot[] = [];
  for (const slot of sorted) {
    const last = merged.at(-1);
    if (last && slot.start <= last.end) {
      last.end = Math.max(last.end, slot.end);
    } else {
      merged.push({ ...slot });
    }
  }
  return merged;
}

console.log(mergeSlots([
  { start: 9, end: 10 },
  { start: 9.5, end: 11 },
  { start: 13, end: 14 },
]));
`;

const server = await startServer();
const browser = await launchBrowser();
try {
  const { id } = await createSession(server.url, { language: 'typescript', content: CODE });
  const viewport = { width: 1360, height: 780 };
  const ada = await openSessionPage(browser, server.url, id, {
    user: { name: 'Ada', color: '#e5484d' },
    viewport,
  });
  const grace = await openSessionPage(browser, server.url, id, {
    user: { name: 'Grace', color: '#30a46c' },
    viewport,
  });
  const bob = await openSessionPage(browser, server.url, id, {
    user: { name: 'Bob', color: '#3e63dd' },
    viewport,
  });

  await grace.page.evaluate(() => {
    const editor = document.querySelector('session-page')?.editor;
    editor?.setSelection({ startLineNumber: 9, startColumn: 5, endLineNumber: 9, endColumn: 44 });
    editor?.focus();
  });
  await bob.page.evaluate(() => {
    const editor = document.querySelector('session-page')?.editor;
    editor?.setPosition({ lineNumber: 5, column: 60 });
    editor?.focus();
  });
  // Last, so that every name is still showing: a name fades out a while after its person's last move.
  await typeAtEnd(ada.page, '// TODO: handle empty input');
  await bob.page.locator('.remote-cursor-label', { hasText: 'Grace' }).waitFor();
  await bob.page.locator('.remote-cursor-label', { hasText: 'Ada' }).waitFor();
  await bob.page.locator('user-list li').nth(2).waitFor();
  await bob.page.waitForFunction(() =>
    [...document.querySelectorAll('.remote-cursor-label')].every(
      (label) => getComputedStyle(label).opacity === '1',
    ),
  );
  await bob.page.screenshot({ path: 'docs/screenshot.png' });
  console.log('wrote docs/screenshot.png');
} finally {
  await browser.close();
  await server.close();
}
