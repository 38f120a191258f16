/**
 * The signed-in console: queues (waiting conversations by priority with a live SLA countdown),
 * the agent's own conversations, and the open conversation — briefing first (reason and trace,
 * summary, intent, sentiment trend, collected data, what the bot tried, customer profile), then
 * the full transcript, the reply box with macros, and transfer / resolve / return to the bot.
 * A booked callback shows first: the time the customer was promised. Agents set their presence
 * (online / away / offline) in the header; supervisors see every agent's presence and edit their
 * shifts in "Staff & shifts".
 * Live over `/agent/ws`; every action through the HTTP API. All conversation text is set with
 * `textContent`.
 *
 * @example
 * new ConsoleApp(document.getElementById('app')!).start();
 */
import type { TranscriptEntry } from '../../core/conversation.js';
import type { DomainEvent } from '../../core/events.js';
import type {
  ConsoleSocketFrame,
  ConversationView,
  MeView,
  MyConversationsView,
  PresenceView,
  QueueItemView,
  QueueView,
  RecheckView,
  ShiftsView,
  StaffListView,
  StaffView,
} from '../api-types.js';
import { unfilledPlaceholders } from '../macros.js';
import { api, ApiError, conversationPath, sendFile } from './api-client.js';
import { h, replace } from './dom.js';
import { clockTime, exceptionsText, lineMedia, parseExceptions, parseRanges, rangesText, reasonLabel, SHIFT_DAYS, slaText, waitingText, type LineMedia } from './format.js';
import { briefingView } from './briefing-view.js';
import { lineView } from './transcript-view.js';
import { renderLogin } from './login-view.js';
import { mountDashboard } from './dashboard-view.js';
import { mountHistory } from './history-view.js';

const HANDOFF_EVENTS = new Set<DomainEvent['type']>([
  'handoff.requested',
  'handoff.accepted',
  'handoff.transferred',
  'handoff.escalated',
  'handoff.resolved',
  'handoff.returned',
  'handoff.callback_scheduled',
  'handoff.callback_due',
]);

/**
 * The signed-in console page.
 *
 * @example
 * new ConsoleApp(document.getElementById('app')!).start();
 */
export class ConsoleApp {
  private me: MeView | undefined;
  /** serverNow − Date.now(): countdowns use the server's clock. */
  private skewMs = 0;
  private openId: string | undefined;
  private readonly unread = new Set<string>();
  private socket: WebSocket | undefined;
  private reconnectDelayMs = 500;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  private readonly header = h('header', { class: 'topbar' });
  private readonly connection = h('span', { class: 'conn offline', role: 'status' }, 'connecting…');
  /** Supervisors: how many messages for customers are in the dead-letter list. */
  private readonly undelivered = h('span', { class: 'undelivered', role: 'status', hidden: true });
  /** Agents: their presence, as the server counts it. */
  private readonly presenceSelect = h(
    'select',
    { class: 'presence', 'aria-label': 'My status' },
    h('option', { value: 'online' }, 'Online'),
    h('option', { value: 'away' }, 'Away'),
    h('option', { value: 'offline' }, 'Offline'),
  );
  private readonly notice = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  private readonly myList = h('ol', { class: 'my-list', 'aria-label': 'My conversations' });
  private readonly queuesBox = h('div', { class: 'queues' });
  private readonly conversationBox = h('main', { class: 'conversation', 'aria-label': 'Conversation' });
  private transcriptList: HTMLOListElement | undefined;

  constructor(private readonly root: HTMLElement) {}

  start(): void {
    void this.boot();
  }

  private now(): number {
    return Date.now() + this.skewMs;
  }

  private async boot(): Promise<void> {
    try {
      this.me = await loadMe();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return renderLogin(this.root, 'Your session ended. Sign in again.');
      replace(this.root, h('p', { class: 'login-error', role: 'alert' }, `The console could not load: ${String(e)}`));
      return;
    }
    this.skewMs = this.me.now - Date.now();
    const caller = this.me.caller;
    const who = caller.kind === 'agent' ? `${caller.name} (${caller.role})` : caller.name;
    const supervises = caller.kind === 'desk' || caller.role === 'supervisor';
    if (this.me.presence !== null) this.showPresence(this.me.presence);
    this.presenceSelect.addEventListener('change', () => void this.setPresence(this.presenceSelect.value));
    replace(
      this.header,
      h('h1', {}, 'Agent console'),
      h('span', { class: 'who', 'data-agent-id': caller.kind === 'agent' ? caller.id : '' }, `Signed in as ${who}`),
      this.me.presence === null ? null : this.presenceSelect,
      supervises ? h('button', { type: 'button', class: 'dashboard-open', onclick: () => this.showDashboard() }, 'Dashboard') : null,
      h('button', { type: 'button', class: 'history-view-open', onclick: () => this.showHistory() }, 'History'),
      supervises ? h('button', { type: 'button', class: 'staff-open', onclick: () => void this.showStaff() }, 'Staff & shifts') : null,
      this.undelivered,
      this.connection,
      h('button', { type: 'button', class: 'logout', onclick: () => void this.logout() }, 'Sign out'),
    );
    replace(
      this.root,
      this.header,
      this.notice,
      h(
        'div',
        { class: 'layout' },
        h('aside', { class: 'sidebar', 'aria-label': 'Queues' }, h('section', { class: 'mine' }, h('h2', {}, 'My conversations'), this.myList), this.queuesBox),
        this.conversationBox,
      ),
    );
    this.renderEmptyConversation();
    this.renderMine(this.me.active);
    await this.refreshQueues();
    this.connect();
    setInterval(() => this.tick(), 1000);
  }

  private showPresence(p: PresenceView): void {
    this.presenceSelect.value = p.chosen;
    this.presenceSelect.className = `presence presence-${p.status}`;
    this.presenceSelect.title = p.status === p.chosen ? `You are ${p.status}` : `You chose ${p.chosen}; counted as ${p.status} (no console connected)`;
  }

  private async setPresence(status: string): Promise<void> {
    try {
      const r = await api<{ presence: PresenceView }>('POST', '/api/me/presence', { status });
      this.showPresence(r.presence);
      this.say(status === 'online' ? 'You are online: callbacks can be booked with you.' : `You are ${status}: callbacks in the next hour that counted on you move to another time.`);
    } catch (e) {
      this.failed(e);
    }
  }

  // ---- dashboard (supervisors) and history: dashboard-view.ts, history-view.ts ------------------

  private showDashboard(): void {
    this.openId = undefined;
    this.transcriptList = undefined;
    mountDashboard(this.conversationBox, { onError: (e) => this.failed(e), open: (id) => void this.loadConversation(id, true) });
  }

  private showHistory(): void {
    this.openId = undefined;
    this.transcriptList = undefined;
    mountHistory(this.conversationBox, { open: (id) => void this.loadConversation(id, true), onError: (e) => this.failed(e) });
  }

  // ---- staff and shifts (supervisors) ---------------------------------------------------------

  private async showStaff(): Promise<void> {
    try {
      const staff = await api<StaffListView>('GET', '/api/staff');
      this.openId = undefined;
      this.transcriptList = undefined;
      replace(
        this.conversationBox,
        h('h2', {}, 'Staff & shifts'),
        h(
          'p',
          { class: 'muted' },
          `Shifts are read in ${staff.timezone}. Callback slots count the agents of a queue whose shifts cover them (for the next hour, only those online); a change moves the callbacks that no longer fit, and their customers are told.`,
        ),
        h('div', { class: 'staff' }, ...staff.agents.map((a) => this.staffCard(a))),
      );
    } catch (e) {
      this.failed(e);
    }
  }

  private staffCard(a: StaffView): HTMLElement {
    const inputs = SHIFT_DAYS.map((d) => {
      const input = h('input', { class: `shift-${d}`, 'aria-label': `${a.name}, ${d}`, placeholder: a.shifts === null ? 'queue hours' : 'off', value: rangesText(a.shifts?.[d]) });
      return { d, input };
    });
    const exceptions = h('textarea', { class: 'shift-exceptions', rows: 2, 'aria-label': `${a.name}, exceptions`, placeholder: '2026-12-25: off\n2026-12-24: 09:00-13:00' });
    exceptions.value = exceptionsText(a.shifts?.exceptions);
    const save = async (shifts: ShiftsView | null): Promise<void> => {
      try {
        const r = await api<{ agent: StaffView; rechecked: RecheckView }>('POST', `/api/staff/${encodeURIComponent(a.id)}/shifts`, { shifts });
        const { moved, cancelled } = r.rechecked;
        this.say(`${a.name}'s shifts saved. ${moved === 0 && cancelled === 0 ? 'No booked callback had to move.' : `${moved} booked callback${moved === 1 ? '' : 's'} moved${cancelled > 0 ? `, ${cancelled} back to the queue` : ''}; the customers were told.`}`);
        await this.showStaff();
      } catch (e) {
        this.failed(e);
      }
    };
    const onSave = (): void => {
      const shifts: Record<string, unknown> = {};
      for (const { d, input } of inputs) {
        const ranges = parseRanges(input.value);
        if (typeof ranges === 'string') return this.say(`${a.name}, ${d}: ${ranges}`, 'error');
        if (ranges.length > 0) shifts[d] = ranges;
      }
      const ex = parseExceptions(exceptions.value);
      if (typeof ex === 'string') return this.say(`${a.name}: ${ex}`, 'error');
      if (Object.keys(ex).length > 0) shifts['exceptions'] = ex;
      void save(shifts as ShiftsView);
    };
    return h(
      'section',
      { class: 'staff-card', 'data-agent-id': a.id, 'aria-label': a.name },
      h(
        'h3',
        {},
        a.name,
        h('span', { class: `presence-badge presence-${a.presence.status}` }, a.presence.status),
        h('span', { class: 'muted' }, ` ${a.onShiftNow ? 'on shift' : 'off shift'} · ${a.queues.join(', ') || 'no queues'}`),
      ),
      h('p', { class: 'muted' }, a.shiftsFrom === 'console' ? 'Shifts set in the console.' : a.shiftsFrom === 'manifest' ? 'Shifts from manifest.json.' : 'No shifts: works whenever their queues are open.'),
      h('div', { class: 'shift-grid' }, ...inputs.flatMap(({ d, input }) => [h('label', {}, d), input])),
      exceptions,
      h(
        'div',
        { class: 'action-row' },
        h('button', { type: 'button', class: 'shift-save primary', onclick: onSave }, 'Save shifts'),
        a.shiftsFrom === 'console' ? h('button', { type: 'button', class: 'shift-reset', onclick: () => void save(null) }, 'Back to manifest.json') : null,
      ),
    );
  }

  private async logout(): Promise<void> {
    this.stopped = true;
    this.socket?.close();
    await api('POST', '/api/logout').catch(() => undefined);
    window.location.assign('/agent');
  }

  private say(text: string, kind: 'info' | 'error' = 'info'): void {
    this.notice.textContent = text;
    this.notice.className = `notice ${kind}`;
  }

  private failed(e: unknown): void {
    if (e instanceof ApiError && e.status === 401) {
      this.stopped = true;
      this.socket?.close();
      renderLogin(this.root, 'Your session ended. Sign in again.');
      return;
    }
    this.say(e instanceof ApiError ? `${e.message}` : `Something went wrong: ${String(e)}`, 'error');
  }

  // ---- live updates ---------------------------------------------------------------------------

  private connect(): void {
    if (this.stopped) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/agent/ws`;
    const ws = new WebSocket(url);
    this.socket = ws;
    ws.addEventListener('open', () => {
      this.reconnectDelayMs = 500;
      this.connection.textContent = 'live';
      this.connection.className = 'conn live';
      // Catch up on anything missed while disconnected.
      this.scheduleRefresh();
      if (this.openId !== undefined) void this.loadConversation(this.openId, false);
    });
    ws.addEventListener('message', (m) => {
      const frame = JSON.parse(String(m.data)) as ConsoleSocketFrame;
      this.skewMs = frame.now - Date.now();
      if (frame.type === 'event') this.onEvent(frame.event);
    });
    ws.addEventListener('close', (c) => {
      this.connection.textContent = 'offline — reconnecting';
      this.connection.className = 'conn offline';
      if (c.code === 4401) {
        this.stopped = true;
        renderLogin(this.root, 'Your session ended. Sign in again.');
        return;
      }
      if (this.stopped) return;
      setTimeout(() => this.connect(), this.reconnectDelayMs);
      this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 10_000);
    });
  }

  private onEvent(e: DomainEvent): void {
    if (HANDOFF_EVENTS.has(e.type)) {
      this.scheduleRefresh();
      if (e.conversationId === this.openId) void this.loadConversation(e.conversationId, false);
      return;
    }
    if (e.type === 'relay.dead_lettered') {
      const mine = this.me?.caller.kind === 'agent' && e.agentId === this.me.caller.id;
      if (e.conversationId === this.openId) {
        this.appendLine({ at: e.at, from: 'system', type: 'event', text: e.text, meta: { name: e.type, error: e.error } });
      }
      if (mine || e.conversationId === this.openId) this.say(`A message could not be delivered to the customer: "${e.text}" (${e.error})`, 'error');
      this.scheduleRefresh();
      return;
    }
    if (e.type === 'customer.message' || e.type === 'agent.message') {
      const mine = this.me?.caller.kind === 'agent' && e.type === 'agent.message' && e.agentId === this.me.caller.id;
      if (e.conversationId === this.openId) {
        // The agent's own lines are added when the send succeeds.
        if (!mine) {
          const files = e.type === 'customer.message' ? e.attachments : undefined;
          this.appendLine({ at: e.at, from: e.type === 'customer.message' ? 'customer' : 'agent', type: 'message', text: e.text, ...(files === undefined ? {} : { meta: { attachments: files } }) });
        }
      } else if (e.type === 'customer.message') {
        this.unread.add(e.conversationId);
        this.scheduleRefresh();
      }
    }
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refreshQueues();
    }, 100);
  }

  // ---- queues ---------------------------------------------------------------------------------

  private async refreshQueues(): Promise<void> {
    try {
      const [{ queues, now }, me] = await Promise.all([api<{ queues: QueueView[]; now: number }>('GET', '/api/queues'), loadMe()]);
      this.skewMs = now - Date.now();
      this.renderQueues(queues);
      this.renderMine(me.active);
      await this.refreshUndelivered();
    } catch (e) {
      this.failed(e);
    }
  }

  /** Supervisors and desks: the dead-letter count in the header (hidden at 0). */
  private async refreshUndelivered(): Promise<void> {
    const caller = this.me?.caller;
    if (caller === undefined || (caller.kind === 'agent' && caller.role !== 'supervisor')) return;
    const { total } = await api<{ total: number }>('GET', '/api/dead-letters?limit=1');
    this.undelivered.hidden = total === 0;
    this.undelivered.textContent = `${total} undelivered message${total === 1 ? '' : 's'}`;
  }

  private renderMine(items: readonly QueueItemView[]): void {
    if (items.length === 0) {
      replace(this.myList, h('li', { class: 'empty' }, 'None yet: accept one from a queue.'));
      return;
    }
    replace(
      this.myList,
      ...items.map((i) =>
        h(
          'li',
          { class: `my-item${i.conversationId === this.openId ? ' current' : ''}`, 'data-conversation-id': i.conversationId },
          h(
            'button',
            { type: 'button', class: 'open', onclick: () => void this.loadConversation(i.conversationId, true) },
            h('span', { class: 'name' }, i.customerName ?? 'Customer'),
            h('span', { class: 'reason' }, reasonLabel(i.reason)),
            this.unread.has(i.conversationId) ? h('span', { class: 'unread', 'aria-label': 'new messages' }, 'new') : null,
          ),
        ),
      ),
    );
  }

  private renderQueues(queues: readonly QueueView[]): void {
    replace(
      this.queuesBox,
      ...queues.map((q) =>
        h(
          'section',
          { class: 'queue', 'data-queue': q.id, 'aria-label': `Queue ${q.label ?? q.id}` },
          h(
            'h2',
            {},
            h('span', { class: 'queue-name', title: q.id }, q.label ?? q.id),
            h('span', { class: 'queue-count' }, `${q.waiting} waiting`),
            h('span', { class: 'queue-sla muted' }, `SLA ${Math.round(q.slaSeconds / 60)} min`),
          ),
          q.conversations.length === 0
            ? h('p', { class: 'empty muted' }, 'No one waiting')
            : h('ol', { class: 'queue-items' }, ...q.conversations.map((c) => this.queueItem(c))),
        ),
      ),
    );
    this.tick();
  }

  private queueItem(c: QueueItemView): HTMLLIElement {
    return h(
      'li',
      { class: `queue-item${c.conversationId === this.openId ? ' current' : ''}`, 'data-conversation-id': c.conversationId },
      h(
        'div',
        { class: 'item-head' },
        h('span', { class: `priority p${Math.min(9, c.priority)}`, title: 'priority' }, `P${c.priority}`),
        h('span', { class: 'reason' }, reasonLabel(c.reason)),
        h('span', { class: 'sla', 'data-deadline': c.slaDeadline ?? '' }),
        c.escalations > 0 ? h('span', { class: 'escalated', title: 'SLA escalations: each raised the priority' }, `escalated ×${c.escalations}`) : null,
      ),
      // the summary names the customer itself when the directory knows them
      h('div', { class: 'item-summary' }, c.customerName === null || (c.summary ?? '').startsWith(c.customerName) ? '' : `${c.customerName} — `, c.summary ?? ''),
      h(
        'div',
        { class: 'item-foot' },
        h('span', { class: 'waiting muted', 'data-since': c.enqueuedAt ?? '' }),
        h('button', { type: 'button', class: 'preview', onclick: () => void this.loadConversation(c.conversationId, true) }, 'View'),
        h('button', { type: 'button', class: 'accept primary', onclick: () => void this.accept(c.conversationId) }, 'Accept'),
      ),
    );
  }

  /** Once a second: SLA countdowns and waiting times. */
  private tick(): void {
    const now = this.now();
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('.sla[data-deadline]'))) {
      const deadline = Number(el.dataset['deadline']);
      if (el.dataset['deadline'] === '' || !Number.isFinite(deadline)) {
        el.textContent = '';
        continue;
      }
      const { text, breached } = slaText(deadline - now);
      el.textContent = text;
      el.classList.toggle('breached', breached);
    }
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('.waiting[data-since]'))) {
      const since = Number(el.dataset['since']);
      el.textContent = el.dataset['since'] === '' || !Number.isFinite(since) ? '' : waitingText(Math.max(0, now - since));
    }
  }

  // ---- one conversation -----------------------------------------------------------------------

  private async accept(id: string): Promise<void> {
    try {
      const view = await api<ConversationView>('POST', conversationPath(id, 'accept'), {});
      this.say('Accepted. Read the briefing, then reply.');
      this.show(view);
      this.scheduleRefresh();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        this.say(`Someone else got there first: ${e.message}`, 'error');
        this.scheduleRefresh();
      } else this.failed(e);
    }
  }

  private async loadConversation(id: string, focus: boolean): Promise<void> {
    try {
      const view = await api<ConversationView>('GET', conversationPath(id));
      if (!focus && id !== this.openId) return;
      this.show(view);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 403 || e.status === 404) && !focus) {
        // Moved out of reach (transferred to a queue that is not ours): close it.
        if (id === this.openId) this.renderEmptyConversation(e.message);
        return;
      }
      this.failed(e);
    }
  }

  private renderEmptyConversation(text = 'Pick a conversation from a queue.'): void {
    this.openId = undefined;
    this.transcriptList = undefined;
    replace(this.conversationBox, h('p', { class: 'placeholder muted' }, text));
  }

  private isMine(view: ConversationView): boolean {
    const caller = this.me?.caller;
    if (caller === undefined || view.state.status !== 'assigned') return false;
    return caller.kind === 'desk' || view.state.agentId === caller.id;
  }

  private show(view: ConversationView): void {
    const sameConversation = this.openId === view.conversationId;
    const draft = sameConversation ? (this.conversationBox.querySelector<HTMLTextAreaElement>('.reply-input')?.value ?? '') : '';
    this.openId = view.conversationId;
    this.unread.delete(view.conversationId);
    this.skewMs = view.now - Date.now();
    for (const li of Array.from(document.querySelectorAll<HTMLElement>('.queue-item, .my-item'))) li.classList.toggle('current', li.dataset['conversationId'] === view.conversationId);

    const s = view.state;
    const mine = this.isMine(view);
    const canAccept = s.status === 'queued' || s.status === 'scheduled';
    const head = h(
      'div',
      { class: 'conv-head' },
      h('h2', {}, view.briefing?.customer?.name ?? 'Customer', h('span', { class: 'conv-id muted' }, ` ${view.conversationId}`)),
      h('span', { class: `status status-${s.status}` }, s.status === 'assigned' ? `with ${s.agentId ?? '?'}` : s.status),
      h('span', { class: 'muted' }, `queue ${s.queue ?? '–'} · priority ${s.priority}`),
      s.slaDeadline === null ? null : h('span', { class: 'sla', 'data-deadline': s.slaDeadline }),
      canAccept ? h('button', { type: 'button', class: 'accept primary', onclick: () => void this.accept(view.conversationId) }, 'Accept') : null,
    );
    const transcript = h('ol', { class: 'transcript-lines', role: 'log', 'aria-live': 'polite', 'aria-label': 'Transcript' });
    this.transcriptList = transcript;
    for (const line of view.transcript) this.appendLine(line);

    replace(
      this.conversationBox,
      head,
      this.callbackBox(view),
      briefingView(view),
      h('section', { class: 'transcript', 'aria-labelledby': 'transcript-title' }, h('h3', { id: 'transcript-title' }, 'Transcript'), transcript),
      mine ? this.composer(view, draft) : null,
      mine || canAccept ? this.actions(view, mine) : null,
    );
    transcript.scrollTop = transcript.scrollHeight;
    this.tick();
  }

  /** The time the customer was promised, before anything else (null without a booked callback). */
  private callbackBox(view: ConversationView): HTMLElement | null {
    const c = view.callback;
    if (c === null) return null;
    const due = view.state.status !== 'scheduled';
    const moves = c.changes.map((m) =>
      h('li', {}, `${clockTime(m.at)}: ${m.why === 'missed' ? `nobody took ${clockTime(m.from)}` : m.to === null ? `${clockTime(m.from)} cancelled (no capacity)` : `moved ${clockTime(m.from)} → ${clockTime(m.to)}`}`),
    );
    return h(
      'section',
      { class: 'callback-box', 'aria-label': 'Booked callback' },
      h('strong', {}, `Callback booked for ${clockTime(c.at)}`),
      h('span', { class: 'muted' }, ` · booked at ${clockTime(c.bookedAt)}${due ? ' · due: the customer expects you now' : ''}`),
      moves.length === 0 ? null : h('ul', { class: 'callback-moves' }, ...moves),
    );
  }

  private appendLine(line: TranscriptEntry): void {
    const list = this.transcriptList;
    if (list === undefined) return;
    // messages and the notes that matter to an agent; never the stores' bookkeeping or a raw event name
    const shown = lineView(line, (q) => this.me?.queueLabels?.[q] ?? q);
    if (shown === null) return;
    const meta = line.meta ?? {};
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.appendChild(
      h(
        'li',
        { class: `line from-${line.from}${shown.note ? ' event' : ''}` },
        h('span', { class: 'line-who' }, shown.who),
        h('time', { class: 'line-at muted', datetime: new Date(line.at).toISOString() }, clockTime(line.at)),
        // dir=auto: a right-to-left line is isolated from the layout around it (bidi controls: dom.ts)
        h('div', { class: 'line-text', dir: 'auto' }, shown.text),
        mediaBox(lineMedia(meta)),
      ),
    );
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  private composer(view: ConversationView, draft: string): HTMLElement {
    const input = h('textarea', { class: 'reply-input', rows: 3, 'aria-label': 'Reply to the customer', placeholder: 'Write to the customer… (Enter sends, Shift+Enter for a new line)' });
    input.value = draft;
    const warn = h('p', { class: 'unfilled muted', 'aria-live': 'polite' });
    const check = (): void => {
      const left = unfilledPlaceholders(input.value);
      warn.textContent = left.length === 0 ? '' : `Fill in before sending: ${left.map((p) => `{${p}}`).join(', ')}`;
    };
    input.addEventListener('input', check);
    // the customer sees "<agent> is typing…": at most one signal every 3 s, over the live socket
    let typedAt = 0;
    input.addEventListener('input', () => {
      const now = Date.now();
      if (now - typedAt < 3000 || input.value.trim() === '' || this.socket?.readyState !== WebSocket.OPEN) return;
      typedAt = now;
      // the hub's ConsoleClientFrame (src/agent/console-socket-hub.ts)
      this.socket.send(JSON.stringify({ type: 'typing', conversationId: view.conversationId }));
    });
    const send = h('button', { type: 'button', class: 'send primary' }, 'Send');
    const doSend = async (): Promise<void> => {
      const text = input.value.trim();
      if (text === '') return;
      send.disabled = true;
      try {
        await api('POST', conversationPath(view.conversationId, 'messages'), { text });
        const caller = this.me?.caller;
        this.appendLine({ at: this.now(), from: 'agent', type: 'message', text, meta: { agentName: caller?.name ?? 'Agent' } });
        input.value = '';
        check();
      } catch (e) {
        this.failed(e);
      } finally {
        send.disabled = false;
        input.focus();
      }
    };
    send.addEventListener('click', () => void doSend());
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        void doSend();
      }
    });
    const macros = view.macros.map((m) =>
      h(
        'button',
        {
          type: 'button',
          class: 'macro',
          'data-macro': m.id,
          title: m.text,
          onclick: () => {
            input.value = input.value.trim() === '' ? m.text : `${input.value.trimEnd()} ${m.text}`;
            check();
            input.focus();
          },
        },
        m.title,
      ),
    );
    check();
    return h(
      'section',
      { class: 'composer', 'aria-label': 'Reply' },
      macros.length === 0 ? null : h('div', { class: 'macros', role: 'group', 'aria-label': 'Macros' }, ...macros),
      input,
      warn,
      h('div', { class: 'composer-foot' }, this.attach(view, input), send),
    );
  }

  /** WhatsApp conversations: send a photo or a document, with the reply box's text as its caption. */
  private attach(view: ConversationView, input: HTMLTextAreaElement): HTMLElement | null {
    if (!/^whatsapp(-cloud)?:/.test(view.conversationId)) return null;
    const picker = h('input', { type: 'file', class: 'attach-input', hidden: true, 'aria-label': 'Photo or document to send', accept: 'image/jpeg,image/png,application/pdf,text/plain,.doc,.docx,.xls,.xlsx,.ppt,.pptx' });
    const button = h('button', { type: 'button', class: 'attach', title: 'Send a photo (JPEG, PNG, up to 5 MB) or a document (PDF, text, Office, up to 16 MB)', onclick: () => picker.click() }, 'Attach…');
    picker.addEventListener('change', () => {
      const file = picker.files?.[0];
      picker.value = '';
      if (file === undefined) return;
      const image = file.type === 'image/jpeg' || file.type === 'image/png';
      const max = image ? 5 : 16;
      if (file.size > max * 1024 * 1024) return this.say(`${file.name} is over ${max} MB: WhatsApp takes ${image ? 'photos up to 5 MB' : 'documents up to 16 MB here'}`, 'error');
      const caption = input.value.trim();
      button.disabled = true;
      void sendFile(conversationPath(view.conversationId, 'files'), file, caption)
        .then(() => {
          const caller = this.me?.caller;
          this.appendLine({ at: this.now(), from: 'agent', type: 'message', text: `📎 ${file.name}${caption === '' ? '' : `: ${caption}`}`, meta: { agentName: caller?.name ?? 'Agent' } });
          input.value = '';
          this.say(`${file.name} is on its way to the customer.`);
          // a note says so when it could not go out (24-hour window closed): show it
          setTimeout(() => {
            if (this.openId === view.conversationId) void this.loadConversation(view.conversationId, false);
          }, 2000);
        })
        .catch((e: unknown) => this.failed(e))
        .finally(() => (button.disabled = false));
    });
    return h('span', { class: 'attach-box' }, picker, button);
  }

  private actions(view: ConversationView, mine: boolean): HTMLElement {
    const id = view.conversationId;
    const queues = this.me?.allQueues ?? [];
    const label = (q: string | null): string => (q === null ? '?' : (this.me?.queueLabels?.[q] ?? q));
    const target = h('select', { class: 'transfer-queue', 'aria-label': 'Transfer to queue' }, ...queues.filter((q) => q !== view.state.queue).map((q) => h('option', { value: q }, label(q))));
    const note = h('input', { class: 'transfer-note', placeholder: 'Note for the next agent', 'aria-label': 'Transfer note', maxlength: 1000 });
    // one key per transfer this view offers: a double click (or a retry) is the same transfer, and a
    // view older than the conversation's state is refused instead of moving it twice
    const transferKey = newKey();
    const run = async (said: string | ((v: ConversationView) => string), action: () => Promise<ConversationView>, after: 'show' | 'close'): Promise<void> => {
      try {
        const v = await action();
        const label = typeof said === 'string' ? said : said(v);
        this.say(label);
        if (after === 'show') this.show(v);
        else this.renderEmptyConversation(label);
        this.scheduleRefresh();
      } catch (e) {
        this.failed(e);
      }
    };
    const transfer: HTMLButtonElement = h('button', {
      type: 'button',
      class: 'transfer',
      onclick: () => {
        transfer.disabled = true;
        const asked = target.value;
        void run(
          // where it really went: the 2nd transfer without a resolution goes to senior agents instead
          (v) =>
            v.state.queue === asked || v.state.queue === null
              ? `Transferred to ${label(asked)}.`
              : `Transferred to ${label(v.state.queue)}, not ${label(asked)}: ${reasonLabel(v.state.reason)} (${v.state.reason ?? '?'}).`,
          () =>
            api<ConversationView>('POST', conversationPath(id, 'transfer'), {
              queue: target.value,
              expectedVersion: view.state.version,
              idempotencyKey: transferKey,
              ...(note.value.trim() === '' ? {} : { note: note.value.trim() }),
            }),
          'close',
        ).finally(() => (transfer.disabled = false));
      },
    }, 'Transfer');
    const parts: (HTMLElement | null)[] = [h('div', { class: 'action-row' }, target, note, transfer)];
    if (mine) {
      const fields = h('textarea', { class: 'return-collected', rows: 2, 'aria-label': 'Fields for the bot', placeholder: 'Fields you settled, one per line: order_number=A1001' });
      const returnNote = h('input', { class: 'return-note', placeholder: 'Note (optional)', 'aria-label': 'Return note', maxlength: 1000 });
      const parseFields = (): Record<string, string> | string => {
        const out: Record<string, string> = {};
        for (const raw of fields.value.split('\n')) {
          const line = raw.trim();
          if (line === '') continue;
          const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*(.+)$/.exec(line);
          if (m === null) return `"${line}" is not field=value`;
          out[m[1]!] = m[2]!.trim();
        }
        return out;
      };
      parts.push(
        h(
          'div',
          { class: 'action-row' },
          h('button', { type: 'button', class: 'resolve primary', onclick: () => void run('Resolved. The customer is asked to rate the help.', () => api<ConversationView>('POST', conversationPath(id, 'resolve'), {}), 'close') }, 'Resolve'),
        ),
        h(
          'div',
          { class: 'action-row return-row' },
          fields,
          returnNote,
          h(
            'button',
            {
              type: 'button',
              class: 'return',
              onclick: () => {
                const collected = parseFields();
                if (typeof collected === 'string') return this.say(collected, 'error');
                void run(
                  'Returned to the bot.',
                  () =>
                    api<ConversationView>('POST', conversationPath(id, 'return'), {
                      ...(Object.keys(collected).length === 0 ? {} : { collected }),
                      ...(returnNote.value.trim() === '' ? {} : { note: returnNote.value.trim() }),
                    }),
                  'close',
                );
              },
            },
            'Return to bot',
          ),
        ),
      );
    }
    return h('section', { class: 'actions', 'aria-label': 'Actions' }, ...parts);
  }
}

/** A line's files: a photo as a preview (opens full size), a voice note or a video as a player, and a download link for each. */
function mediaBox(media: readonly LineMedia[]): HTMLElement | null {
  if (media.length === 0) return null;
  return h(
    'div',
    { class: 'line-media' },
    ...media.map((m) => {
      const download = h('a', { class: 'media-download', href: m.url, download: m.name, target: '_blank', rel: 'noopener noreferrer' }, `Download ${m.name}`);
      switch (m.kind) {
        case 'image':
          return h('figure', { class: 'media media-image' }, h('a', { href: m.url, target: '_blank', rel: 'noopener noreferrer' }, h('img', { src: m.url, alt: `${m.name} (${m.contentType})`, loading: 'lazy' })), download);
        case 'audio':
          return h('figure', { class: 'media media-audio' }, h('audio', { src: m.url, controls: true, preload: 'metadata' }), download);
        case 'video':
          return h('figure', { class: 'media media-video' }, h('video', { src: m.url, controls: true, preload: 'metadata' }), download);
        default:
          return h('figure', { class: 'media media-file' }, download);
      }
    }),
  );
}

/** `/api/me` with every page of "My conversations" (the first page comes with it, the rest by cursor), oldest request first. */
async function loadMe(): Promise<MeView> {
  const me = await api<MeView>('GET', '/api/me');
  const active = [...me.active];
  let next = me.activeNext ?? null;
  // bounded: a list that keeps changing under the paging cannot keep the page loading
  for (let pages = 0; next !== null && pages < 100; pages++) {
    const page = await api<MyConversationsView>('GET', `/api/me/conversations?after=${encodeURIComponent(next)}`);
    active.push(...page.conversations);
    next = page.next;
  }
  active.sort((a, b) => (a.enqueuedAt ?? 0) - (b.enqueuedAt ?? 0));
  return { ...me, active, activeNext: null };
}

/** A fresh idempotency key (a random UUID where the browser has one). */
function newKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
