/**
 * A proactive turn on any botbuilder adapter. `CloudAdapter` (every `CloudAdapterBase`) throws on the
 * legacy `continueConversation(reference, logic)` and wants `continueConversationAsync(botAppId,
 * reference, logic)`; `BotFrameworkAdapter` and this package's adapters take the legacy call;
 * botbuilder's `TestAdapter` implements neither (it rejects "not implemented"), so its proactive
 * turn is the continueConversation event run through `processActivity`, as the others build it. Agent messages and burst answers go through here, inside {@link runProactive} so the
 * handoff middleware knows the turn is ours.
 *
 * @example
 * await continueOn(adapter, reference, async (ctx) => { await ctx.sendActivity('Ana: your refund is on its way'); }, { botAppId: process.env.MicrosoftAppId });
 */
import { ActivityTypes, CloudAdapterBase, TestAdapter, TurnContext, type BotAdapter, type ConversationReference } from 'botbuilder';
import { runProactive, type ProactiveOwner } from './proactive-turn.js';

/** How to reach the bot's own identity on a CloudAdapter. */
export interface ContinueOptions {
  /**
   * The bot's Microsoft App ID, which a CloudAdapter needs for a proactive turn (the Bot
   * Connector's token is issued for it). Empty (the default) for a bot run without credentials:
   * the Emulator, a local Direct Line, tests.
   */
  readonly botAppId?: string;
  /**
   * Whose turn it is: `'host'` (default: your bot's own proactive message — it runs only while the
   * bot owns the conversation, never over an agent, and is recorded in the transcript) or
   * `'handover'` (this package's agent delivery and burst answers, which pass the gate).
   */
  readonly owner?: ProactiveOwner;
}

/** True for CloudAdapter and its kin, also when the host's botbuilder is another copy than ours. */
function isCloudAdapter(adapter: BotAdapter): adapter is CloudAdapterBase {
  if (adapter instanceof CloudAdapterBase) return true;
  const a = adapter as unknown as { botFrameworkAuthentication?: unknown; continueConversationAsync?: unknown };
  return typeof a.continueConversationAsync === 'function' && typeof a.botFrameworkAuthentication === 'object' && a.botFrameworkAuthentication !== null;
}

/** botbuilder's TestAdapter (also another copy of it), whose continueConversation only rejects. */
function isTestAdapter(adapter: BotAdapter): adapter is TestAdapter {
  return adapter instanceof TestAdapter || (adapter.constructor.name === 'TestAdapter' && typeof (adapter as { processActivity?: unknown }).processActivity === 'function');
}

/**
 * Runs `logic` in a proactive turn of the conversation `reference` points at, on whatever adapter.
 *
 * @example
 * await continueOn(cloudAdapter, reference, (ctx) => ctx.sendActivity('hello again').then(() => undefined));
 */
export function continueOn(
  adapter: BotAdapter,
  reference: Partial<ConversationReference>,
  logic: (context: TurnContext) => Promise<void>,
  opts: ContinueOptions = {},
): Promise<void> {
  const owner = opts.owner ?? 'host';
  if (isCloudAdapter(adapter)) return runProactive(() => adapter.continueConversationAsync(opts.botAppId ?? '', reference, logic), owner);
  if (isTestAdapter(adapter)) {
    const event = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    return runProactive(() => adapter.processActivity(event, logic), owner);
  }
  return runProactive(() => adapter.continueConversation(reference, logic), owner);
}
