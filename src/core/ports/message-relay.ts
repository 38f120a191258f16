import type { ConversationId } from '../ids.js';

/** A message for the customer side of a conversation, written by an agent or the system. */
export interface RelayMessage {
  readonly conversationId: ConversationId;
  readonly kind: 'agent_message' | 'system_message' | 'handoff_status';
  readonly text?: string;
  readonly agentId?: string;
  readonly agentName?: string;
  readonly at: number;
  /** Unique id: consumers drop a message they already delivered. */
  readonly id: string;
  readonly meta?: Readonly<Record<string, unknown>>;
}

/**
 * Delivers messages to the process that holds a route (a channel instance: a WebSocket server,
 * the WhatsApp Web session). Once per route, in order. Implementations: `MemoryMessageRelay`
 * (in-process), `RedisMessageRelay` (Streams with consumer groups).
 *
 * @example
 * await relay.listen('webchat', async (m) => adapter.deliver(m));
 * await relay.send('webchat', { conversationId, kind: 'agent_message', text: 'Hi, I am Ana', at, id });
 */
export interface MessageRelay {
  send(route: string, message: RelayMessage): Promise<void>;
  /** Start consuming a route; the returned function stops it. */
  listen(route: string, handler: (message: RelayMessage) => Promise<void>): Promise<() => Promise<void>>;
}
