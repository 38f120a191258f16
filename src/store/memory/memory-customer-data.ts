import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import { conversationId as toConversationId } from '../../core/ids.js';
import type { AuditLine, CustomerData, ErasedCounts, RetentionPolicy } from '../../core/ports/customer-data.js';
import { noneErased } from '../../core/ports/customer-data.js';
import { documentClass, userOfDocument } from '../../handoff/customer-erasure.js';
import type { ConversationExpiry } from './conversation-expiry.js';
import type { MemoryDocumentStore } from './memory-document-store.js';
import type { MemoryHandoffStore } from './memory-handoff-store.js';
import type { MemoryMessageRelay } from './memory-message-relay.js';
import type { MemoryPacketStore } from './memory-packet-store.js';
import type { MemoryTranscriptStore } from './memory-transcript-store.js';

/** The parts of the memory store a conversation's data lives in. */
export interface MemoryCustomerDataParts {
  readonly expiry: ConversationExpiry;
  readonly handoffs: MemoryHandoffStore;
  readonly transcripts: MemoryTranscriptStore;
  readonly documents: MemoryDocumentStore;
  readonly packets: MemoryPacketStore;
  readonly relay: MemoryMessageRelay;
}

/**
 * `CustomerData` of the memory store: the customer → conversations index (fed by the document
 * store's writes of conversation memory, forgotten with each conversation when it expires), the
 * erasure of one conversation (through the conversation expiry, which reaches every part, the web
 * chat history included) and the audit lines (dropped after `retention.auditMs`).
 *
 * @example
 * const data = new MemoryCustomerData(parts, retention, clock);
 * data.link('c-1001', 'webchat:42'); await data.conversationsOf('c-1001'); // ['webchat:42']
 */
export class MemoryCustomerData implements CustomerData {
  /** customer -> their conversations. */
  private readonly byCustomer = new Map<string, Set<string>>();
  /** conversation -> its customer (so an expired conversation leaves the index). */
  private readonly customerOf = new Map<string, string>();
  /** Newest last. */
  private audit: AuditLine[] = [];
  private history: { countOf(webChatId: string): number; prefix: string } | undefined;

  constructor(
    private readonly parts: MemoryCustomerDataParts,
    private readonly retention: RetentionPolicy,
    private readonly clock: Clock = systemClock,
  ) {
    parts.expiry.register({ forget: (id) => this.unlink(id) });
  }

  /** The web chat history (created by `openStores` beside the stores), for the erasure's counts. */
  attachHistory(history: { countOf(webChatId: string): number }, handoffIdPrefix: string): void {
    this.history = { countOf: (id) => history.countOf(id), prefix: handoffIdPrefix };
  }

  /** Remembers that a conversation belongs to a customer (the document store calls it). */
  link(customerId: string, conversationId: string): void {
    const before = this.customerOf.get(conversationId);
    if (before === customerId) return;
    if (before !== undefined) this.unlink(conversationId);
    this.customerOf.set(conversationId, customerId);
    let mine = this.byCustomer.get(customerId);
    if (mine === undefined) this.byCustomer.set(customerId, (mine = new Set()));
    mine.add(conversationId);
  }

  async conversationsOf(customerId: string): Promise<string[]> {
    // a conversation past its time is forgotten first (lazily, as every read of the store does)
    for (const id of [...(this.byCustomer.get(customerId) ?? [])]) this.parts.expiry.check(id);
    return [...(this.byCustomer.get(customerId) ?? [])].sort();
  }

  async purgeConversation(conversationId: string): Promise<ErasedCounts> {
    const p = this.parts;
    const c = noneErased();
    const id = toConversationId(conversationId);
    if ((await p.handoffs.get(id)).version > 0) c.handoffStates = 1;
    c.transcriptLines = (await p.transcripts.read(id)).length;
    for (const key of p.documents.keysOf(conversationId)) {
      const k = documentClass(key);
      if (k === 'conversationMemory') c.conversationMemory++;
      else if (k === 'whatsapp') c.whatsapp++;
      else c.botState++;
    }
    c.briefings = p.packets.countOf(conversationId);
    const h = this.history;
    if (h !== undefined && conversationId.startsWith(h.prefix)) c.webChatHistory = h.countOf(conversationId.slice(h.prefix.length));
    c.relayMessages = p.relay.purge(conversationId);
    // every registered part (states, queues, transcripts, documents, packets, history, index)
    p.expiry.forgetNow(conversationId);
    return c;
  }

  async forgetCustomer(customerId: string): Promise<number> {
    for (const id of this.byCustomer.get(customerId) ?? []) this.customerOf.delete(id);
    this.byCustomer.delete(customerId);
    const theirs = this.parts.documents.keysWhere((k) => userOfDocument(k) === customerId);
    for (const k of theirs) await this.parts.documents.delete(k);
    return theirs.length;
  }

  async appendAudit(line: AuditLine): Promise<void> {
    this.dropOldAudit();
    this.audit.push(line);
  }

  async readAudit(limit = 100): Promise<AuditLine[]> {
    this.dropOldAudit();
    return this.audit.slice(-Math.max(1, limit)).reverse();
  }

  /** Customers indexed now (what the memory bound is measured by). */
  get size(): number {
    return this.byCustomer.size;
  }

  private dropOldAudit(): void {
    const oldest = this.clock.now() - this.retention.auditMs;
    const first = this.audit.findIndex((l) => l.at >= oldest);
    this.audit = first < 0 ? [] : this.audit.slice(first);
  }

  private unlink(conversationId: string): void {
    const customer = this.customerOf.get(conversationId);
    if (customer === undefined) return;
    this.customerOf.delete(conversationId);
    const mine = this.byCustomer.get(customer);
    mine?.delete(conversationId);
    if (mine?.size === 0) this.byCustomer.delete(customer);
  }
}
