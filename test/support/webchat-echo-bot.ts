import { ActivityTypes, CardFactory, MessageFactory, TurnContext, type ConversationReference } from 'botbuilder';

/**
 * The small bot the web chat tests talk to: greets on conversation start, echoes text, answers
 * "menu" with quick replies, and remembers each conversation's reference so a test can send a
 * proactive "agent" message with `continueConversation`.
 *
 * @example
 * const bot = new WebChatEchoBot();
 * const channel = createWebChatChannel({ logic: (ctx) => bot.onTurn(ctx) });
 */
export class WebChatEchoBot {
  readonly references = new Map<string, Partial<ConversationReference>>();
  turns = 0;

  async onTurn(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const conversationId = activity.conversation.id;
    this.references.set(conversationId, TurnContext.getConversationReference(activity));
    if (activity.type === ActivityTypes.ConversationUpdate) {
      const userJoined = (activity.membersAdded ?? []).some((m) => m.id === activity.from.id);
      if (userJoined) await context.sendActivity('Welcome to Acme Shop! Type anything, or "menu".');
      return;
    }
    if (activity.type !== ActivityTypes.Message) return;
    this.turns++;
    const text = (activity.text ?? '').trim();
    if (text.toLowerCase() === 'menu') {
      await context.sendActivity({ type: ActivityTypes.Typing });
      await context.sendActivity(MessageFactory.suggestedActions(['Track my order', 'Talk to a person'], 'What can I help you with?'));
      return;
    }
    if (text === 'card') {
      // Attachments are passed through untouched; the widget ignores what it does not render.
      await context.sendActivity({ attachments: [CardFactory.heroCard('Card title')] });
      return;
    }
    await context.sendActivity(`You said: ${text}`);
  }
}
