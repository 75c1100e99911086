import type { Language } from './languages.js';
import type { RunLimits } from './run-record.js';

/** `POST /api/sessions` body; every field optional. */
export interface CreateSessionRequest {
  language?: Language;
  content?: string;
}

/** `201` answer of `POST /api/sessions`. */
export interface CreateSessionResponse {
  id: string;
  /** The share path, `/s/<id>`. */
  url: string;
  /**
   * Proves ownership: `DELETE /api/sessions/<id>` with `Authorization: Bearer <ownerToken>` deletes the
   * session. Shown only in this answer; the server keeps only a hash of it.
   */
  ownerToken: string;
}

/** `GET /api/sessions/<id>`. */
export interface SessionInfo {
  id: string;
  language: Language;
  /** ISO 8601 */
  createdAt: string;
  /** People connected right now. */
  connections: number;
  /** Bytes of the document's encoded state. */
  documentBytes: number;
  /** ISO 8601: when the session is deleted unless someone uses it before; every use moves it forward. */
  expiresAt: string;
  /** This server's MAX_RUNS_KEPT, MAX_RUN_OUTPUT_BYTES and MAX_RUN_OUTPUT_LINES: runs beyond them are refused. */
  runLimits: RunLimits;
}

/** `GET /api/sessions/<id>/content`: the code as `text/plain`, named `<SESSION_DOWNLOAD_BASENAME>.<ext>`. */
export const SESSION_DOWNLOAD_BASENAME = 'code';

/** RFC 9457 problem details, as every error answer carries them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
}
