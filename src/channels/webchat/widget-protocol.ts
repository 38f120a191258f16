/**
 * The widget's WebSocket protocol (`/webchat/ws`), JSON text frames. Types only, so the browser
 * bundle can import them without pulling zod in.
 *
 * Client → server: `start` (new conversation) or `resume` (conversation id + token + watermark)
 * first; then `message`, `typing`, `refresh`. Server → client: `session` (conversation id and a
 * fresh token, after start/resume/refresh), `activities` (history first, then live), `error`.
 *
 * @example
 * ws.send(JSON.stringify({ type: 'resume', conversationId, token, watermark: '12' } satisfies WidgetClientMessage));
 */
export type WidgetClientMessage =
  | { type: 'start'; locale?: string; userName?: string }
  | { type: 'resume'; conversationId: string; token: string; watermark?: string; locale?: string }
  | { type: 'message'; text: string; clientActivityId?: string; value?: unknown }
  | { type: 'typing' }
  | { type: 'refresh' };

/** Server → widget frames; `activities` carries Bot Framework activities as plain JSON. */
export type WidgetServerMessage =
  | { type: 'session'; conversationId: string; token: string; expiresIn: number; userId: string; resumed: boolean }
  | { type: 'activities'; activities: ReadonlyArray<Record<string, unknown>>; watermark?: string }
  | { type: 'error'; code: string; message: string };
