/**
 * The shape of a session's Y.Doc. Everything a client may write lives under these root names; the server
 * refuses updates that create any other root type.
 *
 * - `code`  (Y.Text): the source code.
 * - `meta`  (Y.Map, flat, primitive values): `language` and other session-wide settings.
 * - `runs`  (Y.Array of flat Y.Map-free JSON objects): the last runs and their output, newest last.
 */
export const DOC_ROOTS = {
  CODE: 'code',
  META: 'meta',
  RUNS: 'runs',
} as const;

export const META_KEYS = {
  LANGUAGE: 'language',
} as const;
