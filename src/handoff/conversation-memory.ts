/**
 * The middleware's per-conversation memory, kept in the `DocumentStore` so any process can serve
 * the next turn: signal history, collected data, authentication, where the chat lives.
 */
import type { TurnSignals } from '../core/conversation.js';
import type { DocumentStore } from '../core/ports/document-store.js';
import type { ConversationId, HandoffId } from '../core/ids.js';

/** What the middleware remembers of a conversation between turns (JSON, in the DocumentStore). */
export interface ConversationMemory {
  readonly v: 1;
  startedAt: number;
  lastProgressAt: number;
  /** Customer turns so far (whole conversation). */
  turn: number;
  /** Signal history the policy still needs (see historyToKeep), since the conversation began or came back from an agent. */
  history: TurnSignals[];
  collected: Record<string, unknown>;
  authenticated: boolean;
  authFailures: number;
  fallbacks: number;
  entityRequests: Record<string, number>;
  steps: string[];
  sentiment: { turn: number; score: number }[];
  locale: string;
  channel: string;
  route: string;
  customerId: string;
  /** botbuilder ConversationReference (JSON) used to reach the customer proactively. */
  reference: Record<string, unknown>;
  /** A callback time offered to the customer for the current handoff, until booked or superseded. */
  callbackOffer?: { handoffId: string; queue: string; start: number } | null;
  /** The conversation was handed off at least once (for containment). */
  handedOff?: boolean;
  /** A resolved handoff whose satisfaction question awaits a 1–5 answer. */
  csatPending?: string | null;
  /**
   * What a bot that reports nothing through `observe()` said in its last turn (folded text): the
   * same message again is the bot going round in circles (see `BotWithoutReports`).
   */
  lastBotSaid?: string[];
  /** The last handoff whose outcome (resolve / return) this memory has absorbed. */
  settledHandoff: HandoffId | null;
}

/** Upper bound of every list kept in memory (turns, steps, sentiment). */
export const HISTORY_LIMIT = 50;

/** The DocumentStore key of a conversation's memory. @example memoryKey(id) // 'memory:webchat:42' */
export function memoryKey(id: ConversationId): string {
  return `memory:${id}`;
}

/** The memory of a conversation's first turn. @example newMemory({ startedAt: now, locale: 'en', channel: 'webchat', route: 'webchat', customerId: 'c-1', reference }) */
export function newMemory(init: Pick<ConversationMemory, 'startedAt' | 'locale' | 'channel' | 'route' | 'customerId' | 'reference'>): ConversationMemory {
  return {
    v: 1,
    lastProgressAt: init.startedAt,
    turn: 0,
    history: [],
    collected: {},
    authenticated: false,
    authFailures: 0,
    fallbacks: 0,
    entityRequests: {},
    steps: [],
    sentiment: [],
    settledHandoff: null,
    ...init,
  };
}

/** Read a conversation's memory with its eTag. @example (await readMemory(stores.documents, id))?.value.locale */
export async function readMemory(docs: DocumentStore, id: ConversationId) {
  return docs.read<ConversationMemory>(memoryKey(id));
}
