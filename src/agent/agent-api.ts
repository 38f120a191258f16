/**
 * The console HTTP API (`/api/**`): sign-in, queues, a conversation's briefing and transcript,
 * and the agent's actions (accept, message, transfer, resolve, return to the bot). Used by the
 * console page (session cookie) and by external help desks (`Authorization: Bearer`).
 *
 * Every failure is a JSON `{ error: { code, message } }`: 400 malformed JSON or a body of the
 * wrong shape (zod), 401 no credential, 403 another agent's conversation or a queue not theirs,
 * 404 unknown conversation/queue/endpoint, 405 wrong method, 409 already taken, not in a state
 * that allows the action or changed since the caller's `expectedVersion`, 413 body over the limit,
 * 429 too many failed sign-ins (with Retry-After), 403 HANDOVER_ERR_CROSS_SITE for a browser POST from
 * another site, 503 HANDOVER_ERR_BUSY when too many password checks are under way. A transfer's `idempotencyKey` makes a repeated request (a double
 * click, a retry) the same transfer: 200 with the current state, nothing moved twice.
 *
 * @example
 * const api = createAgentApi({ manifest, service, stores, clock, auth, roster, sessions, worklist });
 * const server = createHttpServer({ handlers: [api] });
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z, type ZodType } from 'zod';
import { ShiftsSchema, type Manifest } from '../config/manifest-schema.js';
import type { Clock } from '../core/clock.js';
import { HandoverError, isHandoverError } from '../core/errors.js';
import { agentId as toAgentId, conversationId as toConversationId, queueId, type AgentId, type ConversationId } from '../core/ids.js';
import { slaDueAtOf, type HandoffState } from '../core/handoff-state.js';
import type { HandoffPacket } from '../core/conversation.js';
import type { Stores } from '../core/ports/stores.js';
import { readBooking } from '../handoff/callback-bookings.js';
import { isWithHuman } from '../core/handoff-state.js';
import { eraseCustomer } from '../handoff/customer-erasure.js';
import type { TranscriptEntry } from '../core/conversation.js';
import { CallbackService } from '../handoff/callback-service.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import type { Presence, PresenceChange } from '../staffing/presence.js';
import { Staffing, type StaffMember } from '../staffing/staffing.js';
import { readJsonBody, sendError, sendJson } from '../server/http-json.js';
import { AGENT_DOCUMENT_MAX_BYTES, AGENT_IMAGE_MAX_BYTES, AgentFiles, checkAgentFile } from '../bridge/agent-files.js';
import { acceptedLocale, briefingLocale, briefingSentence } from '../bridge/briefing.js';
import { CustomerMedia } from '../handoff/customer-media.js';
import { readFileBody } from './read-file-body.js';
import type { RequestHandler, ServerLog } from '../server/http-server.js';
import type { AgentRoster } from './agent-roster.js';
import type { AgentSessions } from './agent-sessions.js';
import type { AgentWorklist } from './agent-worklist.js';
import { matchRoute, type OperationId } from './api-routes.js';
import { createDashboard, historyQueryOf } from './dashboard-api.js';
import type {
  BriefingView,
  CallbackView,
  CallerView,
  ConversationView,
  MacroView,
  MeView,
  MyConversationsView,
  PresenceView,
  QueueItemView,
  QueueView,
  RecheckView,
  StaffListView,
  StaffView,
  StateView,
} from './api-types.js';
import { checkSameSite, type ConsoleAuth, type Principal } from './console-auth.js';
import { RetryLaterError, retryAfterHeaders, SignInThrottle } from './login-throttle.js';
import { fillMacro } from './macros.js';
import { openApiDocument } from './openapi-document.js';
import type { LoginAttempts } from '../core/ports/login-attempts.js';
import { DECOY_HASH, PasswordCheckGate, verifyPassword } from './password-hash.js';

/**
 * Options of {@link createAgentApi}.
 *
 * @example
 * createAgentApi({ manifest, service, stores, clock, auth, roster, sessions, worklist, maxBodyBytes: 64 * 1024 });
 */
export interface AgentApiOptions {
  readonly manifest: Manifest;
  readonly service: HandoffService;
  readonly stores: Stores;
  readonly clock: Clock;
  readonly auth: ConsoleAuth;
  readonly roster: AgentRoster;
  readonly sessions: AgentSessions;
  readonly worklist: AgentWorklist;
  readonly log?: ServerLog;
  /** Request body limit (413 above it); default 64 KiB. */
  readonly maxBodyBytes?: number;
  /** Called after a sign-out so open console sockets of that session close at once. */
  readonly onLogout?: (sessionToken: string) => void;
  /** How many conversations a queue listing returns at most (default 100). */
  readonly queueListLimit?: number;
  /** Presence and shifts (default: over `stores.documents`). */
  readonly staffing?: Staffing;
  /** Booked callbacks, re-checked when presence or shifts change (default: over the same stores). */
  readonly callbacks?: CallbackService;
  /** Sign-in attempt counters (`stores.loginAttempts`: shared by every process on Redis). */
  readonly loginAttempts: LoginAttempts;
  /** Mark the known-device cookie `Secure` (as the session cookie). */
  readonly secureCookies?: boolean;
}

/** Default page of "My conversations". */
const MY_PAGE = 100;

const agentIdField = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'letters, digits, . _ @ - (at most 64)');
const agentNameField = z.string().trim().min(1).max(80);
const acting = { agentId: agentIdField.optional(), agentName: agentNameField.optional() };

/**
 * Request bodies, validated with zod (unknown fields are refused, so typos surface).
 *
 * @example
 * BODY_SCHEMAS.sendMessage.parse({ text: 'Hi, I am Ana.' });
 */
export const BODY_SCHEMAS = {
  login: z.object({ id: z.string().min(1).max(64), password: z.string().min(1).max(1024) }).strict(),
  acceptConversation: z.object(acting).strict(),
  sendMessage: z.object({ text: z.string().trim().min(1, 'text must not be empty').max(4000), ...acting }).strict(),
  transferConversation: z
    .object({
      queue: z.string().min(1).max(64),
      note: z.string().trim().max(1000).optional(),
      // what the caller saw and which click this is: a stale view is refused (409), a repeated click is the same transfer
      expectedVersion: z.number().int().min(1).optional(),
      idempotencyKey: z.string().regex(/^[\x21-\x7e]{1,128}$/, '1 to 128 visible ASCII characters').optional(),
      ...acting,
    })
    .strict(),
  resolveConversation: z.object(acting).strict(),
  setMyPresence: z.object({ status: z.enum(['online', 'away', 'offline']) }).strict(),
  setShifts: z.object({ shifts: ShiftsSchema.nullable() }).strict(),
  returnToBot: z
    .object({
      collected: z
        .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'field names are identifiers'), z.union([z.string().max(1000), z.number().finite(), z.boolean()]))
        .refine((r) => Object.keys(r).length <= 50, 'at most 50 fields')
        .optional(),
      note: z.string().trim().max(1000).optional(),
      ...acting,
    })
    .strict(),
} as const;

const badRequest = (message: string): HandoverError => new HandoverError('HANDOVER_ERR_BAD_REQUEST', message);
const forbidden = (message: string): HandoverError => new HandoverError('HANDOVER_ERR_FORBIDDEN', message);

function parseBody<T>(schema: ZodType<T>, raw: unknown, allowEmpty: boolean): T {
  const r = schema.safeParse(raw === undefined && allowEmpty ? {} : raw);
  if (r.success) return r.data;
  if (raw === undefined) throw badRequest('a JSON body is required');
  const details = r.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'body'}: ${i.message}`);
  throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', `invalid body: ${details.join('; ')}`, { details });
}

/**
 * The `/api/**` request handler (resolves false for any other path).
 *
 * @example
 * if (await api(req, res)) return;
 */
export function createAgentApi(opts: AgentApiOptions): RequestHandler {
  const maxBody = opts.maxBodyBytes ?? 64 * 1024;
  const agentFiles = new AgentFiles(opts.stores.documents, opts.clock);
  const customerMedia = new CustomerMedia(opts.stores.documents, opts.clock);
  const listLimit = opts.queueListLimit ?? 100;
  const signIn = opts.manifest.console.signIn;
  const throttle = new SignInThrottle({
    attempts: opts.loginAttempts,
    policy: signIn,
    ...(opts.secureCookies === undefined ? {} : { secureCookies: opts.secureCookies }),
  });
  const passwordGate = new PasswordCheckGate({ maxConcurrent: signIn.maxConcurrentChecks, maxWaiting: signIn.maxWaiting });
  const { auth, roster, service, stores, worklist } = opts;
  const staffing = opts.staffing ?? new Staffing({ manifest: opts.manifest, documents: stores.documents, clock: opts.clock });
  const callbacks = opts.callbacks ?? new CallbackService({ manifest: opts.manifest, stores, clock: opts.clock, service, staffing });

  const board = createDashboard({ manifest: opts.manifest, service, stores, staffing, clock: opts.clock, roster });

  const presenceView = (p: Presence): PresenceView => ({ status: p.status, chosen: p.chosen, connections: p.connections, since: p.since });

  /**
   * Presence or shifts changed: booked callbacks that no longer fit move now (the SLA sweep would
   * within a period). A failure is logged, never the caller's: what was asked is already stored.
   */
  const recheck = async (): Promise<RecheckView> => {
    try {
      const r = await callbacks.recheck();
      return { moved: r.moved, cancelled: r.cancelled };
    } catch (e) {
      opts.log?.error('callback re-check failed', { error: e instanceof Error ? e.message : String(e) });
      return { moved: 0, cancelled: 0 };
    }
  };
  const presenceChanged = async (write: Promise<PresenceChange>): Promise<PresenceChange> => {
    const r = await write;
    if (r.changed) await recheck();
    return r;
  };
  const staffView = (m: StaffMember): StaffView => ({
    id: m.id,
    name: m.name,
    queues: m.queues,
    presence: presenceView(m.presence),
    shifts: m.shifts ?? null,
    shiftsFrom: m.shiftsFrom,
    onShiftNow: m.onShiftNow,
  });
  const requireSupervisor = (p: Principal, what: string): void => {
    if (!auth.seesAll(p)) throw forbidden(`only supervisors and help desks ${what}`);
  };

  const callerView = (p: Principal): CallerView =>
    p.kind === 'agent'
      ? { kind: 'agent', id: p.agent.id, name: p.agent.name, role: p.agent.role, queues: p.agent.queues }
      : { kind: 'desk', name: p.name, queues: auth.queuesOf(p) };

  /** The agent an action is done as: the signed-in agent, or the help desk's `agentId`. */
  const actorOf = (p: Principal, body: { agentId?: string | undefined; agentName?: string | undefined }): { id: AgentId; name: string } => {
    if (p.kind === 'agent') {
      if (body.agentId !== undefined && body.agentId !== p.agent.id) throw forbidden(`signed in as ${p.agent.id}: you can only act as yourself`);
      return { id: toAgentId(p.agent.id), name: p.agent.name };
    }
    if (body.agentId === undefined) throw badRequest('agentId is required with a bearer token: the help-desk agent doing this');
    return { id: toAgentId(body.agentId), name: body.agentName ?? roster.find(body.agentId)?.name ?? body.agentId };
  };

  const canSeeQueue = (p: Principal, queue: string | null): boolean => auth.seesAll(p) || (queue !== null && auth.queuesOf(p).includes(queue));

  /** The conversation's state, or 404; 403 when it is neither in the caller's queues nor theirs. */
  const visibleState = async (p: Principal, id: ConversationId): Promise<HandoffState> => {
    const s = await service.state(id);
    if (s.version === 0) throw new HandoverError('HANDOVER_ERR_UNKNOWN_CONVERSATION', `no handoff for conversation ${id}`);
    const own = p.kind === 'agent' && s.agentId === p.agent.id;
    if (!own && !canSeeQueue(p, s.queue)) throw forbidden(`conversation ${id} is in queue "${s.queue ?? '-'}", which is not one of yours`);
    return s;
  };

  const stateView = (s: HandoffState): StateView => ({
    status: s.status,
    queue: s.queue,
    priority: s.priority,
    reason: s.reason,
    agentId: s.agentId,
    requestedAt: s.requestedAt,
    assignedAt: s.assignedAt,
    // the deadline promised, not the next escalation's time: a breach stays a breach
    slaDeadline: slaDueAtOf(s),
    transfers: s.transfers,
    escalations: s.escalations,
    version: s.version,
    callbackAt: s.callbackAt ?? null,
  });

  /** The packet's summary in `locale` (from its facts), or the stored English one for a packet without them. */
  const summaryIn = (packet: HandoffPacket, locale: string): { summary: string; summaryLocale: string } =>
    packet.brief === undefined ? { summary: packet.summary, summaryLocale: 'en' } : { summary: briefingSentence(packet.brief, locale), summaryLocale: briefingLocale(locale) ?? 'en' };

  const briefingOf = (packet: HandoffPacket, locale: string): BriefingView => {
    const { transcript: _copy, conversationId: _id, ...briefing } = packet;
    return { ...briefing, ...summaryIn(packet, locale) };
  };

  /**
   * The language a caller reads briefings in: the agent's `locale` (manifest.json), else the first
   * language of the request's Accept-Language that briefings are written in, else the default locale.
   */
  const readerLocales = new WeakMap<Principal, string>();
  const readerLocale = (p: Principal | undefined): string => (p === undefined ? opts.manifest.defaultLocale : (readerLocales.get(p) ?? opts.manifest.defaultLocale));
  const noteReaderLocale = (p: Principal, req: IncomingMessage): void => {
    const own = p.kind === 'agent' ? p.agent.locale : undefined;
    readerLocales.set(p, own ?? acceptedLocale(req.headers['accept-language']) ?? opts.manifest.defaultLocale);
  };

  const macrosFor = (packet: HandoffPacket | undefined, actorName: { id: string; name: string }): MacroView[] =>
    opts.manifest.console.macros.map((m) => ({
      id: m.id,
      title: m.title,
      text: fillMacro(m.text, { agent: actorName, customer: packet?.customer ?? null, collected: packet?.collected ?? {} }),
    }));

  /**
   * Once the chat is back with the bot (returned, resolved), what the customer tells the bot
   * afterwards (and the bot's answers) is not the old queue's business: agents see those lines up
   * to the closing transition, and the system lines after it (the resolution itself); supervisors
   * and help desks see all. A new handoff shows everything again.
   */
  const visibleTranscript = (p: Principal, s: HandoffState, transcript: TranscriptEntry[]): TranscriptEntry[] => {
    if (isWithHuman(s) || s.closedAt === null || auth.seesAll(p)) return transcript;
    const closedAt = s.closedAt;
    return transcript.filter((e) => e.at <= closedAt || (e.from !== 'customer' && e.from !== 'bot'));
  };

  const conversationView = async (p: Principal, id: ConversationId, state?: HandoffState): Promise<ConversationView> => {
    const s = state ?? (await service.state(id));
    const [packet, transcript, booking] = await Promise.all([service.packet(id), stores.transcripts.read(id), readBooking(stores.documents, id)]);
    // the time promised to the customer, shown to whoever takes the callback (also once due)
    const callback: CallbackView | null =
      booking === undefined || booking.handoffId !== s.handoffId ? null : { at: booking.at, bookedAt: booking.bookedAt, queue: booking.queue, changes: booking.changes };
    const me = p.kind === 'agent' ? { id: p.agent.id, name: p.agent.name } : { id: s.agentId ?? p.name, name: roster.find(s.agentId ?? '')?.name ?? s.agentId ?? p.name };
    return {
      conversationId: id,
      state: stateView(s),
      briefing: packet === undefined ? null : briefingOf(packet, readerLocale(p)),
      callback,
      transcript: visibleTranscript(p, s, transcript),
      macros: macrosFor(packet, me),
      now: opts.clock.now(),
    };
  };

  const itemOf = async (id: ConversationId, locale: string, s?: HandoffState): Promise<QueueItemView> => {
    const state = s ?? (await service.state(id));
    const packet = state.handoffId === null ? undefined : await stores.packets.get(state.handoffId);
    return {
      conversationId: id,
      status: state.status,
      queue: state.queue,
      priority: state.priority,
      enqueuedAt: state.enqueuedAt,
      slaDeadline: slaDueAtOf(state),
      escalations: state.escalations,
      reason: state.reason,
      summary: packet === undefined ? null : summaryIn(packet, locale).summary,
      intent: packet?.intent ?? null,
      channel: packet?.channel ?? null,
      customerName: packet?.customer?.name ?? null,
      transfers: state.transfers,
      agentId: state.agentId,
    };
  };

  /**
   * One page of the conversations an agent owns (derived from the committed states, so complete),
   * each read fresh: one whose state moved since the page was read is left out, not shown wrongly.
   */
  const ownedPage = async (agent: AgentId, after: string | null, limit: number, locale: string): Promise<{ items: QueueItemView[]; next: string | null; total: number }> => {
    const page = await worklist.page(agent, { after, limit });
    const items = await Promise.all(page.conversations.map((c) => itemOf(c, locale)));
    return { items: items.filter((i) => i.status === 'assigned' && i.agentId === agent), next: page.next, total: page.total };
  };

  /** Who is calling, as the scope of their idempotency keys. */
  const callerKey = (p: Principal): string => (p.kind === 'agent' ? `agent:${p.agent.id}` : `desk:${p.name}`);

  /** One answer for a queue id not in manifest.json, wherever it is named (path or body): 404. */
  const unknownQueue = (queue: string): HandoverError => HandoverError.of('HANDOVER_ERR_UNKNOWN_QUEUE', { queue, known: roster.allQueues.join(', ') });

  const queueView = async (queue: string, locale: string): Promise<QueueView> => {
    const q = opts.manifest.queues[queue];
    if (q === undefined) throw unknownQueue(queue);
    const entries = await service.listQueue(queue, listLimit);
    const conversations = await Promise.all(entries.map((e) => itemOf(e.conversationId, locale)));
    return {
      id: queue,
      label: q.label,
      slaSeconds: q.slaSeconds,
      waiting: await stores.handoffs.queueLength(queueId(queue)),
      expectedWaitMs: await service.expectedWaitMs(queue),
      // the list is read entry by entry: keep only those still waiting in this queue
      conversations: conversations.filter((c) => c.status === 'queued' && c.queue === queue),
    };
  };

  const ops: Record<OperationId, (req: IncomingMessage, res: ServerResponse, params: Readonly<Record<string, string>>, p: Principal | undefined) => Promise<void>> = {
    async login(req, res) {
      const body = parseBody(BODY_SCHEMAS.login, await readJsonBody(req, maxBody), false);
      // checked and counted before the password work: parallel guesses cannot all pass the check
      const attempt = await throttle.begin(req, body.id);
      const hash = roster.passwordHashOf(body.id);
      let ok: boolean;
      try {
        // An unknown id costs the same scrypt time as a wrong password; a known device goes first in line.
        ok = (await passwordGate.run(() => verifyPassword(body.password, hash ?? DECOY_HASH), { priority: attempt.knownDevice })) && hash !== undefined;
      } catch (e) {
        await attempt.abandoned();
        if (isHandoverError(e, 'HANDOVER_ERR_BUSY')) throw new RetryLaterError('HANDOVER_ERR_BUSY', e.message, 1000);
        throw e;
      }
      const agent = roster.find(body.id);
      if (!ok || agent === undefined) {
        await attempt.failed();
        throw new HandoverError('HANDOVER_ERR_UNAUTHORIZED', 'unknown agent id or wrong password');
      }
      const deviceCookies = await attempt.succeeded();
      const { token, session } = await opts.sessions.create(agent.id);
      if (staffing.isAgent(agent.id)) await presenceChanged(staffing.presence.signIn(agent.id));
      sendJson(res, 200, { caller: callerView({ kind: 'agent', agent, sessionToken: token }), expiresAt: session.expiresAt }, {
        // the session cookie first (clients that read one cookie read it)
        'Set-Cookie': [auth.sessionCookie(token, session.expiresAt, opts.sessions.ttlMs), ...deviceCookies],
      });
    },

    async logout(req, res) {
      req.resume();
      const p = await auth.principalOf(req);
      if (p?.kind === 'agent') {
        await opts.sessions.destroy(p.sessionToken);
        opts.onLogout?.(p.sessionToken);
        if (staffing.isAgent(p.agent.id)) await presenceChanged(staffing.presence.signOut(p.agent.id));
      }
      res.writeHead(204, { 'Set-Cookie': auth.clearedCookie(), 'Cache-Control': 'no-store' }).end();
    },

    async getMe(_req, res, _params, p) {
      const caller = p!;
      const page = caller.kind === 'agent' ? await ownedPage(toAgentId(caller.agent.id), null, MY_PAGE, readerLocale(caller)) : { items: [], next: null, total: 0 };
      const me: MeView = {
        caller: callerView(caller),
        macros: opts.manifest.console.macros,
        allQueues: roster.allQueues,
        queueLabels: Object.fromEntries(Object.entries(opts.manifest.queues).map(([id, q]) => [id, q.label])),
        active: page.items,
        activeNext: page.next,
        activeTotal: page.total,
        now: opts.clock.now(),
        presence: caller.kind === 'agent' && staffing.isAgent(caller.agent.id) ? presenceView(await staffing.presence.read(caller.agent.id)) : null,
        locale: readerLocale(caller),
      };
      sendJson(res, 200, me);
    },

    async listMyConversations(req, res, _params, p) {
      const caller = p!;
      if (caller.kind !== 'agent') throw forbidden('a bearer token owns no conversations: list a queue, or sign in as the agent');
      const q = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const raw = q.get('limit');
      const limit = raw === null ? MY_PAGE : Number(raw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badRequest('limit must be a whole number from 1 to 500');
      const page = await ownedPage(toAgentId(caller.agent.id), q.get('after'), limit, readerLocale(caller));
      sendJson(res, 200, { conversations: page.items, next: page.next, total: page.total, now: opts.clock.now() } satisfies MyConversationsView);
    },

    async listQueues(_req, res, _params, p) {
      const queues = await Promise.all(auth.queuesOf(p!).map((q) => queueView(q, readerLocale(p))));
      sendJson(res, 200, { queues, now: opts.clock.now() });
    },

    async getQueue(_req, res, params, p) {
      const queue = params['queue']!;
      if (!roster.hasQueue(queue)) throw unknownQueue(queue);
      if (!canSeeQueue(p!, queue)) throw forbidden(`queue "${queue}" is not one of yours`);
      sendJson(res, 200, { ...(await queueView(queue, readerLocale(p))), now: opts.clock.now() });
    },

    async getConversation(_req, res, params, p) {
      const id = toConversationId(params['conversationId']!);
      const s = await visibleState(p!, id);
      sendJson(res, 200, await conversationView(p!, id, s));
    },

    async acceptConversation(req, res, params, p) {
      const body = parseBody(BODY_SCHEMAS.acceptConversation, await readJsonBody(req, maxBody), true);
      const id = toConversationId(params['conversationId']!);
      const actor = actorOf(p!, body);
      const s = await visibleState(p!, id);
      if (!canSeeQueue(p!, s.queue)) throw forbidden(`queue "${s.queue ?? '-'}" is not one of yours`);
      // checked again inside the compare-and-set: a transfer landing after the check above refuses the claim (403)
      const queues = auth.seesAll(p!) ? undefined : auth.queuesOf(p!);
      const { state } = await service.accept(id, actor.id, actor.name, queues === undefined ? {} : { queues });
      sendJson(res, 200, await conversationView(p!, id, state));
    },

    async sendMessage(req, res, params, p) {
      const body = parseBody(BODY_SCHEMAS.sendMessage, await readJsonBody(req, maxBody), false);
      const id = toConversationId(params['conversationId']!);
      const actor = actorOf(p!, body);
      await visibleState(p!, id);
      await service.sendAgentMessage(id, actor.id, body.text, actor.name);
      sendJson(res, 202, { ok: true, now: opts.clock.now() });
    },

    async getMedia(_req, res, params) {
      const file = await customerMedia.get(params['mediaId'] ?? '');
      if (file === undefined) throw new HandoverError('HANDOVER_ERR_NOT_FOUND', 'no such media (or it is older than its retention)');
      // a customer's file never runs as a page of ours: sandboxed, not sniffed, only media shown inline
      res.writeHead(200, {
        'content-type': file.contentType,
        'content-length': String(file.bytes.length),
        'content-disposition': /^(image\/(jpeg|png|gif|webp)|audio\/|video\/)/.test(file.contentType) ? 'inline' : `attachment; filename="${(file.name ?? 'file').replace(/[^\w.-]/g, '_')}"`,
        'content-security-policy': "sandbox; default-src 'none'",
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, max-age=300',
      });
      res.end(file.bytes);
    },

    async sendFile(req, res, params, p) {
      const id = toConversationId(params['conversationId']!);
      if (!/^whatsapp(-cloud)?:/.test(id)) throw badRequest('files can be sent to WhatsApp customers only');
      const q = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const caption = (q.get('caption') ?? '').trim();
      if (Array.from(caption).length > 1024) throw badRequest('caption: at most 1024 characters');
      const contentType = String(req.headers['content-type'] ?? '');
      const declared = Number(req.headers['content-length']);
      // type and declared size first: a refused file is not read
      const kind = checkAgentFile(contentType, Number.isFinite(declared) && declared > 0 ? declared : 1);
      const actor = actorOf(p!, { agentId: q.get('agentId') ?? undefined, agentName: q.get('agentName') ?? undefined });
      const s = await visibleState(p!, id);
      if (s.status !== 'assigned' || s.agentId !== actor.id) throw new HandoverError('HANDOVER_ERR_NOT_ASSIGNED_TO_AGENT', `conversation ${id} is not yours: accept it first`);
      const bytes = await readFileBody(req, kind === 'image' ? AGENT_IMAGE_MAX_BYTES : AGENT_DOCUMENT_MAX_BYTES);
      let name = '';
      try {
        name = decodeURIComponent(String(req.headers['x-file-name'] ?? ''));
      } catch {
        throw badRequest('X-File-Name: percent-encode the file name');
      }
      const file = await agentFiles.put({ contentType, name, bytes });
      try {
        await service.sendAgentMessage(id, actor.id, caption, actor.name, [file]);
      } catch (e) {
        await agentFiles.delete(file.url).catch(() => undefined);
        throw e;
      }
      sendJson(res, 202, { ok: true, file: { name: file.name, contentType: file.contentType, size: file.size, kind: file.kind }, now: opts.clock.now() });
    },

    async transferConversation(req, res, params, p) {
      const body = parseBody(BODY_SCHEMAS.transferConversation, await readJsonBody(req, maxBody), false);
      const id = toConversationId(params['conversationId']!);
      if (!roster.hasQueue(body.queue)) throw unknownQueue(body.queue);
      await visibleState(p!, id);
      // Supervisors and desks may move anyone's conversation; an agent only a waiting one or their own.
      const actor = auth.seesAll(p!) && body.agentId === undefined ? undefined : actorOf(p!, body);
      const state = await service.transfer(id, body.queue, {
        ...(actor === undefined ? {} : { agentId: actor.id }),
        ...(body.note === undefined ? {} : { note: body.note }),
        ...(body.expectedVersion === undefined ? {} : { expectedVersion: body.expectedVersion }),
        // scoped to the caller, so two desks' keys never collide
        ...(body.idempotencyKey === undefined ? {} : { idempotencyKey: `${callerKey(p!)}:${body.idempotencyKey}` }),
      });
      sendJson(res, 200, await conversationView(p!, id, state));
    },

    async resolveConversation(req, res, params, p) {
      const body = parseBody(BODY_SCHEMAS.resolveConversation, await readJsonBody(req, maxBody), true);
      const id = toConversationId(params['conversationId']!);
      const actor = actorOf(p!, body);
      await visibleState(p!, id);
      const state = await service.resolve(id, actor.id, actor.name);
      sendJson(res, 200, await conversationView(p!, id, state));
    },

    async returnToBot(req, res, params, p) {
      const body = parseBody(BODY_SCHEMAS.returnToBot, await readJsonBody(req, maxBody), true);
      const id = toConversationId(params['conversationId']!);
      const actor = actorOf(p!, body);
      await visibleState(p!, id);
      const state = await service.returnToBot(id, actor.id, {
        ...(body.collected === undefined ? {} : { collected: body.collected }),
        ...(body.note === undefined ? {} : { note: body.note }),
      });
      sendJson(res, 200, await conversationView(p!, id, state));
    },

    async listDeadLetters(req, res, _params, p) {
      if (!auth.seesAll(p!)) throw forbidden('only supervisors and help desks see undelivered messages');
      const raw = new URL(req.url ?? '/', 'http://localhost').searchParams.get('limit');
      const limit = raw === null ? 100 : Number(raw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('limit must be a whole number from 1 to 1000');
      const { total, letters } = await stores.relay.deadLetters(limit);
      sendJson(res, 200, { total, deadLetters: letters, now: opts.clock.now() });
    },

    async redeliverDeadLetter(req, res, params, p) {
      req.resume();
      if (!auth.seesAll(p!)) throw forbidden('only supervisors and help desks act on undelivered messages');
      if (!(await stores.relay.redeliver(params['deadLetterId']!))) throw new HandoverError('HANDOVER_ERR_NOT_FOUND', `no undelivered message ${params['deadLetterId']!} (already sent again or discarded?)`);
      sendJson(res, 202, { ok: true, now: opts.clock.now() });
    },

    async discardDeadLetter(req, res, params, p) {
      req.resume();
      if (!auth.seesAll(p!)) throw forbidden('only supervisors and help desks act on undelivered messages');
      if (!(await stores.relay.discard(params['deadLetterId']!))) throw new HandoverError('HANDOVER_ERR_NOT_FOUND', `no undelivered message ${params['deadLetterId']!} (already sent again or discarded?)`);
      sendJson(res, 200, { ok: true, now: opts.clock.now() });
    },

    async setMyPresence(req, res, _params, p) {
      const body = parseBody(BODY_SCHEMAS.setMyPresence, await readJsonBody(req, maxBody), false);
      const caller = p!;
      if (caller.kind !== 'agent' || !staffing.isAgent(caller.agent.id)) throw forbidden('a bearer token has no presence: sign in as the agent');
      const r = await presenceChanged(staffing.presence.setStatus(caller.agent.id, body.status));
      sendJson(res, 200, { presence: presenceView(r), now: opts.clock.now() });
    },

    async listStaff(_req, res, _params, p) {
      requireSupervisor(p!, 'see the staff');
      const snap = await staffing.snapshot();
      sendJson(res, 200, { agents: snap.members.map(staffView), timezone: opts.manifest.callbacks.timezone, now: snap.now } satisfies StaffListView);
    },

    async setShifts(req, res, params, p) {
      const body = parseBody(BODY_SCHEMAS.setShifts, await readJsonBody(req, maxBody), false);
      requireSupervisor(p!, "set agents' shifts");
      const agent = params['agentId']!;
      if (!staffing.isAgent(agent)) throw new HandoverError('HANDOVER_ERR_NOT_FOUND', `no agent "${agent}" in manifest.json console.agents`);
      const by = p!.kind === 'agent' ? p!.agent.id : `desk:${p!.name}`;
      await staffing.shifts.set(agent, body.shifts, by);
      const rechecked = await recheck();
      const member = (await staffing.snapshot()).members.find((m) => m.id === agent)!;
      sendJson(res, 200, { agent: staffView(member), rechecked, now: opts.clock.now() });
    },

    async listCallbackSlots(_req, res, params, p) {
      const queue = params['queue']!;
      if (!roster.hasQueue(queue)) throw unknownQueue(queue);
      if (!canSeeQueue(p!, queue)) throw forbidden(`queue "${queue}" is not one of yours`);
      const slots = await callbacks.upcoming(queue);
      sendJson(res, 200, { queue, slots, timezone: opts.manifest.callbacks.timezone, now: opts.clock.now() });
    },

    async eraseCustomer(req, res, params, p) {
      req.resume();
      requireSupervisor(p!, 'erase customers');
      // a cross-site DELETE never gets past CORS, and the cookie is SameSite=Strict; refuse a foreign Origin anyway
      const origin = req.headers.origin;
      if (origin !== undefined && req.headers.authorization === undefined) {
        let host = '';
        try {
          host = new URL(origin).host;
        } catch {
          // malformed: refused below
        }
        if (host !== req.headers.host) throw forbidden(`cross-site request from ${origin} refused`);
      }
      const customers = stores.customers;
      if (customers === undefined) throw new HandoverError('HANDOVER_ERR_NOT_SUPPORTED', 'these stores keep no customer index: erasure needs the built-in memory or Redis store');
      const force = new URL(req.url ?? '/', 'http://localhost').searchParams.get('force');
      if (force !== null && force !== 'true' && force !== 'false') throw badRequest('force must be true or false');
      const report = await eraseCustomer({ handoffs: stores.handoffs, documents: stores.documents, customers }, params['customerId']!, {
        by: callerKey(p!),
        now: opts.clock.now(),
        force: force === 'true',
      });
      sendJson(res, 200, { ...report, now: opts.clock.now() });
    },

    async getDashboard(_req, res, _params, p) {
      requireSupervisor(p!, 'see the dashboard');
      sendJson(res, 200, await board.dashboard(), { 'Cache-Control': 'no-store' });
    },

    async searchHistory(req, res, _params, p) {
      const { query, limit } = historyQueryOf(new URL(req.url ?? '/', 'http://localhost').searchParams);
      // agents: the queues they work and what they closed themselves; supervisors and desks: all
      const scoped = auth.seesAll(p!) ? query : { ...query, visibleTo: { queues: auth.queuesOf(p!), agentId: p!.kind === 'agent' ? p!.agent.id : null } };
      sendJson(res, 200, await board.history(scoped, limit), { 'Cache-Control': 'no-store' });
    },

    async getOpenApi(_req, res) {
      sendJson(res, 200, openApiDocument(), { 'Cache-Control': 'no-cache' });
    },
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api' && !url.pathname.startsWith('/api/')) return false;
    try {
      const match = matchRoute(req.method ?? 'GET', url.pathname);
      if (match.kind === 'none') throw new HandoverError('HANDOVER_ERR_NOT_FOUND', `no endpoint ${url.pathname}; see /api/openapi.json`);
      if (match.kind === 'wrong-method') {
        req.resume();
        sendError(res, new HandoverError('HANDOVER_ERR_METHOD_NOT_ALLOWED', `${req.method ?? ''} is not allowed here; use ${match.allowed.join(', ')}`), { Allow: match.allowed.join(', ') });
        return true;
      }
      // every state change a browser could make with ambient credentials (the session cookie,
      // sign-in itself): refused from another site; bearer-token clients carry no ambient credential
      if (req.method !== 'GET' && req.method !== 'HEAD' && req.headers.authorization === undefined) checkSameSite(req);
      const p = match.route.auth ? await auth.require(req) : undefined;
      if (p !== undefined) noteReaderLocale(p, req);
      await ops[match.route.operationId](req, res, match.params, p);
    } catch (e) {
      // Drain what the client still sends so it can read the error.
      if (!req.readableEnded) req.resume();
      if (!isHandoverError(e)) opts.log?.error('console API failed', { method: req.method, path: url.pathname, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      sendError(res, e, retryAfterHeaders(e));
    }
    return true;
  };
}
