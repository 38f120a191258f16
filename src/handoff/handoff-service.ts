/**
 * The handoff lifecycle over the store ports: request, accept (atomic claim), agent messages,
 * transfer (the 2nd without resolution goes to the senior queue), resolve, return to the bot, and
 * the SLA watch. Every transition is a compare-and-set; a lost race is reported as a clear error
 * (`HANDOVER_ERR_ALREADY_TAKEN` for a claim), never as a silent double owner.
 *
 * @example
 * const service = new HandoffService({ manifest, stores, clock, texts });
 * await service.accept(conversationId, agentId('ana'), 'Ana');
 * await service.sendAgentMessage(conversationId, agentId('ana'), 'Hi, I can help with that.');
 */
import { randomUUID } from 'node:crypto';
import type { Manifest } from '../core/manifest.js';
import type { Clock } from '../core/clock.js';
import type { HandoffPacket } from '../core/conversation.js';
import { HandoverError } from '../core/errors.js';
import { handoffId, queueId, type AgentId, type ConversationId, type HandoffId, type QueueId } from '../core/ids.js';
import type { DomainEvent } from '../core/events.js';
import { transition, type HandoffCommand, type HandoffState, type TransitionCode } from '../core/handoff-state.js';
import type { Stores } from '../core/ports/stores.js';
import type { AssignedPage, QueueEntry } from '../core/ports/handoff-store.js';
import type { Texts } from '../core/texts.js';
import { priorityOf } from '../policy/evaluate.js';
import { readMemory } from './conversation-memory.js';
import type { MetricsRecorder } from './metrics.js';
import { recordClosedHandoff } from './closed-handoffs.js';

/** The manifest, the stores, the clock, the texts, and optionally ids and metrics. */
export interface HandoffServiceOptions {
  readonly manifest: Manifest;
  readonly stores: Stores;
  readonly clock: Clock;
  readonly texts: Texts;
  readonly newId?: () => string;
  /** Counts transitions where they are made (once, whatever the number of processes). */
  readonly metrics?: MetricsRecorder;
  /**
   * The expected wait from the agents who can take a queue now (src/staffing: presence and
   * shifts). Without it: `queues.<id>.agents` of the manifest.
   */
  readonly staffing?: { expectedWaitMs(queue: string, waiting: number): Promise<number> };
  /**
   * Failures of what follows a committed transition (its transcript line, the customer's notice,
   * the agents' event): the transition stands, so they are reported here instead of thrown.
   * Default: a process warning.
   */
  readonly onError?: (error: unknown, where: string) => void;
}

/**
 * Work that rides on the handoff lifecycle without being part of it (callbacks): run after each
 * SLA sweep, and when agents' presence or shifts change.
 */
export interface HandoffExtension {
  /** After `escalateDue` (every SLA sweep, on every process). */
  sweep?(): Promise<unknown>;
  /** An agent's presence or a shift changed (sign-in, sign-out, status, a supervisor's edit). */
  staffingChanged?(): Promise<unknown>;
}

/** What the middleware knows when it decides to hand off. */
export interface RequestInput {
  readonly conversationId: ConversationId;
  readonly reason: HandoffPacket['reason'];
  readonly queue: string;
  readonly priority: number;
  readonly route: string;
  /** Builds the briefing once the handoff id, queue and deadline are known. */
  readonly packet: (h: { queue: QueueId; priority: number; slaDeadline: number; requestedAt: number }) => HandoffPacket;
  /** The state the caller already read this turn (saves a round trip; a stale one is re-read). */
  readonly current?: HandoffState;
}

/**
 * The handoff lifecycle; every method is safe to call from any process.
 *
 * @example
 * const { packet } = await service.accept(id, agentId('ana'), 'Ana');
 * await service.returnToBot(id, agentId('ana'), { collected: { order_number: 'A12345' } });
 */
export class HandoffService {
  private readonly newId: () => string;
  private readonly extensions: HandoffExtension[] = [];
  constructor(private readonly opts: HandoffServiceOptions) {
    this.newId = opts.newId ?? randomUUID;
  }

  /** Adds work run after every SLA sweep and on staffing changes (see {@link HandoffExtension}). */
  extend(extension: HandoffExtension): void {
    this.extensions.push(extension);
  }

  /**
   * Agents' presence or shifts changed: callbacks booked in the future are checked again at once
   * (the SLA sweep also notices within a period). Every extension runs; the first failure is thrown.
   */
  async staffingChanged(): Promise<void> {
    const results = await Promise.allSettled(this.extensions.map((e) => e.staffingChanged?.()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  private slaMs(queue: string): number {
    const q = this.opts.manifest.queues[queue];
    if (q === undefined) throw new HandoverError('HANDOVER_ERR_UNKNOWN_QUEUE', `unknown queue "${queue}" (manifest.json queues)`);
    return q.slaSeconds * 1000;
  }

  /** Apply a command with compare-and-set, retrying on a version race only when `retry` allows. */
  private async apply(id: ConversationId, make: (s: HandoffState) => HandoffCommand, onConflict: 'retry' | 'fail'): Promise<{ before: HandoffState; after: HandoffState }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await this.opts.stores.handoffs.get(id);
      const r = transition(before, make(before), this.opts.clock.now());
      if (!r.ok) {
        if (r.code === 'NOT_ASSIGNED_TO_AGENT') throw new HandoverError('HANDOVER_ERR_NOT_ASSIGNED_TO_AGENT', r.message);
        if (before.version === 0) throw new HandoverError('HANDOVER_ERR_UNKNOWN_CONVERSATION', `no handoff for conversation ${id}`);
        throw refusal(r.code, r.message, id);
      }
      const c = await this.opts.stores.handoffs.commit(id, before.version, r.state);
      if (c.ok) return { before, after: c.state };
      if (onConflict === 'fail') {
        throw new HandoverError('HANDOVER_ERR_ALREADY_TAKEN', `conversation ${id} was taken by ${c.current.agentId ?? 'another agent'}`);
      }
    }
    throw new HandoverError('HANDOVER_ERR_STATE_CONFLICT', `conversation ${id} kept changing; try again`);
  }

  /**
   * Queue a conversation for a human and store its briefing. The briefing is stored first: a
   * conversation is never queued without one (a failure leaves at worst an unused packet).
   */
  async request(input: RequestInput): Promise<{ state: HandoffState; packet: HandoffPacket; announced: Promise<void> }> {
    const id = handoffId(this.newId());
    const slaMs = this.slaMs(input.queue);
    const now = this.opts.clock.now();
    const packet = input.packet({ queue: queueId(input.queue), priority: input.priority, slaDeadline: now + slaMs, requestedAt: now });
    const command: HandoffCommand = { type: 'request', handoffId: id, queue: queueId(input.queue), priority: input.priority, reason: input.reason, slaMs, channel: input.route };
    // the briefing is stored before the state can say "queued"; the state read rides along unless
    // the caller brought it
    const [, read] = await Promise.all([
      this.opts.stores.packets.put(id, packet),
      input.current === undefined ? this.opts.stores.handoffs.get(input.conversationId) : Promise.resolve(input.current),
    ]);
    let before = read;
    for (let attempt = 0; ; attempt++) {
      const r = transition(before, command, now);
      if (!r.ok) throw new HandoverError('HANDOVER_ERR_NOT_IN_STATE', r.message);
      const c = await this.opts.stores.handoffs.commit(input.conversationId, before.version, r.state);
      if (c.ok) {
        const after = c.state;
        // agents hear of it without the customer's turn waiting for the broadcast
        const announced = this.opts.stores.events.publish({
          type: 'handoff.requested',
          conversationId: input.conversationId,
          at: now,
          handoffId: id,
          queue: after.queue ?? queueId(input.queue),
          priority: after.priority,
          reason: input.reason,
          slaDeadline: after.slaDeadline ?? now + slaMs,
        });
        return { state: after, packet, announced };
      }
      // the caller's state was stale (or another process moved): decide again on the fresh one
      if (attempt >= 1 || input.current === undefined) {
        throw new HandoverError('HANDOVER_ERR_STATE_CONFLICT', `conversation ${input.conversationId} changed while handing off`);
      }
      before = c.current;
    }
  }

  /**
   * Expected wait in a queue: ceil(waiting / agents) × average handling time, with the agents who
   * can take the queue right now when staffing is known (see `Staffing.expectedWaitMs`), else the
   * manifest's `queues.<id>.agents`. `ahead`: how many wait before the customer asking (one
   * already in the queue), instead of the queue's length.
   */
  async expectedWaitMs(queue: string, ahead?: number): Promise<number> {
    const q = this.opts.manifest.queues[queue];
    if (q === undefined) return 0;
    // a customer already in the queue waits for those ahead of them; a new one for everyone in it
    const waiting = ahead ?? (await this.opts.stores.handoffs.queueLength(queueId(queue)));
    if (this.opts.staffing !== undefined) return this.opts.staffing.expectedWaitMs(queue, waiting);
    const agents = Math.max(1, q.agents);
    return Math.ceil(waiting / agents) * q.avgHandleSeconds * 1000;
  }

  async listQueue(queue: string, limit?: number): Promise<QueueEntry[]> {
    if (this.opts.manifest.queues[queue] === undefined) throw new HandoverError('HANDOVER_ERR_UNKNOWN_QUEUE', `unknown queue "${queue}"`);
    return this.opts.stores.handoffs.listQueue(queueId(queue), limit);
  }

  async state(id: ConversationId): Promise<HandoffState> {
    return this.opts.stores.handoffs.get(id);
  }

  async packet(id: ConversationId): Promise<HandoffPacket | undefined> {
    const s = await this.opts.stores.handoffs.get(id);
    return s.handoffId === null ? undefined : this.opts.stores.packets.get(s.handoffId);
  }

  /**
   * An agent takes a queued conversation; exactly one of several concurrent claims wins. With
   * `queues`, the conversation must wait in one of them: checked against the very state the
   * compare-and-set replaces, so a transfer to another queue that lands first refuses the claim
   * (`HANDOVER_ERR_FORBIDDEN`) instead of leaving the agent owning a chat outside her queues.
   */
  async accept(
    id: ConversationId,
    agent: AgentId,
    agentName: string = agent,
    opts: { readonly queues?: readonly string[] } = {},
  ): Promise<{ state: HandoffState; packet: HandoffPacket | undefined }> {
    const queues = opts.queues?.map((q) => queueId(q));
    let committed: HandoffState | undefined;
    for (let attempt = 0; attempt < 5 && committed === undefined; attempt++) {
      const before = await this.opts.stores.handoffs.get(id);
      if (before.version === 0) throw new HandoverError('HANDOVER_ERR_UNKNOWN_CONVERSATION', `no handoff for conversation ${id}`);
      if (before.status === 'assigned') throw new HandoverError('HANDOVER_ERR_ALREADY_TAKEN', `conversation ${id} is already taken by ${before.agentId}`);
      const r = transition(before, { type: 'assign', agentId: agent, ...(queues === undefined ? {} : { queues }) }, this.opts.clock.now());
      if (!r.ok) throw refusal(r.code, r.message, id);
      const c = await this.opts.stores.handoffs.commit(id, before.version, r.state);
      if (c.ok) committed = c.state;
      else if (c.current.status === 'assigned') throw new HandoverError('HANDOVER_ERR_ALREADY_TAKEN', `conversation ${id} was already taken by ${c.current.agentId ?? 'another agent'}`);
      // otherwise it moved (a transfer, an escalation): decide again on the fresh state
    }
    if (committed === undefined) throw new HandoverError('HANDOVER_ERR_STATE_CONFLICT', `conversation ${id} kept changing; try again`);
    const at = this.opts.clock.now();
    const accepted = committed;
    await this.afterCommit(id, accepted, {
      at,
      line: { name: 'handoff.accepted', agentId: agent, agentName },
      tell: () => this.tellCustomer(accepted, id, 'handoff.agent_joined', { agent: agentName }, 'system_message', { joined: true, agentId: agent, agentName }),
      count: () =>
        this.opts.metrics?.count(
          { humanContacts: 1 },
          { ...(accepted.queue === null ? {} : { queue: accepted.queue }), ...(accepted.requestedAt === null ? {} : { waitMs: Math.max(0, at - accepted.requestedAt) }) },
        ),
      event: (handoff) => ({ type: 'handoff.accepted', conversationId: id, at, handoffId: handoff, agentId: agent }),
    });
    return { state: committed, packet: committed.handoffId === null ? undefined : await this.opts.stores.packets.get(committed.handoffId) };
  }

  /**
   * The conversations an agent owns now, a page at a time (`after` = the previous page's `next`).
   * Derived from the committed states, so it is complete whatever the concurrency.
   */
  listAssigned(agent: AgentId, page: { readonly after?: string | null; readonly limit?: number } = {}): Promise<AssignedPage> {
    return this.opts.stores.handoffs.listAssigned(agent, page);
  }

  /**
   * An agent takes the conversation without a request (typing on the business's WhatsApp phone, or
   * picking a customer from a list): from then on the bot is silent. A queued conversation is
   * simply assigned; one already with another agent is refused.
   */
  async takeover(id: ConversationId, agent: AgentId, opts: { route: string; queue?: string; note?: string }): Promise<HandoffState> {
    const queue = queueId(opts.queue ?? this.opts.manifest.policy.defaultQueue);
    const hid = handoffId(this.newId());
    const { before, after } = await this.apply(id, () => ({ type: 'takeover', handoffId: hid, agentId: agent, queue, channel: opts.route }), 'retry');
    const at = this.opts.clock.now();
    // a takeover from the bot has no briefing yet: the agent's own, from what the bot knew
    if (before.status !== 'queued' && after.handoffId !== null) {
      const transcript = await this.opts.stores.transcripts.read(id);
      const memory = await readMemory(this.opts.stores.documents, id);
      await this.opts.stores.packets.put(after.handoffId, {
        conversationId: id,
        reason: 'agent_takeover',
        trace: [`agent_takeover: ${agent} started talking to the customer${opts.note === undefined ? '' : ` (${opts.note})`}`],
        intent: memory?.value.history.at(-1)?.topic ?? null,
        sentiment: memory?.value.sentiment ?? [],
        collected: memory?.value.collected ?? {},
        customer: null,
        authenticated: memory?.value.authenticated ?? false,
        steps: memory?.value.steps ?? [],
        transcript,
        summary: `${agent} took over the conversation from the bot.`,
        queue,
        priority: 0,
        slaDeadline: at,
        requestedAt: at,
        channel: memory?.value.channel ?? opts.route,
        locale: memory?.value.locale ?? this.opts.manifest.defaultLocale,
        turn: memory?.value.turn ?? 0,
      });
    }
    await this.afterCommit(id, after, {
      at,
      line: { name: 'handoff.takeover', agentId: agent, note: opts.note ?? null },
      count: () => this.opts.metrics?.count({ humanContacts: 1 }),
      event: (handoff) => ({ type: 'handoff.accepted', conversationId: id, at, handoffId: handoff, agentId: agent }),
    });
    return after;
  }

  /**
   * A live message from the agent to the customer, through the customer's own channel. The line is
   * written to the transcript only while the state the agent is checked against is still current
   * (a guarded append), so it can never follow the resolution, a transfer or a return to the bot;
   * the relay message carries the handoff and the agent, and delivery drops it when the agent no
   * longer owns the chat by then (see `attachAgentDelivery`).
   */
  async sendAgentMessage(
    id: ConversationId,
    agent: AgentId,
    text: string,
    agentName: string = agent,
    /** Files the agent sends with it (already kept by `AgentFiles`): the channel sends them, `text` is their caption. */
    files: readonly { readonly contentType: string; readonly name: string; readonly url: string }[] = [],
  ): Promise<void> {
    // the agent's line says what was sent; the relay carries the caption and the files' references
    const line = files.length === 0 ? text : `${files.map((f) => `📎 ${f.name}`).join(', ')}${text === '' ? '' : `: ${text}`}`;
    const attachments = files.map((f) => ({ contentType: f.contentType, name: f.name, url: f.url }));
    for (let attempt = 0; attempt < 5; attempt++) {
      const s = await this.opts.stores.handoffs.get(id);
      if (s.status !== 'assigned') throw new HandoverError('HANDOVER_ERR_NOT_IN_STATE', `conversation ${id} is ${s.status}, not with an agent`);
      if (s.agentId !== agent) throw new HandoverError('HANDOVER_ERR_NOT_ASSIGNED_TO_AGENT', `conversation ${id} is owned by ${s.agentId}`);
      const at = this.opts.clock.now();
      const written = await this.opts.stores.handoffs.appendTranscriptIf(id, s.version, [
        { at, from: 'agent', type: 'message', text: line, meta: { agentId: agent, agentName, ...(files.length === 0 ? {} : { attachments: attachments.map((a) => ({ ...a, url: null })) }) } },
      ]);
      if (!written.ok) continue; // the state moved since the read: check again on the fresh one
      await this.opts.stores.relay.send(s.channel ?? 'default', {
        conversationId: id,
        kind: 'agent_message',
        text,
        agentId: agent,
        agentName,
        at,
        id: this.newId(),
        ...(s.handoffId === null && files.length === 0 ? {} : { meta: { ...(s.handoffId === null ? {} : { handoffId: s.handoffId }), ...(files.length === 0 ? {} : { attachments }) } }),
      });
      await this.opts.stores.events.publish({ type: 'agent.message', conversationId: id, at, agentId: agent, text: line });
      return;
    }
    throw new HandoverError('HANDOVER_ERR_STATE_CONFLICT', `conversation ${id} kept changing; try again`);
  }

  /**
   * Move a conversation to another queue; the 2nd transfer without resolution goes to `senior`.
   * Idempotent and linearisable when the caller says what it saw: with `idempotencyKey`, a repeat
   * of an applied transfer (a double click, a client's retry) changes nothing and returns the
   * current state; with `expectedVersion`, a conversation that changed since is refused with
   * `HANDOVER_ERR_STATE_CONFLICT` (reload and decide again). Both are checked against the very
   * state the compare-and-set replaces.
   */
  async transfer(
    id: ConversationId,
    toQueue: string,
    opts: { agentId?: AgentId; note?: string; expectedVersion?: number; idempotencyKey?: string } = {},
  ): Promise<HandoffState> {
    const t = this.opts.manifest.policy.transfers;
    const command: HandoffCommand = {
      type: 'transfer',
      queue: queueId(toQueue),
      slaMs: this.slaMs(toQueue),
      seniorQueue: queueId(t.seniorQueue),
      seniorSlaMs: this.slaMs(t.seniorQueue),
      maxTransfers: t.maxBeforeSenior,
      seniorPriority: priorityOf(this.opts.manifest.policy, 'repeated_transfer'),
      ...(opts.expectedVersion === undefined ? {} : { expectedVersion: opts.expectedVersion }),
      ...(opts.idempotencyKey === undefined ? {} : { idempotencyKey: opts.idempotencyKey }),
    };
    let done: { before: HandoffState; after: HandoffState } | undefined;
    for (let attempt = 0; attempt < 5 && done === undefined; attempt++) {
      const before = await this.opts.stores.handoffs.get(id);
      const r = transition(before, command, this.opts.clock.now());
      if (!r.ok && r.code === 'ALREADY_DONE') return before; // the same transfer again: nothing to do
      if (opts.agentId !== undefined && before.status === 'assigned' && before.agentId !== opts.agentId) {
        throw new HandoverError('HANDOVER_ERR_NOT_ASSIGNED_TO_AGENT', `conversation ${id} is owned by ${before.agentId}`);
      }
      if (!r.ok) {
        if (before.version === 0) throw new HandoverError('HANDOVER_ERR_UNKNOWN_CONVERSATION', `no handoff for conversation ${id}`);
        throw refusal(r.code, r.message, id);
      }
      const c = await this.opts.stores.handoffs.commit(id, before.version, r.state);
      if (c.ok) done = { before, after: c.state };
      // lost a race: decide again on the fresh state (a stale expectedVersion or a used key is refused there)
    }
    if (done === undefined) throw new HandoverError('HANDOVER_ERR_STATE_CONFLICT', `conversation ${id} kept changing; try again`);
    const { before, after: state } = done;
    const at = this.opts.clock.now();
    await this.afterCommit(id, state, {
      at,
      line: { name: 'handoff.transferred', from: before.queue, to: state.queue, note: opts.note ?? null, reason: state.reason },
      event: (handoff) => ({
        type: 'handoff.transferred',
        conversationId: id,
        at,
        handoffId: handoff,
        from: before.queue ?? queueId(''),
        to: state.queue ?? queueId(toQueue),
        reason: state.reason ?? 'customer_request',
        ...(opts.note === undefined ? {} : { note: opts.note }),
      }),
      // the customer hears where they are going and for how long (the widget stops naming the agent)
      tell: async () => {
        if (state.status !== 'queued') return;
        const ahead = state.queue === null ? null : await this.placeInQueue(state.queue, id);
        const wait = state.queue === null ? 0 : await this.expectedWaitMs(state.queue, ahead ?? undefined);
        await this.tellCustomer(state, id, 'handoff.transferred', (locale) => ({ queue: this.queueLabel(locale, state.queue), wait: this.waitText(locale, wait) }), 'handoff_status', {
          state: 'queued',
          queue: state.queue,
          reason: state.reason,
        });
      },
    });
    return state;
  }

  /** The queue's name as customers read it in their language. @example service.queueLabel('pt-BR', 'billing') */
  queueLabel(locale: string, queue: string | null): string {
    return queue === null ? '' : this.opts.texts.render(locale, `queue.${queue}`);
  }

  /** "Someone will be with you shortly." or "The expected wait is about N minutes.", in the customer's language. @example service.waitText('en', 240_000) */
  waitText(locale: string, waitMs: number): string {
    const minutes = Math.ceil(waitMs / 60_000);
    return minutes <= 1 ? this.opts.texts.render(locale, 'handoff.wait_soon') : this.opts.texts.render(locale, 'handoff.wait_minutes', { minutes });
  }

  /** The agent solved it; the bot owns the chat again for whatever comes next. */
  async resolve(id: ConversationId, agent: AgentId, agentName: string = agent): Promise<HandoffState> {
    const { after } = await this.apply(id, () => ({ type: 'resolve', agentId: agent }), 'retry');
    // the console's history index (never throws: the resolution is committed)
    await recordClosedHandoff(this.opts.stores, id, after, 'resolved');
    const at = this.opts.clock.now();
    await this.afterCommit(id, after, {
      at,
      line: { name: 'handoff.resolved', agentId: agent },
      tell: async () => {
        await this.tellCustomer(after, id, 'handoff.resolved', { agent: agentName }, 'handoff_status', { state: 'completed' });
        await this.tellCustomer(after, id, 'handoff.csat_question', {}, 'system_message', { csat: true });
      },
      count: () => this.opts.metrics?.count({ resolvedByAgent: 1 }, after.queue === null ? {} : { queue: after.queue }),
      event: (handoff) => ({ type: 'handoff.resolved', conversationId: id, at, handoffId: handoff, agentId: agent }),
    });
    return after;
  }

  /** Back to the bot, with what the agent settled kept so the bot does not ask again. */
  async returnToBot(id: ConversationId, agent: AgentId, settled: { collected?: Record<string, unknown>; note?: string } = {}): Promise<HandoffState> {
    const digest = { agentId: agent, collected: settled.collected ?? {}, ...(settled.note === undefined ? {} : { note: settled.note }) };
    const { after } = await this.apply(id, () => ({ type: 'return', digest }), 'retry');
    await recordClosedHandoff(this.opts.stores, id, after, 'returned');
    const at = this.opts.clock.now();
    await this.afterCommit(id, after, {
      at,
      line: { name: 'handoff.returned', agentId: agent, collected: digest.collected },
      tell: () => this.tellCustomer(after, id, 'handoff.returned', {}, 'handoff_status', { state: 'returned' }),
      count: () => this.opts.metrics?.count({ returnedToBot: 1 }),
      event: (handoff) => ({ type: 'handoff.returned', conversationId: id, at, handoffId: handoff, agentId: agent }),
    });
    return after;
  }

  /** Book a callback: the conversation leaves its queue until `at`, then re-enters with priority. */
  async schedule(id: ConversationId, at: number): Promise<HandoffState> {
    const { after } = await this.apply(id, () => ({ type: 'schedule', at }), 'retry');
    const now = this.opts.clock.now();
    await this.afterCommit(id, after, {
      at: now,
      line: { name: 'handoff.callback_scheduled', callbackAt: at },
      count: () => this.opts.metrics?.count({ callbacksBooked: 1 }),
      event: (handoff) => ({ type: 'handoff.callback_scheduled', conversationId: id, at: now, handoffId: handoff, queue: after.queue ?? queueId(''), callbackAt: at }),
    });
    return after;
  }

  /**
   * A system message to the customer, in their language, on their channel (the transcript keeps
   * it): `vars` gets the conversation's locale, for times and numbers written the customer's way.
   */
  async notifyCustomer(id: ConversationId, key: string, vars: (locale: string) => Record<string, unknown>, meta: Record<string, unknown> = {}): Promise<void> {
    const [s, memory] = await Promise.all([this.opts.stores.handoffs.get(id), readMemory(this.opts.stores.documents, id)]);
    const locale = memory?.value.locale ?? this.opts.manifest.defaultLocale;
    await this.tellCustomer(s, id, key, vars(locale), 'system_message', meta);
  }

  /**
   * SLA watch: every queued handoff past its deadline gets its priority raised once per SLA period,
   * and every booked callback whose time has come re-enters its queue with the callbacks' priority.
   * Safe with many processes: the compare-and-set lets exactly one act on each. Then the
   * extensions' sweeps (callbacks: moved bookings, missed callbacks) run; the first failure is
   * thrown after every sweep ran.
   */
  async escalateDue(limit = 100): Promise<number> {
    const escalated = await this.escalateDueOnly(limit);
    const results = await Promise.allSettled(this.extensions.map((e) => e.sweep?.()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return escalated;
  }

  private async escalateDueOnly(limit: number): Promise<number> {
    const now = this.opts.clock.now();
    const due = await this.opts.stores.handoffs.dueDeadlines(now, limit);
    let escalated = 0;
    for (const id of due) {
      const s = await this.opts.stores.handoffs.get(id);
      if (s.status === 'scheduled' && s.queue !== null && s.slaDeadline !== null && s.slaDeadline <= now) {
        const r = transition(s, { type: 'callbackDue', priority: this.opts.manifest.callbacks.priority, slaMs: this.slaMs(s.queue) }, now);
        if (!r.ok) continue;
        const c = await this.opts.stores.handoffs.commit(id, s.version, r.state);
        if (!c.ok) continue;
        escalated++;
        await this.opts.stores.events.publish({ type: 'handoff.callback_due', conversationId: id, at: now, handoffId: s.handoffId, queue: s.queue, priority: c.state.priority });
        continue;
      }
      if (s.status !== 'queued' || s.slaDeadline === null || s.slaDeadline > now || s.queue === null) continue;
      const r = transition(s, { type: 'escalate', priorityBoost: this.opts.manifest.policy.sla.escalationPriorityBoost, slaMs: this.slaMs(s.queue) }, now);
      if (!r.ok) continue;
      const c = await this.opts.stores.handoffs.commit(id, s.version, r.state);
      if (!c.ok) continue; // another process escalated it first
      escalated++;
      this.opts.metrics?.count({ slaEscalations: 1 }, { queue: s.queue });
      await this.opts.stores.events.publish({ type: 'handoff.escalated', conversationId: id, at: now, handoffId: s.handoffId, queue: s.queue, priority: c.state.priority });
      // each breach (every SLA period while nobody takes it): the waiting customer hears where they stand
      await this.tellWaiting(id, c.state).catch(() => undefined);
    }
    return escalated;
  }

  /** How many wait ahead of `id` in `queue` (null: it does not wait there). */
  private async placeInQueue(queue: QueueId, id: ConversationId): Promise<number | null> {
    const store = this.opts.stores.handoffs;
    if (store.queuePosition !== undefined) return store.queuePosition(queue, id);
    const i = (await store.listQueue(queue)).findIndex((e) => e.conversationId === id);
    return i < 0 ? null : i;
  }

  /** "Sorry for the wait: you're still in line …, number N. The expected wait is about M minutes." */
  private async tellWaiting(id: ConversationId, s: HandoffState): Promise<void> {
    const queue = s.queue;
    if (queue === null) return;
    const index = await this.placeInQueue(queue, id);
    if (index === null) return;
    const wait = await this.expectedWaitMs(queue, index);
    await this.tellCustomer(s, id, 'handoff.still_waiting', (locale) => ({ queue: this.queueLabel(locale, queue), position: index + 1, wait: this.waitText(locale, wait) }), 'system_message', {
      waiting: true,
      position: index + 1,
    });
  }

  /**
   * What follows every committed transition, in one place and one order: its transcript line, what
   * the customer is told, the count, and the agents' event. The transition is committed whatever
   * happens here, so each step runs even when an earlier one failed (a failure goes to `onError`),
   * and the event is never skipped: a console or a webhook that missed it would show a stale queue.
   */
  private async afterCommit(
    id: ConversationId,
    state: HandoffState,
    t: {
      readonly at: number;
      readonly line: Readonly<Record<string, unknown>> & { readonly name: string };
      readonly tell?: () => Promise<void>;
      readonly count?: () => void;
      readonly event: (handoff: HandoffId) => DomainEvent;
    },
  ): Promise<void> {
    const step = async (where: string, run: () => unknown): Promise<void> => {
      try {
        await run();
      } catch (e) {
        this.reportError(e, `${t.line.name}: ${where}`);
      }
    };
    await step('transcript line', () => this.opts.stores.transcripts.append(id, { at: t.at, from: 'system', type: 'event', meta: { ...t.line } }));
    if (t.tell !== undefined) await step('tell the customer', t.tell);
    if (t.count !== undefined) await step('count', t.count);
    const handoff = state.handoffId;
    if (handoff === null) {
      this.reportError(new HandoverError('HANDOVER_ERR_INTERNAL', `${t.line.name} committed a state without a handoff id for ${id}`), `${t.line.name}: event`);
      return;
    }
    await step('publish the event', () => this.opts.stores.events.publish(t.event(handoff)));
  }

  private reportError(error: unknown, where: string): void {
    if (this.opts.onError !== undefined) {
      try {
        this.opts.onError(error, where);
      } catch {
        // a faulty hook must not undo a committed transition either
      }
      return;
    }
    process.emitWarning(`handover: ${where} failed after the transition was committed: ${error instanceof Error ? error.message : String(error)}`, 'HandoverWarning');
  }

  private async tellCustomer(
    s: HandoffState,
    id: ConversationId,
    key: string,
    vars: Record<string, unknown> | ((locale: string) => Record<string, unknown>),
    kind: 'system_message' | 'handoff_status',
    meta: Record<string, unknown>,
  ): Promise<void> {
    const memory = await readMemory(this.opts.stores.documents, id);
    const locale = memory?.value.locale ?? this.opts.manifest.defaultLocale;
    const text = this.opts.texts.render(locale, key, typeof vars === 'function' ? vars(locale) : vars);
    const at = this.opts.clock.now();
    await this.opts.stores.transcripts.append(id, { at, from: 'system', type: 'message', text });
    await this.opts.stores.relay.send(s.channel ?? 'default', { conversationId: id, kind, text, at, id: this.newId(), meta });
  }
}

/** A refused transition as the error the caller branches on (each maps to one HTTP status at the edge). */
function refusal(code: TransitionCode, message: string, id: ConversationId): HandoverError {
  switch (code) {
    case 'NOT_ASSIGNED_TO_AGENT':
      return new HandoverError('HANDOVER_ERR_NOT_ASSIGNED_TO_AGENT', message);
    case 'QUEUE_NOT_ALLOWED':
      return new HandoverError('HANDOVER_ERR_FORBIDDEN', `conversation ${id}: ${message}`);
    case 'VERSION_CHANGED':
      return new HandoverError('HANDOVER_ERR_STATE_CONFLICT', `conversation ${id}: ${message}`);
    case 'ALREADY_DONE':
    case 'NOT_IN_STATE':
      return new HandoverError('HANDOVER_ERR_NOT_IN_STATE', message);
  }
}
