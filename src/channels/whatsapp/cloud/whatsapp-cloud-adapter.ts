import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { PROACTIVE_KEY } from '../../../bridge/handoff-middleware.js';
import { conversationView } from '../../../bridge/turn-observation.js';
import type { Clock } from '../../../core/clock.js';
import { systemClock } from '../../../core/clock.js';
import { HandoverError } from '../../../core/errors.js';
import type { DocumentStore } from '../../../core/ports/document-store.js';
import { AckGate, CONTENT_KEY, runBotTurn } from '../shared/bot-turn.js';
import { consoleChannelLogger, type ChannelLogger } from '../shared/channel-logger.js';
import { listButtonLabel } from '../shared/channel-texts.js';
import { renderChoices, type InteractivePayload } from '../shared/choices.js';
import { channelLanguage, type CustomerContent } from '../shared/customer-content.js';
import { localePrior } from '../shared/locale-prior.js';
import { realSleep, type Sleep } from '../shared/sleep.js';
import { splitText } from '../shared/split-text.js';
import { markdownToWhatsApp } from '../shared/whatsapp-format.js';
import { CloudConversationStore, type CloudConversationDoc, type OutboxItem } from './cloud-conversation-store.js';
import { GRAPH_CODE_REENGAGEMENT_REQUIRED, graphFailureOf, type GraphApiClient } from './graph-api-client.js';
import { cloudContent } from './inbound-content.js';
import { MemoryMessageIds, type MessageIdLedger } from './message-ids.js';
import { AGENT_FILE_URL_PREFIX } from '../../../bridge/agent-files.js';
import type { WebhookContact, WebhookMessage, WebhookPayload, WebhookStatus, WebhookValue } from './webhook-types.js';
import { KEEPS_DESK_EVENTS_PRIVATE } from '../../../core/desk-events.js';

/** `channelId` of the Cloud API channel (web.js uses 'whatsapp'): lets the app route proactive sends. */
export const WHATSAPP_CLOUD_CHANNEL_ID = 'whatsapp-cloud';
/** Attachment `contentUrl` prefix when no media links are configured: a Graph media id to fetch with the access token. */
export const WHATSAPP_CLOUD_MEDIA_URL_PREFIX = 'whatsapp-cloud-media:';
/** Turn-state key of the read receipt / typing indicator sent at the start of the bot's turn. */
const PRESENCE_KEY = Symbol.for('handover.whatsapp-cloud.presence');
/** The customer-service window: free text only within 24 h of the customer's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * Default replay window: a message stamped longer ago than this is refused (answered 200, not
 * processed, logged). Meta retries a webhook it could not deliver for up to 7 days, so a shorter
 * window would throw away real customers' messages after an outage; 7 days refuses anything older.
 */
export const DEFAULT_REPLAY_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** How long past a message's own window its id is still kept (clock differences between Meta and us). */
const REPLAY_SKEW_MS = 60 * 60 * 1000;

/** A delivery status from Meta (sent, delivered, read, failed). */
export interface CloudMessageStatus {
  readonly id: string;
  readonly status: string;
  readonly recipientId: string;
  /** Epoch ms. */
  readonly at: number;
  readonly errors: readonly unknown[];
}

/**
 * Who wrote: the WhatsApp profile of a conversation's customer, reported when first seen and when it
 * changes (the app shows it to agents: the briefing's "Customer" section).
 *
 * @example
 * const c: CloudContactEvent = { conversationId: '5511987654321', name: 'Ana', phone: '5511987654321' };
 */
export interface CloudContactEvent {
  /** The conversation id: the phone number, or the business-scoped user id of a username-only sender. */
  readonly conversationId: string;
  /** WhatsApp profile name ('' when Meta sends none). */
  readonly name: string;
  readonly phone?: string;
  readonly userId?: string;
  readonly username?: string;
}

/**
 * A text could not go out as free text because the 24-hour window is closed. `templateSent` says what
 * happened now: true when the re-engagement template was just sent, false when one already went out
 * since the customer's last message (or none is configured, or it failed: see the log).
 *
 * @example
 * const e: WindowClosedEvent = { conversationId: '5511987654321', templateName: 'agent_ready', templateSent: true };
 */
export interface WindowClosedEvent {
  readonly conversationId: string;
  readonly templateName: string | undefined;
  readonly templateSent: boolean;
}

/**
 * Where files agents send are kept (`AgentFiles` of the bridge): `handover-file:` references in an
 * outgoing activity's attachments are read here, sent, then deleted.
 */
export interface AgentFileSource {
  get(url: string): Promise<{ readonly contentType: string; readonly name: string; readonly kind: 'image' | 'document'; readonly bytes: Buffer } | undefined>;
  delete(url: string): Promise<void>;
}

/**
 * A file an agent sent did not reach the customer: the 24-hour window is closed (files are not held
 * like texts), the file is gone (kept 24 h), or Meta refused it.
 *
 * @example
 * const e: FileNotSentEvent = { conversationId: '5511987654321', name: 'invoice.pdf', reason: 'window_closed' };
 */
export interface FileNotSentEvent {
  readonly conversationId: string;
  readonly name: string;
  readonly reason: 'window_closed' | 'missing' | 'refused';
  readonly error?: string;
}

/** Options of {@link WhatsAppCloudAdapter}. */
export interface WhatsAppCloudAdapterOptions {
  readonly graph: GraphApiClient;
  /** The shared store (memory or Redis): dedupe, lastInboundAt, outbox live there. */
  readonly documents: DocumentStore;
  /** Templates by purpose; `agent_reply` is used when no purpose is given. */
  readonly templates: Readonly<Record<string, { readonly name: string; readonly language: string }>>;
  /**
   * A message could not be sent as free text because the 24 h window is closed; the template was sent
   * instead (when configured) and the text is held until the customer writes. Tell the agent why.
   */
  readonly onWindowClosed?: (event: WindowClosedEvent) => void | Promise<void>;
  readonly onStatus?: (status: CloudMessageStatus) => void;
  /** A message Meta refused for good (not retryable); logged as well. */
  readonly onDeliveryFailed?: (event: { conversationId: string; text: string; error: unknown }) => void;
  /** The customer's WhatsApp profile, when first seen and when it changes. */
  readonly onContact?: (event: CloudContactEvent) => void | Promise<void>;
  /**
   * The conversation's current locale (the middleware's, which follows the customer's language), for
   * the customer lines the channel writes (a photo, a location…). Default: the phone number's prior.
   */
  readonly conversationLocale?: (conversationId: string) => Promise<string | undefined>;
  /** Where media can be fetched (a signed link); default a `whatsapp-cloud-media:<id>` reference. */
  readonly mediaLink?: (mediaId: string) => string;
  /** Mark messages read and show "typing…" while the bot works, read when an agent writes (default true). */
  readonly presence?: boolean;
  /** Reply buttons and list messages for suggested actions (default true; false: numbered text). */
  readonly interactive?: boolean;
  /** The channel answers content without words (a photo alone…) at most once per this (default 2 min). */
  readonly ackEveryMs?: number;
  readonly clock?: Clock;
  readonly logger?: ChannelLogger;
  readonly sleep?: Sleep;
  readonly windowMs?: number;
  /**
   * A message whose timestamp is older than this is refused (a replay, or a retry past Meta's own
   * 7 days): default {@link DEFAULT_REPLAY_WINDOW_MS}.
   */
  readonly replayWindowMs?: number;
  /**
   * Where message ids are remembered until they leave the replay window: `LeaseMessageIds` on the
   * shared store (Redis), default `MemoryMessageIds` in this process (bounded).
   */
  readonly messageIds?: MessageIdLedger;
  /** Files agents send (`handover-file:` attachments); without it such attachments go out as text lines. */
  readonly agentFiles?: AgentFileSource;
  /** A file an agent sent was not sent: tell the agent. */
  readonly onFileNotSent?: (event: FileNotSentEvent) => void | Promise<void>;
}

/** Not customer messages: system notices (number changed, user id changed) and the welcome request. */
const IGNORED_TYPES = new Set(['system', 'request_welcome']);

/** An outgoing message: text (always: the fallback and what is held or queued) and, when it fits, its interactive form. */
interface Outgoing {
  readonly text: string;
  readonly interactive?: InteractivePayload;
}

/**
 * botbuilder channel adapter for the official WhatsApp Cloud API. Webhook payloads (see
 * `createCloudWebhookHandler`) become activities run through the middleware: every message type is a
 * readable customer line (`activity.text`; photos, voice notes, carts, locations, contacts, forms,
 * edits, polls…: see `cloudContent`), reactions and deletions are `messageReaction` / `messageDelete`,
 * and the bot reads only the customer's words — content without words is answered by the channel
 * (`runBotTurn`). `activity.locale` is the phone's (or user id's) country guess. Username-only
 * senders (`from_user_id`, no `from`) are conversations keyed by their business-scoped user id.
 * Replies go out through the Graph API as free text (quick replies as reply buttons or a list when
 * they fit Meta's limits, numbered text otherwise; markdown converted) inside the 24-hour window
 * and as an approved template outside it; the customer's message is marked read with "typing…" when
 * the bot takes the turn, and read when an agent writes. Messages Graph could not take after retries
 * wait in the outbox (`flushOutbox()`), never dropped. All state is in the shared DocumentStore, so
 * any process can take any webhook.
 *
 * @example
 * const graph = new GraphApiClient({ baseUrl: cfg.graphBaseUrl, phoneNumberId: cfg.phoneNumberId, accessToken: cfg.accessToken });
 * const adapter = new WhatsAppCloudAdapter({ graph, documents: stores.documents, templates: cfg.templates, onWindowClosed: (e) => tellAgent(e) });
 * adapter.use(handoffMiddleware);
 * const handler = createCloudWebhookHandler({ adapter, logic: (ctx) => bot.run(ctx), verifyToken: cfg.verifyToken, appSecret: cfg.appSecret });
 * setInterval(() => void adapter.flushOutbox(), cfg.outboxRetryMs).unref();
 */
export class WhatsAppCloudAdapter extends BotAdapter {
  /** Desk events (`handoff.initiate`) never reach the customer here: the middleware may send them into the turn. */
  readonly [KEEPS_DESK_EVENTS_PRIVATE] = true;
  private readonly graph: GraphApiClient;
  private readonly state: CloudConversationStore;
  private readonly clock: Clock;
  private readonly logger: ChannelLogger;
  private readonly sleep: Sleep;
  private readonly windowMs: number;
  private readonly acks: AckGate;
  private readonly replayWindowMs: number;
  private readonly messageIds: MessageIdLedger;
  private flushing: Promise<{ delivered: number; remaining: number }> | undefined;

  constructor(private readonly options: WhatsAppCloudAdapterOptions) {
    super();
    this.graph = options.graph;
    this.state = new CloudConversationStore(options.documents, options.graph.phoneNumberId);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? consoleChannelLogger('whatsapp-cloud');
    this.sleep = options.sleep ?? realSleep;
    this.windowMs = options.windowMs ?? CUSTOMER_SERVICE_WINDOW_MS;
    this.acks = new AckGate(options.ackEveryMs ?? 2 * 60 * 1000);
    this.replayWindowMs = options.replayWindowMs ?? DEFAULT_REPLAY_WINDOW_MS;
    this.messageIds = options.messageIds ?? new MemoryMessageIds({ clock: this.clock });
  }

  /**
   * Processes one verified webhook payload: every entry, change, message and status. Messages already
   * seen (same wamid) are skipped; statuses are reported, never turned into turns. One bad message
   * does not stop the others.
   *
   * @example
   * await adapter.processWebhook(JSON.parse(rawBody.toString('utf8')), (ctx) => bot.run(ctx));
   */
  async processWebhook(payload: unknown, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const p = payload as WebhookPayload;
    if (typeof p !== 'object' || p === null || !Array.isArray(p.entry)) {
      this.logger.warn('webhook payload without entries ignored');
      return;
    }
    for (const entry of p.entry) {
      for (const change of entry.changes ?? []) {
        const value = change.value;
        if (change.field !== 'messages' || value === undefined) continue;
        const phoneId = value.metadata?.phone_number_id;
        if (phoneId !== undefined && phoneId !== this.graph.phoneNumberId) {
          this.logger.warn('webhook for another phone number id ignored', { phoneNumberId: phoneId });
          continue;
        }
        for (const s of value.statuses ?? []) this.reportStatus(s);
        for (const m of value.messages ?? []) {
          try {
            await this.processMessage(m, value, logic);
          } catch (e) {
            this.logger.error('failed to process a WhatsApp message', { id: m.id, error: String(e) });
          }
        }
      }
    }
  }

  /** Runs one activity through the middleware and `logic`. @example await adapter.processActivity(activity, logic) */
  async processActivity(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  /**
   * Retries the outbox, oldest first; items that fail again stay (with an attempt count). Call it on a
   * timer (`outboxRetryMs`) and at start-up. Concurrent calls share one run.
   *
   * @example
   * const { delivered, remaining } = await adapter.flushOutbox();
   */
  flushOutbox(): Promise<{ delivered: number; remaining: number }> {
    this.flushing ??= this.runFlush().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Undelivered messages waiting in the outbox. @example (await adapter.outbox()).length */
  outbox(): Promise<readonly OutboxItem[]> {
    return this.state.outbox();
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    // A read receipt / typing indicator started with the bot's turn goes out before the first reply.
    await (context.turnState.get(PRESENCE_KEY) as Promise<void> | undefined);
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await this.sleep(typeof activity.value === 'number' ? activity.value : 1000);
        responses.push({ id: '' });
        continue;
      }
      if (activity.type === ActivityTypes.Typing) {
        await this.typing(context, activity);
        responses.push({ id: '' });
        continue;
      }
      if (activity.type !== ActivityTypes.Message) {
        // Traces and events are for the emulator, middleware and desks, not for the customer's phone.
        responses.push({ id: '' });
        continue;
      }
      const to = activity.conversation?.id;
      if (to === undefined || to === '') {
        throw new HandoverError('HANDOVER_ERR_CHANNEL', 'whatsapp-cloud: outgoing activity has no conversation.id (send it from a turn or continueConversation)');
      }
      const handover = (activity.channelData as { handover?: { role?: unknown } } | undefined)?.handover;
      // Bots write markdown (botbuilder's default); agents type WhatsApp's own *bold* and _italic_.
      const markdown = handover?.role !== 'agent' && (activity.textFormat === undefined || activity.textFormat === 'markdown');
      let text = markdown ? markdownToWhatsApp(activity.text ?? '') : (activity.text ?? '');
      const files: string[] = [];
      for (const a of activity.attachments ?? []) {
        if (typeof a.contentUrl !== 'string') continue;
        if (this.options.agentFiles !== undefined && a.contentUrl.startsWith(AGENT_FILE_URL_PREFIX)) files.push(a.contentUrl);
        else text += `${text === '' ? '' : '\n'}${a.name ?? a.contentType}: ${a.contentUrl}`;
      }
      if (files.length > 0) {
        // the text is the files' caption
        responses.push({ id: await this.deliverFiles(to, files, text, { markRead: context.turnState.get(PROACTIVE_KEY) === true }) });
        continue;
      }
      let outgoing: Outgoing = { text };
      const actions = activity.suggestedActions?.actions ?? [];
      if (actions.length > 0) {
        const locale = conversationView(context)?.locale ?? activity.locale ?? context.activity.locale;
        const r = renderChoices(text, actions, { interactive: this.options.interactive !== false, listButton: listButtonLabel(locale), nonce: randomUUID().slice(0, 6) });
        outgoing = { text: r.fallback, ...(r.interactive === undefined ? {} : { interactive: r.interactive }) };
        await this.state.setOffered(to, r.options);
      }
      const purpose = (activity.channelData as { templatePurpose?: unknown } | undefined)?.templatePurpose;
      const id = await this.deliver(to, outgoing, typeof purpose === 'string' ? purpose : 'agent_reply', { markRead: context.turnState.get(PROACTIVE_KEY) === true });
      responses.push({ id });
    }
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new HandoverError('HANDOVER_ERR_CHANNEL', 'whatsapp-cloud channel cannot edit a sent message: send a new one');
  }

  override async deleteActivity(): Promise<void> {
    throw new HandoverError('HANDOVER_ERR_CHANNEL', 'whatsapp-cloud channel cannot delete a sent message');
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

  /**
   * Free text (or its interactive form) inside the window, template outside; retryable failures go
   * to the outbox (as text). With `markRead` (an agent's or the system's message), the customer's
   * last message is marked read first if it was not yet: the agent has read it.
   */
  private async deliver(to: string, msg: Outgoing, purpose: string, opts: { markRead?: boolean } = {}): Promise<string> {
    if (msg.text.trim() === '' && msg.interactive === undefined) return '';
    const conv = await this.state.conversation(to);
    const last = conv?.lastInboundAt;
    if (last === undefined || this.clock.now() - last > this.windowMs) {
      return this.windowClosed(to, msg.text, purpose);
    }
    if (opts.markRead === true) await this.markUnreadRead(to, conv);
    // Keep order: while older messages to this customer wait in the outbox, queue behind them.
    if ((await this.state.outbox()).some((i) => i.to === to)) {
      await this.toOutbox(to, splitText(msg.text, 4096), 'older messages are still waiting');
      void this.flushOutbox().catch(() => {});
      return '';
    }
    if (msg.interactive !== undefined) {
      try {
        return await this.graph.sendInteractive(to, msg.interactive);
      } catch (e) {
        const failure = graphFailureOf(e);
        if (failure?.graphCode === GRAPH_CODE_REENGAGEMENT_REQUIRED) return this.windowClosed(to, msg.text, purpose);
        if (failure?.retryable === true) {
          await this.toOutbox(to, splitText(msg.text, 4096), String(e));
          return '';
        }
        // Refused as interactive (a limit Meta changed, a title it dislikes): the numbered text still works.
        this.logger.warn('WhatsApp refused the interactive message; sending the options as numbered text', { to, error: String(e) });
      }
    }
    const parts = splitText(msg.text, 4096);
    const ids: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      try {
        ids.push(...(await this.graph.sendText(to, parts[i] as string)));
      } catch (e) {
        const failure = graphFailureOf(e);
        if (failure?.graphCode === GRAPH_CODE_REENGAGEMENT_REQUIRED) {
          // Meta's clock says the window is closed even if ours did not (e.g. another number wrote).
          return this.windowClosed(to, parts.slice(i).join('\n'), purpose);
        }
        if (failure?.retryable === true) {
          await this.toOutbox(to, parts.slice(i), String(e));
          return ids[0] ?? '';
        }
        this.logger.error('WhatsApp refused the message; not retried', { to, error: String(e) });
        this.options.onDeliveryFailed?.({ conversationId: to, text: msg.text, error: e });
        return ids[0] ?? '';
      }
    }
    return ids[0] ?? '';
  }

  /**
   * Files an agent sent: uploaded to Meta and sent as image / document messages (the first with the
   * text as its caption) inside the 24-hour window; outside it, or when the file is gone or refused,
   * the agent is told (`onFileNotSent`) and nothing is held. A file is deleted once sent or given up;
   * Meta being unavailable throws, so the relay retries the whole message.
   */
  private async deliverFiles(to: string, urls: readonly string[], caption: string, opts: { markRead?: boolean }): Promise<string> {
    const source = this.options.agentFiles!;
    const notSent = async (url: string, name: string, reason: FileNotSentEvent['reason'], error?: string): Promise<void> => {
      this.logger.warn('a file the agent sent did not go out', { to, name, reason, ...(error === undefined ? {} : { error }) });
      await source.delete(url).catch(() => undefined);
      await Promise.resolve(this.options.onFileNotSent?.({ conversationId: to, name, reason, ...(error === undefined ? {} : { error }) })).catch((e: unknown) =>
        this.logger.error('onFileNotSent callback failed', { error: String(e) }),
      );
    };
    const conv = await this.state.conversation(to);
    const closed = conv?.lastInboundAt === undefined || this.clock.now() - conv.lastInboundAt > this.windowMs;
    if (!closed && opts.markRead === true) await this.markUnreadRead(to, conv);
    let first = '';
    let text = Array.from(caption).slice(0, 1024).join('');
    for (const url of urls) {
      const file = await source.get(url);
      if (file === undefined) {
        await notSent(url, url.slice(AGENT_FILE_URL_PREFIX.length), 'missing');
        continue;
      }
      if (closed) {
        await notSent(url, file.name, 'window_closed');
        continue;
      }
      try {
        const mediaId = await this.graph.uploadMedia(file.bytes, file.contentType, file.name);
        const id = await this.graph.sendMedia(to, file.kind, mediaId, { caption: text, filename: file.name });
        text = '';
        first ||= id;
        await source.delete(url).catch(() => undefined);
      } catch (e) {
        const failure = graphFailureOf(e);
        if (failure?.retryable === true) throw e; // the relay tries the message again
        await notSent(url, file.name, failure?.graphCode === GRAPH_CODE_REENGAGEMENT_REQUIRED ? 'window_closed' : 'refused', String(e));
      }
    }
    return first;
  }

  /** Marks the customer's last message read (no typing) when it is not yet. Never throws. */
  private async markUnreadRead(to: string, conv: CloudConversationDoc | undefined): Promise<void> {
    if (this.options.presence === false) return;
    const id = conv?.lastInboundId;
    if (id === undefined || id === conv?.readId) return;
    await this.sendPresence(to, id, false);
  }

  /** One read receipt (with "typing…" when `typing`), recorded; failures are logged, never thrown. */
  private async sendPresence(to: string, messageId: string, typing: boolean): Promise<void> {
    try {
      await this.graph.markRead(messageId, { typing });
      await this.state.setRead(to, messageId);
    } catch (e) {
      this.logger.info('read receipt / typing indicator not sent', { to, error: String(e) });
    }
  }

  /** A typing activity from the bot: "typing…" on the message being answered (or the customer's last one). */
  private async typing(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    if (this.options.presence === false) return;
    const to = activity.conversation?.id;
    if (to === undefined || to === '') return;
    const inTurn = context.turnState.get(PROACTIVE_KEY) !== true && context.activity.type === ActivityTypes.Message ? context.activity.id : undefined;
    const conv = await this.state.conversation(to).catch(() => undefined);
    const id = inTurn ?? conv?.lastInboundId;
    if (id === undefined || conv?.lastInboundAt === undefined || this.clock.now() - conv.lastInboundAt > this.windowMs) return;
    await this.sendPresence(to, id, true);
  }

  private async windowClosed(to: string, text: string, purpose: string): Promise<string> {
    const template = this.options.templates[purpose] ?? this.options.templates['agent_reply'];
    const { sendTemplate } = await this.state.hold(to, text, this.clock.now(), this.windowMs);
    let id = '';
    let templateSent = false;
    if (template === undefined) {
      this.logger.error('24 h window closed and no template is configured; the text is held until the customer writes', { to, purpose });
    } else if (!sendTemplate) {
      this.logger.info('24 h window closed; the template already went out, the text is held until the customer replies', { to, template: template.name });
    } else {
      this.logger.info('24 h window closed; sending a template instead of free text', { to, template: template.name });
      try {
        id = await this.graph.sendTemplate(to, template);
        templateSent = true;
      } catch (e) {
        this.logger.error('could not send the re-engagement template', { to, template: template.name, error: String(e) });
        await this.state.unclaimTemplate(to);
        this.options.onDeliveryFailed?.({ conversationId: to, text: `[template ${template.name}]`, error: e });
      }
    }
    await this.options.onWindowClosed?.({ conversationId: to, templateName: template?.name, templateSent });
    return id;
  }

  private async toOutbox(to: string, parts: readonly string[], error: string): Promise<void> {
    const now = this.clock.now();
    await this.state.addToOutbox(parts.map((text) => ({ id: randomUUID(), to, text, enqueuedAt: now, attempts: 1, lastError: error })));
    this.logger.warn('WhatsApp Cloud API unavailable; message kept in the outbox for a later retry', { to, parts: parts.length, error });
  }

  private async runFlush(): Promise<{ delivered: number; remaining: number }> {
    const items = await this.state.outbox();
    const delivered: string[] = [];
    const failed = new Map<string, string>();
    const blocked = new Set<string>(); // a customer whose older message failed: keep the rest in order
    for (const item of items) {
      if (blocked.has(item.to)) continue;
      try {
        await this.graph.sendText(item.to, item.text);
        delivered.push(item.id);
      } catch (e) {
        const failure = graphFailureOf(e);
        if (failure?.retryable === true) {
          failed.set(item.id, String(e));
          blocked.add(item.to);
        } else if (failure?.graphCode === GRAPH_CODE_REENGAGEMENT_REQUIRED) {
          // The window closed while it waited: hold it for the customer's next message, send the template.
          delivered.push(item.id);
          await this.windowClosed(item.to, item.text, 'agent_reply');
        } else {
          // Permanent refusal: drop it from the outbox but say so loudly.
          delivered.push(item.id);
          this.logger.error('outbox message refused by WhatsApp; removed', { to: item.to, error: String(e) });
          this.options.onDeliveryFailed?.({ conversationId: item.to, text: item.text, error: e });
        }
      }
    }
    await this.state.settleOutbox(delivered, failed);
    return { delivered: delivered.length, remaining: items.length - delivered.length };
  }

  private reportStatus(s: WebhookStatus): void {
    if (s.id === undefined || s.status === undefined) return;
    const status: CloudMessageStatus = {
      id: s.id,
      status: s.status,
      recipientId: s.recipient_id ?? s.recipient_user_id ?? '',
      at: s.timestamp === undefined ? this.clock.now() : Number(s.timestamp) * 1000,
      errors: s.errors ?? [],
    };
    if (status.status === 'failed') this.logger.warn('WhatsApp reports a message failed', { id: status.id, errors: status.errors });
    try {
      this.options.onStatus?.(status);
    } catch (e) {
      this.logger.error('onStatus callback failed', { error: String(e) });
    }
  }

  private async processMessage(m: WebhookMessage, value: WebhookValue, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    // A customer with a WhatsApp username may share no phone number (Meta v25): then the business-scoped
    // user id is who they are, the conversation's id, and where replies go (`recipient`).
    const waId = m.from ?? m.from_user_id;
    if (waId === undefined || waId === '' || m.id === undefined) {
      this.logger.warn('WhatsApp message without a sender or an id ignored', { id: m.id, type: m.type });
      return;
    }
    if (IGNORED_TYPES.has(m.type ?? '')) {
      this.logger.info('non-conversational WhatsApp message ignored', { type: m.type });
      return;
    }
    const contact = contactOf(value.contacts, m);
    const profile = { name: contact?.profile?.name ?? '', ...(contact?.profile?.username === undefined ? {} : { username: contact.profile.username }) };
    const now = this.clock.now();
    const stamped = m.timestamp !== undefined && Number.isFinite(Number(m.timestamp));
    const at = stamped ? Number(m.timestamp) * 1000 : now;
    if (now - at > this.replayWindowMs) {
      // Signed by Meta, but older than anything Meta still retries: a replayed capture (or a retry we
      // must not act on days late). Meta got its 200; nothing is processed.
      this.logger.warn('WhatsApp message older than the replay window refused (not processed)', {
        id: m.id,
        sentAt: new Date(at).toISOString(),
        replayWindowHours: Math.round(this.replayWindowMs / 3_600_000),
      });
      return;
    }
    // Kept until the message itself leaves the window (then the window refuses it), so a replay is
    // recognised however many messages came in between.
    const keepMs = Math.min(at + this.replayWindowMs - now, 2 * this.replayWindowMs) + REPLAY_SKEW_MS;
    if (!(await this.messageIds.firstSeen(m.id, keepMs))) {
      this.logger.info('duplicate webhook message ignored', { id: m.id });
      return;
    }
    // Reactions and deletions are shown to the agent, but do not count as the customer writing
    // (the 24-hour window, held texts, the options offered stay as they were).
    const opensWindow = m.type !== 'reaction' && m.type !== 'revoke';
    const claim = await this.state.claimInbound(waId, m.id, at, profile, { opensWindow });
    if (!claim.fresh) {
      this.logger.info('duplicate webhook message ignored', { id: m.id });
      return;
    }
    if (m.from === undefined) {
      this.logger.info('username-only WhatsApp sender (no phone number shared): served by its business-scoped user id, replies go to it as `recipient`', {
        userId: waId,
        ...(profile.username === undefined ? {} : { username: profile.username }),
      });
    }
    if (claim.contactChanged) {
      const userId = m.from_user_id ?? contact?.user_id;
      await Promise.resolve(
        this.options.onContact?.({
          conversationId: waId,
          name: profile.name,
          ...(m.from === undefined ? {} : { phone: m.from }),
          ...(userId === undefined ? {} : { userId }),
          ...(profile.username === undefined ? {} : { username: profile.username }),
        }),
      ).catch((e: unknown) => this.logger.error('onContact callback failed', { error: String(e) }));
    }
    // The customer just reopened the window: deliver what agents wrote while it was closed.
    for (const text of claim.held) await this.deliver(waId, { text }, 'agent_reply');

    const prior = localePrior(waId);
    // Text is the customer's own words; other content gets a line written by the channel, in the
    // conversation's language (so that language detection reads the customer, not the channel).
    const locale = m.type === 'text' ? prior : ((await this.options.conversationLocale?.(waId).catch(() => undefined)) ?? prior);
    const content = cloudContent(m, {
      lang: channelLanguage(locale),
      mediaLink: this.options.mediaLink ?? ((id) => `${WHATSAPP_CLOUD_MEDIA_URL_PREFIX}${id}`),
      offered: claim.offered,
    });
    const timestamp = new Date(at);
    const reaction = content.activityType === 'messageReaction';
    const activity: Partial<Activity> = {
      type: content.activityType,
      id: m.id,
      channelId: WHATSAPP_CLOUD_CHANNEL_ID,
      serviceUrl: 'whatsapp-cloud:',
      timestamp,
      localTimestamp: timestamp,
      ...(prior === undefined ? {} : { locale: prior }),
      conversation: { id: waId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: waId, name: profile.name, role: 'user' },
      recipient: { id: this.graph.phoneNumberId, name: '', role: 'bot' },
      text: content.line,
      textFormat: 'plain',
      ...(content.attachments === undefined || content.attachments.length === 0 ? {} : { attachments: [...content.attachments] }),
      ...(content.value === undefined ? {} : { value: content.value }),
      ...(reaction ? (content.emoji === '' ? { reactionsRemoved: [{ type: 'emoji' }] } : { reactionsAdded: [{ type: content.emoji ?? '' }] }) : {}),
      ...((content.refersTo ?? m.context?.id) === undefined ? {} : { replyToId: content.refersTo ?? m.context?.id }),
      channelData: {
        whatsappCloud: {
          type: m.type,
          kind: content.kind,
          words: content.words ?? null,
          ...(content.data ?? {}),
          ...(m.from === undefined ? { userId: waId } : {}),
          ...(profile.username === undefined ? {} : { username: profile.username }),
          ...(m.location === undefined ? {} : { location: m.location }),
        },
      },
    };
    const context = new TurnContext(this, activity);
    context.turnState.set(CONTENT_KEY, content);
    await this.runMiddleware(context, (ctx) => this.botTurn(ctx, logic));
  }

  /** The bot's turn (the middleware let it through): presence, then the bot on the words, or the channel's answer. */
  private async botTurn(context: TurnContext, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const content = context.turnState.get(CONTENT_KEY) as CustomerContent | undefined;
    const a = context.activity;
    if (this.options.presence !== false && a.type === ActivityTypes.Message && a.id !== undefined && a.conversation?.id !== undefined) {
      // "typing…" only when the bot is going to answer (it is asked, or the channel answers for it)
      context.turnState.set(PRESENCE_KEY, this.sendPresence(a.conversation.id, a.id, content === undefined || content.words !== undefined));
    }
    await runBotTurn(context, logic, content, { acks: this.acks, now: this.clock.now() });
  }
}

/** The webhook contact of a message's sender (by phone number or by user id). */
function contactOf(contacts: readonly WebhookContact[] | undefined, m: WebhookMessage): WebhookContact | undefined {
  if (contacts === undefined) return undefined;
  return (
    contacts.find((c) => (m.from !== undefined && c.wa_id === m.from) || (m.from_user_id !== undefined && c.user_id === m.from_user_id)) ??
    (contacts.length === 1 && m.from === undefined ? contacts[0] : undefined)
  );
}

