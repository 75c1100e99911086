/**
 * The languages a session can be in. `monaco` is the Monaco language id; `runnable` says whether the run
 * panel can execute it in the browser; `extension` names downloads.
 */
export const LANGUAGES = {
  javascript: { label: 'JavaScript', monaco: 'javascript', extension: 'js', runnable: true },
  typescript: { label: 'TypeScript', monaco: 'typescript', extension: 'ts', runnable: true },
  python: { label: 'Python', monaco: 'python', extension: 'py', runnable: true },
  html: { label: 'HTML', monaco: 'html', extension: 'html', runnable: false },
  css: { label: 'CSS', monaco: 'css', extension: 'css', runnable: false },
  json: { label: 'JSON', monaco: 'json', extension: 'json', runnable: false },
  markdown: { label: 'Markdown', monaco: 'markdown', extension: 'md', runnable: false },
  plaintext: { label: 'Plain text', monaco: 'plaintext', extension: 'txt', runnable: false },
} as const;

export type Language = keyof typeof LANGUAGES;

export const DEFAULT_LANGUAGE: Language = 'javascript';

export const LANGUAGE_IDS = Object.keys(LANGUAGES) as Language[];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && Object.hasOwn(LANGUAGES, value);
}
