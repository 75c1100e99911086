/** Monaco themes matching the page's palette, following the system's light or dark preference. */
import { monaco } from './monaco.js';

const DARK_QUERY = '(prefers-color-scheme: dark)';

monaco.editor.defineTheme('code-collab-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#ffffff', 'editorLineNumber.foreground': '#a0a4ad' },
});

monaco.editor.defineTheme('code-collab-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#16181d', 'editorLineNumber.foreground': '#5c6270' },
});

export function currentThemeName(): string {
  return window.matchMedia(DARK_QUERY).matches ? 'code-collab-dark' : 'code-collab-light';
}

/** Keeps Monaco's theme in step with the system setting; returns the function that stops it. */
export function followSystemTheme(): () => void {
  const query = window.matchMedia(DARK_QUERY);
  const apply = () => monaco.editor.setTheme(currentThemeName());
  query.addEventListener('change', apply);
  return () => query.removeEventListener('change', apply);
}
