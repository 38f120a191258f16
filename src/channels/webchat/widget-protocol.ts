/**
 * The widget's WebSocket protocol (`/webchat/ws`), JSON text frames. Types only, so the browser
 * bundle can import them without pulling zod in.
 *
 * Client → server: `start` (new conversation; `customerToken`: the site's signed token for its
 * signed-in customer, see customer-token.ts) or `resume` (conversation id + token + watermark)
 * first; then `message`, `typing`, `refresh`. Server → client: `session` (conversation id and a
 * fresh token, after start/resume/refresh), `activities` (history first, then live), `ack`,
 * `status`, `error`.
 *
 * A `message` with a `clientActivityId` gets exactly one answer naming it: `ack` once the line is
 * stored (and, on Redis, in the turn inbox: it will be answered even if this process dies), or an
 * `error` with `retryAfterMs` when it was not stored (the store is away: send the same frame again,
 * same id, after that wait; a resend of a line that was stored after all is acknowledged again and
 * stored once). `status` says whether lines can be stored right now (`sending: false` while the
 * store is away), so the header can say so before the customer types.
 *
 * @example
 * ws.send(JSON.stringify({ type: 'resume', conversationId, token, watermark: '12' } satisfies WidgetClientMessage));
 */
export type WidgetClientMessage =
  | { type: 'start'; locale?: string; userName?: string; customerToken?: string }
  | { type: 'resume'; conversationId: string; token: string; watermark?: string; locale?: string }
  | { type: 'message'; text: string; clientActivityId?: string; value?: unknown }
  | { type: 'typing' }
  | { type: 'refresh' };

/** Server → widget frames; `activities` carries Bot Framework activities as plain JSON. */
export type WidgetServerMessage =
  | { type: 'session'; conversationId: string; token: string; expiresIn: number; userId: string; resumed: boolean }
  | { type: 'activities'; activities: ReadonlyArray<Record<string, unknown>>; watermark?: string }
  | { type: 'ack'; clientActivityId: string; id: string; watermark?: string }
  | { type: 'status'; sending: boolean }
  | { type: 'error'; code: string; message: string; clientActivityId?: string; retryAfterMs?: number };
