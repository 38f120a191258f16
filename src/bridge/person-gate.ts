/**
 * The ownership gate's other side: while a person owns the conversation (queued, or with an
 * agent), the bot stays silent for every activity type and the customer's messages go to the
 * agents (`customer.message` events, with their files); a queued customer's yes to a callback offer
 * books it instead.
 *
 * @example
 * if (isWithHuman(state)) return gate.pass(context, id, state, now);
 */
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { HandoffState } from '../core/handoff-state.js';
import type { ConversationId } from '../core/ids.js';
import type { AfterHandoff } from './after-handoff.js';
import { burstOf } from './burst-window.js';
import type { MiddlewareKit } from './middleware-kit.js';
import { inboundDetails } from './transcript-lines.js';

export class PersonGate {
  constructor(
    private readonly kit: MiddlewareKit,
    private readonly after: AfterHandoff,
  ) {}

  async pass(context: TurnContext, id: ConversationId, state: HandoffState, now: number): Promise<void> {
    const activity = context.activity;
    if (activity.type !== ActivityTypes.Message) return;
    if (await this.after.takeOffer(context, id, state)) return;
    // a photo or a voice note is shown live too (a burst's files are in the transcript)
    const files = inboundDetails(activity).meta?.['attachments'] as { contentType: string; name: string | null; url: string | null }[] | undefined;
    // a burst a person took over during its window: each of its messages, in order
    const burst = burstOf(context)?.messages;
    for (const m of burst ?? [{ at: now, text: activity.text ?? '' }]) {
      await this.kit.opts.stores.events
        .publish({ type: 'customer.message', conversationId: id, at: m.at, text: m.text, activityType: activity.type, ...(burst === undefined && files !== undefined ? { attachments: files } : {}) })
        .catch((e: unknown) => this.kit.report(e, 'publish customer.message'));
    }
  }
}
