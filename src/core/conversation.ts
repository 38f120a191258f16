/**
 * Domain types shared by every layer: the customer profile, transcript entries, per-turn signals
 * and the briefing packet an agent receives. Plain JSON-serialisable data, no botbuilder types.
 */
import type { AgentId, ConversationId, QueueId } from './ids.js';

/** An order as the customer directory returns it; `total` in dollars. */
export interface CustomerOrder {
  readonly number: string;
  readonly total: number;
  readonly status?: string;
}

/** The account behind a conversation. Only `id` is guaranteed. */
export interface CustomerProfile {
  readonly id: string;
  readonly name?: string;
  readonly email?: string;
  readonly zip?: string;
  readonly tier?: 'standard' | 'b2b';
  readonly orders?: readonly CustomerOrder[];
}

/** Who wrote a transcript entry. */
export type Speaker = 'customer' | 'bot' | 'agent' | 'system';

/** One line of the transcript: every activity type is kept, not only text. */
export interface TranscriptEntry {
  readonly at: number;
  readonly from: Speaker;
  /** botbuilder activity type (`message`, `event`, `conversationUpdate`, …). */
  readonly type: string;
  readonly text?: string;
  /** Event name, attachment references, agent id: small, JSON-safe. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/**
 * Everything the signals measured about one customer turn. The policy reads a list of these
 * (the conversation's signal history) and nothing else.
 */
export interface TurnSignals {
  /** 1-based number of the customer's turn. */
  readonly turn: number;
  readonly at: number;
  /** Top intent, or null when the recogniser found none. */
  readonly intent: string | null;
  readonly confidence: number | null;
  /** The active dialog's intent after the turn (what the conversation is about). */
  readonly topic: string | null;
  /** Queue declared by the topic's dialog, if any. */
  readonly topicQueue: string | null;
  /** Flags declared by the dialog recognised on this turn (sensitive, revenue_risk, …). */
  readonly flags: readonly string[];
  /** The turn answered a prompt of the bot, so intent confidence does not apply. */
  readonly answeredPrompt: boolean;
  /** The bot said "I didn't understand" on this turn, and how many times in the conversation so far. */
  readonly fallback: boolean;
  readonly fallbacks: number;
  /** Critical entities the bot asked for on this turn. */
  readonly entitiesRequested: readonly string[];
  /** Critical entities still missing after they were requested (counting this turn's reply). */
  readonly entitiesMissing: readonly { readonly name: string; readonly requests: number }[];
  /** Authentication attempts that failed on this turn, and in total so far. */
  readonly authFailed: boolean;
  readonly authFailures: number;
  readonly authenticated: boolean;
  /** Sentiment: raw score, comparative (per token), and whether it is strong anger or frustration. */
  readonly sentiment: { readonly score: number; readonly comparative: number; readonly strongNegative: boolean };
  /** The conversation made progress on this turn (slot filled, intent resolved, answer given). */
  readonly progress: boolean;
  /** Seconds since the last progress, measured when the customer's message arrived. */
  readonly secondsSinceProgress: number;
  /** Value at risk: the customer's tier, the largest order, and money named in the message. */
  readonly value: {
    readonly tier: 'standard' | 'b2b';
    readonly maxOrderTotal: number;
    readonly amountNamed: number;
    /** Dollars at stake in this conversation (the order discussed, or money named). */
    readonly stake: number;
  };
  /** The customer explicitly asked for a person (intent flag or the bot's own `handoff.initiate`). */
  readonly explicitRequest: boolean;
}

/** A decided handoff reason (closed list, stable ids, precedence = order of this array). */
export const HANDOFF_REASONS = [
  'customer_request',
  'sensitive_topic',
  'auth_failed',
  'revenue_risk',
  'high_value',
  'negative_sentiment',
  'missing_entity',
  'low_confidence',
  'fallback_loop',
  'stalled',
  'cost',
] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];
/** Reasons that only exist on the agent side. */
export type AgentSideReason = 'repeated_transfer' | 'agent_takeover';

/**
 * How the customer feels, read from the sentiment of their last messages: `angry` (strong anger or
 * a clearly negative last message), `upset` (negative, or getting worse), else `calm`.
 */
export type CustomerMood = 'calm' | 'upset' | 'angry';

/**
 * The briefing's facts, as data: what its one-sentence summary is made of, so the sentence can be
 * written in the agent's language (`briefingSentence(brief, locale)` in src/bridge/briefing.ts).
 */
export interface BriefFacts {
  /** `named`: in the customer directory (name when it has one); `anonymous`: a web chat visitor not signed in; `unknown`: not in the directory. */
  readonly who: { readonly kind: 'named' | 'anonymous' | 'unknown'; readonly name?: string; readonly tier?: 'standard' | 'b2b' };
  readonly reason: HandoffReason | AgentSideReason;
  /** The topic (or intent) the customer is about, as its id (`order_status`); null when only a person was asked for. */
  readonly wants: string | null;
  /** What the bot collected, as text (`order_number: 'A12345'`). */
  readonly known: Readonly<Record<string, string>>;
  readonly mood: CustomerMood;
  readonly turn: number;
  /** The numbers behind the reason: tries for a missing detail (and its name), misunderstandings, failed sign-ins. */
  readonly tries?: number;
  readonly missing?: string;
}

/** The briefing an agent receives; also attached to botbuilder's `handoff.initiate`. */
export interface HandoffPacket {
  readonly conversationId: ConversationId;
  readonly reason: HandoffReason | AgentSideReason;
  readonly trace: readonly string[];
  readonly intent: string | null;
  readonly sentiment: readonly { readonly turn: number; readonly score: number }[];
  readonly collected: Readonly<Record<string, unknown>>;
  readonly customer: CustomerProfile | null;
  readonly authenticated: boolean;
  readonly steps: readonly string[];
  readonly transcript: readonly TranscriptEntry[];
  /** One sentence in English (what older readers show); the console words `brief` in the agent's language. */
  readonly summary: string;
  /** The summary's facts (packets stored before it have none). */
  readonly brief?: BriefFacts;
  readonly queue: QueueId;
  readonly priority: number;
  readonly slaDeadline: number;
  readonly requestedAt: number;
  readonly channel: string;
  readonly locale: string;
  readonly turn: number;
}

/** What an agent settled before returning the customer to the bot. */
export interface ReturnDigest {
  readonly agentId: AgentId;
  readonly note?: string;
  /** Slots the agent filled; the bot reads them instead of asking again. */
  readonly collected: Readonly<Record<string, unknown>>;
}
