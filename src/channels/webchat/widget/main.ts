import { ChatView } from './chat-view.js';
import { WidgetConnection } from './widget-connection.js';
import { stringsFor } from './widget-strings.js';

/**
 * Widget entry point (bundled to `/webchat/widget.js`). Configured by its script tag:
 * `data-locale` (en, pt-BR, es; default: the browser's language), `data-server` (default: the
 * script's origin), `data-persist` (`session` default, or `local` to survive closing the tab),
 * `data-open` (`true` to open on load), `data-customer-token` (your server's signed token for
 * the logged-in customer, docs/webchat.md "Identify your logged-in customers"; or set
 * `window.HandoverWebChatOptions = { customerToken }` before the script, the token or a function
 * that fetches a fresh one from your server, asked each time the chat connects). Without a token
 * the visitor chats anonymously. Exposes `window.HandoverWebChat` with `open`, `close` and
 * `reconnect` (drops the socket; used by tests to simulate a network failure).
 *
 * @example
 * <script src="https://chat.example.com/webchat/widget.js" data-locale="pt-BR" data-customer-token="eyJhbGciOiJIUzI1NiJ9…"></script>
 */
export function startWidget(script: HTMLScriptElement | null): void {
  const data = script?.dataset ?? {};
  const scriptOrigin = script?.src ? new URL(script.src, location.href).origin : location.origin;
  const server = data['server'] ?? scriptOrigin;
  const wsUrl = `${server.replace(/^http/, 'ws').replace(/\/$/, '')}/webchat/ws`;
  const httpBase = server.replace(/^ws/, 'http').replace(/\/$/, '');
  const { locale, strings } = stringsFor(data['locale'] ?? navigator.language);
  const storage = safeStorage(data['persist'] === 'local' ? 'localStorage' : 'sessionStorage');
  const openKey = 'handover.webchat.open';
  const options = (window as unknown as { HandoverWebChatOptions?: { customerToken?: unknown } }).HandoverWebChatOptions;
  const option = options?.customerToken;
  const fromOption = typeof option === 'string' || typeof option === 'function' ? (option as string | (() => string | Promise<string>)) : undefined;
  const customerToken = data['customerToken'] || fromOption || undefined;

  let connection: WidgetConnection;
  let typingSentAt = 0;
  let counter = 0;
  const newClientId = (): string => `c_${Date.now().toString(36)}_${(counter++).toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const view = new ChatView(document.body, strings, {
    onOpen: () => {
      storage?.setItem(openKey, '1');
      // Conversations start when the customer opens the chat, not on every page view.
      connection.connect();
    },
    onSend: (text, value) => {
      // unique across tabs and reloads (kept lines keep theirs): the server stores each id once
      const clientActivityId = newClientId();
      view.addPending(clientActivityId, text);
      connection.sendText(text, clientActivityId, value);
    },
    onAttach: (file) => {
      const clientActivityId = newClientId();
      view.addPendingFile(clientActivityId, file);
      void uploadFile(httpBase, connection.currentSession(), file, clientActivityId, locale).then(
        (activityId) => view.markSent(clientActivityId, activityId),
        (e: { code?: string; message?: string }) => view.markFileRefused(clientActivityId, e.code, e.message),
      );
    },
    onTyping: () => {
      // At most one typing signal every 3 s; the agent's console needs no more.
      const now = Date.now();
      if (now - typingSentAt > 3000) {
        typingSentAt = now;
        connection.sendTyping();
      }
    },
  });
  view.host.lang = locale;
  const close = view.close.bind(view);
  view.close = () => {
    storage?.removeItem(openKey);
    close();
  };
  const showUnsent = (): void => {
    // lines typed before a reload (or before a new conversation replaced the old one) and not yet stored
    for (const line of connection.unsentLines()) {
      view.addPending(line.clientActivityId, line.text);
      view.markUnsent(line.clientActivityId);
    }
  };
  connection = new WidgetConnection(wsUrl, storage, locale, {
    onStatus: (s) => view.setConnection(s, connection.refusedBecause()),
    onActivities: (activities) => view.render(activities),
    onReset: () => {
      view.reset();
      showUnsent();
    },
    onLineSent: (id, activityId) => view.markSent(id, activityId),
    onLineSending: (id) => view.markSending(id),
    onLineUnsent: (id, code) => view.markUnsent(id, code),
  }, customerToken);
  showUnsent();
  if (connection.hasStoredSession() || connection.unsentLines().length > 0) connection.connect();
  if (data['open'] === 'true' || storage?.getItem(openKey) === '1') view.open();

  (window as unknown as { HandoverWebChat: unknown }).HandoverWebChat = {
    open: () => view.open(),
    close: () => view.close(),
    reconnect: () => connection.dropForTest(),
  };
}

/**
 * Sends a file the way Direct Line clients do (`POST /v3/directline/conversations/{id}/upload`,
 * multipart: the activity, then the file), with the conversation's token. Resolves with the stored
 * activity's id; rejects with the server's `{ code, message }` (413 too large, 415 a type it does
 * not take) or `{}` when the network failed.
 */
async function uploadFile(
  httpBase: string,
  session: { conversationId: string; token: string } | undefined,
  file: File,
  clientActivityId: string,
  locale: string,
): Promise<string | undefined> {
  if (session === undefined) throw { code: 'HANDOVER_ERR_UNKNOWN_CONVERSATION', message: 'no conversation yet' };
  const form = new FormData();
  const activity = { type: 'message', locale, attachments: [{ contentType: file.type, name: file.name }], channelData: { clientActivityID: clientActivityId } };
  form.append('activity', new Blob([JSON.stringify(activity)], { type: 'application/vnd.microsoft.activity' }));
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(`${httpBase}/v3/directline/conversations/${encodeURIComponent(session.conversationId)}/upload`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${session.token}` },
      body: form,
    });
  } catch {
    throw {};
  }
  const body = (await res.json().catch(() => ({}))) as { id?: unknown; error?: { code?: string; message?: string } };
  if (!res.ok) throw { code: body.error?.code, message: body.error?.message };
  return typeof body.id === 'string' ? body.id : undefined;
}

function safeStorage(kind: 'localStorage' | 'sessionStorage'): Storage | undefined {
  try {
    return window[kind];
  } catch {
    // Blocked storage (sandboxed iframe, privacy settings): the chat works without persistence.
    return undefined;
  }
}

const current = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => startWidget(current));
else startWidget(current);
