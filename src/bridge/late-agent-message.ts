/**
 * The last guard before an agent's message reaches the customer: it is delivered only while the
 * agent still owns the chat under the same handoff. An agent message is sent after its line was
 * written against the current state (`HandoffService.sendAgentMessage`), but a resolve, transfer or
 * return to the bot can commit — and send its own closing lines — before the relay delivers it.
 * The relay delivers one conversation's messages in the order they were sent, so a message read
 * after those closing lines finds the state moved on and is dropped here instead of reaching the
 * customer after the rating question; the transcript says so.
 *
 * @example
 * await relay.listen(route, async (m) => {
 *   if (await dropLateAgentMessage(stores, m)) return;
 *   await deliver(m);
 * });
 */
import type { Stores } from '../core/ports/stores.js';
import type { RelayMessage } from '../core/ports/message-relay.js';
import type { HandoffState } from '../core/handoff-state.js';

/**
 * Why an agent message may no longer be delivered (null: deliver it). Other kinds (system lines,
 * status) always go out: they are what the transitions themselves send.
 *
 * @example
 * whyUndeliverable(m, await stores.handoffs.get(m.conversationId)); // 'the conversation is resolved'
 */
export function whyUndeliverable(m: RelayMessage, s: HandoffState): string | null {
  if (m.kind !== 'agent_message') return null;
  const handoffId = m.meta?.['handoffId'];
  if (s.status !== 'assigned') return `the conversation is ${s.status}`;
  if (m.agentId !== undefined && s.agentId !== m.agentId) return `the conversation is now with ${s.agentId ?? 'nobody'}`;
  if (typeof handoffId === 'string' && s.handoffId !== handoffId) return 'the conversation was handed off again since';
  return null;
}

/**
 * True when `m` is an agent message that must not be delivered any more; it is then recorded in the
 * conversation's transcript as not delivered (and the caller skips it).
 *
 * @example
 * if (await dropLateAgentMessage(stores, m)) return;
 */
export async function dropLateAgentMessage(stores: Stores, m: RelayMessage): Promise<boolean> {
  if (m.kind !== 'agent_message') return false;
  const reason = whyUndeliverable(m, await stores.handoffs.get(m.conversationId));
  if (reason === null) return false;
  await stores.transcripts.append(m.conversationId, {
    at: m.at,
    from: 'system',
    type: 'event',
    text: m.text ?? '',
    meta: { name: 'agent.message_not_delivered', messageId: m.id, agentId: m.agentId ?? null, reason },
  });
  return true;
}
