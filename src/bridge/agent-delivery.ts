/**
 * Delivers what agents (and the handoff system) write to the customer, through the customer's
 * own channel: listens on a relay route and replays each message into the conversation with
 * `adapter.continueConversation`, using the reference the middleware stored.
 *
 * Every process serving a channel attaches to the same route; the relay has one of them read it
 * at a time (in order, once per conversation). On web chat that reader appends the line to the
 * shared history, and the history's feed brings it to whichever process holds the customer's
 * socket (see `WebChatAdapter.openStream`), so it does not matter which process reads.
 *
 * A message the relay gives up on (bounded retries: the customer's history is gone, the channel
 * refuses it) is in the relay's dead-letter list; the agent is told here: a system line in the
 * conversation's transcript and a `relay.dead_lettered` event for the consoles.
 *
 * @example
 * const stop = await attachAgentDelivery({ adapter, stores, route: 'webchat' });
 */
import { ActivityTypes, type BotAdapter, type ConversationReference } from 'botbuilder';
import type { Stores } from '../core/ports/stores.js';
import type { DeadLetter, RelayMessage } from '../core/ports/message-relay.js';
import { agentId } from '../core/ids.js';
import { memoryKey, type ConversationMemory } from '../handoff/conversation-memory.js';
import { PROACTIVE_KEY } from './handoff-middleware.js';
import { continueOn } from './continue-conversation.js';
import { dropLateAgentMessage } from './late-agent-message.js';
import { serveBursts } from './burst-hosts.js';

export async function attachAgentDelivery(opts: {
  adapter: BotAdapter;
  stores: Stores;
  route: string;
  /** The bot's Microsoft App ID, for a CloudAdapter's proactive turns (see `continueOn`); default ''. */
  botAppId?: string;
}): Promise<() => Promise<void>> {
  // what reaches this route's customers proactively here can answer their bursts too (a process that died left them)
  const unserve = serveBursts(opts.stores, opts.route, opts.adapter, opts.botAppId);
  const listening = opts.stores.relay.listen(
    opts.route,
    async (m: RelayMessage) => {
      // an agent message read after the chat was resolved (or moved) must not reach the customer
      if (await dropLateAgentMessage(opts.stores, m)) return;
      const memory = await opts.stores.documents.read<ConversationMemory>(memoryKey(m.conversationId));
      if (memory === undefined) return; // nothing to reach: the conversation never reached the bot
      const reference = memory.value.reference as Partial<ConversationReference>;
      // CloudAdapter needs continueConversationAsync; every other adapter the legacy call
      await continueOn(opts.adapter, reference, async (ctx) => {
        ctx.turnState.set(PROACTIVE_KEY, true);
        // files an agent sends (`handover-file:` references kept by AgentFiles): the channel fetches and sends them
        const files = Array.isArray(m.meta?.['attachments']) ? (m.meta['attachments'] as { contentType: string; name: string; url: string }[]) : [];
        await ctx.sendActivity({
          type: ActivityTypes.Message,
          text: m.text ?? '',
          ...(files.length === 0 ? {} : { attachments: files.map((f) => ({ contentType: f.contentType, name: f.name, contentUrl: f.url })) }),
          // botbuilder sends every activity from the bot's own account: the agent (id and name) travels here;
          // messageId lets the channel show a message delivered twice (after a crash) once.
          channelData: { handover: { role: m.kind === 'agent_message' ? 'agent' : 'system', kind: m.kind, agentName: m.agentName ?? null, ...(m.kind === 'agent_message' && m.agentId !== undefined ? { agentId: m.agentId } : {}), ...m.meta, messageId: m.id } },
        });
      }, { owner: 'handover', ...(opts.botAppId === undefined ? {} : { botAppId: opts.botAppId }) });
    },
    { onDeadLetter: (letter) => tellAgent(opts.stores, letter) },
  );
  const stop = await listening.catch((e: unknown) => {
    unserve();
    throw e;
  });
  return async () => {
    unserve();
    await stop();
  };
}

/** The transcript line and console event saying a message did not reach the customer. */
async function tellAgent(stores: Stores, letter: DeadLetter): Promise<void> {
  const m = letter.message;
  const text = m.text ?? '';
  await stores.transcripts.append(m.conversationId, {
    at: letter.at,
    from: 'system',
    type: 'event',
    text,
    meta: { name: 'relay.dead_lettered', deadLetterId: letter.id, messageId: m.id, kind: m.kind, agentId: m.agentId ?? null, error: letter.error, attempts: letter.attempts },
  });
  await stores.events.publish({
    type: 'relay.dead_lettered',
    conversationId: m.conversationId,
    at: letter.at,
    deadLetterId: letter.id,
    messageId: m.id,
    kind: m.kind,
    ...(m.agentId === undefined ? {} : { agentId: agentId(m.agentId) }),
    text,
    error: letter.error,
  });
}
