/** The REST calls the pages make. Errors carry the server's RFC 9457 problem title when there is one. */
import type {
  CreateSessionRequest,
  CreateSessionResponse,
  Problem,
  SessionInfo,
} from '../../../shared/api.js';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function createSession(request: CreateSessionRequest = {}): Promise<CreateSessionResponse> {
  const response = await fetch('/api/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (!response.ok) throw await apiError(response);
  return (await response.json()) as CreateSessionResponse;
}

/** The session's metadata, or `null` when the server says it does not exist. */
export async function fetchSessionInfo(id: string, signal?: AbortSignal): Promise<SessionInfo | null> {
  const response = await fetch(`/api/sessions/${encodeURIComponent(id)}`, { signal: signal ?? null });
  if (response.status === 404) return null;
  if (!response.ok) throw await apiError(response);
  return (await response.json()) as SessionInfo;
}

/** Deletes a session with the owner token its creation answered with. */
export async function deleteSession(id: string, ownerToken: string): Promise<void> {
  const response = await fetch(`/api/sessions/${encodeURIComponent(id)}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${ownerToken}` },
  });
  if (!response.ok) throw await apiError(response);
}

async function apiError(response: Response): Promise<ApiError> {
  let message = `The server answered ${response.status}.`;
  try {
    const problem = (await response.json()) as Partial<Problem>;
    if (typeof problem.detail === 'string') message = problem.detail;
    else if (typeof problem.title === 'string') message = problem.title;
  } catch {
    // Not a problem document; keep the status line.
  }
  return new ApiError(message, response.status);
}
