import type { WidgetClientMessage, WidgetServerMessage } from '../widget-protocol.js';

/** A Bot Framework activity as the widget sees it (plain JSON from the server). */
export interface WireActivity {
  id?: string;
  type?: string;
  text?: string;
  name?: string;
  from?: { id?: string; name?: string; role?: string };
  channelData?: Record<string, unknown>;
  attachments?: Array<{ contentType?: string; name?: string; contentUrl?: string }>;
  suggestedActions?: { actions?: Array<{ type?: string; title?: string; value?: unknown; text?: string; displayText?: string }> };
}

/**
 * What the header says: connecting / online / reconnecting (no socket), or `unavailable` — connected
 * but lines cannot be stored now (the server said so, or refused a line or a new conversation) —
 * or `throttled`: connected, but the customer sent too fast and the server asked to slow down.
 */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'unavailable' | 'throttled';

/** A line the customer typed that the server has not acknowledged yet. */
export interface OutgoingLine {
  readonly clientActivityId: string;
  readonly text: string;
  readonly value?: unknown;
}

/** Callbacks of {@link WidgetConnection}. */
export interface ConnectionEvents {
  onStatus(status: ConnectionStatus): void;
  /** `replay` is true for the history sent right after a (re)connect. */
  onActivities(activities: readonly WireActivity[], replay: boolean): void;
  /** The stored conversation could not be resumed and a new one started: clear the view. */
  onReset(): void;
  /** The line is stored (acknowledged, or its echo seen): show it as sent. */
  onLineSent(clientActivityId: string, activityId: string | undefined): void;
  /** The line is (again) on its way. */
  onLineSending(clientActivityId: string): void;
  /**
   * The line is not stored (refused, or the connection went with it unacknowledged): it is sent
   * again automatically. `code`: why the server refused it (HANDOVER_ERR_TOO_MANY_REQUESTS: slow down).
   */
  onLineUnsent(clientActivityId: string, code?: string): void;
}

interface StoredSession {
  conversationId: string;
  token: string;
  /** The signed-in customer it was started for (the customer token's `sub`); absent: anonymous. */
  customer?: string;
}

/** `waiting`: not on the wire (offline, or held back); `sent`: on the wire, no answer yet; `refused`: not stored, resent later. */
type LineState = 'waiting' | 'sent' | 'refused';

interface Line extends OutgoingLine {
  state: LineState;
}

const storageKey = 'handover.webchat.session';
const outboxKey = 'handover.webchat.outbox';
const resumeFailures = new Set(['HANDOVER_ERR_UNAUTHORIZED', 'HANDOVER_ERR_FORBIDDEN', 'HANDOVER_ERR_UNKNOWN_CONVERSATION']);
/** A start refused for who the visitor is: trying again cannot help until the page signs them in anew. */
const signInFailures = new Set(['HANDOVER_ERR_CUSTOMER_TOKEN_INVALID', 'HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED', 'HANDOVER_ERR_UNAUTHORIZED']);

/** The customer id (`sub`) a customer token names, read without checking it (the server checks). */
export function customerOfToken(token: string | undefined): string | undefined {
  const payload = token?.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The widget's socket: starts or resumes the conversation (id + token kept in Web Storage so a
 * page reload continues it), reconnects with backoff after a drop and resumes from the last
 * watermark, refreshes the token before it expires.
 *
 * Every line the customer types stays in an outbox (also in Web Storage, so a reload keeps it)
 * until the server acknowledges it (`ack`, or its echo in the history). A line the server refused
 * (`error` naming it: the store is away) is shown as not sent and sent again — same
 * `clientActivityId`, so the server stores it once even if an earlier copy did get through — after
 * the wait the server gave, or as soon as the server says lines can be stored again (`status`).
 * While lines cannot be stored, lines go one at a time (the first unacknowledged one probes), so
 * they are stored in the order they were typed. The header is never "Online" while a line is
 * refused or the server says it cannot store lines.
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
  /** Unacknowledged lines, in the order they were typed. */
  private readonly lines: Line[];
  /** The server said it cannot store lines now (`status`). */
  private storeDown = false;
  /** A line was refused since the last one was stored. */
  private troubled = false;
  /** Why the last line was refused (an error code). */
  private lineRefusal: string | undefined;
  /** start/resume was refused for now (store away, too many new chats): retrying. */
  private helloRefused: string | undefined;
  /** Set by a refused start/resume: the wait before the next connect. */
  private nextDelayMs: number | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retries = 0;
  private stopped = false;
  /** The last hello sent was `start` (a refused start is not answered by starting again). */
  private starting = false;
  private customer: string | undefined;
  /** The customer token of the current hello (the site's function is asked for one at each connect). */
  private token: string | undefined;

  constructor(
    private readonly url: string,
    private readonly storage: Storage | undefined,
    private readonly locale: string,
    private readonly events: ConnectionEvents,
    /**
     * The site's signed token for its signed-in customer (`data-customer-token`), sent with `start`;
     * or a function that gets a fresh one from the site's server, asked at each connect.
     */
    private readonly customerToken?: string | (() => string | Promise<string>),
  ) {
    this.token = typeof customerToken === 'string' ? customerToken : undefined;
    this.customer = customerOfToken(this.token);
    this.session = this.load();
    this.lines = this.loadOutbox();
    // (with a function the customer is known at the first connect: checked in hello())
    if (typeof customerToken !== 'function' && this.session !== undefined && this.session.customer !== this.customer) {
      // another customer signed in (or out) in this tab since: never resume someone else's chat
      this.session = undefined;
      this.clear();
      this.lines.length = 0;
      this.saveOutbox();
    }
  }

  /** True when a conversation from an earlier page load can be resumed. */
  hasStoredSession(): boolean {
    return this.session !== undefined;
  }

  /** Lines typed and not yet acknowledged (kept across a reload), oldest first. */
  unsentLines(): readonly OutgoingLine[] {
    return this.lines.map(({ clientActivityId, text, value }) => ({ clientActivityId, text, ...(value === undefined ? {} : { value }) }));
  }

  /** Why start/resume was refused for now (an error code), if it was. */
  refusedBecause(): string | undefined {
    return this.helloRefused;
  }

  connect(): void {
    if (this.ws !== undefined || this.stopped) return;
    this.emitStatus();
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => void this.hello(ws);
    ws.onmessage = (e) => this.onFrame(String(e.data));
    ws.onclose = () => this.onClose();
  }

  /** Sends `start` or `resume`, asking the site for a fresh customer token first when it gave a function. */
  private async hello(ws: WebSocket): Promise<void> {
    if (typeof this.customerToken === 'function') {
      try {
        const t = await this.customerToken();
        this.token = typeof t === 'string' && t !== '' ? t : undefined;
      } catch {
        // the site could not sign its customer in now: try again like a lost connection, never anonymously
        ws.close();
        return;
      }
      if (ws !== this.ws) return;
      const customer = customerOfToken(this.token);
      if (this.session !== undefined && this.session.customer !== customer) {
        // another customer signed in (or out) in this tab since: never resume someone else's chat
        this.session = undefined;
        this.watermark = '';
        this.clear();
        this.events.onReset();
      }
      this.customer = customer;
    }
    const hello: WidgetClientMessage =
      this.session === undefined
        ? this.startFrame()
        : { type: 'resume', conversationId: this.session.conversationId, token: this.session.token, watermark: this.watermark, locale: this.locale };
    this.starting = hello.type === 'start';
    this.replayPending = true;
    ws.send(JSON.stringify(hello));
  }

  private onClose(): void {
    this.ws = undefined;
    this.ready = false;
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    // What was on the wire may or may not have been stored: it goes again after the resume (stored once).
    for (const line of this.lines) {
      if (line.state === 'sent') {
        line.state = 'waiting';
        this.events.onLineUnsent(line.clientActivityId);
      }
    }
    if (this.stopped) return;
    // Exponential backoff with jitter, capped, so a restarting server is not stampeded.
    const backoff = Math.min(15_000, 500 * 2 ** this.attempts) * (0.5 + Math.random() / 2);
    const delay = Math.max(backoff, this.nextDelayMs ?? 0);
    this.nextDelayMs = undefined;
    this.attempts++;
    this.emitStatus();
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  /** Queues a line (kept until the server acknowledges it) and sends it when it can. */
  sendText(text: string, clientActivityId: string, value?: unknown): void {
    this.lines.push({ clientActivityId, text, ...(value === undefined ? {} : { value }), state: 'waiting' });
    this.saveOutbox();
    this.flush();
  }

  /** The conversation and its token (for an upload), once there is one. */
  currentSession(): { conversationId: string; token: string } | undefined {
    return this.session === undefined ? undefined : { conversationId: this.session.conversationId, token: this.session.token };
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
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.ws?.close();
  }

  /** Sends what may go now: every waiting line, or while lines cannot be stored only the first one (a probe). */
  private flush(): void {
    if (!this.ready || this.ws === undefined) return;
    if (this.storeDown || this.troubled) {
      if (this.lines.some((l) => l.state === 'sent')) return;
      const first = this.lines.find((l) => l.state === 'waiting');
      if (first !== undefined) this.put(first);
      return;
    }
    for (const line of this.lines) if (line.state === 'waiting') this.put(line);
  }

  private put(line: Line): void {
    line.state = 'sent';
    this.events.onLineSending(line.clientActivityId);
    this.ws?.send(
      JSON.stringify({ type: 'message', text: line.text, clientActivityId: line.clientActivityId, ...(line.value === undefined ? {} : { value: line.value }) } satisfies WidgetClientMessage),
    );
  }

  /** The server stored the line: forget it, and if lines were held back, let them go. */
  private stored(clientActivityId: string, activityId: string | undefined): void {
    const i = this.lines.findIndex((l) => l.clientActivityId === clientActivityId);
    if (i < 0) return;
    this.lines.splice(i, 1);
    this.saveOutbox();
    this.events.onLineSent(clientActivityId, activityId);
    if (this.troubled) {
      this.troubled = false;
      this.lineRefusal = undefined;
      this.retries = 0;
      this.emitStatus();
    }
    this.flush();
  }

  /**
   * The server did not store the line: show it as not sent and try again after `waitMs` (a store
   * outage, or too many lines too fast: then only one line goes at a time until one is stored).
   */
  private refused(clientActivityId: string, waitMs: number | undefined, code: string): void {
    const line = this.lines.find((l) => l.clientActivityId === clientActivityId);
    if (line === undefined) return;
    line.state = 'refused';
    this.lineRefusal = code;
    this.events.onLineUnsent(clientActivityId, code);
    // later lines already on the wire get their own answer; nothing new goes out until one is stored
    this.troubled = true;
    this.emitStatus();
    this.scheduleRetry(waitMs);
  }

  private scheduleRetry(waitMs: number | undefined): void {
    if (this.retryTimer !== undefined) return;
    const backoff = Math.min(10_000, 1000 * 2 ** this.retries);
    this.retries++;
    this.retryTimer = setTimeout(() => this.retryNow(), Math.max(waitMs ?? 0, backoff));
  }

  private retryNow(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    for (const line of this.lines) if (line.state === 'refused') line.state = 'waiting';
    this.flush();
  }

  private emitStatus(): void {
    let status: ConnectionStatus;
    // a resume refused for too many lines is the customer's own pace, not the network's
    if (!this.ready && this.helloRefused === 'HANDOVER_ERR_TOO_MANY_REQUESTS' && this.session !== undefined) status = 'throttled';
    else if (!this.ready) status = this.helloRefused !== undefined ? 'unavailable' : this.attempts === 0 ? 'connecting' : 'reconnecting';
    else if (this.storeDown) status = 'unavailable';
    else if (this.troubled) status = this.lineRefusal === 'HANDOVER_ERR_TOO_MANY_REQUESTS' ? 'throttled' : 'unavailable';
    else status = 'online';
    this.events.onStatus(status);
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
      this.session = { conversationId: m.conversationId, token: m.token, ...(this.customer === undefined ? {} : { customer: this.customer }) };
      this.save();
      this.scheduleRefresh(m.expiresIn);
      return;
    }
    if (m.type === 'activities') {
      if (m.watermark !== undefined) this.watermark = m.watermark;
      const replay = this.replayPending;
      this.events.onActivities(m.activities as readonly WireActivity[], replay);
      // our own lines' echoes (live, or in the history after a resume) confirm them as surely as an ack
      for (const a of m.activities as readonly WireActivity[]) {
        const id = a.channelData?.['clientActivityID'];
        if (a.from?.role === 'user' && typeof id === 'string') this.stored(id, a.id);
      }
      if (replay) {
        // The history frame comes right after session: now the conversation is live.
        this.replayPending = false;
        this.ready = true;
        this.attempts = 0;
        this.helloRefused = undefined;
        this.emitStatus();
        this.flush();
      }
      return;
    }
    if (m.type === 'ack') {
      this.stored(m.clientActivityId, m.id);
      return;
    }
    if (m.type === 'status') {
      this.storeDown = !m.sending;
      if (m.sending) {
        // the store is back: what was refused goes now rather than at the end of its wait
        this.troubled = false;
        this.lineRefusal = undefined;
        this.retries = 0;
        this.retryNow();
      }
      this.emitStatus();
      return;
    }
    if (m.type !== 'error') return;
    if (m.clientActivityId !== undefined) {
      this.refused(m.clientActivityId, m.retryAfterMs, m.code);
      return;
    }
    if (this.ready) return;
    if (this.starting && signInFailures.has(m.code)) {
      // the customer token is bad or expired (or the site wants one): say so and stop; a reload signs in anew
      this.helloRefused = m.code;
      this.stopped = true;
      this.emitStatus();
      this.ws?.close();
      return;
    }
    if (resumeFailures.has(m.code)) {
      // The stored conversation is gone or its token expired: start a fresh one.
      this.session = undefined;
      this.watermark = '';
      this.clear();
      this.events.onReset();
      this.starting = true;
      this.ws?.send(JSON.stringify(this.startFrame()));
      return;
    }
    // start or resume refused for now (the store is away, too many new chats): try again after the wait
    this.helloRefused = m.code;
    this.nextDelayMs = m.retryAfterMs;
    this.emitStatus();
    this.ws?.close();
  }

  private startFrame(): WidgetClientMessage {
    return { type: 'start', locale: this.locale, ...(this.token === undefined ? {} : { customerToken: this.token }) };
  }

  private scheduleRefresh(expiresInSeconds: number): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    const ms = Math.max(30_000, expiresInSeconds * 1000 * 0.8);
    // a socket that is not ready gets a fresh token with its next session frame anyway
    this.refreshTimer = setTimeout(() => {
      if (this.ready) this.ws?.send(JSON.stringify({ type: 'refresh' } satisfies WidgetClientMessage));
    }, ms);
  }

  private load(): StoredSession | undefined {
    try {
      const raw = this.storage?.getItem(storageKey);
      if (raw === null || raw === undefined) return undefined;
      const s = JSON.parse(raw) as Partial<StoredSession>;
      if (typeof s.conversationId !== 'string' || typeof s.token !== 'string') return undefined;
      return { conversationId: s.conversationId, token: s.token, ...(typeof s.customer === 'string' ? { customer: s.customer } : {}) };
    } catch {
      return undefined;
    }
  }

  private loadOutbox(): Line[] {
    try {
      const raw = this.storage?.getItem(outboxKey);
      if (raw === null || raw === undefined) return [];
      const list = JSON.parse(raw) as unknown;
      if (!Array.isArray(list)) return [];
      return list
        .filter((l): l is OutgoingLine => typeof l === 'object' && l !== null && typeof (l as OutgoingLine).clientActivityId === 'string' && typeof (l as OutgoingLine).text === 'string')
        .map((l) => ({ clientActivityId: l.clientActivityId, text: l.text, ...(l.value === undefined ? {} : { value: l.value }), state: 'waiting' as const }));
    } catch {
      return [];
    }
  }

  private saveOutbox(): void {
    try {
      if (this.lines.length === 0) this.storage?.removeItem(outboxKey);
      else this.storage?.setItem(outboxKey, JSON.stringify(this.unsentLines()));
    } catch {
      // see save()
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
