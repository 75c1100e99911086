/**
 * JSON syntax colouring without Monaco's JSON language service: the service and its worker weigh over
 * 200 KB gzipped, while a session only needs the colours (and bracket pairs) of a plain editor.
 */
import { monaco } from './monaco-core.js';

const JSON_ID = 'json';

export function registerJsonLanguage(): void {
  if (monaco.languages.getLanguages().some((language) => language.id === JSON_ID)) return;
  monaco.languages.register({ id: JSON_ID, extensions: ['.json'], aliases: ['JSON', 'json'] });
  monaco.languages.setLanguageConfiguration(JSON_ID, {
    brackets: [
      ['{', '}'],
      ['[', ']'],
    ],
    autoClosingPairs: [
      { open: '{', close: '}' },
      { open: '[', close: ']' },
      { open: '"', close: '"', notIn: ['string'] },
    ],
  });
  monaco.languages.setMonarchTokensProvider(JSON_ID, {
    tokenPostfix: '.json',
    tokenizer: {
      root: [
        [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'type'],
        [/"(?:[^"\\]|\\.)*"/, 'string'],
        [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
        [/\b(?:true|false|null)\b/, 'keyword'],
        [/[{}[\]]/, '@brackets'],
        [/[,:]/, 'delimiter'],
        [/\s+/, 'white'],
      ],
    },
  });
}
