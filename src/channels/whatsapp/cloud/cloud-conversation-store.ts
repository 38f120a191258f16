import type { DocumentStore } from '../../../core/ports/document-store.js';
import { HandoverError } from '../../../core/errors.js';
import type { NumberedOption } from '../shared/numbered-options.js';

/** What the Cloud channel remembers per customer (one document per phone number id + wa_id). */
export interface CloudConversationDoc {
  /** Epoch ms of the customer's last message: opens the 24-hour window. */
  readonly lastInboundAt?: number;
  /** Recent inbound wamids, newest last (bounded): Meta re-delivers webhooks. */
  readonly recentIds: readonly string[];
  /** Numbered options offered last (one-shot). */
  readonly offered?: readonly NumberedOption[];
  /** Texts written while the window was closed; delivered when the customer writes again. */
  readonly held?: readonly string[];
  /** When the re-engagement template went out while the window was closed (cleared by the customer's next message). */
  readonly templateSentAt?: number;
  /** The customer's last message (wamid): what a read receipt or the typing indicator refers to. */
  readonly lastInboundId?: string;
  /** The last message marked as read (the customer sees blue ticks up to it). */
  readonly readId?: string;
  /** The WhatsApp profile last seen, to tell the agent who this is once (and again when it changes). */
  readonly contact?: { readonly name: string; readonly username?: string };
}

/** The WhatsApp profile of the sender of a message, from the webhook's `contacts`. */
export interface CloudContactProfile {
  readonly name: string;
  readonly username?: string;
}

/** A message that could not be delivered yet (Graph unavailable); retried by `flushOutbox()`. */
export interface OutboxItem {
  readonly id: string;
  readonly to: string;
  readonly text: string;
  readonly enqueuedAt: number;
  readonly attempts: number;
  readonly lastError: string;
}

const RECENT_IDS = 200;
const MAX_HELD = 20;

/**
 * The Cloud channel's state, kept in the shared `DocumentStore` (memory or Redis) so that any process
 * can take any webhook: de-duplication of wamids, `lastInboundAt` for the 24-hour window, the numbered
 * options offered, texts held for a closed window, and the outbox of undelivered messages.
 * Every change is a read / compare-and-set write loop on the document's eTag.
 *
 * Keys: `whatsapp-cloud:<phoneNumberId>:conv:<waId>` and `whatsapp-cloud:<phoneNumberId>:outbox`.
 *
 * @example
 * const state = new CloudConversationStore(stores.documents, '1234567890');
 * const r = await state.claimInbound('5511987654321', 'wamid.X', Date.now()); // { fresh: true, … }
 */
export class CloudConversationStore {
  constructor(
    private readonly docs: DocumentStore,
    private readonly phoneNumberId: string,
  ) {}

  /**
   * Records an inbound message: false `fresh` when its wamid was already seen (a re-delivery). Also moves
   * `lastInboundAt` forward, remembers the message as the last one (read receipts), takes (clears) the
   * offered options and the held texts, and says whether the sender's profile is new or changed, in
   * one write.
   *
   * Known limit: the port has no "create if absent", so two processes taking the very first message of a
   * brand-new customer at the same instant could both create the document. Redelivered webhooks come
   * seconds apart, so in practice dedupe holds; a create-only write in the port would close the gap.
   */
  async claimInbound(
    waId: string,
    wamid: string,
    at: number,
    contact?: CloudContactProfile,
    opts: { opensWindow?: boolean } = {},
  ): Promise<{ fresh: boolean; offered: readonly NumberedOption[] | undefined; held: readonly string[]; contactChanged: boolean }> {
    let result = { fresh: false, offered: undefined as readonly NumberedOption[] | undefined, held: [] as readonly string[], contactChanged: false };
    await this.update<CloudConversationDoc>(this.convKey(waId), (cur) => {
      const doc = cur ?? { recentIds: [] };
      if (doc.recentIds.includes(wamid)) {
        result = { fresh: false, offered: undefined, held: [], contactChanged: false };
        return undefined; // no write
      }
      const known = doc.contact;
      const contactChanged = contact !== undefined && (known === undefined || known.name !== contact.name || known.username !== contact.username);
      if (opts.opensWindow === false) {
        // a reaction or a deletion: seen (dedupe), but not a message that reopens the window or answers an offer
        result = { fresh: true, offered: undefined, held: [], contactChanged: false };
        return { ...doc, recentIds: [...doc.recentIds, wamid].slice(-RECENT_IDS) };
      }
      result = { fresh: true, offered: doc.offered, held: doc.held ?? [], contactChanged };
      return {
        lastInboundAt: Math.max(doc.lastInboundAt ?? 0, at),
        recentIds: [...doc.recentIds, wamid].slice(-RECENT_IDS),
        lastInboundId: wamid,
        ...(doc.readId === undefined ? {} : { readId: doc.readId }),
        ...(contact === undefined ? (known === undefined ? {} : { contact: known }) : { contact: { name: contact.name, ...(contact.username === undefined ? {} : { username: contact.username }) } }),
      };
    });
    return result;
  }

  /** The customer's last inbound message time (epoch ms), if any. @example await state.lastInboundAt('5511…') */
  async lastInboundAt(waId: string): Promise<number | undefined> {
    return (await this.conversation(waId))?.lastInboundAt;
  }

  /** The customer's document (window, last message, read receipt), if any. @example (await state.conversation('5511…'))?.lastInboundId */
  async conversation(waId: string): Promise<CloudConversationDoc | undefined> {
    return (await this.docs.read<CloudConversationDoc>(this.convKey(waId)))?.value;
  }

  /** Records that messages up to `wamid` were marked read. @example await state.setRead('5511…', 'wamid.X') */
  async setRead(waId: string, wamid: string): Promise<void> {
    await this.update<CloudConversationDoc>(this.convKey(waId), (cur) => (cur === undefined || cur.readId === wamid ? undefined : { ...cur, readId: wamid }));
  }

  /** Remembers the numbered options just offered. @example await state.setOffered('5511…', options) */
  async setOffered(waId: string, offered: readonly NumberedOption[]): Promise<void> {
    await this.update<CloudConversationDoc>(this.convKey(waId), (cur) => ({ ...(cur ?? { recentIds: [] }), offered }));
  }

  /**
   * Holds a text until the customer reopens the window, and says whether the caller should send the
   * re-engagement template: only when none went out since the customer's last message (or the last one
   * is older than `resendAfterMs`), so an agent writing three lines does not cost three templates.
   * The template is claimed in the same write, so two processes do not both send it.
   *
   * @example
   * const { sendTemplate } = await state.hold('5511…', 'Agent: hi', Date.now(), 86_400_000);
   */
  async hold(waId: string, text: string, now: number = 0, resendAfterMs: number = Number.POSITIVE_INFINITY): Promise<{ sendTemplate: boolean }> {
    let sendTemplate = false;
    await this.update<CloudConversationDoc>(this.convKey(waId), (cur) => {
      const doc = cur ?? { recentIds: [] };
      sendTemplate = doc.templateSentAt === undefined || now - doc.templateSentAt >= resendAfterMs;
      return { ...doc, held: [...(doc.held ?? []), text].slice(-MAX_HELD), ...(sendTemplate ? { templateSentAt: now } : {}) };
    });
    return { sendTemplate };
  }

  /** Forgets a template claim whose send failed, so the next held text tries again. @example await state.unclaimTemplate('5511…') */
  async unclaimTemplate(waId: string): Promise<void> {
    await this.update<CloudConversationDoc>(this.convKey(waId), (cur) => {
      if (cur?.templateSentAt === undefined) return undefined;
      const { templateSentAt: _dropped, ...rest } = cur;
      return rest;
    });
  }

  /** Undelivered messages, oldest first. @example (await state.outbox()).length */
  async outbox(): Promise<readonly OutboxItem[]> {
    return (await this.docs.read<{ items: OutboxItem[] }>(this.outboxKey()))?.value.items ?? [];
  }

  /** Appends to the outbox. @example await state.addToOutbox([{ id, to, text, enqueuedAt, attempts: 1, lastError }]) */
  async addToOutbox(items: readonly OutboxItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.update<{ items: OutboxItem[] }>(this.outboxKey(), (cur) => ({ items: [...(cur?.items ?? []), ...items] }));
  }

  /** Removes delivered items and records another failed attempt on the others. @example await state.settleOutbox(['a'], new Map()) */
  async settleOutbox(delivered: readonly string[], failed: ReadonlyMap<string, string>): Promise<void> {
    await this.update<{ items: OutboxItem[] }>(this.outboxKey(), (cur) => ({
      items: (cur?.items ?? [])
        .filter((i) => !delivered.includes(i.id))
        .map((i) => {
          const err = failed.get(i.id);
          return err === undefined ? i : { ...i, attempts: i.attempts + 1, lastError: err };
        }),
    }));
  }

  private convKey(waId: string): string {
    return `whatsapp-cloud:${this.phoneNumberId}:conv:${waId}`;
  }

  private outboxKey(): string {
    return `whatsapp-cloud:${this.phoneNumberId}:outbox`;
  }

  /** Read, change, compare-and-set; retried when another process wrote in between. `undefined` = no write. */
  private async update<T>(key: string, change: (cur: T | undefined) => T | undefined): Promise<void> {
    for (let i = 0; i < 20; i++) {
      const cur = await this.docs.read<T>(key);
      const next = change(cur?.value);
      if (next === undefined) return;
      const w = await this.docs.write(key, next, cur?.eTag);
      if (w.ok) return;
    }
    throw new HandoverError('HANDOVER_ERR_STATE_CONFLICT', `whatsapp-cloud: ${key} kept changing under 20 writes; giving up this update`);
  }
}
