/**
 * The WhatsApp channels wired to the handoff engine, for `npx handover start` (and any host that
 * wants the same wiring): the customer talks to the bot through the handoff middleware, agents'
 * replies reach the customer through the relay, and WhatsApp-only facts (someone typed on the
 * business phone, the 24-hour window is closed, Meta refused a message) land in the transcript so
 * the agent sees them.
 *
 * Self-contained: the caller passes the app built by `createHandover`, the stores and the manifest;
 * everything WhatsApp-specific (config parsing, client, supervisor, adapters, timers) is built here.
 *
 * @example
 * const web = await attachWhatsAppWeb({ app, stores, manifest, lease });
 * const cloud = createWhatsAppCloudHandler({ app, stores, manifest, env: process.env });
 * http.createServer(async (req, res) => { if (await cloud.handler(req, res)) return; res.writeHead(404).end(); });
 * process.on('SIGTERM', () => void Promise.all([web.stop(), cloud.stop()]));
 */
import { resolve } from 'node:path';
import type { Middleware, TurnContext } from 'botbuilder';
import { attachAgentDelivery } from '../../bridge/agent-delivery.js';
import { conversationKeyOf } from '../../bridge/handoff-middleware.js';
import type { Manifest } from '../../config/manifest-schema.js';
import { redactStores } from '../../core/redacting-stores.js';
import { Redactor } from '../../core/redact.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { isHandoverError } from '../../core/errors.js';
import type { HandoffState } from '../../core/handoff-state.js';
import { agentId, type AgentId, type ConversationId } from '../../core/ids.js';
import type { Lease } from '../../core/ports/lease.js';
import type { Stores } from '../../core/ports/stores.js';
import { memoryKey, type ConversationMemory } from '../../handoff/conversation-memory.js';
import { createCloudWebhookHandler, type CloudWebhookHandler } from './cloud/cloud-webhook-handler.js';
import { parseWhatsAppCloudConfig } from './cloud/cloud-config.js';
import { GraphApiClient } from './cloud/graph-api-client.js';
import { MediaLinks } from './cloud/media-links.js';
import { CustomerMedia } from '../../handoff/customer-media.js';
import { LeaseMessageIds, MemoryMessageIds } from './cloud/message-ids.js';
import { AgentFiles } from '../../bridge/agent-files.js';
import { WHATSAPP_CLOUD_CHANNEL_ID, WhatsAppCloudAdapter, type CloudContactEvent, type FileNotSentEvent, type WindowClosedEvent } from './cloud/whatsapp-cloud-adapter.js';
import { consoleChannelLogger, maskedChannelLogger, type ChannelLogger } from './shared/channel-logger.js';
import { realSleep, type Sleep } from './shared/sleep.js';
import { createWwebjsClient } from './web/create-wwebjs-client.js';
import { parseWhatsAppWebConfig } from './web/web-config.js';
import { WHATSAPP_WEB_CHANNEL_ID, WhatsAppWebAdapter, type BusinessPhoneMessage } from './web/whatsapp-web-adapter.js';
import type { WhatsAppWebClient } from './web/whatsapp-web-client.js';
import { WhatsAppWebSupervisor } from './web/whatsapp-web-supervisor.js';

/**
 * What the WhatsApp wiring needs from the app built by `createHandover` (a `Handover` satisfies it).
 * Structural on purpose: the channel does not import the composition root.
 *
 * @example
 * const app: WhatsAppHandoverApp = createHandover({ manifest, stores, directory });
 */
export interface WhatsAppHandoverApp {
  readonly middleware: Middleware;
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly service: {
    state(id: ConversationId): Promise<HandoffState>;
    takeover(id: ConversationId, agent: AgentId, opts: { route: string; queue?: string; note?: string }): Promise<HandoffState>;
  };
}

/** What both channels share in their context. */
interface WhatsAppAttachBase {
  readonly app: WhatsAppHandoverApp;
  readonly stores: Stores;
  /** The `whatsapp` section (validated here with the channel's own schema) and `pii` (default: every pattern on). */
  readonly manifest: Pick<Manifest, 'whatsapp'> & Partial<Pick<Manifest, 'pii'>>;
  readonly logger?: ChannelLogger;
  /**
   * Relay route agent messages for this channel arrive on. It must be what the app's `route` option
   * returns for this channel's activities; the default (the channelId) matches `createHandover`'s default.
   */
  readonly route?: string;
  /** Times transcript notes and the channel's own clocks (pacing, 24-hour window); default the wall clock. */
  readonly clock?: Clock;
  /** How the adapter waits (pacing, Graph API backoff); tests record the delays instead of waiting. */
  readonly sleep?: Sleep;
}

/**
 * Context of {@link attachWhatsAppWeb}.
 *
 * @example
 * const ctx: AttachWhatsAppWebContext = { app, stores, manifest, lease: new MemoryLease() };
 */
export interface AttachWhatsAppWebContext extends WhatsAppAttachBase {
  /** The session lease (memory for one process, Redis for several): only its holder runs Chromium. */
  readonly lease: Lease;
  /** Builds the client; default the real whatsapp-web.js client (`createWwebjsClient`) from the manifest. */
  readonly clientFactory?: () => Promise<WhatsAppWebClient>;
  /** Prints the QR code; default renders it in the terminal. */
  readonly printQr?: (qr: string) => void;
  /** Agent id recorded for messages typed on the business phone (default 'phone'). */
  readonly phoneAgentId?: string;
  /** At stop, how long replies already accepted may take to go out before the client closes (default 5 s). */
  readonly shutdownDrainMs?: number;
}

/**
 * What {@link attachWhatsAppWeb} returns.
 *
 * @example
 * const { supervisor, sessionDir, stop } = await attachWhatsAppWeb(ctx);
 * supervisor.on('ready', () => console.log(`WhatsApp ready; session in ${sessionDir}`));
 */
export interface AttachedWhatsAppWeb {
  readonly adapter: WhatsAppWebAdapter;
  readonly supervisor: WhatsAppWebSupervisor;
  /** Where LocalAuth keeps the session (the folder to put on a persistent volume). */
  readonly sessionDir: string;
  /** Stops delivering, lets queued replies go out (bounded), destroys the client and releases the lease. */
  stop(): Promise<void>;
}

/**
 * Context of {@link createWhatsAppCloudHandler}.
 *
 * @example
 * const ctx: CreateWhatsAppCloudHandlerContext = { app, stores, manifest, env: process.env };
 */
export interface CreateWhatsAppCloudHandlerContext extends WhatsAppAttachBase {
  /** WHATSAPP_VERIFY_TOKEN, WHATSAPP_APP_SECRET, WHATSAPP_ACCESS_TOKEN are read from here, never from the manifest. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Default global fetch; the Graph base URL itself comes from the manifest (`graphBaseUrl`). */
  readonly fetch?: typeof fetch;
  /** Retry the outbox every `outboxRetryMs` (default true; tests call `adapter.flushOutbox()` themselves). */
  readonly outboxTimer?: boolean;
  /** How long the signed media links written into transcripts stay valid (default 7 days). */
  readonly mediaLinkTtlMs?: number;
  /** Largest media file the link proxy streams from Meta (default 100 MiB, Meta's document limit). */
  readonly mediaMaxBytes?: number;
  /**
   * The lease of a store every process shares (Redis: `stores.lease`): message ids are claimed there
   * with a TTL, so a replay is recognised by any process. Omit on the memory store (one process):
   * ids are then remembered in this process, bounded.
   */
  readonly messageIdLease?: Lease;
}

/**
 * What {@link createWhatsAppCloudHandler} returns.
 *
 * @example
 * const { handler, path, ready, stop } = createWhatsAppCloudHandler(ctx);
 * await ready; console.log(`Meta callback URL: https://<host>${path}`);
 */
export interface WhatsAppCloudHandler {
  /** node:http handler for the webhook path; resolves false for other paths (mount it first). */
  readonly handler: CloudWebhookHandler;
  readonly adapter: WhatsAppCloudAdapter;
  /** The webhook path (manifest `whatsapp.cloud.webhookPath`), to print the callback URL. */
  readonly path: string;
  /** Resolves once agent messages are being delivered (the relay listener is attached); rejects if it could not be. */
  readonly ready: Promise<void>;
  /** Stops the outbox timer and the delivery, and waits for webhooks under way. */
  stop(): Promise<void>;
}

/**
 * Agent id of messages typed on the business phone, unless the context names another.
 *
 * @example
 * (await app.service.state(id)).agentId === BUSINESS_PHONE_AGENT_ID; // the phone took over
 */
export const BUSINESS_PHONE_AGENT_ID = 'phone';
/**
 * Transcript `meta.name` of the agent-facing notes this module writes.
 *
 * @example
 * transcript.filter((e) => e.meta?.['name'] === WHATSAPP_NOTE.windowClosed);
 */
export const WHATSAPP_NOTE = {
  windowClosed: 'whatsapp.window_closed',
  deliveryFailed: 'whatsapp.delivery_failed',
  /** Who the customer is on WhatsApp (profile name, number or user id, username); the console's briefing shows it. */
  contact: 'whatsapp.contact',
  /** A file an agent sent did not go out (window closed, no longer kept, refused by Meta). */
  fileNotSent: 'whatsapp.file_not_sent',
} as const;

/**
 * Starts the whatsapp-web.js channel for the app: validates `manifest.whatsapp.web`, builds the client
 * (lazily loads whatsapp-web.js unless `clientFactory` is given), supervises it under the session lease
 * (QR in the terminal, reconnects with backoff), runs every customer message through the handoff
 * middleware and the bot, delivers agent messages while this process holds the lease, and turns a
 * message typed on the business phone into an agent takeover (the bot goes silent; the message is an
 * agent line in the transcript).
 *
 * @example
 * const app = createHandover({ manifest, stores, directory });
 * const whatsapp = await attachWhatsAppWeb({ app, stores, manifest, lease: new MemoryLease() });
 * // QR printed; after the scan: "ready: WhatsApp session connected"
 * process.once('SIGTERM', () => void whatsapp.stop());
 */
export async function attachWhatsAppWeb(ctx: AttachWhatsAppWebContext): Promise<AttachedWhatsAppWeb> {
  // the channel's own lines (notes for agents, the business phone's messages) and logs are masked like the rest
  const redactor = new Redactor(ctx.manifest.pii);
  ctx = { ...ctx, stores: redactStores(ctx.stores, redactor), logger: maskedChannelLogger(ctx.logger ?? consoleChannelLogger('whatsapp-web'), redactor) };
  const cfg = parseWhatsAppWebConfig(ctx.manifest.whatsapp.web);
  const logger = ctx.logger ?? consoleChannelLogger('whatsapp-web');
  const clock = ctx.clock ?? systemClock;
  const route = ctx.route ?? WHATSAPP_WEB_CHANNEL_ID;
  // LocalAuth's own layout: <dataPath>/session-<clientId>.
  const sessionDir = resolve(cfg.sessionDataPath, `session-${cfg.clientId}`);
  const client =
    ctx.clientFactory !== undefined
      ? await ctx.clientFactory()
      : await createWwebjsClient({ dataPath: cfg.sessionDataPath, clientId: cfg.clientId, executablePath: cfg.chromiumPath, headless: cfg.headless });
  const supervisor = new WhatsAppWebSupervisor({
    client,
    lease: ctx.lease,
    leaseName: `whatsapp-web:${cfg.clientId}`,
    leaseTtlMs: cfg.leaseTtlMs,
    readyTimeoutMs: cfg.readyTimeoutMs,
    backoff: cfg.reconnect,
    logger,
    ...(ctx.printQr === undefined ? {} : { printQr: ctx.printQr }),
  });
  const notes = new AgentNotes(ctx.stores, clock, logger);
  const customerMedia = new CustomerMedia(ctx.stores.documents, clock);
  const idOf = (chatId: string): ConversationId => conversationKeyOf({ channelId: WHATSAPP_WEB_CHANNEL_ID, conversation: { id: chatId, isGroup: false, conversationType: 'personal', name: '' } });
  const adapter = new WhatsAppWebAdapter({
    client,
    gate: supervisor,
    minSendGapMs: cfg.minSendGapMs,
    agentFiles: new AgentFiles(ctx.stores.documents, clock),
    onFileNotSent: (e) => notes.add(idOf(e.conversationId), WHATSAPP_NOTE.fileNotSent, fileNotSentNote(e), { file: e.name, reason: e.reason, ...(e.error === undefined ? {} : { error: e.error }) }),
    clock,
    logger,
    ...(ctx.sleep === undefined ? {} : { sleep: ctx.sleep }),
    onBusinessPhoneMessage: businessPhoneTakeover({
      app: ctx.app,
      stores: ctx.stores,
      clock,
      logger,
      route,
      phone: agentId(ctx.phoneAgentId ?? BUSINESS_PHONE_AGENT_ID),
      idOf,
    }),
    onSendFailed: (e) =>
      void notes.add(idOf(e.conversationId), WHATSAPP_NOTE.deliveryFailed, `WhatsApp did not accept this message after several attempts, so the customer did not get it: "${e.text}"`, {
        error: String(e.error),
      }),
    conversationLocale: async (chatId) => (await ctx.stores.documents.read<ConversationMemory>(memoryKey(idOf(chatId))))?.value.locale,
    // photos, voice notes, documents: kept in the shared store, shown in any process's console
    keepMedia: (file, chatId) => customerMedia.put(file, idOf(chatId)),
    onContact: (e) => notes.add(idOf(e.conversationId), WHATSAPP_NOTE.contact, contactNote(e), contactMeta(e)),
  });
  adapter.use(ctx.app.middleware);
  adapter.onTurnError = async (_context, error) => logger.error('the bot failed on a WhatsApp turn', { error: String(error) });

  // Agent messages are delivered by the process that runs the session, so the relay route is only
  // consumed while this process holds the lease: a standby process would take them and could not send.
  const delivery = new LeasedDelivery(() => attachAgentDelivery({ adapter, stores: ctx.stores, route }), logger, route);
  supervisor.on('lease_acquired', () => delivery.start());
  supervisor.on('lease_lost', () => void delivery.stop());

  const stopListening = adapter.listen((context) => ctx.app.bot.run(context));
  logger.info('WhatsApp session (LocalAuth) folder; keep it on a persistent volume, losing it means scanning the QR again', {
    sessionDir,
    lease: `whatsapp-web:${cfg.clientId}`,
    chromium: cfg.chromiumPath,
  });
  supervisor.start();

  let stopped: Promise<void> | undefined;
  return {
    adapter,
    supervisor,
    sessionDir,
    stop: () =>
      (stopped ??= (async () => {
        await delivery.stop(true);
        stopListening();
        const cap = new AbortController();
        await Promise.race([adapter.whenIdle(), realSleep(ctx.shutdownDrainMs ?? 5000, cap.signal)]);
        cap.abort();
        if (adapter.pendingSends > 0) logger.warn('stopping with WhatsApp messages not sent yet (the session is not ready)', { pending: adapter.pendingSends });
        adapter.close();
        await supervisor.stop();
      })()),
  };
}

/**
 * Mounts the WhatsApp Cloud API channel for the app: validates `manifest.whatsapp.cloud` together with
 * the secrets in `env` (every problem reported at once, secrets never echoed), and returns the webhook
 * as a node:http handler that runs customer messages through the handoff middleware and the bot.
 * Agent messages are delivered through the Graph API (retried; kept in the outbox and retried every
 * `outboxRetryMs` during an outage); outside the 24-hour window the `agent_reply` template goes out
 * instead and the agent is told why by a note in the transcript. The customer's WhatsApp profile is
 * noted for the agent (`whatsapp.contact`), customer lines are written in the conversation's language,
 * and media are kept as signed links served by the same handler (`<webhookPath>/media/…`).
 *
 * @example
 * const cloud = createWhatsAppCloudHandler({ app, stores, manifest, env: process.env });
 * await cloud.ready;
 * http.createServer(async (req, res) => {
 *   if (await cloud.handler(req, res)) return;
 *   res.writeHead(404).end();
 * }).listen(3978); // Meta's callback URL: https://<host>/webhooks/whatsapp
 */
export function createWhatsAppCloudHandler(ctx: CreateWhatsAppCloudHandlerContext): WhatsAppCloudHandler {
  // the channel's own lines (notes for agents) and logs are masked like the rest (docs/operations.md, "Personal data")
  const redactor = new Redactor(ctx.manifest.pii);
  ctx = { ...ctx, stores: redactStores(ctx.stores, redactor), logger: maskedChannelLogger(ctx.logger ?? consoleChannelLogger('whatsapp-cloud'), redactor) };
  const cfg = parseWhatsAppCloudConfig(ctx.manifest.whatsapp.cloud, ctx.env);
  const logger = ctx.logger ?? consoleChannelLogger('whatsapp-cloud');
  const clock = ctx.clock ?? systemClock;
  const route = ctx.route ?? WHATSAPP_CLOUD_CHANNEL_ID;
  const notes = new AgentNotes(ctx.stores, clock, logger);
  const idOf = (waId: string): ConversationId => conversationKeyOf({ channelId: WHATSAPP_CLOUD_CHANNEL_ID, conversation: { id: waId, isGroup: false, conversationType: 'personal', name: '' } });
  const graph = new GraphApiClient({
    baseUrl: cfg.graphBaseUrl,
    phoneNumberId: cfg.phoneNumberId,
    accessToken: cfg.accessToken,
    maxAttempts: cfg.maxAttempts,
    logger,
    ...(ctx.sleep === undefined ? {} : { sleep: ctx.sleep }),
    ...(ctx.fetch === undefined ? {} : { fetch: ctx.fetch }),
  });
  const links = new MediaLinks({ secret: cfg.appSecret, basePath: `${cfg.webhookPath.replace(/\/+$/, '')}/media`, clock, ...(ctx.mediaLinkTtlMs === undefined ? {} : { ttlMs: ctx.mediaLinkTtlMs }) });
  const adapter = new WhatsAppCloudAdapter({
    graph,
    documents: ctx.stores.documents,
    templates: cfg.templates,
    clock,
    logger,
    ...(ctx.sleep === undefined ? {} : { sleep: ctx.sleep }),
    mediaLink: (mediaId) => links.link(mediaId),
    replayWindowMs: cfg.replayWindowHours * 3_600_000,
    agentFiles: new AgentFiles(ctx.stores.documents, clock),
    onFileNotSent: (e) => notes.add(idOf(e.conversationId), WHATSAPP_NOTE.fileNotSent, fileNotSentNote(e), { file: e.name, reason: e.reason, ...(e.error === undefined ? {} : { error: e.error }) }),
    messageIds: ctx.messageIdLease === undefined ? new MemoryMessageIds({ clock }) : new LeaseMessageIds(ctx.messageIdLease, cfg.phoneNumberId),
    // the middleware's locale (it follows the customer's language); the phone's prior until the first turn
    conversationLocale: async (waId) => (await ctx.stores.documents.read<ConversationMemory>(memoryKey(idOf(waId))))?.value.locale,
    onContact: (e) => notes.add(idOf(e.conversationId), WHATSAPP_NOTE.contact, contactNote(e), contactMeta(e)),
    onWindowClosed: (e) => notes.add(idOf(e.conversationId), WHATSAPP_NOTE.windowClosed, windowClosedNote(e), { template: e.templateName ?? null, templateSent: e.templateSent }),
    onDeliveryFailed: (e) =>
      void notes.add(idOf(e.conversationId), WHATSAPP_NOTE.deliveryFailed, `WhatsApp refused this message, so the customer did not get it: "${e.text}"`, {
        error: String(e.error),
      }),
  });
  adapter.use(ctx.app.middleware);
  adapter.onTurnError = async (_context, error) => logger.error('the bot failed on a WhatsApp turn', { error: String(error) });
  const handler = createCloudWebhookHandler({
    adapter,
    logic: (context) => ctx.app.bot.run(context),
    verifyToken: cfg.verifyToken,
    appSecret: cfg.appSecret,
    path: cfg.webhookPath,
    maxBodyBytes: cfg.maxBodyBytes,
    media: { links, graph, ...(ctx.mediaMaxBytes === undefined ? {} : { maxBytes: ctx.mediaMaxBytes }) },
    logger,
  });

  // Any process can send through the Graph API, so every process consumes the route (the relay hands
  // each message to one of them).
  const detaching = attachAgentDelivery({ adapter, stores: ctx.stores, route });
  const ready = detaching.then(() => undefined);
  ready.catch((e: unknown) => logger.error('could not start delivering agent messages to WhatsApp', { route, error: String(e) }));

  const flush = (): void =>
    void adapter
      .flushOutbox()
      .then((r) => {
        if (r.delivered > 0) logger.info('WhatsApp outbox flushed', r);
      })
      .catch((e: unknown) => logger.warn('WhatsApp outbox retry failed; next try later', { error: String(e) }));
  let timer: NodeJS.Timeout | undefined;
  if (ctx.outboxTimer !== false) {
    flush(); // what an earlier process left behind
    timer = setInterval(flush, cfg.outboxRetryMs);
    timer.unref();
  }
  logger.info('WhatsApp Cloud API webhook mounted; register https://<your host><path> in Meta with WHATSAPP_VERIFY_TOKEN', {
    path: cfg.webhookPath,
    phoneNumberId: cfg.phoneNumberId,
  });

  let stopped: Promise<void> | undefined;
  return {
    handler,
    adapter,
    path: cfg.webhookPath,
    ready,
    stop: () =>
      (stopped ??= (async () => {
        if (timer !== undefined) clearInterval(timer);
        const detach = await detaching.catch(() => undefined);
        await detach?.();
        await handler.idle();
      })()),
  };
}

/** The agent-facing line naming the customer: "WhatsApp contact: Ana · +5511987654321". */
function contactNote(e: Omit<CloudContactEvent, 'username'> & { username?: string }): string {
  const who = `${e.name === '' ? 'no profile name' : e.name}${e.username === undefined ? '' : ` (@${e.username.replace(/^@/, '')})`}`;
  const where = e.phone !== undefined ? `+${e.phone}` : `user id ${e.userId ?? e.conversationId} (no phone number shared)`;
  return `WhatsApp contact: ${who} · ${where}`;
}

/** The note's fields, for the console's briefing. */
function contactMeta(e: Omit<CloudContactEvent, 'username'> & { username?: string }): Record<string, unknown> {
  return {
    profileName: e.name,
    ...(e.phone === undefined ? {} : { phone: `+${e.phone}` }),
    ...(e.userId === undefined ? {} : { userId: e.userId }),
    ...(e.username === undefined ? {} : { username: e.username }),
  };
}

/** The agent-facing line for a file that did not go out. */
function fileNotSentNote(e: FileNotSentEvent): string {
  switch (e.reason) {
    case 'window_closed':
      return `The 24-hour window is closed: ${e.name} was not sent (files are not held); send it again once the customer writes`;
    case 'missing':
      return `The file ${e.name} was not sent: it is no longer kept (files wait at most 24 hours); upload it again`;
    default:
      return `WhatsApp refused the file ${e.name}, so the customer did not get it`;
  }
}

/** The agent-facing line for a closed window. */
function windowClosedNote(e: WindowClosedEvent): string {
  if (e.templateName === undefined) {
    return 'The 24-hour window is closed and no template is configured (manifest.json whatsapp.cloud.templates.agent_reply): your message will go out when the customer writes again';
  }
  if (e.templateSent) return `The 24-hour window is closed: the template ${e.templateName} was sent; your message will go out when the customer replies`;
  return `The 24-hour window is closed: the template ${e.templateName} went out earlier and the customer has not replied yet; your message will go out when they do`;
}

/**
 * Agent-facing notes in the transcript (system lines of type `event`, with a text): facts only the
 * channel knows. A note is a side effect: it never fails the send that caused it.
 */
class AgentNotes {
  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
    private readonly logger: ChannelLogger,
  ) {}

  async add(id: ConversationId, name: string, text: string, meta: Record<string, unknown> = {}): Promise<void> {
    this.logger.info(text, { conversationId: id });
    try {
      await this.stores.transcripts.append(id, { at: this.clock.now(), from: 'system', type: 'event', text, meta: { name, audience: 'agent', ...meta } });
    } catch (e) {
      this.logger.error('could not record a note for the agent', { conversationId: id, name, error: String(e) });
    }
  }
}

/**
 * Consumes the relay route while this process holds the session lease. Start and stop are serialised,
 * and a failed attach (store unreachable) is retried with backoff while the lease is held.
 */
class LeasedDelivery {
  private detach: (() => Promise<void>) | undefined;
  private wanted = false;
  private closed = false;
  private chain: Promise<void> = Promise.resolve();
  private retry = new AbortController();

  constructor(
    private readonly attach: () => Promise<() => Promise<void>>,
    private readonly logger: ChannelLogger,
    private readonly route: string,
  ) {}

  start(): void {
    if (this.closed) return;
    this.wanted = true;
    this.retry = new AbortController();
    const signal = this.retry.signal;
    void this.serial(async () => {
      for (let attempt = 0; this.wanted && !this.closed && this.detach === undefined && !signal.aborted; attempt++) {
        try {
          this.detach = await this.attach();
          this.logger.info('delivering agent messages to WhatsApp from this process', { route: this.route });
        } catch (e) {
          const delayMs = Math.min(30_000, 1000 * 2 ** attempt);
          this.logger.error('could not start delivering agent messages; retrying', { route: this.route, delayMs, error: String(e) });
          await realSleep(delayMs, signal);
        }
      }
    });
  }

  stop(close = false): Promise<void> {
    this.wanted = false;
    if (close) this.closed = true;
    this.retry.abort();
    return this.serial(async () => {
      const d = this.detach;
      this.detach = undefined;
      await d?.();
    });
  }

  private serial(f: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(f).catch((e: unknown) => this.logger.error('agent delivery start/stop failed', { route: this.route, error: String(e) }));
    return this.chain;
  }
}

/**
 * Someone answered a customer from the business phone: that person is an agent now. The conversation
 * is taken over (the bot goes silent at once; a queued handoff is simply assigned), and the message is
 * recorded as an agent line and published as `agent.message`, so the transcript and consoles show it.
 * Messages of one chat are handled in order.
 */
function businessPhoneTakeover(deps: {
  app: WhatsAppHandoverApp;
  stores: Stores;
  clock: Clock;
  logger: ChannelLogger;
  route: string;
  phone: AgentId;
  idOf: (chatId: string) => ConversationId;
}): (event: BusinessPhoneMessage) => Promise<void> {
  const { app, stores, clock, logger, route, phone } = deps;
  const chains = new Map<string, Promise<void>>();

  async function handle(event: BusinessPhoneMessage, chatId: string): Promise<void> {
    const id = deps.idOf(chatId);
    const at = clock.now();
    try {
      const state = await app.service.state(id);
      if (state.status !== 'assigned') {
        await app.service.takeover(id, phone, { route, note: 'typed on the business phone' });
        logger.info('someone answered from the business phone: the conversation is theirs now, the bot stays silent', { conversationId: id });
      } else if (state.agentId !== phone) {
        logger.warn('someone typed on the business phone while another agent owns the conversation; recorded, owner unchanged', { conversationId: id, owner: state.agentId });
      }
    } catch (e) {
      // Lost a race with an agent accepting at the same instant: they own it, nothing to take over.
      if (isHandoverError(e, 'HANDOVER_ERR_NOT_IN_STATE')) logger.info('conversation taken by an agent at the same time; not taken over', { conversationId: id });
      else logger.error('could not take the conversation over from the bot', { conversationId: id, error: String(e) });
    }
    try {
      await stores.transcripts.append(id, {
        at,
        from: 'agent',
        type: 'message',
        text: event.text,
        meta: { agentId: phone, agentName: 'Business phone', source: 'whatsapp-business-phone', sentAt: event.at },
      });
      await stores.events.publish({ type: 'agent.message', conversationId: id, at, agentId: phone, text: event.text });
    } catch (e) {
      logger.error('could not record the message typed on the business phone', { conversationId: id, error: String(e) });
    }
  }

  return (event) => {
    const chatId = event.conversationReference.conversation?.id ?? '';
    const next = (chains.get(chatId) ?? Promise.resolve()).then(() => handle(event, chatId));
    chains.set(chatId, next);
    void next.finally(() => {
      if (chains.get(chatId) === next) chains.delete(chatId);
    });
    return next;
  };
}
