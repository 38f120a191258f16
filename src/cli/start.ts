/**
 * `handover start`: the whole service in one process — the Acme Shop bot behind the handoff
 * middleware on web chat (widget + Direct Line), agent delivery, the SLA watch, the agent console
 * and its HTTP API, outgoing webhooks, and (with flags) WhatsApp — on one node:http server.
 * `startService` is the same composition for tests and embedding (port 0, memory store).
 *
 * @example
 * const svc = await startService({ port: 0, host: '127.0.0.1', store: 'memory' });
 * console.log(svc.urls.console);      // http://127.0.0.1:41234/agent
 * await svc.close();
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHandover, type Handover } from '../app.js';
import { createAgentConsole, type AgentConsole } from '../agent/agent-console.js';
import { hashPassword } from '../agent/password-hash.js';
import { startWebhooks, type Webhooks } from '../agent/webhooks.js';
import { attachAgentDelivery } from '../bridge/agent-delivery.js';
import { createPrometheusEndpoint } from '../server/prometheus.js';
import { outOfScopeWarning } from '../dialogs/load-dialogs.js';
import { createWebChatChannel, customerIdentityFromEnv, uploadLimitsFromEnv, webChatStartLimitFromEnv, type WebChatChannel } from '../channels/webchat/index.js';
import { CustomerMedia } from '../handoff/customer-media.js';
import { loadConfig, type Config } from '../config/load-config.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { CustomerProfile } from '../core/conversation.js';
import { HandoverError } from '../core/errors.js';
import { StaticCustomerDirectory } from '../core/static-customer-directory.js';
import { sendJson } from '../server/http-json.js';
import { createHttpServer, type HttpServer, type RequestHandler, type ServerLog } from '../server/http-server.js';
import { createLogger } from '../server/pino-logger.js';
import { maskLogger, toLogger, type Logger } from '../core/ports/logger.js';
import { SlaWatcher } from '../handoff/sla-watcher.js';
import { openStores, type OpenedStores, type WebChatHistoryOptions } from '../store/open-stores.js';
import { redactStores } from '../core/redacting-stores.js';
import { Redactor } from '../core/redact.js';
import { retentionFromDays } from '../core/ports/customer-data.js';

/**
 * Options of {@link startService}; everything has a default.
 *
 * @example
 * await startService({ port: 8080, host: '0.0.0.0', store: 'redis://127.0.0.1:6379', whatsappCloud: true });
 */
export interface StartOptions {
  /** Default: PORT, else 3978. 0 picks a free port. */
  readonly port?: number;
  /** Interface to bind (default all). */
  readonly host?: string;
  /** Folder with manifest.json, dialogs/, locales/ and data/ (default the current directory). */
  readonly root?: string;
  /** `memory` or a `redis://` URL; default REDIS_URL, else memory. */
  readonly store?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: Clock;
  /**
   * Where the service logs: any {@link Logger}-shaped object (info and error at least; a pino
   * logger works as is). Default: the pino logger of `createLogger({ env })` — JSON lines unless
   * stdout is a terminal, LOG_LEVEL, secrets redacted (src/server/pino-logger.ts).
   */
  readonly log?: ServerLog;
  readonly whatsappWeb?: boolean;
  readonly whatsappCloud?: boolean;
  /**
   * Start on a Redis that can lose data (no AOF and no RDB snapshots, or a `maxmemory-policy` that
   * evicts), with a loud warning on stderr, instead of refusing with HANDOVER_ERR_STORE_NOT_DURABLE.
   * Default: HANDOVER_ALLOW_VOLATILE_REDIS=1 in `env`, else false (`--allow-volatile-redis`).
   */
  readonly allowVolatileRedis?: boolean;
  /** Web chat conversation token lifetime etc. pass-through (tests). */
  readonly webchat?: { readonly heartbeatMs?: number };
  /**
   * Demo only: the demo page signs its visitor in as this customer of data/customers.json
   * (`--demo-customer c-1001`, or WEBCHAT_DEMO_CUSTOMER). Default: none (production).
   */
  readonly demoCustomer?: string;
}

/**
 * The running service.
 *
 * @example
 * const svc: RunningService = await startService({ port: 0 });
 * svc.urls.console; await svc.close();
 */
export interface RunningService {
  readonly config: Config;
  readonly app: Handover;
  readonly stores: OpenedStores;
  readonly webchat: WebChatChannel;
  readonly agentConsole: AgentConsole;
  readonly webhooks: Webhooks;
  readonly http: HttpServer;
  readonly port: number;
  /** The customer the demo page signs in as (demo mode), if any. */
  readonly demoCustomer?: string;
  readonly urls: { readonly base: string; readonly demo: string; readonly console: string; readonly widget: string; readonly directLine: string; readonly openApi: string };
  /** Stops accepting, closes sockets and channels, waits for running turns, closes the stores. Idempotent. */
  close(): Promise<void>;
}

/**
 * `WEBCHAT_MESSAGE_LIMITS=off` turns the message limits off (load tests that play many customers
 * from one address); anything else keeps manifest.json `limits.messages`.
 */
function messageLimitsOff(env: NodeJS.ProcessEnv): boolean {
  return (env['WEBCHAT_MESSAGE_LIMITS'] ?? '').trim().toLowerCase() === 'off';
}

/** Something started alongside the server that must be stopped with it. */
type Stopper = () => Promise<void>;

/**
 * Starts the service. Throws `HANDOVER_ERR_CONFIG_INVALID` for a bad manifest or environment,
 * `HANDOVER_ERR_STORE_UNAVAILABLE` when Redis does not answer and `HANDOVER_ERR_STORE_NOT_DURABLE`
 * when Redis runs without persistence or with an evicting `maxmemory-policy` (unless
 * `allowVolatileRedis`: then it warns on stderr and starts). A Redis with RDB snapshots only, or
 * whose settings cannot be read (CONFIG disabled), gets a warning and starts.
 *
 * @example
 * const svc = await startService({ port: 0, host: '127.0.0.1', store: 'memory', env: { ...process.env } });
 * await svc.close();
 */
export async function startService(opts: StartOptions = {}): Promise<RunningService> {
  const env = opts.env ?? process.env;
  const root = opts.root ?? process.cwd();
  const plainLog = opts.log === undefined ? createLogger({ env }) : toLogger(opts.log);
  const clock = opts.clock ?? systemClock;
  const config = loadConfig(resolve(root, 'manifest.json'), env);
  // personal data is masked in what is stored, shown, sent and logged (docs/operations.md, "Personal data")
  const redactor = new Redactor(config.manifest.pii);
  const log: Logger = maskLogger(plainLog, redactor);
  const customers = readCustomers(resolve(root, 'data/customers.json'), log);
  const demoCustomerId = (opts.demoCustomer ?? env['WEBCHAT_DEMO_CUSTOMER']) || undefined;
  const storeUrl = opts.store ?? config.store;
  const prefix = env['REDIS_PREFIX'];
  const allowVolatile = opts.allowVolatileRedis ?? allowVolatileRedisFromEnv(env);
  const opened = await openStores(storeUrl, {
    clock,
    // memory store: idle conversations are forgotten after this (manifest.json → memoryStore)
    memory: { conversationTtlMs: config.manifest.memoryStore.conversationTtlMinutes * 60_000 },
    // every key class's TTL on Redis; the memory store's cap (manifest.json → retention)
    retention: retentionFromDays(config.manifest.retention),
    onError: (e) => log.error('store error', { error: e instanceof Error ? e.message : String(e) }),
    ...(prefix === undefined || prefix === '' ? {} : { prefix }),
    activityLog: webChatHistoryFromEnv(env),
    // Everything a deployment knows lives in Redis: refuse one that would forget it (docs/redis.md, "Run Redis for production").
    durability: { allowVolatile, warn: (text) => log.warn(text), info: (text) => log.info(text) },
  });
  const stores = redactStores(opened, redactor);
  const stoppers: Stopper[] = [];
  const limits = config.manifest.limits;
  let http: HttpServer | undefined;
  let webchat: WebChatChannel | undefined;
  let agentConsole: AgentConsole | undefined;
  let webhooks: Webhooks | undefined;
  const extraHandlers: RequestHandler[] = [];

  const shutdown = async (): Promise<void> => {
    // Stop taking requests first, then the live parts, then what they write to.
    const closingHttp = http?.close();
    await Promise.allSettled([agentConsole?.close(), webchat?.close()]);
    for (const stop of stoppers.reverse()) await stop().catch((e: unknown) => log.error('stop failed', { error: String(e) }));
    await webhooks?.close();
    await closingHttp;
    await stores.close();
  };

  try {
    const app = createHandover({
      manifest: config.manifest,
      stores,
      directory: new StaticCustomerDirectory(customers),
      clock,
      root,
      onError: (e, where) => log.error(`handoff middleware: ${where}`, { error: e instanceof Error ? e.message : String(e) }),
    });
    const noOutOfScope = outOfScopeWarning(app.catalog, config.manifest.locales);
    if (noOutOfScope !== undefined) log.warn(noOutOfScope);
    const stopFlushing = app.metrics.startFlushing(10_000, (e) => log.error('metrics flush failed', { error: String(e) }));
    stoppers.push(async () => {
      stopFlushing();
      await app.metrics.flush().catch((e: unknown) => log.error('metrics flush failed', { error: String(e) }));
    });
    // Prometheus: GET /metrics with a bearer token (METRICS_TOKEN); off without one
    const prometheus = createPrometheusEndpoint({ metrics: app.metrics, handoffs: stores.handoffs, manifest: config.manifest, clock, token: env['METRICS_TOKEN'] });
    stoppers.push(async () => prometheus.close());
    extraHandlers.push(prometheus.handler);

    // a conversation started, an upload: one line per customer, so debug here (LOG_LEVEL=debug shows them)
    const webchatLog = log.child({ component: 'webchat' });
    const customerMedia = new CustomerMedia(stores.documents, clock);
    webchat = createWebChatChannel({
      logic: (ctx) => app.bot.run(ctx),
      log: { ...webchatLog, info: webchatLog.debug },
      botName: 'Acme Shop',
      clock,
      // On Redis the history is shared: any process can resume a conversation.
      activityLog: stores.activityLog,
      // signed-in customers: WEBCHAT_CUSTOMER_SECRET verifies the site's tokens, WEBCHAT_ANONYMOUS=off refuses visitors without one
      ...webChatIdentity(env, clock, demoCustomerId, customers),
      ...(env['WEBCHAT_SECRET'] === undefined ? {} : { tokenSecret: env['WEBCHAT_SECRET'] }),
      ...(env['PUBLIC_BASE_URL'] === undefined ? {} : { publicBaseUrl: env['PUBLIC_BASE_URL'] }),
      // Redis: a line acknowledged here is answered even if this process dies before its turn ran
      ...(stores.turnInbox === undefined ? {} : { turnInbox: stores.turnInbox }),
      // anonymous conversations per client IP, one bucket per address for the whole deployment
      startRateLimit: { limiter: stores.rateLimiter, ...webChatStartLimitFromEnv(env) },
      redactor,
      // customer lines per socket, conversation and address (manifest.json limits.messages; docs/operations.md "Limits")
      messageRateLimit: messageLimitsOff(env) ? false : { limiter: stores.rateLimiter, ...limits.messages },
      tokenMaxAgeMs: limits.webchatTokens.maxAgeHours * 3_600_000,
      helloTimeoutMs: limits.http.webSocketHelloSeconds * 1000,
      // a socket whose peer answers no ping for webSocketIdleSeconds is closed (one ping every half of it)
      heartbeatMs: opts.webchat?.heartbeatMs ?? (limits.http.webSocketIdleSeconds * 1000) / 2,
      // customers' photos and documents (WEBCHAT_UPLOAD_MAX_MB, WEBCHAT_UPLOAD_TYPES), kept where the console shows them
      uploads: { keep: (file, id) => customerMedia.put(file, id), limits: uploadLimitsFromEnv(env) },
      // an agent typing in the console (any process) shows on the customer's widget / Web Chat
      events: stores.events,
    });
    if (stores.kind === 'redis' && env['WEBCHAT_SECRET'] === undefined) {
      log.info('WEBCHAT_SECRET is not set: web chat tokens are signed with a random per-process secret, so set the same WEBCHAT_SECRET on every process');
    }
    webchat.adapter.use(app.middleware);
    const detachWebchat = await attachAgentDelivery({ adapter: webchat.adapter, stores, route: webchat.adapter.channelId });
    stoppers.push(detachWebchat);
    const sla = new SlaWatcher({ service: app.service, manifest: config.manifest, onError: (e) => log.error('SLA watch failed', { error: e instanceof Error ? e.message : String(e) }) });
    sla.start();
    stoppers.push(() => sla.stop());

    agentConsole = createAgentConsole({
      manifest: config.manifest,
      service: app.service,
      callbacks: app.callbacks,
      stores,
      loginAttempts: stores.loginAttempts,
      clock,
      env,
      log,
      secureCookies: (env['PUBLIC_BASE_URL'] ?? '').startsWith('https://'),
      heartbeatMs: (limits.http.webSocketIdleSeconds * 1000) / 2,
    });
    webhooks = startWebhooks({ webhooks: config.manifest.webhooks, events: stores.events, dedupe: stores.documents, env, clock, log, redactor });

    // ---- WhatsApp hook -------------------------------------------------------------------------
    // Wired through src/channels/whatsapp/attach.ts (owned by the WhatsApp channel); loaded only
    // when a flag asks for it, so a web-only start never loads whatsapp-web.js or the Graph client.
    if (opts.whatsappWeb === true || opts.whatsappCloud === true) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (tsx's CommonJS hook: require, not import())
      const whatsapp = require('../channels/whatsapp/attach.js') as typeof import('../channels/whatsapp/attach.js');
      if (opts.whatsappCloud === true) {
        // on Redis, message ids (replay dedupe) are claimed in the shared store with a TTL
        const cloud = whatsapp.createWhatsAppCloudHandler({ app, stores, manifest: config.manifest, env, clock, logger: plainLog.child({ component: 'whatsapp-cloud' }), ...(stores.kind === 'redis' ? { messageIdLease: stores.lease } : {}) });
        extraHandlers.push(cloud.handler);
        stoppers.push(() => cloud.stop());
        await cloud.ready;
        log.info(`WhatsApp Cloud API webhook on ${cloud.path}`);
      }
      if (opts.whatsappWeb === true) {
        // The lease lives in the store: on Redis only one process runs the WhatsApp Web session.
        const web = await whatsapp.attachWhatsAppWeb({ app, stores, manifest: config.manifest, clock, lease: stores.lease, logger: plainLog.child({ component: 'whatsapp-web' }) });
        stoppers.push(() => web.stop());
      }
    }
    // --------------------------------------------------------------------------------------------

    const health: RequestHandler = async (req, res) => {
      if (req.url !== '/healthz') return false;
      sendJson(res, 200, { ok: true, store: storeUrl === 'memory' ? 'memory' : 'redis' });
      return true;
    };
    const extras: RequestHandler = async (req: IncomingMessage, res: ServerResponse) => {
      for (const h of extraHandlers) if (await h(req, res)) return true;
      return false;
    };
    const wc = webchat;
    const ac = agentConsole;
    http = createHttpServer({
      log,
      // slowloris, stalled bodies, idle keep-alive (manifest.json limits.http)
      timeouts: {
        headersMs: limits.http.headersTimeoutSeconds * 1000,
        requestMs: limits.http.requestTimeoutSeconds * 1000,
        bodyIdleMs: limits.http.bodyIdleTimeoutSeconds * 1000,
        keepAliveMs: limits.http.keepAliveTimeoutSeconds * 1000,
      },
      handlers: [health, extras, ac.handleRequest, (req, res) => wc.handleRequest(req, res)],
      upgrades: [(req, socket, head) => ac.handleUpgrade(req, socket, head), (req, socket, head) => wc.handleUpgrade(req, socket, head)],
    });
    await Promise.all([webchat.warmUp(), agentConsole.warmUp()]);
    const { port, url } = await http.listen(opts.port ?? config.port, opts.host);
    let closing: Promise<void> | undefined;
    return {
      config,
      app,
      stores,
      webchat: wc,
      agentConsole: ac,
      webhooks,
      http,
      port,
      ...(demoCustomerId === undefined ? {} : { demoCustomer: demoCustomerId }),
      urls: { base: url, demo: `${url}/`, console: `${url}/agent`, widget: `${url}/webchat/widget.js`, directLine: `${url}/v3/directline`, openApi: `${url}/api/openapi.json` },
      close: () => (closing ??= shutdown()),
    };
  } catch (e) {
    await shutdown().catch(() => undefined);
    throw e;
  }
}

/**
 * The web chat history's retention from the environment (each optional; every problem reported at once):
 * `WEBCHAT_HISTORY_RETENTION_MS` (idle time after which a conversation's history is forgotten,
 * default 24 h), `WEBCHAT_HISTORY_KEEP_RECENT_MS` (never forgotten to honour the cap while active
 * within this window, default 30 min), `WEBCHAT_HISTORY_MAX_CONVERSATIONS` (default 10 000).
 * Conversations with a person (waiting, booked, with an agent) are kept whatever these say.
 *
 * @example
 * webChatHistoryFromEnv({ WEBCHAT_HISTORY_RETENTION_MS: '604800000' }); // { retentionMs: 604800000 }
 */
export function webChatHistoryFromEnv(env: NodeJS.ProcessEnv): WebChatHistoryOptions {
  const problems: string[] = [];
  const read = (name: string, min: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min) {
      problems.push(`${name}: "${raw}" is not a whole number ≥ ${min}`);
      return undefined;
    }
    return n;
  };
  const retentionMs = read('WEBCHAT_HISTORY_RETENTION_MS', 0);
  const keepRecentMs = read('WEBCHAT_HISTORY_KEEP_RECENT_MS', 0);
  const maxConversations = read('WEBCHAT_HISTORY_MAX_CONVERSATIONS', 1);
  if (problems.length > 0) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `environment is invalid:\n  ${problems.join('\n  ')}`, { details: problems });
  return {
    ...(retentionMs === undefined ? {} : { retentionMs }),
    ...(keepRecentMs === undefined ? {} : { keepRecentMs }),
    ...(maxConversations === undefined ? {} : { maxConversations }),
  };
}

/**
 * HANDOVER_ALLOW_VOLATILE_REDIS: `1`/`true`/`yes` lets `handover start` use a Redis that can lose
 * data (with a loud warning); unset, empty, `0`/`false`/`no` do not; anything else is a
 * configuration error rather than a guess.
 *
 * @example
 * allowVolatileRedisFromEnv({ HANDOVER_ALLOW_VOLATILE_REDIS: '1' }); // true
 */
export function allowVolatileRedisFromEnv(env: NodeJS.ProcessEnv): boolean {
  const raw = (env['HANDOVER_ALLOW_VOLATILE_REDIS'] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false' || raw === 'no') return false;
  if (raw === '1' || raw === 'true' || raw === 'yes') return true;
  throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `environment is invalid: HANDOVER_ALLOW_VOLATILE_REDIS is "${env['HANDOVER_ALLOW_VOLATILE_REDIS']}": use 1 or 0`);
}

/**
 * Customer identity on web chat from the environment (customer-token.ts) and, in demo mode, the
 * demo customer (who must be in data/customers.json).
 */
function webChatIdentity(env: NodeJS.ProcessEnv, clock: Clock, demoId: string | undefined, customers: readonly CustomerProfile[]) {
  const { tokens, anonymous } = customerIdentityFromEnv(env, clock);
  if (demoId === undefined || demoId === '') return { anonymous, ...(tokens === undefined ? {} : { customerTokens: tokens }) };
  const demo = customers.find((c) => c.id === demoId);
  if (demo === undefined) {
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `the demo customer ${JSON.stringify(demoId)} is not in data/customers.json; known: ${customers.map((c) => c.id).join(', ')}`);
  }
  return { anonymous, ...(tokens === undefined ? {} : { customerTokens: tokens }), demoCustomer: { id: demo.id, ...(demo.name === undefined ? {} : { name: demo.name }) } };
}

/** The parsed flags of `handover start` (commands.ts). */
export interface StartFlags {
  readonly port?: number;
  readonly host?: string;
  readonly whatsappWeb?: boolean;
  readonly whatsappCloud?: boolean;
  readonly allowVolatileRedis?: boolean;
  readonly demoCustomer?: string;
}

/**
 * `handover start [--port N] [--host H] [--whatsapp-web] [--whatsapp-cloud] [--allow-volatile-redis] [--demo-customer ID]`:
 * runs until SIGINT or SIGTERM, then stops cleanly. Exit 0 after a clean stop, 2 on bad flags or
 * configuration, or a Redis that can lose data (without `--allow-volatile-redis`).
 *
 * @example
 * await start({ port: 8080 });
 */
export async function start(flags: StartFlags): Promise<number> {
  const svc = await startService({
    ...(flags.port === undefined ? {} : { port: flags.port }),
    ...(flags.host === undefined ? {} : { host: flags.host }),
    whatsappWeb: flags.whatsappWeb === true,
    whatsappCloud: flags.whatsappCloud === true,
    // the flag turns it on; without it the environment decides (HANDOVER_ALLOW_VOLATILE_REDIS)
    ...(flags.allowVolatileRedis === true ? { allowVolatileRedis: true } : {}),
    ...(flags.demoCustomer === undefined ? {} : { demoCustomer: flags.demoCustomer }),
  });
  const u = svc.urls;
  const demoAgents = svc.config.manifest.console.agents.map((a) => `${a.id} (${a.role}${a.role === 'supervisor' ? '' : `: ${a.queues.join(', ')}`})`).join(', ');
  process.stdout.write(
    [
      `handover is running on ${u.base} (store: ${svc.config.store === 'memory' ? 'memory' : 'redis'})`,
      `  demo page (web chat)   ${u.demo}${svc.demoCustomer === undefined ? '' : `    signed in as demo customer ${svc.demoCustomer} (demo mode)`}`,
      `  agent console          ${u.console}    agents: ${demoAgents || 'none in manifest.json console.agents'}`,
      `                         (the sample manifest's passwords are <id>-demo-password, e.g. ana / ana-demo-password)`,
      `  widget, one tag        <script src="${u.widget}"></script>`,
      `  Direct Line 3.0        ${u.directLine}`,
      `  HTTP API               ${u.openApi}`,
      `Press Ctrl+C to stop.`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolveStop) => {
    const stop = (signal: string): void => {
      process.stdout.write(`\n${signal}: stopping…\n`);
      process.removeListener('SIGINT', onInt);
      process.removeListener('SIGTERM', onTerm);
      // A second Ctrl+C while stopping exits at once.
      process.once('SIGINT', () => process.exit(130));
      resolveStop();
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
  await svc.close();
  process.stdout.write('stopped.\n');
  return 0;
}

/**
 * `handover hash-password`: reads a password from stdin (one line; typed without echo on a
 * terminal) and prints `scrypt$<salt>$<key>` for manifest.json `console.agents[].passwordHash`.
 *
 * @example
 * // printf 'correct horse battery staple\n' | npx handover hash-password
 * await hashPasswordCommand(process.stdin, process.stdout);
 */
export async function hashPasswordCommand(input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => void }, output: NodeJS.WritableStream): Promise<number> {
  const password = input.isTTY === true ? await readHidden(input, 'Password: ') : await readFirstLine(input);
  if (password === '') {
    process.stderr.write('handover hash-password: the password is empty (type it, or pipe it on stdin)\n');
    return 2;
  }
  output.write(`${await hashPassword(password)}\n`);
  return 0;
}

async function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n')) break;
  }
  return (text.split(/\r?\n/)[0] ?? '').replace(/\r$/, '');
}

function readHidden(input: NodeJS.ReadableStream & { setRawMode?: (raw: boolean) => void }, prompt: string): Promise<string> {
  process.stderr.write(prompt);
  input.setRawMode?.(true);
  input.resume();
  return new Promise((resolvePassword, reject) => {
    let text = '';
    const done = (): void => {
      input.setRawMode?.(false);
      input.removeListener('data', onData);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') {
          done();
          return resolvePassword(text);
        }
        if (ch === '\u0003') {
          done();
          return reject(new HandoverError('HANDOVER_ERR_BAD_REQUEST', 'cancelled'));
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    input.on('data', onData);
  });
}

/**
 * The sample directory of data/customers.json; a bot of your own may have none (its customers are
 * then unknown to the directory: anonymous, or named by a signed web chat token).
 */
function readCustomers(file: string, log: Logger): CustomerProfile[] {
  if (!existsSync(file)) {
    log.info('no data/customers.json: the customer directory is empty (customers are anonymous unless a signed token names them)');
    return [];
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CustomerProfile[];
  } catch (e) {
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `${file} is not valid JSON: ${(e as Error).message}`);
  }
}

