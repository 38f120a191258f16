import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { PROACTIVE_KEY } from '../../../bridge/handoff-middleware.js';
import type { Clock } from '../../../core/clock.js';
import { systemClock } from '../../../core/clock.js';
import { HandoverError } from '../../../core/errors.js';
import { AckGate, CONTENT_KEY, runBotTurn } from '../shared/bot-turn.js';
import { BoundedIdSet } from '../shared/bounded-id-set.js';
import { consoleChannelLogger, type ChannelLogger } from '../shared/channel-logger.js';
import { channelLanguage, type CustomerContent } from '../shared/customer-content.js';
import { localePrior } from '../shared/locale-prior.js';
import { renderNumberedOptions, type NumberedOption } from '../shared/numbered-options.js';
import { realSleep, type Sleep } from '../shared/sleep.js';
import { markdownToWhatsApp } from '../shared/whatsapp-format.js';
import { alwaysReady, type ConnectionGate } from './connection-gate.js';
import { webContent } from './inbound-content.js';
import { PacedSendQueue } from './paced-send-queue.js';
import { AGENT_FILE_URL_PREFIX, type AgentFiles } from '../../../bridge/agent-files.js';
import type { FileNotSentEvent } from '../cloud/whatsapp-cloud-adapter.js';
import type { WhatsAppWebClient, WhatsAppWebMessage } from './whatsapp-web-client.js';
import { KEEPS_DESK_EVENTS_PRIVATE } from '../../../core/desk-events.js';

/** `channelId` of every activity this adapter produces. */
export const WHATSAPP_WEB_CHANNEL_ID = 'whatsapp';
/** `serviceUrl` of every activity (there is no HTTP service behind web.js; botbuilder wants a value). */
export const WHATSAPP_WEB_SERVICE_URL = 'whatsapp-web:';
/** Attachment `contentUrl` prefix: a reference to media still on WhatsApp, followed by the message id. */
export const WHATSAPP_WEB_MEDIA_URL_PREFIX = 'wwebjs-media:';

/** A message typed on the business phone (or WhatsApp Web/desktop) by a human, not sent by this adapter. */
export interface BusinessPhoneMessage {
  readonly conversationReference: Partial<ConversationReference>;
  readonly text: string;
  /** Epoch ms. */
  readonly at: number;
}

/** Options of {@link WhatsAppWebAdapter}. */
export interface WhatsAppWebAdapterOptions {
  readonly client: WhatsAppWebClient;
  /** Usually the {@link WhatsAppWebSupervisor}: outgoing messages wait on it while disconnected. */
  readonly gate?: ConnectionGate;
  /**
   * Someone answered the customer from the business phone itself. The app wires this to "an agent took
   * over" so the bot stops talking over a human. Never becomes a customer turn.
   */
  readonly onBusinessPhoneMessage?: (event: BusinessPhoneMessage) => void | Promise<void>;
  /** A message given up after repeated failures while connected (logged too). */
  readonly onSendFailed?: (event: { conversationId: string; text: string; error: unknown }) => void;
  /** The customer's WhatsApp name, the first time this process sees a chat (and when it changes). */
  readonly onContact?: (event: { conversationId: string; name: string; phone?: string; userId?: string }) => void | Promise<void>;
  /**
   * The conversation's current locale (the middleware's), for the customer lines the channel writes
   * (a photo, a location…). Default: the phone number's prior.
   */
  readonly conversationLocale?: (chatId: string) => Promise<string | undefined>;
  /**
   * Keeps a customer's photo, voice note, video or document (downloaded with `downloadMedia()`)
   * where the agent console can show it, and returns its URL (`CustomerMedia.put`). Without it, or
   * when the download fails, the line names the media by a `wwebjs-media:` reference the console
   * does not show.
   */
  readonly keepMedia?: (file: { contentType: string; name: string | null; bytes: Buffer }, chatId: string) => Promise<string | undefined>;
  /** Mark chats read and show "typing…" while the bot works (default true). */
  readonly presence?: boolean;
  /** The channel answers content without words (a photo alone…) at most once per this (default 2 min). */
  readonly ackEveryMs?: number;
  /** Files agents send (`handover-file:` attachments, `AgentFiles`); sent with the client's `sendFile`, then deleted. */
  readonly agentFiles?: Pick<AgentFiles, 'get' | 'delete'>;
  /** A file an agent sent did not go out (gone, or the client cannot send files): tell the agent. */
  readonly onFileNotSent?: (event: FileNotSentEvent) => void | Promise<void>;
  /** Minimum gap between two messages to the same chat (default 1000 ms). */
  readonly minSendGapMs?: number;
  /** How many message ids to remember for de-duplication (default 5000). */
  readonly dedupeCapacity?: number;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly logger?: ChannelLogger;
}

/** What the send queue carries: a text, or a file an agent sent (its `handover-file:` reference and caption). */
type WebJob = string | { readonly file: string; readonly caption: string };

/** Chats we serve: one-to-one chats, by phone-number id or by linked identity (privacy) id. */
function isCustomerChat(chatId: string): boolean {
  return chatId.endsWith('@c.us') || chatId.endsWith('@lid');
}

/**
 * botbuilder channel adapter for whatsapp-web.js. Incoming one-to-one messages become `message`
 * activities run through the middleware pipeline (`adapter.use(...)`), replies go out through a paced
 * per-chat queue that survives disconnects, and messages typed on the business phone are reported to
 * `onBusinessPhoneMessage` instead of reaching the bot.
 *
 * @example
 * const adapter = new WhatsAppWebAdapter({ client, gate: supervisor, onBusinessPhoneMessage: (e) => takeOver(e) });
 * adapter.use(handoffMiddleware);
 * adapter.listen((ctx) => bot.run(ctx));
 * supervisor.start();
 * // agent → customer:
 * await adapter.continueConversation(ref, (ctx) => ctx.sendActivity('Hi, I am Ana from support').then(() => {}));
 */
export class WhatsAppWebAdapter extends BotAdapter {
  /** Desk events (`handoff.initiate`) never reach the customer here: the middleware may send them into the turn. */
  readonly [KEEPS_DESK_EVENTS_PRIVATE] = true;
  private readonly client: WhatsAppWebClient;
  private readonly gate: ConnectionGate;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly logger: ChannelLogger;
  private readonly seen: BoundedIdSet;
  /** Ids of messages this adapter sent, so their `message_create` echo is not taken for a human's. */
  private readonly ownSent: BoundedIdSet;
  /** Sends under way per chat: an echo may arrive before `sendMessage` resolves with the id. */
  private readonly sending = new Map<string, Set<Promise<unknown>>>();
  /** The numbered options last offered per chat; one-shot (cleared by the next inbound message). */
  private readonly offered = new Map<string, NumberedOption[]>();
  private readonly turns = new Set<Promise<void>>();
  private readonly queue: PacedSendQueue<WebJob>;
  private readonly acks: AckGate;
  /** Chats (with the name) this process has reported to `onContact`. */
  private readonly contacts: BoundedIdSet;
  private localIds = 0;

  constructor(private readonly options: WhatsAppWebAdapterOptions) {
    super();
    this.client = options.client;
    this.gate = options.gate ?? alwaysReady;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.logger = options.logger ?? consoleChannelLogger('whatsapp-web');
    this.seen = new BoundedIdSet(options.dedupeCapacity ?? 5000);
    this.ownSent = new BoundedIdSet(options.dedupeCapacity ?? 5000);
    this.contacts = new BoundedIdSet(options.dedupeCapacity ?? 5000);
    this.acks = new AckGate(options.ackEveryMs ?? 2 * 60 * 1000);
    this.queue = new PacedSendQueue<WebJob>({
      minGapMs: options.minSendGapMs ?? 1000,
      clock: this.clock,
      sleep: this.sleep,
      gate: this.gate,
      logger: this.logger,
      maxAttemptsWhileReady: 5,
      retryDelayMs: 1000,
      send: (chatId, job) => (typeof job === 'string' ? this.sendNow(chatId, job) : this.sendFileNow(chatId, job)),
      onGiveUp: (chatId, job, error) => this.options.onSendFailed?.({ conversationId: chatId, text: typeof job === 'string' ? job : `📎 ${job.file}${job.caption === '' ? '' : `: ${job.caption}`}`, error }),
    });
  }

  /**
   * Starts turning client events into turns run by `logic` (usually `(ctx) => bot.run(ctx)`).
   * Returns a function that stops listening.
   *
   * @example
   * const stop = adapter.listen((ctx) => bot.run(ctx)); // later: stop()
   */
  listen(logic: (context: TurnContext) => Promise<void>): () => void {
    const onMessage = (m: WhatsAppWebMessage): void => this.track(this.handleIncoming(m, logic));
    const onCreate = (m: WhatsAppWebMessage): void => this.track(this.handleOwnMessage(m));
    this.client.on('message', onMessage);
    this.client.on('message_create', onCreate);
    return () => {
      this.client.removeListener('message', onMessage);
      this.client.removeListener('message_create', onCreate);
    };
  }

  /**
   * Runs one activity through the middleware and `logic`. Public so tools (simulate, replay) can feed
   * activities without a client event.
   *
   * @example
   * await adapter.processActivity({ type: 'message', text: 'hi', conversation: { id: '1@c.us' } }, logic);
   */
  async processActivity(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, logic);
  }

  /** Resolves when every turn under way has finished and every queued message has been sent. @example await adapter.whenIdle(); */
  async whenIdle(): Promise<void> {
    while (this.turns.size > 0) await Promise.allSettled([...this.turns]);
    await this.queue.whenIdle();
    // Sending can start new work (none today), so check turns once more.
    while (this.turns.size > 0) await Promise.allSettled([...this.turns]);
  }

  /** Messages accepted but not yet sent (e.g. while disconnected). @example adapter.pendingSends */
  get pendingSends(): number {
    return this.queue.pending;
  }

  /** Stops the send workers (unsent messages stay unsent): call at shutdown after `whenIdle` if possible. @example adapter.close() */
  close(): void {
    this.queue.close();
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      switch (activity.type) {
        case 'delay': {
          // Same as botbuilder's CloudAdapter: `value` is the delay in ms, 1 s when absent.
          const ms = typeof activity.value === 'number' ? activity.value : 1000;
          await this.sleep(ms);
          responses.push({ id: '' });
          break;
        }
        case ActivityTypes.Trace:
          // Traces are for the emulator; a customer must never see them.
          responses.push({ id: '' });
          break;
        case ActivityTypes.Typing:
          this.showTyping(this.chatIdOf(activity));
          responses.push({ id: '' });
          break;
        case ActivityTypes.Message: {
          const chatId = this.chatIdOf(activity);
          const files = this.options.agentFiles === undefined ? [] : (activity.attachments ?? []).filter((a) => typeof a.contentUrl === 'string' && a.contentUrl.startsWith(AGENT_FILE_URL_PREFIX));
          const body = this.renderMessage(chatId, { ...activity, attachments: (activity.attachments ?? []).filter((a) => !files.includes(a)) });
          if (files.length > 0) {
            // the text is the first file's caption
            files.forEach((f, i) => this.queue.enqueue(chatId, { file: f.contentUrl as string, caption: i === 0 ? body.trim() : '' }));
          } else if (body.trim() !== '') this.queue.enqueue(chatId, body);
          // The id is local: sending is asynchronous (paced, kept while disconnected) and WhatsApp's own id
          // is not known yet. Transcripts only need it to be unique.
          responses.push({ id: `wa-out-${++this.localIds}` });
          break;
        }
        default:
          // Events (handoff.initiate, …) are for middleware and desks, not for the customer's phone.
          responses.push({ id: '' });
      }
    }
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new HandoverError('HANDOVER_ERR_CHANNEL', 'whatsapp-web channel cannot edit a sent message: send a new one');
  }

  override async deleteActivity(): Promise<void> {
    throw new HandoverError('HANDOVER_ERR_CHANNEL', 'whatsapp-web channel cannot delete a sent message');
  }

  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    const context = new TurnContext(this, activity);
    // A proactive turn (an agent's or the system's message going out), not something the customer did:
    // the handoff middleware lets it through instead of gating it or recording it as a customer line.
    context.turnState.set(PROACTIVE_KEY, true);
    await this.runMiddleware(context, logic);
  }

  private chatIdOf(activity: Partial<Activity>): string {
    const id = activity.conversation?.id;
    if (id === undefined || id === '') {
      throw new HandoverError('HANDOVER_ERR_CHANNEL', 'whatsapp-web: outgoing activity has no conversation.id (send it from a turn or continueConversation)');
    }
    return id;
  }

  private renderMessage(chatId: string, activity: Partial<Activity>): string {
    const handover = (activity.channelData as { handover?: { role?: unknown } } | undefined)?.handover;
    // Bots write markdown (botbuilder's default); agents type WhatsApp's own *bold* and _italic_.
    const markdown = handover?.role !== 'agent' && (activity.textFormat === undefined || activity.textFormat === 'markdown');
    let text = markdown ? markdownToWhatsApp(activity.text ?? '') : (activity.text ?? '');
    // Media cannot be uploaded without loading whatsapp-web.js here; send links so nothing is lost.
    for (const a of activity.attachments ?? []) {
      if (typeof a.contentUrl === 'string') text += `${text === '' ? '' : '\n'}${a.name ?? a.contentType}: ${a.contentUrl}`;
    }
    const actions = activity.suggestedActions?.actions ?? [];
    if (actions.length === 0) return text;
    const rendered = renderNumberedOptions(text, actions);
    this.offered.set(chatId, rendered.options);
    return rendered.body;
  }

  private showTyping(chatId: string): void {
    const getChat = this.client.getChatById;
    if (getChat === undefined || !this.gate.isReady) return;
    getChat
      .call(this.client, chatId)
      .then((chat) => chat.sendStateTyping())
      .catch((e: unknown) => this.logger.warn('typing indicator failed', { chat: chatId, error: String(e) }));
  }

  /** Blue ticks, and "typing…" when the bot is going to answer. Best effort: never delays the turn. */
  private markSeen(chatId: string, typing: boolean): void {
    const getChat = this.client.getChatById;
    if (this.options.presence === false || getChat === undefined || !this.gate.isReady) return;
    getChat
      .call(this.client, chatId)
      .then(async (chat) => {
        await chat.sendSeen?.();
        if (typing) await chat.sendStateTyping();
      })
      .catch((e: unknown) => this.logger.info('read receipt / typing not sent', { chat: chatId, error: String(e) }));
  }

  /** The bot's turn (the middleware let it through): presence, then the bot on the words, or the channel's answer. */
  private async botTurn(context: TurnContext, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const content = context.turnState.get(CONTENT_KEY) as CustomerContent | undefined;
    const chatId = context.activity.conversation?.id;
    if (context.activity.type === ActivityTypes.Message && chatId !== undefined) this.markSeen(chatId, content === undefined || content.words !== undefined);
    await runBotTurn(context, logic, content, { acks: this.acks, now: this.clock.now() });
  }

  /** One file an agent sent: MessageMedia through the client (photos inline, other files as documents), then deleted. */
  private async sendFileNow(chatId: string, job: { readonly file: string; readonly caption: string }): Promise<void> {
    const source = this.options.agentFiles!;
    const notSent = async (name: string, reason: FileNotSentEvent['reason'], error?: string): Promise<void> => {
      this.logger.warn('a file the agent sent did not go out', { chat: chatId, name, reason });
      await source.delete(job.file).catch(() => undefined);
      await Promise.resolve(this.options.onFileNotSent?.({ conversationId: chatId, name, reason, ...(error === undefined ? {} : { error }) })).catch(() => undefined);
    };
    const file = await source.get(job.file);
    if (file === undefined) return notSent(job.file.slice(AGENT_FILE_URL_PREFIX.length), 'missing');
    if (this.client.sendFile === undefined) return notSent(file.name, 'refused', 'this WhatsApp client cannot send files');
    let settle = (): void => {};
    const marker = new Promise<void>((resolve) => (settle = resolve));
    let set = this.sending.get(chatId);
    if (set === undefined) this.sending.set(chatId, (set = new Set()));
    set.add(marker);
    try {
      const message = await this.client.sendFile(
        chatId,
        { mimetype: file.contentType, data: file.bytes.toString('base64'), filename: file.name },
        { ...(job.caption === '' ? {} : { caption: job.caption }), asDocument: file.kind === 'document' },
      );
      this.ownSent.addIfAbsent(message.id._serialized);
    } finally {
      settle();
      set.delete(marker);
      if (set.size === 0) this.sending.delete(chatId);
    }
    await source.delete(job.file).catch(() => undefined);
  }

  private async sendNow(chatId: string, text: string): Promise<void> {
    // Registered before calling sendMessage: the client may emit the echo synchronously inside it.
    let settle = (): void => {};
    const marker = new Promise<void>((resolve) => (settle = resolve));
    let set = this.sending.get(chatId);
    if (set === undefined) this.sending.set(chatId, (set = new Set()));
    set.add(marker);
    try {
      const message = await this.client.sendMessage(chatId, text);
      this.ownSent.addIfAbsent(message.id._serialized);
    } finally {
      settle();
      set.delete(marker);
      if (set.size === 0) this.sending.delete(chatId);
    }
  }

  private track(p: Promise<void>): void {
    // Event listeners cannot return promises to the emitter; a rejection here would crash Node.
    const guarded = p.catch((e: unknown) => this.logger.error('error while handling a WhatsApp event', { error: String(e) }));
    this.turns.add(guarded);
    void guarded.finally(() => this.turns.delete(guarded));
  }

  private async handleIncoming(m: WhatsAppWebMessage, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    if (m.fromMe) return; // handled by message_create
    const chatId = m.from;
    if (!isCustomerChat(chatId) || m.isStatus === true) return; // groups, status, channels: not customers
    if (!this.seen.addIfAbsent(m.id._serialized)) {
      this.logger.info('duplicate message event ignored', { id: m.id._serialized });
      return;
    }
    const offered = this.offered.get(chatId);
    this.offered.delete(chatId);
    // a phone number says where the customer is; a linked identity (@lid) id says nothing
    const prior = chatId.endsWith('@c.us') ? localePrior(chatId.split('@')[0] ?? '') : undefined;
    const locale = m.type === 'chat' ? prior : ((await this.options.conversationLocale?.(chatId).catch(() => undefined)) ?? prior);
    const kept = m.hasMedia ? await this.keepMedia(m) : undefined;
    const content = webContent(m, {
      lang: channelLanguage(locale),
      mediaLink: (id) => kept ?? `${WHATSAPP_WEB_MEDIA_URL_PREFIX}${encodeURIComponent(id)}`,
      offered: m.hasMedia ? undefined : offered,
    });
    if (content === undefined) {
      this.logger.info('WhatsApp notice ignored (not a customer message)', { type: m.type });
      return;
    }
    await this.reportContact(chatId, m._data?.notifyName ?? '');
    const context = new TurnContext(this, this.toActivity(chatId, m, content, prior));
    context.turnState.set(CONTENT_KEY, content);
    await this.runMiddleware(context, (ctx) => this.botTurn(ctx, logic));
  }

  /** The console URL of a message's media, once downloaded and kept; undefined when it could not be. */
  private async keepMedia(m: WhatsAppWebMessage): Promise<string | undefined> {
    if (this.options.keepMedia === undefined || m.downloadMedia === undefined) return undefined;
    try {
      const media = await m.downloadMedia();
      if (media === undefined || media.data === '') return undefined;
      return await this.options.keepMedia({ contentType: media.mimetype, name: media.filename ?? null, bytes: Buffer.from(media.data, 'base64') }, m.from);
    } catch (e) {
      this.logger.error('could not download a customer\'s media from WhatsApp Web', { id: m.id._serialized, error: String(e) });
      return undefined;
    }
  }

  private async reportContact(chatId: string, name: string): Promise<void> {
    if (this.options.onContact === undefined || !this.contacts.addIfAbsent(`${chatId}\n${name}`)) return;
    const id = chatId.split('@')[0] ?? chatId;
    await Promise.resolve(
      this.options.onContact({ conversationId: chatId, name, ...(chatId.endsWith('@c.us') ? { phone: id } : { userId: chatId }) }),
    ).catch((e: unknown) => this.logger.error('onContact callback failed', { error: String(e) }));
  }

  private async handleOwnMessage(m: WhatsAppWebMessage): Promise<void> {
    if (!m.fromMe) return; // incoming messages arrive through 'message'
    const chatId = m.to;
    if (!isCustomerChat(chatId) || m.isStatus === true) return;
    if (!this.seen.addIfAbsent(m.id._serialized)) return;
    // The echo of our own send can arrive before sendMessage resolves; wait for sends under way (bounded
    // so a hung send cannot hold this forever) before deciding that a human typed it.
    const under = this.sending.get(chatId);
    if (under !== undefined && under.size > 0) {
      // A real timer on purpose: it is a safety cap, not pacing, so tests' injected sleep never sees it.
      const cap = new AbortController();
      await Promise.race([Promise.allSettled([...under]), realSleep(10_000, cap.signal)]);
      cap.abort();
    }
    if (this.ownSent.has(m.id._serialized)) return;
    const at = m.timestamp > 0 ? m.timestamp * 1000 : this.clock.now();
    this.logger.info('message sent from the business phone; reporting a human takeover', { chat: chatId });
    await this.options.onBusinessPhoneMessage?.({
      conversationReference: {
        channelId: WHATSAPP_WEB_CHANNEL_ID,
        serviceUrl: WHATSAPP_WEB_SERVICE_URL,
        conversation: { id: chatId, isGroup: false, conversationType: 'personal', name: '' },
        user: { id: chatId, name: '' },
        bot: { id: m.from, name: '' },
      },
      text: m.body,
      at,
    });
  }

  private toActivity(chatId: string, m: WhatsAppWebMessage, content: CustomerContent, locale: string | undefined): Partial<Activity> {
    const timestamp = new Date(m.timestamp > 0 ? m.timestamp * 1000 : this.clock.now());
    return {
      type: content.activityType,
      id: m.id._serialized,
      channelId: WHATSAPP_WEB_CHANNEL_ID,
      serviceUrl: WHATSAPP_WEB_SERVICE_URL,
      timestamp,
      localTimestamp: timestamp,
      ...(locale === undefined ? {} : { locale }),
      conversation: { id: chatId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: m.author ?? m.from, name: m._data?.notifyName ?? '', role: 'user' },
      recipient: { id: m.to, name: '', role: 'bot' },
      text: content.line,
      textFormat: 'plain',
      ...(content.attachments === undefined || content.attachments.length === 0 ? {} : { attachments: [...content.attachments] }),
      ...(content.value === undefined ? {} : { value: content.value }),
      ...(content.refersTo === undefined ? {} : { replyToId: content.refersTo }),
      channelData: { whatsappWeb: { type: m.type, rawText: m.body, kind: content.kind, words: content.words ?? null } },
    };
  }
}
