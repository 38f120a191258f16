/**
 * What the middleware does around a person's part of the conversation, before the bot runs again:
 * folds a finished handoff into the conversation's memory once (a new episode starts: what the
 * agent settled is kept, the signal history, steps and mood start over), takes the customer's 1–5
 * answer to the satisfaction question after a resolution, and books the callback a queued customer
 * said yes to.
 *
 * @example
 * const after = new AfterHandoff(kit, service, callbacks);
 * const resumed = startEpisodeAfter(memory, state, now);
 * if (await after.takeSatisfactionAnswer(context, id, memory, eTag, now)) return;
 */
import type { TurnContext } from 'botbuilder';
import type { HandoffState } from '../core/handoff-state.js';
import type { ConversationId } from '../core/ids.js';
import type { CallbackService } from '../handoff/callback-service.js';
import { formatSlot } from '../handoff/callback-slots.js';
import { memoryKey, type ConversationMemory } from '../handoff/conversation-memory.js';
import type { MiddlewareKit } from './middleware-kit.js';

/** A 1–5 answer to the satisfaction question (a digit, optionally with a word or a star). */
const CSAT_ANSWER = /^\s*([1-5])\s*(\/\s*5|stars?|estrelas?|estrellas?|⭐)?\s*[.!]*\s*$/i;

/** A customer's yes to a callback offer ("1", "yes", "sim", "sí", …). */
const ACCEPTS_OFFER = /^\s*(1|yes|yeah|yep|ok|okay|sure|please|book it|sim|pode ser|claro|s[ií]|vale|de acuerdo)\s*[.!]*\s*$/i;

/**
 * Fold a finished handoff (resolved or returned) into memory once: keep what the agent settled,
 * start a new episode (history, fallbacks, entity requests, steps and mood start over, so the next
 * briefing tells only this episode). True when this turn is the first after it.
 *
 * @example
 * if (startEpisodeAfter(memory, state, clock.now())) view.resumedFromAgent = true;
 */
export function startEpisodeAfter(memory: ConversationMemory, state: HandoffState, now: number): boolean {
  if ((state.status !== 'resolved' && state.status !== 'returned') || state.handoffId === null) return false;
  if (memory.settledHandoff === state.handoffId) return false;
  memory.settledHandoff = state.handoffId;
  memory.history = [];
  memory.fallbacks = 0;
  memory.entityRequests = {};
  memory.steps = [];
  memory.sentiment = [];
  memory.lastProgressAt = now;
  if (state.status === 'returned' && state.returnDigest !== null) Object.assign(memory.collected, state.returnDigest.collected);
  memory.csatPending = state.status === 'resolved' ? state.handoffId : null;
  return true;
}

export class AfterHandoff {
  constructor(
    private readonly kit: MiddlewareKit,
    private readonly callbacks: CallbackService,
  ) {}

  /** After an agent resolved: a 1–5 answer is the customer's rating, recorded and thanked, not a bot turn. */
  async takeSatisfactionAnswer(context: TurnContext, id: ConversationId, memory: ConversationMemory, eTag: string | undefined, now: number): Promise<boolean> {
    if (memory.csatPending === undefined || memory.csatPending === null) return false;
    memory.csatPending = null;
    const answer = CSAT_ANSWER.exec(context.activity.text ?? '');
    if (answer?.[1] === undefined) return false;
    const score = Number(answer[1]);
    const { kit } = this;
    kit.opts.metrics?.count({ csatResponses: 1, csatTotal: score });
    await kit.record(id, { at: now, from: 'system', type: 'event', meta: { name: 'csat.recorded', score } });
    await kit.say(context, id, kit.opts.texts.render(memory.locale, 'handoff.csat_thanks'));
    await kit.saveMemory(id, memory, eTag);
    return true;
  }

  /**
   * A queued customer's yes to the callback offer: book it (capacity-checked) and confirm, or
   * offer the next free time when the slot filled meanwhile. False when this is not such an answer.
   */
  async takeOffer(context: TurnContext, id: ConversationId, state: HandoffState): Promise<boolean> {
    if (state.status !== 'queued' || !ACCEPTS_OFFER.test(context.activity.text ?? '')) return false;
    const { kit } = this;
    let doc;
    try {
      doc = await kit.opts.stores.documents.read<ConversationMemory>(memoryKey(id));
    } catch (e) {
      kit.report(e, 'read conversation memory');
      return false;
    }
    const memory = doc?.value;
    const offer = memory?.callbackOffer;
    if (memory === undefined || offer === undefined || offer === null || offer.handoffId !== state.handoffId) return false;
    try {
      const r = await this.callbacks.book(id, offer.queue, offer.start);
      if (r.ok) {
        memory.callbackOffer = null;
        await kit.say(context, id, kit.opts.texts.render(memory.locale, 'handoff.callback_booked', { time: this.slotText(r.at, memory.locale) }));
      } else if (r.next !== null) {
        memory.callbackOffer = { ...offer, start: r.next.start };
        await kit.say(context, id, kit.opts.texts.render(memory.locale, 'handoff.callback_full', { time: this.slotText(r.next.start, memory.locale) }));
      } else {
        memory.callbackOffer = null;
        return false;
      }
      await kit.saveMemory(id, memory, doc?.eTag);
      return true;
    } catch (e) {
      kit.report(e, 'book callback');
      return false;
    }
  }

  /** A callback time in the customer's words and the callbacks' time zone. */
  slotText(start: number, locale: string): string {
    return formatSlot(start, this.kit.clock.now(), locale, this.kit.opts.manifest.callbacks.timezone);
  }
}
