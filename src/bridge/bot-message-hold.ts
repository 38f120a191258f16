/**
 * The bot's messages of one customer turn, held only as long as a handoff could replace them.
 *
 * A handoff drops the bot's re-prompts, prompts and "I didn't understand" (`DROPPED_ON_HANDOFF`)
 * and says the handoff notice instead, and the policy decides only once the bot's turn is over. So
 * messages go out at once — with the ids the channel gives them — until the bot sends one a
 * handoff would drop; from then on the turn's messages are held, in order, and `release` sends
 * them (minus the dropped ones when a person takes over, then the notice and `handoff.initiate`).
 * A "Working on it…" before a slow call reaches the customer at once. Typing, events and the like
 * always go straight out. A held message gets an id at once; the bot may `updateActivity` or
 * `deleteActivity` it before it is sent (the held copy is changed or removed), and it is sent
 * with that id.
 *
 * @example
 * const hold = new BotMessageHold(kit, context, id);
 * await next();
 * await hold.release(handoff); // handoff: { packet, notice } or null
 */
import { ActivityTypes, EventFactory, type Activity, type ResourceResponse, type TurnContext } from 'botbuilder';
import { keepsDeskEventsPrivate } from '../core/desk-events.js';
import type { HandoffPacket } from '../core/conversation.js';
import type { ConversationId } from '../core/ids.js';
import { Redactor } from '../core/redact.js';
import type { MiddlewareKit } from './middleware-kit.js';
import { botEntry, droppedOnHandoff, isMessage, transcriptActivity } from './transcript-lines.js';

/** What a handoff puts in place of the dropped messages. */
export interface HandoffOutgoing {
  readonly packet: HandoffPacket | null;
  readonly notice: string;
}

export class BotMessageHold {
  private readonly held: Partial<Activity>[] = [];
  /** The texts of the messages sent at once this turn (before anything was held). */
  private readonly sentTexts: string[] = [];
  private releasing = false;
  /** The ids the channel gave released messages, by the id the bot was told while they waited. */
  private readonly channelIds = new Map<string, string>();

  constructor(
    private readonly kit: MiddlewareKit,
    private readonly context: TurnContext,
    private readonly id: ConversationId,
    private readonly redactor: Redactor,
  ) {
    context.onSendActivities(async (_ctx, activities, nextSend) => {
      if (this.releasing) return nextSend();
      const holding = this.held.length > 0 || activities.some(droppedOnHandoff);
      if (!holding) {
        await kit.record(id, ...activities.filter((a) => a.type !== 'trace').map((a) => botEntry(a, kit.clock.now())));
        for (const a of activities) if (isMessage(a)) this.sentTexts.push(a.text ?? '');
        return nextSend();
      }
      // the messages wait; typing and events around them still go out now (they replace nothing):
      // botbuilder sends the very array this handler is given, so it keeps only those
      const all = [...activities];
      const later = all.filter(isMessage);
      for (const a of later) a.id = kit.newId();
      this.held.push(...later);
      activities.splice(0, activities.length, ...all.filter((a) => !isMessage(a)));
      const real = new Map<Partial<Activity>, ResourceResponse>();
      if (activities.length > 0) {
        await kit.record(id, ...activities.filter((a) => a.type !== 'trace').map((a) => botEntry(a, kit.clock.now())));
        const responses = await nextSend();
        activities.forEach((a, i) => {
          const r = responses[i];
          if (r !== undefined) real.set(a, r);
        });
      }
      return all.map((a) => real.get(a) ?? { id: a.id ?? '' });
    });
    // a held message is changed or removed where it waits; once sent, its id becomes the channel's
    context.onUpdateActivity(async (_ctx, activity, next) => {
      const i = this.held.findIndex((a) => a.id === activity.id);
      if (!this.releasing && i >= 0) {
        this.held[i] = { ...this.held[i], ...activity };
        return;
      }
      activity.id = this.channelIds.get(activity.id ?? '') ?? activity.id;
      return next();
    });
    context.onDeleteActivity(async (_ctx, reference, next) => {
      const i = this.held.findIndex((a) => a.id === reference.activityId);
      if (!this.releasing && i >= 0) {
        this.held.splice(i, 1);
        return;
      }
      reference.activityId = this.channelIds.get(reference.activityId ?? '') ?? reference.activityId;
      return next();
    });
  }

  /** The texts of the bot's messages this turn, sent and held, in order. */
  texts(): string[] {
    return [...this.sentTexts, ...this.held.map((a) => a.text ?? '')];
  }

  /** Held messages a handoff keeps (for the briefing's transcript: they will be sent). */
  keptOnHandoff(): Partial<Activity>[] {
    return this.held.filter((a) => !droppedOnHandoff(a));
  }

  /** True when a handoff now would drop something the bot said this turn (the customer never sees it). */
  get dropsOnHandoff(): boolean {
    return this.held.some(droppedOnHandoff);
  }

  /** Send what is held (minus what a handoff replaces), then the notice and `handoff.initiate`. */
  async release(handoff: HandoffOutgoing | null): Promise<void> {
    this.releasing = true;
    const { kit, context, id } = this;
    const outgoing = handoff?.packet ? this.keptOnHandoff() : [...this.held];
    if (handoff !== null) outgoing.push({ type: ActivityTypes.Message, text: handoff.notice, channelData: { handover: { kind: 'handoff' } } });
    const at = kit.clock.now();
    await kit.record(id, ...outgoing.map((a) => botEntry(a, at)));
    try {
      if (outgoing.length > 0) {
        const responses = await context.sendActivities(outgoing);
        outgoing.forEach((a, i) => {
          const real = responses[i]?.id;
          if (a.id !== undefined && real !== undefined && real !== '') this.channelIds.set(a.id, real);
        });
      }
      if (handoff?.packet) await this.initiate(handoff.packet);
    } catch (e) {
      kit.report(e, 'send bot activities');
    }
  }

  /** botbuilder's `handoff.initiate` (briefing and transcript, masked) where the options say. */
  private async initiate(raw: HandoffPacket): Promise<void> {
    const { context } = this;
    // what leaves for an external desk is masked like what is stored (docs/operations.md, "Personal data")
    const packet = this.redactor.packet(raw);
    const transcript = { activities: packet.transcript.map((e) => transcriptActivity(e, context.activity)) };
    const event = EventFactory.createHandoffInitiation(context, packet, transcript as never);
    const where = this.kit.opts.initiate ?? (keepsDeskEventsPrivate(context.adapter) ? 'turn' : 'none');
    if (where === 'turn') await context.sendActivity(event);
    else if (typeof where === 'function') await where(event, context);
  }
}
