/**
 * `fetch` for the console API: JSON in, JSON out, and a typed error carrying the server's
 * `{ error: { code, message } }`. Cookies travel automatically (same origin).
 *
 * @example
 * const me = await api<MeView>('GET', '/api/me');
 */
import type { ApiErrorBody } from '../api-types.js';

/**
 * An API answer with an error status, carrying the server's code.
 *
 * @example
 * catch (e) { if (e instanceof ApiError && e.status === 409) showTaken(); }
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Calls the API; throws `ApiError` for a 4xx/5xx.
 *
 * @example
 * const view = await api<ConversationView>('POST', conversationPath(id, 'accept'), {});
 */
export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => undefined)) as unknown;
  if (!res.ok) {
    const err = (data as Partial<ApiErrorBody> | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'HANDOVER_ERR_INTERNAL', err?.message ?? `HTTP ${res.status}`);
  }
  return data as T;
}

/**
 * Sends a file the agent picked to the customer (`POST …/files`): the body is the file itself, its type
 * the Content-Type, its name in `X-File-Name`; the reply box's text is the caption.
 *
 * @example
 * await sendFile(conversationPath(id, 'files'), input.files[0], 'Your return label');
 */
export async function sendFile(path: string, file: File, caption: string): Promise<void> {
  const res = await fetch(`${path}${caption === '' ? '' : `?caption=${encodeURIComponent(caption)}`}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream', 'X-File-Name': encodeURIComponent(file.name) },
    body: file,
  });
  if (res.ok) return;
  const err = ((await res.json().catch(() => undefined)) as Partial<ApiErrorBody> | undefined)?.error;
  throw new ApiError(res.status, err?.code ?? 'HANDOVER_ERR_INTERNAL', err?.message ?? `HTTP ${res.status}`);
}

/**
 * The API path of a conversation (ids contain ':' and are URL-encoded).
 *
 * @example
 * conversationPath('webchat:abc', 'accept'); // '/api/conversations/webchat%3Aabc/accept'
 */
export function conversationPath(id: string, action?: string): string {
  return `/api/conversations/${encodeURIComponent(id)}${action === undefined ? '' : `/${action}`}`;
}
