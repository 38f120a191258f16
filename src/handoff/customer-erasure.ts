/**
 * Retention classes of documents and the erasure of one customer's data, the same on every store:
 * the backend-specific part (which keys / maps hold a conversation) is its `CustomerData`.
 *
 * @example
 * const report = await eraseCustomer(stores, 'c-1001', { by: 'cli:ops', now: Date.now() });
 * report.removed.transcriptLines; // 14
 */
import { CustomerMedia } from './customer-media.js';
import { createHash } from 'node:crypto';
import { HandoverError } from '../core/errors.js';
import { isWithHuman } from '../core/handoff-state.js';
import { conversationId as toConversationId } from '../core/ids.js';
import type { AuditLine, CustomerData, ErasedCounts, ErasureReport, RetentionPolicy } from '../core/ports/customer-data.js';
import { noneErased } from '../core/ports/customer-data.js';
import type { DocumentStore } from '../core/ports/document-store.js';
import type { HandoffStore } from '../core/ports/handoff-store.js';
import { SLOT_INDEX_KEY, bookingKey, slotKey, type SlotBookings, type SlotIndex } from './callback-bookings.js';

/** The class of a document by its key (what erasure counts it as, and which retention it gets). */
export type DocumentClass = 'conversationMemory' | 'botState' | 'whatsapp' | 'whatsappOutbox' | 'callbackBooking' | 'callbackSlot' | 'agentSession' | 'agentFile' | 'metrics' | 'kept';

/**
 * Documents that hold no customer's data and must outlive any idle period: agents' presence and
 * shifts, the callback slot index (slot start times) and re-check fingerprint, the legacy worklist.
 */
const KEPT_DOCUMENTS = [/^presence:/, /^staffing:/, /^callback-slots$/, /^callback-recheck$/, /^agent-worklist:/];

/**
 * @example
 * documentClass('memory:webchat:42');                    // 'conversationMemory'
 * documentClass('botstate:webchat/conversations/42/x');  // 'botState'
 * documentClass('presence:ana');                         // 'kept'
 */
export function documentClass(key: string): DocumentClass {
  if (key.startsWith('memory:')) return 'conversationMemory';
  if (/^whatsapp-cloud:[^:]+:conv:/.test(key)) return 'whatsapp';
  if (/^whatsapp-cloud:[^:]+:outbox$/.test(key)) return 'whatsappOutbox';
  if (key.startsWith('callback-booking:')) return 'callbackBooking';
  if (/^callback-slot:\d+$/.test(key)) return 'callbackSlot';
  if (key.startsWith('agent-session:')) return 'agentSession';
  // a file an agent sends (AgentFiles), kept only until the channel sent it: at most its 24 h
  if (key.startsWith('agent-file:')) return 'agentFile';
  if (key.startsWith('metrics:')) return 'metrics';
  if (KEPT_DOCUMENTS.some((re) => re.test(key))) return 'kept';
  // anything else (the bot's ConversationState / UserState through DocumentStorage, a custom
  // store of the bot's): bot state, so nothing a bot writes is kept forever by default
  return 'botState';
}

/**
 * How long a document lives after this write (ms), or null for a kept one. A callback booking
 * and a callback slot live until their time plus the closed-handoff retention; an agent session
 * until it expires.
 *
 * @example
 * documentTtlMs('memory:webchat:42', {}, retention, Date.now()); // retention.botStateMs
 */
export function documentTtlMs(key: string, value: unknown, r: RetentionPolicy, now: number): number | null {
  const v = (value ?? {}) as Record<string, unknown>;
  switch (documentClass(key)) {
    case 'conversationMemory':
    case 'botState':
    case 'whatsapp':
      return r.botStateMs;
    case 'whatsappOutbox':
      return r.relayStreamsMs;
    case 'callbackBooking':
      return Math.max(0, (typeof v['at'] === 'number' ? v['at'] : now) - now) + r.closedHandoffsMs;
    case 'callbackSlot':
      return Math.max(0, Number(key.slice('callback-slot:'.length)) - now) + r.closedHandoffsMs;
    case 'agentSession':
    case 'agentFile':
      return typeof v['expiresAt'] === 'number' ? Math.max(1000, v['expiresAt'] - now) : r.botStateMs;
    case 'metrics':
      return r.auditMs;
    case 'kept':
      return null;
  }
}

/**
 * The customer a conversation memory document names (the middleware writes it on every turn with
 * `customerId` = the channel's user id: web chat user, WhatsApp number / BSUID), or undefined.
 *
 * @example
 * customerOfDocument('memory:webchat:42', { customerId: 'c-1001' }); // { customerId: 'c-1001', conversationId: 'webchat:42' }
 */
export function customerOfDocument(key: string, value: unknown): { customerId: string; conversationId: string } | undefined {
  if (!key.startsWith('memory:')) return undefined;
  const customerId = (value as { customerId?: unknown } | null)?.customerId;
  if (typeof customerId !== 'string' || customerId === '') return undefined;
  return { customerId, conversationId: key.slice('memory:'.length) };
}

/**
 * The user a user-scoped bot state document belongs to (botbuilder `UserState` through
 * `DocumentStorage`: `<namespace>:<channel>/users/<user id>/<state name>`), or undefined.
 *
 * @example
 * userOfDocument('botstate:webchat/users/c-1001/UserState'); // 'c-1001'
 */
export function userOfDocument(key: string): string | undefined {
  return /^(?:[^/:]*:)?[^/:]+\/users\/([^/]+)\/[^/]*$/.exec(key)?.[1];
}

/** sha256 of a customer id, hex: how the audit names the subject of an erasure. */
export function subjectOf(customerId: string): string {
  return createHash('sha256').update(customerId).digest('hex');
}

/**
 * Removes a conversation from every callback slot (its booking places and "settled" marks),
 * compare-and-set per slot. Returns how many places went.
 */
export async function removeFromCallbackSlots(documents: DocumentStore, conversation: string): Promise<number> {
  const index = await documents.read<SlotIndex>(SLOT_INDEX_KEY);
  let removed = 0;
  for (const start of index?.value.starts ?? []) {
    for (let attempt = 0; attempt < 10; attempt++) {
      const doc = await documents.read<SlotBookings>(slotKey(start));
      if (doc === undefined) break;
      let here = 0;
      const bookings: Record<string, SlotBookings['bookings'][string]> = {};
      for (const [queue, entries] of Object.entries(doc.value.bookings)) {
        const keep = entries.filter((e) => e.id !== conversation);
        here += entries.length - keep.length;
        bookings[queue] = keep;
      }
      const settled = doc.value.settled?.filter((id) => id !== conversation);
      const settledGone = (doc.value.settled?.length ?? 0) - (settled?.length ?? 0);
      if (here === 0 && settledGone === 0) break;
      const next: SlotBookings = { ...doc.value, bookings, ...(settled === undefined ? {} : { settled }) };
      if ((await documents.write(slotKey(start), next, doc.eTag)).ok) {
        removed += here;
        break;
      }
    }
  }
  return removed;
}

/** What `eraseCustomer` needs of a backend. */
export interface ErasureTarget {
  readonly handoffs: HandoffStore;
  readonly documents: DocumentStore;
  readonly customers: CustomerData;
}

/**
 * Options of `eraseCustomer`.
 *
 * @example
 * const opts: EraseOptions = { by: 'agent:sam', now: Date.now(), force: false };
 */
export interface EraseOptions {
  /** Who asks: `agent:<id>`, `desk:<name>`, `cli:<user>` (goes in the audit line). */
  readonly by: string;
  readonly now: number;
  /**
   * Erase conversations whose handoff is open (waiting, with an agent, booked) too: they leave
   * their queue / the agent's list / the callback slot. Without it such a customer is refused
   * (HANDOVER_ERR_NOT_IN_STATE) and nothing is erased.
   */
  readonly force?: boolean;
}

/** A customer id an operator may pass: 1..200 visible characters. */
export function checkCustomerId(customerId: string): string {
  if (typeof customerId !== 'string' || customerId.length === 0 || customerId.length > 200 || /[\s\u0000-\u001f]/.test(customerId)) {
    throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', `customer id ${JSON.stringify(customerId)} is invalid: 1 to 200 characters, no spaces or control characters`);
  }
  return customerId;
}

/**
 * Erases everything stored for one customer: every conversation the index links to them (handoff
 * state, transcript, conversation memory, bot state, web chat history, briefings, callback booking
 * and slot places, WhatsApp conversation documents, relay messages and dead letters, bursts…),
 * then the index entry, then writes an audit line (who, when, counts; the customer as a hash).
 * A customer with an open handoff is refused unless `force`. A customer the index does not know
 * is "erased" with zero counts (and audited): there is nothing of theirs left.
 *
 * @example
 * const r = await eraseCustomer(stores, 'c-1001', { by: 'cli:ops', now: Date.now() });
 */
export async function eraseCustomer(target: ErasureTarget, customerId: string, opts: EraseOptions): Promise<ErasureReport> {
  checkCustomerId(customerId);
  const ids = await target.customers.conversationsOf(customerId);
  const open: string[] = [];
  for (const id of ids) {
    const s = await target.handoffs.get(toConversationId(id));
    if (isWithHuman(s)) open.push(`${id} (${s.status})`);
  }
  if (open.length > 0 && opts.force !== true) {
    throw new HandoverError(
      'HANDOVER_ERR_NOT_IN_STATE',
      `customer ${customerId} has an open handoff: ${open.join(', ')}; resolve or return it first, or erase with --force (API: ?force=true), which takes it out of its queue, the agent's list or its callback slot`,
    );
  }
  const removed = noneErased();
  removed.conversations = ids.length;
  for (const id of ids) {
    const counts = await target.customers.purgeConversation(id);
    counts.callbacks += await removeFromCallbackSlots(target.documents, id);
    // files the customer sent (WhatsApp, web chat uploads), kept for the console
    counts.customerFiles += await new CustomerMedia(target.documents, { now: () => opts.now }).forgetConversation(id);
    if ((await target.documents.read(bookingKey(id))) !== undefined) {
      await target.documents.delete(bookingKey(id));
      counts.callbacks++;
    }
    add(removed, counts);
  }
  removed.botState += await target.customers.forgetCustomer(customerId);
  const audit: AuditLine = { at: opts.now, action: 'erase', by: opts.by, subject: subjectOf(customerId), counts: removed, forcedOpen: open.length };
  await target.customers.appendAudit(audit);
  return { customerId, conversationIds: ids, removed, audit };
}

function add(into: ErasedCounts, more: ErasedCounts): void {
  for (const k of Object.keys(into) as (keyof ErasedCounts)[]) if (k !== 'conversations') into[k] += more[k];
}
