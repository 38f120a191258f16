import type { ConnectionStatus, WireActivity } from './widget-connection.js';
import { neutralizeBidi } from '../../../core/bidi.js';
import { format, type WidgetStrings } from './widget-strings.js';
import { widgetStyles } from './widget-styles.js';

/** Callbacks from the view to the widget controller. */
export interface ChatViewEvents {
  onOpen(): void;
  onSend(text: string, value?: unknown): void;
  onTyping(): void;
  /** The customer picked a file to send (the attach button). */
  onAttach(file: File): void;
}

interface HandoverData {
  role?: unknown;
  agentName?: unknown;
  joined?: unknown;
  left?: unknown;
  /** `handoff_status` with `state` `returned` / `completed`: the person is gone (agent delivery sends these). */
  kind?: unknown;
  state?: unknown;
}

const chatIcon =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
const attachIcon =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z"/></svg>';
/** What the attach picker offers (the server has the final word: WEBCHAT_UPLOAD_TYPES). */
const attachAccept = 'image/jpeg,image/png,image/gif,image/webp,application/pdf,text/plain,text/csv,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods';
const sendIcon = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M2 21l21-9L2 3v7l15 2-15 2z"/></svg>';

/**
 * The widget's DOM: launcher, panel, message log (an ARIA live region), typing line, quick
 * replies and the input. Every text from the conversation is set with `textContent`, never
 * parsed as HTML (the only markup here is our own static icons).
 *
 * @example
 * const view = new ChatView(document.body, strings, { onOpen, onSend, onTyping });
 * view.render([{ id: 'a1', type: 'message', text: 'Hi', from: { role: 'bot' } }]);
 */
export class ChatView {
  readonly host: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly status: HTMLElement;
  private readonly log: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly suggestions: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly rendered = new Map<string, HTMLElement>();
  private readonly pending = new Map<string, HTMLElement>();
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private agentName: string | undefined;
  private connection: ConnectionStatus = 'connecting';
  /** Why the header says `unavailable` before a conversation exists (e.g. too many new chats). */
  private refusal: string | undefined;

  constructor(parent: HTMLElement, private readonly t: WidgetStrings, private readonly events: ChatViewEvents) {
    this.host = document.createElement('div');
    this.host.className = 'handover-webchat';
    const root = this.host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = widgetStyles;

    this.launcher = el('button', 'hov-launcher');
    this.launcher.type = 'button';
    this.launcher.innerHTML = chatIcon; // static markup, no user data
    this.launcher.setAttribute('aria-label', t.launcherOpen);
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.setAttribute('aria-controls', 'hov-panel');

    this.panel = el('section', 'hov-panel');
    this.panel.id = 'hov-panel';
    this.panel.hidden = true;
    this.panel.setAttribute('role', 'dialog');
    this.panel.setAttribute('aria-labelledby', 'hov-title');

    const header = el('div', 'hov-header');
    const headerText = el('div', 'hov-header-text');
    const title = el('h2', 'hov-title');
    title.id = 'hov-title';
    title.textContent = t.title;
    this.status = el('div', 'hov-status');
    this.status.setAttribute('role', 'status');
    headerText.append(title, this.status);
    const close = el('button', 'hov-close');
    close.type = 'button';
    close.textContent = '×';
    close.setAttribute('aria-label', t.close);
    header.append(headerText, close);

    this.log = el('div', 'hov-log');
    this.log.setAttribute('role', 'log');
    this.log.setAttribute('aria-live', 'polite');
    this.log.setAttribute('aria-relevant', 'additions');
    this.log.setAttribute('aria-label', t.messageList);
    this.log.tabIndex = 0;

    this.typing = el('div', 'hov-typing');
    this.typing.setAttribute('aria-live', 'polite');

    this.suggestions = el('div', 'hov-suggestions');
    this.suggestions.setAttribute('role', 'group');
    this.suggestions.setAttribute('aria-label', t.quickReplies);

    const form = el('form', 'hov-form');
    const label = el('label', 'hov-sr-only');
    label.htmlFor = 'hov-input';
    label.textContent = t.inputLabel;
    this.input = el('input', 'hov-input');
    this.input.id = 'hov-input';
    this.input.type = 'text';
    this.input.autocomplete = 'off';
    this.input.maxLength = 2000;
    this.input.placeholder = t.inputPlaceholder;
    const attach = el('button', 'hov-attach');
    attach.type = 'button';
    attach.innerHTML = attachIcon; // static markup, no user data
    attach.setAttribute('aria-label', t.attach);
    attach.title = t.attach;
    const picker = el('input', 'hov-file');
    picker.type = 'file';
    picker.accept = attachAccept;
    picker.hidden = true;
    picker.tabIndex = -1;
    picker.setAttribute('aria-hidden', 'true');
    attach.addEventListener('click', () => picker.click());
    picker.addEventListener('change', () => {
      const file = picker.files?.[0];
      picker.value = '';
      if (file !== undefined) this.events.onAttach(file);
    });
    const send = el('button', 'hov-send');
    send.type = 'submit';
    send.innerHTML = sendIcon; // static markup, no user data
    send.setAttribute('aria-label', t.send);
    form.append(attach, picker, label, this.input, send);

    this.panel.append(header, this.log, this.typing, this.suggestions, form);
    root.append(style, this.panel, this.launcher);
    parent.append(this.host);

    this.launcher.addEventListener('click', () => (this.panel.hidden ? this.open() : this.close()));
    close.addEventListener('click', () => this.close());
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.close();
      }
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = this.input.value.trim();
      if (text === '') return;
      this.input.value = '';
      this.events.onSend(text);
    });
    this.input.addEventListener('input', () => this.events.onTyping());
    this.renderStatus();
  }

  isOpen(): boolean {
    return !this.panel.hidden;
  }

  open(): void {
    this.panel.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.launcher.setAttribute('aria-label', this.t.launcherClose);
    this.events.onOpen();
    this.input.focus();
    this.scrollToEnd();
  }

  /** Closes the panel and gives focus back to the launcher (keyboard users keep their place). */
  close(): void {
    this.panel.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.setAttribute('aria-label', this.t.launcherOpen);
    this.launcher.focus();
  }

  /** `refusal`: an error code that explains an `unavailable` header (HANDOVER_ERR_TOO_MANY_REQUESTS has its own words). */
  setConnection(status: ConnectionStatus, refusal?: string): void {
    this.connection = status;
    this.refusal = refusal;
    this.renderStatus();
  }

  /** Appends a line the customer is sending, marked as sending until `markSent` or a refusal. */
  private showPending(clientActivityId: string, item: HTMLElement): void {
    item.classList.add('hov-pending');
    item.setAttribute('aria-busy', 'true');
    this.pending.set(clientActivityId, item);
    this.log.append(item);
    this.clearSuggestions();
    this.scrollToEnd();
  }

  /** Shows a message the customer just sent, before the server confirms it (sending). */
  addPending(clientActivityId: string, text: string): void {
    const item = this.messageElement('user', this.t.you, text);
    this.showPending(clientActivityId, item);
  }

  /**
   * Shows a file the customer is sending: a photo as a preview (from the browser's own copy), any
   * other file by name; sending until the server stores it (`markSent`) or refuses it (`markFileRefused`).
   */
  addPendingFile(clientActivityId: string, file: File): void {
    const item = this.messageElement('user', this.t.you, '');
    const bubble = item.querySelector('.hov-bubble')!;
    bubble.classList.add('hov-file-bubble');
    if (/^image\/(jpeg|png|gif|webp)$/.test(file.type)) {
      const img = el('img', 'hov-image');
      img.alt = neutralizeBidi(file.name);
      // a data: URL, not blob: (pages' CSPs, the demo page's included, allow data: images more often)
      const reader = new FileReader();
      reader.addEventListener('load', () => {
        if (typeof reader.result === 'string') img.src = reader.result;
      });
      reader.readAsDataURL(file);
      bubble.append(img);
    }
    const name = el('div', 'hov-file-name');
    name.textContent = `📎 ${neutralizeBidi(file.name)}`;
    name.dir = 'auto';
    bubble.append(name);
    this.showPending(clientActivityId, item);
  }

  /** The server refused the file (`code`: too large, a type it does not take): it says why under the bubble; not sent again. */
  markFileRefused(clientActivityId: string, code: string | undefined, message: string | undefined): void {
    const item = this.pending.get(clientActivityId);
    if (item === undefined) return;
    this.pending.delete(clientActivityId);
    item.classList.remove('hov-pending');
    item.classList.add('hov-unsent', 'hov-refused');
    item.removeAttribute('aria-busy');
    const note = el('div', 'hov-note');
    note.setAttribute('role', 'alert');
    note.textContent =
      code === 'HANDOVER_ERR_PAYLOAD_TOO_LARGE' ? this.t.fileTooLarge : code === 'HANDOVER_ERR_UNSUPPORTED_MEDIA_TYPE' ? this.t.fileTypeRefused : this.t.fileNotSent;
    if (message !== undefined) note.title = neutralizeBidi(message);
    item.append(note);
    this.scrollToEnd();
  }

  /**
   * The line was not stored: it says so under the bubble (and is sent again automatically); `code`
   * HANDOVER_ERR_TOO_MANY_REQUESTS says the customer sent too fast.
   */
  markUnsent(clientActivityId: string, code?: string): void {
    const item = this.pending.get(clientActivityId);
    if (item === undefined) return;
    const text = code === 'HANDOVER_ERR_TOO_MANY_REQUESTS' ? this.t.slowDownNote : this.t.notSent;
    const shown = item.querySelector('.hov-note');
    if (item.classList.contains('hov-unsent')) {
      if (shown !== null && code !== undefined) shown.textContent = text;
      return;
    }
    item.classList.remove('hov-pending');
    item.classList.add('hov-unsent');
    item.removeAttribute('aria-busy');
    const note = el('div', 'hov-note');
    note.textContent = text;
    item.append(note);
    this.scrollToEnd();
  }

  /** The line is on its way again. */
  markSending(clientActivityId: string): void {
    const item = this.pending.get(clientActivityId);
    if (item === undefined) return;
    item.classList.remove('hov-unsent');
    item.querySelector('.hov-note')?.remove();
    item.classList.add('hov-pending');
    item.setAttribute('aria-busy', 'true');
  }

  /** The server stored the line: a plain sent bubble (its later echo is not shown twice). */
  markSent(clientActivityId: string, activityId: string | undefined): void {
    const item = this.pending.get(clientActivityId);
    if (item === undefined) return;
    this.pending.delete(clientActivityId);
    item.classList.remove('hov-pending', 'hov-unsent');
    item.removeAttribute('aria-busy');
    item.querySelector('.hov-note')?.remove();
    if (activityId !== undefined) this.rendered.set(activityId, item);
  }

  /** Clears everything (a new conversation replaced the stored one). */
  reset(): void {
    this.log.replaceChildren();
    this.rendered.clear();
    this.pending.clear();
    this.clearSuggestions();
    this.agentName = undefined;
    this.renderStatus();
  }

  render(activities: readonly WireActivity[]): void {
    let lastVisible: WireActivity | undefined;
    for (const a of activities) {
      if (a.type === 'typing') {
        if (a.from?.role !== 'user') this.showTyping(a);
        continue;
      }
      if (a.id !== undefined && this.rendered.has(a.id)) continue;
      // Only the server speaks for agents; never trust handover data on a customer's own activity.
      const handover = a.from?.role === 'user' ? undefined : handoverOf(a);
      const name = agentNameOf(a, handover);
      if (handover?.joined === true || handover?.joined === 'true') {
        this.agentName = name ?? this.t.agentBadge;
        this.notice(a, format(this.t.agentJoined, { name: this.agentName }));
        this.renderStatus();
        // the notice says it; the same words as a bubble would say it twice (channels without
        // notices, such as WhatsApp, show the activity's text instead)
        continue;
      } else if (handover?.left === true || handover?.left === 'true') {
        this.notice(a, format(this.t.agentLeft, { name: name ?? this.agentName ?? this.t.agentBadge }));
        this.agentName = undefined;
        this.renderStatus();
        continue;
      } else if (handover?.kind === 'handoff_status' && (handover.state === 'returned' || handover.state === 'completed' || handover.state === 'queued')) {
        // Back with the bot, or transferred and waiting again (its message says so): the header stops naming the agent.
        this.agentName = undefined;
        this.renderStatus();
      }
      const files = a.attachments?.filter((f) => typeof f.name === 'string' || typeof f.contentType === 'string') ?? [];
      if (a.type !== 'message' || (typeof a.text !== 'string' && a.suggestedActions === undefined && files.length === 0)) continue;
      lastVisible = a;
      this.hideTyping();
      const fromUser = a.from?.role === 'user';
      const clientId = a.channelData?.['clientActivityID'];
      const pendingItem = fromUser && typeof clientId === 'string' ? this.pending.get(clientId) : undefined;
      if (pendingItem !== undefined && typeof clientId === 'string') {
        // The echo confirms our own message: keep the bubble, mark it sent, in its place in the history.
        this.log.append(pendingItem);
        this.markSent(clientId, a.id);
        continue;
      }
      if ((typeof a.text !== 'string' || a.text === '') && files.length === 0) continue;
      const isAgent = !fromUser && handover?.role === 'agent';
      const kind = fromUser ? 'user' : isAgent ? 'agent' : 'bot';
      const sender = fromUser ? this.t.you : isAgent ? `${name ?? this.t.agentBadge} · ${this.t.agentBadge}` : a.from?.name || this.t.botName;
      const item = this.messageElement(kind, sender, a.text ?? '');
      // files by name (a customer's own upload seen again after a reload; its preview was the browser's copy)
      for (const f of files) {
        const line = el('div', 'hov-file-name');
        line.textContent = `📎 ${neutralizeBidi(f.name ?? f.contentType ?? '')}`;
        line.dir = 'auto';
        item.querySelector('.hov-bubble')!.append(line);
      }
      if (a.id !== undefined) this.rendered.set(a.id, item);
      this.log.append(item);
    }
    if (lastVisible !== undefined) this.renderSuggestions(lastVisible);
    // lines not stored yet come after everything stored (a replayed history goes above them)
    for (const item of this.pending.values()) this.log.append(item);
    this.scrollToEnd();
  }

  private messageElement(kind: 'user' | 'bot' | 'agent', sender: string, text: string): HTMLElement {
    const item = el('div', `hov-msg hov-from-${kind}`);
    const who = el('div', 'hov-sender');
    // bidi controls are shown, not obeyed ("\u202Egnp.exe" must not read "exe.png"); dir=auto isolates a right-to-left line
    who.textContent = neutralizeBidi(sender);
    who.dir = 'auto';
    const bubble = el('div', 'hov-bubble');
    bubble.textContent = neutralizeBidi(text);
    bubble.dir = 'auto';
    item.append(who, bubble);
    return item;
  }

  private notice(a: WireActivity, text: string): void {
    const n = el('div', 'hov-notice');
    n.textContent = neutralizeBidi(text); // it may name the agent
    if (a.id !== undefined) this.rendered.set(a.id, n);
    this.log.append(n);
  }

  private renderSuggestions(a: WireActivity): void {
    this.clearSuggestions();
    if (a.from?.role === 'user') return;
    for (const action of a.suggestedActions?.actions ?? []) {
      if (action.type !== undefined && !['imBack', 'postBack', 'messageBack'].includes(action.type)) continue;
      const title = action.title ?? (typeof action.value === 'string' ? action.value : undefined);
      if (title === undefined || title === '') continue;
      const b = el('button', 'hov-suggestion');
      b.type = 'button';
      b.textContent = title;
      b.addEventListener('click', () => {
        const text = action.type === 'messageBack' ? action.displayText ?? action.text ?? title : typeof action.value === 'string' ? action.value : title;
        this.events.onSend(text, action.type === 'imBack' ? undefined : action.value);
        this.input.focus();
      });
      this.suggestions.append(b);
    }
  }

  private clearSuggestions(): void {
    this.suggestions.replaceChildren();
  }

  private showTyping(a: WireActivity): void {
    const handover = handoverOf(a);
    const name = handover?.role === 'agent' ? agentNameOf(a, handover) ?? this.t.agentBadge : a.from?.name || this.t.botName;
    this.typing.textContent = format(this.t.typing, { name: neutralizeBidi(name) });
    if (this.typingTimer !== undefined) clearTimeout(this.typingTimer);
    // Typing activities have no "stopped" counterpart: hide after a few quiet seconds.
    this.typingTimer = setTimeout(() => this.hideTyping(), 5000);
  }

  private hideTyping(): void {
    this.typing.textContent = '';
  }

  private renderStatus(): void {
    this.status.classList.toggle('hov-trouble', this.connection === 'unavailable' || this.connection === 'throttled');
    if (this.connection === 'throttled') {
      this.status.textContent = this.t.slowDown;
      this.status.classList.remove('hov-agent-status');
    } else if (this.connection === 'unavailable') {
      this.status.textContent =
        this.refusal === 'HANDOVER_ERR_TOO_MANY_REQUESTS'
          ? this.t.tooManyChats
          : this.refusal === 'HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED'
            ? this.t.signInExpired
            : this.refusal === 'HANDOVER_ERR_CUSTOMER_TOKEN_INVALID' || this.refusal === 'HANDOVER_ERR_UNAUTHORIZED'
              ? this.t.signInFailed
              : this.t.unavailable;
      this.status.classList.remove('hov-agent-status');
    } else if (this.connection !== 'online') {
      this.status.textContent = this.connection === 'connecting' ? this.t.connecting : this.t.reconnecting;
      this.status.classList.remove('hov-agent-status');
    } else if (this.agentName !== undefined) {
      this.status.textContent = format(this.t.talkingTo, { name: neutralizeBidi(this.agentName) });
      this.status.classList.add('hov-agent-status');
    } else {
      this.status.textContent = this.t.online;
      this.status.classList.remove('hov-agent-status');
    }
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}

function handoverOf(a: WireActivity): HandoverData | undefined {
  const h = a.channelData?.['handover'];
  return typeof h === 'object' && h !== null ? (h as HandoverData) : undefined;
}

function agentNameOf(a: WireActivity, h: HandoverData | undefined): string | undefined {
  if (typeof h?.agentName === 'string' && h.agentName !== '') return h.agentName;
  return a.from?.name !== undefined && a.from.name !== '' ? a.from.name : undefined;
}
