/**
 * Branded identifiers: a `ConversationId` cannot be passed where a `QueueId` is expected.
 *
 * @example
 * const id = conversationId('webchat:c-1001');
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A conversation, as `channelId:conversation.id` (see `conversationKeyOf`). */
export type ConversationId = Brand<string, 'ConversationId'>;
/** A queue of manifest.json (`support`, `billing`, …). */
export type QueueId = Brand<string, 'QueueId'>;
/** An agent of the console, or `phone` for someone typing on the business's WhatsApp phone. */
export type AgentId = Brand<string, 'AgentId'>;
/** One handoff of a conversation (a conversation may be handed off several times). */
export type HandoffId = Brand<string, 'HandoffId'>;

/** Brand a string as a ConversationId. @example conversationId('webchat:42') */
export const conversationId = (s: string): ConversationId => s as ConversationId;
/** Brand a string as a QueueId. @example queueId('billing') */
export const queueId = (s: string): QueueId => s as QueueId;
/** Brand a string as an AgentId. @example agentId('ana') */
export const agentId = (s: string): AgentId => s as AgentId;
/** Brand a string as a HandoffId. @example handoffId(randomUUID()) */
export const handoffId = (s: string): HandoffId => s as HandoffId;
