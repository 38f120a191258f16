/**
 * Domain events (dotted `noun.past_tense`). Published on the `EventBus`; the agent console,
 * webhooks and metrics subscribe.
 */
import type { AgentId, ConversationId, HandoffId, QueueId } from './ids.js';
import type { AgentSideReason, HandoffReason } from './conversation.js';

interface Base {
  readonly conversationId: ConversationId;
  readonly at: number;
}
export type DomainEvent =
  | (Base & {
      readonly type: 'handoff.requested';
      readonly handoffId: HandoffId;
      readonly queue: QueueId;
      readonly priority: number;
      readonly reason: HandoffReason | AgentSideReason;
      readonly slaDeadline: number;
    })
  | (Base & { readonly type: 'handoff.accepted'; readonly handoffId: HandoffId; readonly agentId: AgentId })
  | (Base & {
      readonly type: 'handoff.transferred';
      readonly handoffId: HandoffId;
      readonly from: QueueId;
      readonly to: QueueId;
      readonly reason: HandoffReason | AgentSideReason;
      readonly note?: string;
    })
  | (Base & { readonly type: 'handoff.escalated'; readonly handoffId: HandoffId; readonly queue: QueueId; readonly priority: number })
  | (Base & { readonly type: 'handoff.callback_scheduled'; readonly handoffId: HandoffId; readonly queue: QueueId; readonly callbackAt: number })
  | (Base & { readonly type: 'handoff.callback_due'; readonly handoffId: HandoffId; readonly queue: QueueId; readonly priority: number })
  | (Base & { readonly type: 'handoff.resolved'; readonly handoffId: HandoffId; readonly agentId: AgentId })
  | (Base & { readonly type: 'handoff.returned'; readonly handoffId: HandoffId; readonly agentId: AgentId })
  | (Base & {
      readonly type: 'customer.message';
      readonly text: string;
      readonly activityType: string;
      /** Files the customer sent with it (a photo, a voice note…), as in the transcript line's `meta.attachments`. */
      readonly attachments?: readonly { readonly contentType: string; readonly name: string | null; readonly url: string | null }[];
    })
  | (Base & { readonly type: 'agent.message'; readonly agentId: AgentId; readonly text: string })
  /**
   * The agent is typing a reply (the console's composer, at most one every few seconds): the
   * customer's channel shows "<name> is typing…". Ephemeral: stored nowhere, not sent to consoles
   * or webhooks.
   */
  | (Base & { readonly type: 'agent.typing'; readonly agentId: AgentId; readonly agentName: string })
  /** A message for the customer could not be delivered (bounded retries) and is in the dead-letter list. */
  | (Base & {
      readonly type: 'relay.dead_lettered';
      readonly deadLetterId: string;
      readonly messageId: string;
      readonly kind: string;
      /** The agent who wrote it (absent for system lines), so their console is told. */
      readonly agentId?: AgentId;
      readonly text: string;
      readonly error: string;
    });

export type DomainEventType = DomainEvent['type'];
