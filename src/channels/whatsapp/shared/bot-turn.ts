/**
 * How a WhatsApp message reaches the bot. The handoff middleware has already recorded the
 * customer line (`activity.text` = the readable line: "🖼 photo (image/jpeg): the box") and decided
 * the bot's turn; this runs inside that turn:
 * - with the customer's own words (text, caption, tapped option, the text sent with a cart): the
 *   bot reads the words, not the channel's line, and the line is put back afterwards (the policy,
 *   sentiment and the agents' live view read the line);
 * - without words (a photo alone, a location, a contact card, a poll): the bot is not asked — it
 *   would answer "I didn't understand" and the turn would count as not understood. The decision
 *   trace gets a step ("received a photo"), and the channel answers the customer itself, in the
 *   conversation's language, at most once per `ackEveryMs` per conversation (an album of ten photos
 *   gets one answer). Reactions and deletions are not message turns at all.
 *
 * @example
 * adapter.processActivity(activity, (ctx) => runBotTurn(ctx, (c) => bot.run(c), content, { acks }));
 */
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { conversationView, observe } from '../../../bridge/turn-observation.js';
import { channelReplyText } from './channel-texts.js';
import { traceName, type CustomerContent } from './customer-content.js';

/** Turn-state key of the message's {@link CustomerContent} (set by the adapters). */
export const CONTENT_KEY = Symbol.for('handover.whatsapp.content');

/**
 * Remembers when each conversation was last answered by the channel, so a burst of media gets one
 * answer. In-process and bounded: with several processes a burst split across them may get one
 * answer per process, never one per photo.
 *
 * @example
 * const acks = new AckGate(120_000);
 * acks.claim('5511…', Date.now()); // true, then false for two minutes
 */
export class AckGate {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly everyMs: number,
    private readonly capacity = 10_000,
  ) {}

  claim(key: string, now: number): boolean {
    const at = this.last.get(key);
    if (at !== undefined && now - at < this.everyMs) return false;
    this.last.delete(key);
    this.last.set(key, now);
    if (this.last.size > this.capacity) {
      const oldest = this.last.keys().next();
      if (oldest.done !== true) this.last.delete(oldest.value);
    }
    return true;
  }
}

/** Options of {@link runBotTurn}. */
export interface BotTurnOptions {
  readonly acks: AckGate;
  readonly now: number;
}

/**
 * Runs the bot on the customer's words, or answers content without words on the channel's behalf.
 *
 * @example
 * await runBotTurn(context, (ctx) => bot.run(ctx), content, { acks, now: Date.now() });
 */
export async function runBotTurn(
  context: TurnContext,
  logic: (context: TurnContext) => Promise<void>,
  content: CustomerContent | undefined,
  opts: BotTurnOptions,
): Promise<void> {
  if (content === undefined || context.activity.type !== ActivityTypes.Message) return logic(context);
  const obs = observe(context);
  if (content.words !== undefined) {
    if (content.kind !== 'text' && content.kind !== 'choice') obs?.steps.push(`received ${traceName(content.kind)} with words for the bot`);
    const line = context.activity.text;
    context.activity.text = content.words;
    try {
      await logic(context);
    } finally {
      context.activity.text = line;
    }
    return;
  }
  if (content.reply === undefined) return;
  obs?.steps.push(`received ${traceName(content.kind)}; the channel answered (the bot reads text only)`);
  if (!opts.acks.claim(context.activity.conversation?.id ?? '', opts.now)) return;
  const locale = conversationView(context)?.locale ?? context.activity.locale;
  // 'retry': dropped if this very turn hands off (the handoff notice says what happens next)
  await context.sendActivity({
    type: ActivityTypes.Message,
    text: channelReplyText(locale, content.reply),
    textFormat: 'plain',
    channelData: { handover: { kind: 'retry', role: 'bot' } },
  });
}
