import type { WidgetClientMessage, WidgetServerMessage } from '../widget-protocol.js';

/** A Bot Framework activity as the widget sees it (plain JSON from the server). */
export interface WireActivity {
  id?: string;
  type?: string;
  text?: string;
  name?: string;
  from?: { id?: string; name?: string; role?: string };
  channelData?: Record<string, unknown>;
  suggestedActions?: { actions?: Array<{ type?: string; title?: string; value?: unknown; text?: string; displayText?: string }> };
}

/** Callbacks of {@link WidgetConnection}. */
export interface ConnectionEvents {
  onStatus(status: 'connecting' | 'online' | 'reconnecting'): void;
  /** `replay` is true for the history sent right after a (re)connect. */
  onActivities(activities: readonly WireActivity[], replay: boolean): void;
  /** The stored conversation could not be resumed and a new one started: clear the view. */
  onReset(): void;
}

interface StoredSession {
  conversationId: string;
  token: string;
}

const storageKey = 'handover.webchat.session';
const resumeFailures = new Set(['HANDOVER_ERR_UNAUTHORIZED', 'HANDOVER_ERR_FORBIDDEN', 'HANDOVER_ERR_UNKNOWN_CONVERSATION']);

/**
 * The widget's socket: starts or resumes the conversation (id + token kept in Web Storage so a
 * page reload continues it), reconnects with backoff after a drop and resumes from the last
 * watermark, queues messages typed while offline, refreshes the token before it expires.
 *
 * @example
 * const conn = new WidgetConnection('wss://shop.example/webchat/ws', sessionStorage, 'en', events);
 * conn.connect(); conn.sendText('hi', 'c-1');
 */
export class WidgetConnection {
  private ws: WebSocket | undefined;
  private session: StoredSession | undefined;
  private watermark = '';
  private attempts = 0;
  private ready = false;
  private replayPending = false;
  private readonly outbox: WidgetClientMessage[] = [];
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly storage: Storage | undefined,
    private readonly locale: string,
    private readonly events: ConnectionEvents,
  ) {
    this.session = this.load();
  }

  /** True when a conversation from an earlier page load can be resumed. */
  hasStoredSession(): boolean {
    return this.session !== undefined;
  }

  connect(): void {
    if (this.ws !== undefined || this.stopped) return;
    this.events.onStatus(this.attempts === 0 ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      const hello: WidgetClientMessage =
        this.session === undefined
          ? { type: 'start', locale: this.locale }
          : { type: 'resume', conversationId: this.session.conversationId, token: this.session.token, watermark: this.watermark, locale: this.locale };
      this.replayPending = true;
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (e) => this.onFrame(String(e.data));
    ws.onclose = () => {
      this.ws = undefined;
      this.ready = false;
      if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
      if (this.stopped) return;
      this.events.onStatus('reconnecting');
      // Exponential backoff with jitter, capped, so a restarting server is not stampeded.
      const delay = Math.min(15_000, 500 * 2 ** this.attempts) * (0.5 + Math.random() / 2);
      this.attempts++;
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    };
  }

  sendText(text: string, clientActivityId: string, value?: unknown): void {
    this.send({ type: 'message', text, clientActivityId, ...(value === undefined ? {} : { value }) });
  }

  sendTyping(): void {
    // Typing is only meaningful now; never queue it.
    if (this.ready) this.ws?.send(JSON.stringify({ type: 'typing' } satisfies WidgetClientMessage));
  }

  /** Test and page hook: drop the socket as a network failure would (reconnect follows). */
  dropForTest(): void {
    this.ws?.close();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.ws?.close();
  }

  private send(m: WidgetClientMessage): void {
    if (this.ready && this.ws !== undefined) this.ws.send(JSON.stringify(m));
    else this.outbox.push(m);
  }

  private onFrame(data: string): void {
    let m: WidgetServerMessage;
    try {
      m = JSON.parse(data) as WidgetServerMessage;
    } catch {
      return;
    }
    if (m.type === 'session') {
      const isNew = this.session === undefined || this.session.conversationId !== m.conversationId;
      if (isNew && this.session !== undefined) this.events.onReset();
      if (isNew) this.watermark = '';
      this.session = { conversationId: m.conversationId, token: m.token };
      this.save();
      this.scheduleRefresh(m.expiresIn);
      return;
    }
    if (m.type === 'activities') {
      if (m.watermark !== undefined) this.watermark = m.watermark;
      const replay = this.replayPending;
      if (replay) {
        // The history frame comes right after session: now the conversation is live.
        this.replayPending = false;
        this.ready = true;
        this.attempts = 0;
        this.events.onStatus('online');
      }
      this.events.onActivities(m.activities as readonly WireActivity[], replay);
      if (replay) for (const queued of this.outbox.splice(0)) this.ws?.send(JSON.stringify(queued));
      return;
    }
    if (m.type === 'error' && !this.ready && resumeFailures.has(m.code)) {
      // The stored conversation is gone or its token expired: start a fresh one.
      this.session = undefined;
      this.watermark = '';
      this.clear();
      this.events.onReset();
      this.ws?.send(JSON.stringify({ type: 'start', locale: this.locale } satisfies WidgetClientMessage));
    }
  }

  private scheduleRefresh(expiresInSeconds: number): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    const ms = Math.max(30_000, expiresInSeconds * 1000 * 0.8);
    this.refreshTimer = setTimeout(() => this.send({ type: 'refresh' }), ms);
  }

  private load(): StoredSession | undefined {
    try {
      const raw = this.storage?.getItem(storageKey);
      if (raw === null || raw === undefined) return undefined;
      const s = JSON.parse(raw) as Partial<StoredSession>;
      return typeof s.conversationId === 'string' && typeof s.token === 'string' ? { conversationId: s.conversationId, token: s.token } : undefined;
    } catch {
      return undefined;
    }
  }

  private save(): void {
    try {
      this.storage?.setItem(storageKey, JSON.stringify(this.session));
    } catch {
      // Storage may be full or blocked (private mode): the chat still works, it just won't survive a reload.
    }
  }

  private clear(): void {
    try {
      this.storage?.removeItem(storageKey);
    } catch {
      /* see save() */
    }
  }
}
