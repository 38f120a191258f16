/**
 * Delivers what agents (and the handoff system) write to the customer, through the customer's
 * own channel: listens on a relay route and replays each message into the conversation with
 * `adapter.continueConversation`, using the reference the middleware stored.
 *
 * @example
 * const stop = await attachAgentDelivery({ adapter, stores, route: 'webchat' });
 */
import { ActivityTypes, type BotAdapter, type ConversationReference } from 'botbuilder';
import type { Stores } from '../core/ports/stores.js';
import type { RelayMessage } from '../core/ports/message-relay.js';
import { memoryKey, type ConversationMemory } from '../handoff/conversation-memory.js';
import { PROACTIVE_KEY } from './handoff-middleware.js';
import { dropLateAgentMessage } from './late-agent-message.js';

export async function attachAgentDelivery(opts: { adapter: BotAdapter; stores: Stores; route: string }): Promise<() => Promise<void>> {
  return opts.stores.relay.listen(opts.route, async (m: RelayMessage) => {
    // an agent message read after the chat was resolved (or moved) must not reach the customer
    if (await dropLateAgentMessage(opts.stores, m)) return;
    const memory = await opts.stores.documents.read<ConversationMemory>(memoryKey(m.conversationId));
    if (memory === undefined) return; // nothing to reach: the conversation never reached the bot
    const reference = memory.value.reference as Partial<ConversationReference>;
    await opts.adapter.continueConversation(reference, async (ctx) => {
      ctx.turnState.set(PROACTIVE_KEY, true);
      await ctx.sendActivity({
        type: ActivityTypes.Message,
        text: m.text ?? '',
        // botbuilder sends every activity from the bot's own account: the agent's name travels here
        channelData: { handover: { role: m.kind === 'agent_message' ? 'agent' : 'system', kind: m.kind, agentName: m.agentName ?? null, ...m.meta } },
      });
    });
  });
}
