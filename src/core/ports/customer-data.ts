/**
 * Retention and erasure of customers' data: how long each class of stored data lives, which
 * conversations belong to a customer, and the erasure itself (with its audit line).
 * Implementations: `MemoryCustomerData`, `RedisCustomerData` (src/store).
 */

/**
 * How long each class of data is kept, in ms, counted from its last write (manifest.json →
 * `retention`, in days). Whatever it says, a conversation whose handoff is open (waiting, with an
 * agent, booked for a callback) keeps its handoff state, transcript and briefings; the closing
 * transition (resolve, return) starts their clocks again.
 *
 * @example
 * const r: RetentionPolicy = retentionFromDays({ transcriptsDays: 30 });
 */
export interface RetentionPolicy {
  /** Transcripts (every customer, bot, agent and system line). */
  readonly transcriptsMs: number;
  /** Briefings (handoff packets). */
  readonly briefingsMs: number;
  /** The middleware's conversation memory, the bot's dialog state, WhatsApp conversation data. */
  readonly botStateMs: number;
  /** A closed handoff's state (resolved, returned); callback bookings this long after their time. */
  readonly closedHandoffsMs: number;
  /** The web chat history a reconnecting page replays. */
  readonly webChatHistoryMs: number;
  /** Undelivered agent messages (dead letters). */
  readonly deadLettersMs: number;
  /** Relay stream entries (agent → customer messages on their way) and the WhatsApp Cloud outbox. */
  readonly relayStreamsMs: number;
  /** Audit lines (erasures) and daily metrics. */
  readonly auditMs: number;
}

/** The manifest's `retention` section: days per class. */
export interface RetentionDays {
  readonly transcriptsDays: number;
  readonly briefingsDays: number;
  readonly botStateDays: number;
  readonly closedHandoffsDays: number;
  readonly webChatHistoryDays: number;
  readonly deadLettersDays: number;
  readonly relayStreamsDays: number;
  readonly auditDays: number;
}

/** Defaults of `manifest.json` → `retention` (days). */
export const DEFAULT_RETENTION_DAYS: RetentionDays = {
  transcriptsDays: 90,
  briefingsDays: 90,
  botStateDays: 30,
  closedHandoffsDays: 90,
  webChatHistoryDays: 7,
  deadLettersDays: 14,
  relayStreamsDays: 7,
  auditDays: 365,
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Days (manifest) → ms; a missing class takes its default.
 *
 * @example
 * retentionFromDays({ botStateDays: 1 }).botStateMs; // 86400000
 */
export function retentionFromDays(days: Partial<RetentionDays> = {}): RetentionPolicy {
  const d = { ...DEFAULT_RETENTION_DAYS, ...days };
  const ms = (n: number): number => Math.max(1000, Math.round(n * DAY_MS));
  return {
    transcriptsMs: ms(d.transcriptsDays),
    briefingsMs: ms(d.briefingsDays),
    botStateMs: ms(d.botStateDays),
    closedHandoffsMs: ms(d.closedHandoffsDays),
    webChatHistoryMs: ms(d.webChatHistoryDays),
    deadLettersMs: ms(d.deadLettersDays),
    relayStreamsMs: ms(d.relayStreamsDays),
    auditMs: ms(d.auditDays),
  };
}

/** The retention of the defaults. */
export const DEFAULT_RETENTION: RetentionPolicy = retentionFromDays();

/**
 * How long the customer → conversations index is kept: as long as the longest class of a
 * conversation's data, so the index never forgets a conversation before its data is gone.
 */
export function customerIndexMs(r: RetentionPolicy): number {
  return Math.max(r.transcriptsMs, r.briefingsMs, r.botStateMs, r.closedHandoffsMs, r.webChatHistoryMs, r.deadLettersMs, r.relayStreamsMs);
}

/** The shortest life of a conversation's data (what the memory store's conversation expiry is capped to). */
export function shortestConversationMs(r: RetentionPolicy): number {
  return Math.min(r.transcriptsMs, r.briefingsMs, r.botStateMs, r.closedHandoffsMs, r.webChatHistoryMs);
}

/** The classes an erasure reports, each a count of what went. */
export interface ErasedCounts {
  /** Conversations of the customer found in the index. */
  conversations: number;
  /** Handoff states (one per conversation that was handed off). */
  handoffStates: number;
  /** Transcript lines. */
  transcriptLines: number;
  /** The middleware's conversation memory documents. */
  conversationMemory: number;
  /** The bot's dialog state documents. */
  botState: number;
  /** Web chat history activities (what a reconnecting page replays). */
  webChatHistory: number;
  /** Briefings (handoff packets). */
  briefings: number;
  /** Callback bookings (and the conversation's places in callback slots). */
  callbacks: number;
  /** WhatsApp conversation documents (Cloud API window, read marks). */
  whatsapp: number;
  /** Files the customer sent (photos, voice notes, documents; WhatsApp and web chat uploads), kept for the console. */
  customerFiles: number;
  /** Undelivered agent messages to the customer and relay messages still on their way. */
  relayMessages: number;
  /** Anything else kept for the conversation (bursts, once-markers, turn-inbox entries). */
  other: number;
}

/** Zero of every class. */
export function noneErased(): ErasedCounts {
  return { conversations: 0, handoffStates: 0, transcriptLines: 0, conversationMemory: 0, botState: 0, webChatHistory: 0, briefings: 0, callbacks: 0, whatsapp: 0, customerFiles: 0, relayMessages: 0, other: 0 };
}

/**
 * One audit line: who erased whom, when, and how much; never the erased content. The customer is
 * named by a SHA-256 of their id (`subject`), so the audit itself holds no identifier in clear
 * while "was customer X erased?" can still be answered by hashing X.
 */
export interface AuditLine {
  readonly at: number;
  readonly action: 'erase';
  /** Who did it: `agent:<id>`, `desk:<token name>` or `cli:<user>`. */
  readonly by: string;
  /** sha256(customer id), hex. */
  readonly subject: string;
  readonly counts: ErasedCounts;
  /** Open handoffs erased with `force`. */
  readonly forcedOpen: number;
}

/** What `erase` answers. */
export interface ErasureReport {
  readonly customerId: string;
  readonly conversationIds: readonly string[];
  readonly removed: ErasedCounts;
  readonly audit: AuditLine;
}

/**
 * A backend's customer data: the customer → conversations index (maintained by the document store
 * when the middleware writes a conversation's memory, which names its customer), removal of one
 * conversation's data and the audit lines.
 *
 * @example
 * const ids = await stores.customers.conversationsOf('c-1001');
 */
export interface CustomerData {
  /** Conversation ids seen for this customer (within the index's retention). */
  conversationsOf(customerId: string): Promise<string[]>;
  /** Removes every key/entry of one conversation (state included) and says what went. */
  purgeConversation(conversationId: string): Promise<ErasedCounts>;
  /**
   * Drops the customer's index entry and the customer's own documents (the bot's user-scoped
   * state, `<namespace>:<channel>/users/<id>/…`); resolves with how many documents went.
   */
  forgetCustomer(customerId: string): Promise<number>;
  /** Stores one audit line (kept `auditMs`). */
  appendAudit(line: AuditLine): Promise<void>;
  /** The newest audit lines first. */
  readAudit(limit?: number): Promise<AuditLine[]>;
}
