/**
 * The owner tokens of the sessions this browser created. The server shows a token once, in the creation
 * answer, and keeps only its hash; keeping it here is what lets the creator delete the session later.
 * The list is bounded: the oldest tokens are forgotten first.
 */
export const OWNER_TOKENS_STORAGE_KEY = 'code-collab.owner-tokens';
export const MAX_OWNER_TOKENS_KEPT = 200;

type TokenList = Array<[sessionId: string, token: string]>;

function readTokens(): TokenList {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(OWNER_TOKENS_STORAGE_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (entry): entry is [string, string] =>
        Array.isArray(entry) &&
        entry.length === 2 &&
        typeof entry[0] === 'string' &&
        typeof entry[1] === 'string',
    );
  } catch {
    return [];
  }
}

function writeTokens(tokens: TokenList): void {
  try {
    localStorage.setItem(OWNER_TOKENS_STORAGE_KEY, JSON.stringify(tokens.slice(-MAX_OWNER_TOKENS_KEPT)));
  } catch {
    // Storage full or disabled: the session still works, only deleting it from this browser does not.
  }
}

export function rememberOwnerToken(sessionId: string, token: string): void {
  writeTokens([...readTokens().filter(([id]) => id !== sessionId), [sessionId, token]]);
}

export function ownerTokenFor(sessionId: string): string | null {
  return readTokens().find(([id]) => id === sessionId)?.[1] ?? null;
}

export function forgetOwnerToken(sessionId: string): void {
  writeTokens(readTokens().filter(([id]) => id !== sessionId));
}
