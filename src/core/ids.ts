/**
 * Branded identifiers: a `ConversationId` cannot be passed where a `QueueId` is expected.
 *
 * @example
 * const id = conversationId('webchat:c-1001');
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type ConversationId = Brand<string, 'ConversationId'>;
export type QueueId = Brand<string, 'QueueId'>;
export type AgentId = Brand<string, 'AgentId'>;
export type HandoffId = Brand<string, 'HandoffId'>;

export const conversationId = (s: string): ConversationId => s as ConversationId;
export const queueId = (s: string): QueueId => s as QueueId;
export const agentId = (s: string): AgentId => s as AgentId;
export const handoffId = (s: string): HandoffId => s as HandoffId;
