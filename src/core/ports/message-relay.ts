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
 * A message the relay gave up on: its handler failed `attempts` times in a row (the customer's
 * history is gone, the channel refuses it…). It is kept, with the last error, until a supervisor
 * sends it again or discards it; nothing behind it waited for it.
 *
 * @example
 * const { letters } = await relay.deadLetters();
 * letters[0]?.message.text; // 'Your refund is on its way'
 */
export interface DeadLetter {
  /** The dead letter's own id (what `redeliver` and `discard` take). */
  readonly id: string;
  readonly route: string;
  readonly message: RelayMessage;
  /** The last failure, as text. */
  readonly error: string;
  readonly attempts: number;
  /** When it was given up on. */
  readonly at: number;
}

/**
 * Options of `MessageRelay.listen`.
 *
 * @example
 * await relay.listen('webchat', deliver, { onDeadLetter: (l) => tellTheAgent(l) });
 */
export interface RelayListenOptions {
  /**
   * Called after a message was moved to the dead-letter list (it is recorded first, so a failing
   * callback loses nothing but the notice).
   */
  readonly onDeadLetter?: (letter: DeadLetter) => void | Promise<void>;
}

/**
 * Delivers messages to the process that holds a route (a channel instance: the web chat front doors,
 * the WhatsApp Web session). Implementations: `MemoryMessageRelay` (in-process), `RedisMessageRelay`
 * (Streams with a consumer group). What every implementation guarantees:
 *
 * - **Once and in order per conversation.** Any number of processes may listen on a route; one reads
 *   it at a time, and a conversation's messages reach the handler one after the other, in the order
 *   they were sent, each once (a re-delivery after a crash is dropped by `RelayMessage.id`).
 * - **No message blocks the route.** Conversations are independent lanes: a failing message is
 *   retried (with backoff, a bounded number of times) while other conversations' messages go on;
 *   only the same conversation's later messages wait for it. After the last attempt it goes to the
 *   dead-letter list (`deadLetters`), `onDeadLetter` is told, and the conversation's lane moves on.
 * - **Nothing is lost while nobody listens**: messages sent before anyone listens wait for the first
 *   listener; messages a crashed listener held are delivered by the next one.
 *
 * @example
 * await relay.listen('webchat', async (m) => adapter.deliver(m), { onDeadLetter: console.error });
 * await relay.send('webchat', { conversationId, kind: 'agent_message', text: 'Hi, I am Ana', at, id });
 */
export interface MessageRelay {
  send(route: string, message: RelayMessage): Promise<void>;
  /** Start consuming a route; the returned function stops it. */
  listen(route: string, handler: (message: RelayMessage) => Promise<void>, options?: RelayListenOptions): Promise<() => Promise<void>>;
  /** The dead letters of every route, newest first (at most `limit`, default 100), and how many there are. */
  deadLetters(limit?: number): Promise<{ readonly total: number; readonly letters: readonly DeadLetter[] }>;
  /** Sends a dead letter's message again on its route and removes it; false when it is no longer there. */
  redeliver(deadLetterId: string): Promise<boolean>;
  /** Removes a dead letter without sending it; false when it is no longer there. */
  discard(deadLetterId: string): Promise<boolean>;
}
