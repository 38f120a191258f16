/**
 * The policy said "hand off": queue the conversation with its briefing and word the customer's
 * notice (the queue by its label, the expected wait, and a callback time when the wait is long).
 * A store failure queues nothing and gives the "technical problem" notice.
 *
 * @example
 * const out = await requester.request({ context, id, current: state, memory, signals, decision, customer, keptBotMessages, now });
 * await hold.release(out);
 */
import type { Activity, TurnContext } from 'botbuilder';
import type { CustomerProfile, HandoffPacket, TurnSignals } from '../core/conversation.js';
import type { HandoffState } from '../core/handoff-state.js';
import type { ConversationId } from '../core/ids.js';
import type { Decision } from '../policy/evaluate.js';
import type { ConversationMemory } from '../handoff/conversation-memory.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import type { CallbackService } from '../handoff/callback-service.js';
import { buildBriefing } from './briefing.js';
import type { MiddlewareKit } from './middleware-kit.js';
import { botEntry } from './transcript-lines.js';

/** One handoff to request (the turn that decided it). */
export interface HandoffRequest {
  readonly context: TurnContext;
  readonly id: ConversationId;
  readonly current: HandoffState;
  readonly memory: ConversationMemory;
  readonly signals: TurnSignals;
  readonly decision: Decision;
  readonly customer: CustomerProfile | null;
  /** The bot's messages of this turn that will still be sent (they belong in the briefing's transcript). */
  readonly keptBotMessages: readonly Partial<Activity>[];
  readonly now: number;
}

/** What the customer is told, the packet queued (null when queuing failed) and the agents' notice. */
export interface HandoffOutcome {
  readonly packet: HandoffPacket | null;
  readonly notice: string;
  readonly announced?: Promise<void>;
}

export class HandoffRequester {
  constructor(
    private readonly kit: MiddlewareKit,
    private readonly service: HandoffService,
    private readonly callbacks: CallbackService,
    private readonly slotText: (start: number, locale: string) => string,
  ) {}

  async request(r: HandoffRequest): Promise<HandoffOutcome> {
    const { kit } = this;
    const { opts } = kit;
    const { memory, decision, context } = r;
    const queue = decision.queue ?? opts.manifest.policy.defaultQueue;
    const reason = decision.reason ?? 'customer_request';
    const activity = context.activity;
    try {
      const [stored, wait] = await Promise.all([opts.stores.transcripts.read(r.id), this.service.expectedWaitMs(queue)]);
      const transcript = [...stored, ...r.keptBotMessages.map((a) => botEntry(a, r.now))];
      const queued = await this.service.request({
        conversationId: r.id,
        reason,
        queue,
        priority: decision.priority,
        route: opts.route?.(activity) ?? activity.channelId ?? 'default',
        packet: (q) => buildBriefing({ id: r.id, memory, signals: r.signals, decision, customer: r.customer, transcript, queued: q, channel: activity.channelId ?? 'unknown' }),
        current: r.current,
      });
      const slaMs = (opts.manifest.queues[queue]?.slaSeconds ?? Infinity) * 1000;
      opts.metrics?.count(
        {
          handoffs: 1,
          byReason: { [reason]: 1 },
          handoffsOverflowed: wait > slaMs ? 1 : 0,
          conversationsHandedOff: memory.handedOff === true ? 0 : 1,
        },
        { queue, reason },
      );
      memory.handedOff = true;
      let notice = opts.texts.render(memory.locale, 'handoff.notice', { queue: this.service.queueLabel(memory.locale, queue), wait: this.service.waitText(memory.locale, wait) });
      memory.callbackOffer = null;
      if (this.callbacks.worthOffering(wait) && queued.state.handoffId !== null) {
        // a long wait: offer a specific time that the queue's capacity can honour
        const slot = await this.callbacks.offer(queue, wait);
        if (slot !== null) {
          memory.callbackOffer = { handoffId: queued.state.handoffId, queue, start: slot.start };
          notice = `${notice} ${opts.texts.render(memory.locale, 'handoff.callback_offer', { time: this.slotText(slot.start, memory.locale) })}`;
        }
      }
      return { packet: queued.packet, notice, announced: queued.announced };
    } catch (e) {
      kit.report(e, 'request handoff');
      return { packet: null, notice: opts.texts.render(memory.locale, 'handoff.store_trouble') };
    }
  }
}
