/**
 * A proactive turn on any botbuilder adapter. `CloudAdapter` (every `CloudAdapterBase`) throws on the
 * legacy `continueConversation(reference, logic)` and wants `continueConversationAsync(botAppId,
 * reference, logic)`; `BotFrameworkAdapter`, `TestAdapter` and this package's adapters take the
 * legacy call. Agent messages and burst answers go through here, inside {@link runProactive} so the
 * handoff middleware knows the turn is ours.
 *
 * @example
 * await continueOn(adapter, reference, async (ctx) => { await ctx.sendActivity('Ana: your refund is on its way'); }, { botAppId: process.env.MicrosoftAppId });
 */
import { CloudAdapterBase, type BotAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
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
  return runProactive(() => adapter.continueConversation(reference, logic), owner);
}
