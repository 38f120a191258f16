/**
 * A botbuilder `BotAdapter` with no network: activities go in through `receive`, everything the
 * bot sends is collected. `simulate`, the benchmark and the integration tests use it, so they run
 * the real middleware pipeline exactly as a channel does.
 *
 * @example
 * const adapter = new SimAdapter('webchat'); adapter.use(middleware);
 * const replies = await adapter.receive({ conversationId: 'c1', userId: 'u1', text: 'hi' }, (ctx) => bot.run(ctx));
 */
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { PROACTIVE_KEY } from '../../bridge/handoff-middleware.js';
import { NO_BURSTS_KEY } from '../../bridge/burst-window.js';
import { KEEPS_DESK_EVENTS_PRIVATE } from '../../core/desk-events.js';

/** This turn's replies, when the adapter does not keep them (`keepSent: false`). */
const REPLIES_KEY = Symbol('sim.replies');

export class SimAdapter extends BotAdapter {
  /** Desk events (`handoff.initiate`) never reach the customer here: the middleware may send them into the turn. */
  readonly [KEEPS_DESK_EVENTS_PRIVATE] = true;
  /** Every activity sent, per conversation id, in order (empty with `keepSent: false`). */
  readonly sent = new Map<string, Partial<Activity>[]>();
  private seq = 0;
  private readonly keepSent: boolean;
  private readonly bursts: boolean;

  /**
   * @param opts.keepSent keep what was sent in `sent` (default true). Load generators turn it off:
   *   a conversation's replies would otherwise live for its whole length, a cost no real channel has.
   * @param opts.bursts let the manifest's burst windows apply (default false: every `receive` is
   *   answered within it, as tests and the terminal demo expect; simulate turns them on).
   */
  constructor(
    readonly channelId: string = 'sim',
    opts: { keepSent?: boolean; bursts?: boolean } = {},
  ) {
    super();
    this.keepSent = opts.keepSent ?? true;
    this.bursts = opts.bursts ?? false;
  }

  async receive(
    input: { conversationId: string; userId: string; text?: string; type?: string; locale?: string; name?: string; timestamp?: Date },
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<Partial<Activity>[]> {
    const before = this.sent.get(input.conversationId)?.length ?? 0;
    const replies: Partial<Activity>[] = [];
    const activity = {
      type: input.type ?? ActivityTypes.Message,
      id: `in-${++this.seq}`,
      channelId: this.channelId,
      serviceUrl: 'sim://',
      conversation: { id: input.conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: input.userId, name: input.userId, role: 'user' },
      recipient: { id: 'bot', name: 'bot', role: 'bot' },
      timestamp: input.timestamp ?? new Date(),
      ...(input.text === undefined ? {} : { text: input.text }),
      ...(input.locale === undefined ? {} : { locale: input.locale }),
      ...(input.name === undefined ? {} : { name: input.name }),
    } as Activity;
    const context = new TurnContext(this, activity);
    context.turnState.set(REPLIES_KEY, replies);
    if (!this.bursts) context.turnState.set(NO_BURSTS_KEY, true);
    await this.runMiddleware(context, logic);
    return this.keepSent ? (this.sent.get(input.conversationId) ?? []).slice(before) : replies;
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const out: ResourceResponse[] = [];
    for (const a of activities) {
      if (a.type === 'trace') continue;
      if (a.type === 'delay') continue; // no sleeping in simulation
      if (this.keepSent) {
        const conv = a.conversation?.id ?? context.activity.conversation.id;
        let list = this.sent.get(conv);
        if (list === undefined) this.sent.set(conv, (list = []));
        list.push(a);
      } else (context.turnState.get(REPLIES_KEY) as Partial<Activity>[] | undefined)?.push(a);
      out.push({ id: a.id ?? `out-${++this.seq}` });
    }
    return out;
  }

  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    const context = new TurnContext(this, activity as Activity);
    context.turnState.set(PROACTIVE_KEY, true);
    await this.runMiddleware(context, logic);
  }

  /** Drop what was collected for a conversation (long benchmark runs). */
  clear(conversationId: string): void {
    this.sent.delete(conversationId);
  }
}
