import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type Attachment,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { PROACTIVE_KEY } from '../../../bridge/handoff-middleware.js';
import type { Clock } from '../../../core/clock.js';
import { systemClock } from '../../../core/clock.js';
import { HandoverError } from '../../../core/errors.js';
import type { DocumentStore } from '../../../core/ports/document-store.js';
import { consoleChannelLogger, type ChannelLogger } from '../shared/channel-logger.js';
import { renderNumberedOptions, resolveNumberedReply } from '../shared/numbered-options.js';
import { realSleep, type Sleep } from '../shared/sleep.js';
import { splitText } from '../shared/split-text.js';
import { CloudConversationStore, type OutboxItem } from './cloud-conversation-store.js';
import { GRAPH_CODE_REENGAGEMENT_REQUIRED, graphFailureOf, type GraphApiClient } from './graph-api-client.js';

/** `channelId` of the Cloud API channel (web.js uses 'whatsapp'): lets the app route proactive sends. */
export const WHATSAPP_CLOUD_CHANNEL_ID = 'whatsapp-cloud';
/** Attachment `contentUrl` prefix: a Graph media id to fetch later with the access token. */
export const WHATSAPP_CLOUD_MEDIA_URL_PREFIX = 'whatsapp-cloud-media:';
/** The customer-service window: free text only within 24 h of the customer's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

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
  readonly clock?: Clock;
  readonly logger?: ChannelLogger;
  readonly sleep?: Sleep;
  readonly windowMs?: number;
}

/** The subset of the webhook payload we read; everything is optional because it comes from outside. */
interface WebhookPayload {
  object?: string;
  entry?: Array<{ changes?: Array<{ field?: string; value?: WebhookValue }> }>;
}
interface WebhookValue {
  metadata?: { phone_number_id?: string };
  contacts?: Array<{ wa_id?: string; profile?: { name?: string } }>;
  messages?: WebhookMessage[];
  statuses?: Array<{ id?: string; status?: string; recipient_id?: string; timestamp?: string; errors?: unknown[] }>;
}
interface WebhookMedia {
  id?: string;
  mime_type?: string;
  caption?: string;
  filename?: string;
}
interface WebhookMessage {
  from?: string;
  id?: string;
  timestamp?: string;
  type?: string;
  text?: { body?: string };
  interactive?: { type?: string; button_reply?: { id?: string; title?: string }; list_reply?: { id?: string; title?: string } };
  button?: { text?: string; payload?: string };
  image?: WebhookMedia;
  audio?: WebhookMedia;
  video?: WebhookMedia;
  document?: WebhookMedia;
  sticker?: WebhookMedia;
  location?: { latitude?: number; longitude?: number; name?: string; address?: string };
  context?: { id?: string };
}

const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;
/** Not customer turns: reactions, system notices (number changed), unsupported content. */
const IGNORED_TYPES = new Set(['reaction', 'system', 'unsupported', 'ephemeral', 'request_welcome']);

/**
 * botbuilder channel adapter for the official WhatsApp Cloud API. Webhook payloads (see
 * `createCloudWebhookHandler`) become `message` activities run through the middleware; replies go out
 * through the Graph API as free text inside the 24-hour window and as an approved template outside it.
 * Messages Graph could not take after retries wait in the outbox (`flushOutbox()`), never dropped.
 * All state is in the shared DocumentStore, so any process can take any webhook.
 *
 * @example
 * const graph = new GraphApiClient({ baseUrl: cfg.graphBaseUrl, phoneNumberId: cfg.phoneNumberId, accessToken: cfg.accessToken });
 * const adapter = new WhatsAppCloudAdapter({ graph, documents: stores.documents, templates: cfg.templates, onWindowClosed: (e) => tellAgent(e) });
 * adapter.use(handoffMiddleware);
 * const handler = createCloudWebhookHandler({ adapter, logic: (ctx) => bot.run(ctx), verifyToken: cfg.verifyToken, appSecret: cfg.appSecret });
 * setInterval(() => void adapter.flushOutbox(), cfg.outboxRetryMs).unref();
 */
export class WhatsAppCloudAdapter extends BotAdapter {
  private readonly graph: GraphApiClient;
  private readonly state: CloudConversationStore;
  private readonly clock: Clock;
  private readonly logger: ChannelLogger;
  private readonly sleep: Sleep;
  private readonly windowMs: number;
  private flushing: Promise<{ delivered: number; remaining: number }> | undefined;

  constructor(private readonly options: WhatsAppCloudAdapterOptions) {
    super();
    this.graph = options.graph;
    this.state = new CloudConversationStore(options.documents, options.graph.phoneNumberId);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? consoleChannelLogger('whatsapp-cloud');
    this.sleep = options.sleep ?? realSleep;
    this.windowMs = options.windowMs ?? CUSTOMER_SERVICE_WINDOW_MS;
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
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await this.sleep(typeof activity.value === 'number' ? activity.value : 1000);
        responses.push({ id: '' });
        continue;
      }
      if (activity.type !== ActivityTypes.Message) {
        // Traces, typing (the Cloud API has no typing indicator for business messages) and events.
        responses.push({ id: '' });
        continue;
      }
      const to = activity.conversation?.id;
      if (to === undefined || to === '') {
        throw new HandoverError('HANDOVER_ERR_CHANNEL', 'whatsapp-cloud: outgoing activity has no conversation.id (send it from a turn or continueConversation)');
      }
      let text = activity.text ?? '';
      for (const a of activity.attachments ?? []) {
        if (typeof a.contentUrl === 'string') text += `${text === '' ? '' : '\n'}${a.name ?? a.contentType}: ${a.contentUrl}`;
      }
      const actions = activity.suggestedActions?.actions ?? [];
      if (actions.length > 0) {
        const r = renderNumberedOptions(text, actions);
        text = r.body;
        await this.state.setOffered(to, r.options);
      }
      const purpose = (activity.channelData as { templatePurpose?: unknown } | undefined)?.templatePurpose;
      const id = await this.deliver(to, text, typeof purpose === 'string' ? purpose : 'agent_reply');
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

  /** Free text inside the window, template outside; retryable failures go to the outbox. */
  private async deliver(to: string, text: string, purpose: string): Promise<string> {
    if (text.trim() === '') return '';
    const last = await this.state.lastInboundAt(to);
    if (last === undefined || this.clock.now() - last > this.windowMs) {
      return this.windowClosed(to, text, purpose);
    }
    // Keep order: while older messages to this customer wait in the outbox, queue behind them.
    if ((await this.state.outbox()).some((i) => i.to === to)) {
      await this.toOutbox(to, splitText(text, 4096), 'older messages are still waiting');
      void this.flushOutbox().catch(() => {});
      return '';
    }
    const parts = splitText(text, 4096);
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
        this.options.onDeliveryFailed?.({ conversationId: to, text, error: e });
        return ids[0] ?? '';
      }
    }
    return ids[0] ?? '';
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

  private reportStatus(s: NonNullable<WebhookValue['statuses']>[number]): void {
    if (s.id === undefined || s.status === undefined) return;
    const status: CloudMessageStatus = {
      id: s.id,
      status: s.status,
      recipientId: s.recipient_id ?? '',
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
    if (m.from === undefined || m.id === undefined) return;
    if (IGNORED_TYPES.has(m.type ?? '')) {
      this.logger.info('non-conversational WhatsApp message ignored', { type: m.type });
      return;
    }
    const at = m.timestamp !== undefined && Number.isFinite(Number(m.timestamp)) ? Number(m.timestamp) * 1000 : this.clock.now();
    const claim = await this.state.claimInbound(m.from, m.id, at);
    if (!claim.fresh) {
      this.logger.info('duplicate webhook message ignored', { id: m.id });
      return;
    }
    // The customer just reopened the window: deliver what agents wrote while it was closed.
    for (const text of claim.held) await this.deliver(m.from, text, 'agent_reply');

    let text = '';
    let value_: unknown;
    const attachments: Attachment[] = [];
    switch (m.type) {
      case 'text':
        text = m.text?.body ?? '';
        break;
      case 'interactive': {
        const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
        text = reply?.title ?? '';
        value_ = reply?.id;
        break;
      }
      case 'button':
        text = m.button?.text ?? '';
        value_ = m.button?.payload;
        break;
      case 'location':
        text = m.location?.name ?? m.location?.address ?? '';
        break;
      default: {
        const kind = MEDIA_TYPES.find((t) => t === m.type);
        const media = kind === undefined ? undefined : m[kind];
        if (media !== undefined) {
          text = media.caption ?? '';
          attachments.push({
            contentType: media.mime_type ?? 'application/octet-stream',
            // A reference (Graph media id), not the bytes: fetch it with the access token when needed.
            contentUrl: `${WHATSAPP_CLOUD_MEDIA_URL_PREFIX}${media.id ?? ''}`,
            ...(media.filename === undefined ? {} : { name: media.filename }),
          });
        }
      }
    }
    if (value_ === undefined && claim.offered !== undefined && attachments.length === 0) {
      const picked = resolveNumberedReply(claim.offered, text);
      if (picked !== undefined) {
        text = picked.text;
        value_ = picked.value;
      }
    }
    const name = value.contacts?.find((c) => c.wa_id === m.from)?.profile?.name ?? '';
    const timestamp = new Date(at);
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      id: m.id,
      channelId: WHATSAPP_CLOUD_CHANNEL_ID,
      serviceUrl: 'whatsapp-cloud:',
      timestamp,
      localTimestamp: timestamp,
      conversation: { id: m.from, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: m.from, name, role: 'user' },
      recipient: { id: this.graph.phoneNumberId, name: '', role: 'bot' },
      text,
      textFormat: 'plain',
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(value_ === undefined ? {} : { value: value_ }),
      ...(m.context?.id === undefined ? {} : { replyToId: m.context.id }),
      channelData: { whatsappCloud: { type: m.type, ...(m.location === undefined ? {} : { location: m.location }) } },
    };
    await this.processActivity(activity, logic);
  }
}
