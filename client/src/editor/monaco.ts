/**
 * Monaco as the session page uses it: the editor core, the editing features a code pad needs and the
 * syntax definitions of our languages. Not the full `monaco-editor` entry: it bundles every language and
 * language service, over a megabyte gzipped before the editor is usable. Features that were left out for
 * weight: word-based suggestions and snippets, the command palette, the context menu with its clipboard
 * actions (the browser's own cut, copy and paste keys still work).
 */
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/lineSelection/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
// Ctrl+M: lets keyboard users Tab out of the editor.
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/features/wordOperations/register';

import 'monaco-editor/languages/definitions/css/register';
import 'monaco-editor/languages/definitions/html/register';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/markdown/register';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/typescript/register';
import { registerJsonLanguage } from './json-language.js';
import { monaco } from './monaco-core.js';

registerJsonLanguage();

export { monaco };
