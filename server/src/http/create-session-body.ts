import type { CreateSessionRequest } from '../../../shared/api.js';
import { isLanguage, LANGUAGE_IDS } from '../../../shared/languages.js';
import { ProblemError } from './problem.js';

const ALLOWED_FIELDS = new Set(['language', 'content']);

/**
 * Checks a `POST /api/sessions` body exactly: an absent body or a JSON object with only `language` (a known
 * language id) and `content` (a string within the size limit). Anything else is refused, never trimmed.
 * The one transformation is line endings: the document holds LF only (editors on Windows and Unix must see
 * the same offsets), so CRLF and lone CR in the initial content become LF.
 */
export function parseCreateSessionBody(body: unknown, maxContentBytes: number): CreateSessionRequest {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('The body must be a JSON object.');
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !ALLOWED_FIELDS.has(key));
  if (unknown.length > 0) throw invalid(`Unknown field(s): ${unknown.slice(0, 5).join(', ')}.`);
  const request: CreateSessionRequest = {};
  if (fields.language !== undefined) {
    if (!isLanguage(fields.language)) {
      throw new ProblemError(
        400,
        'UNKNOWN_LANGUAGE',
        'Unknown language',
        `"language" must be one of ${LANGUAGE_IDS.join(', ')}.`,
      );
    }
    request.language = fields.language;
  }
  if (fields.content !== undefined) {
    if (typeof fields.content !== 'string') throw invalid('"content" must be a string.');
    if (Buffer.byteLength(fields.content, 'utf8') > maxContentBytes) {
      throw new ProblemError(
        413,
        'CONTENT_TOO_LARGE',
        'Content too large',
        `"content" may hold at most ${maxContentBytes} bytes.`,
      );
    }
    request.content = toLineFeeds(fields.content);
  }
  return request;
}

function toLineFeeds(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function invalid(detail: string): ProblemError {
  return new ProblemError(400, 'INVALID_BODY', 'Invalid request body', detail);
}
