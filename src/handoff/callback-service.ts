/**
 * Callback offers that real capacity can honour. `offer` finds the first slot, after the live
 * queue has drained, whose bookings are below the queue's capacity; `book` takes a place in it
 * with a compare-and-set on the slot's booking document (two customers racing for the last place:
 * one gets it, the other is offered the next slot) and moves the handoff to `scheduled`.
 *
 * @example
 * const slot = await callbacks.offer('support', await service.expectedWaitMs('support'));
 * if (slot) await callbacks.book(conversationId, 'support', slot.start);
 */
import type { Manifest } from '../config/manifest-schema.js';
import type { Clock } from '../core/clock.js';
import type { ConversationId } from '../core/ids.js';
import type { Stores } from '../core/ports/stores.js';
import { candidateSlots, type Slot } from './callback-slots.js';
import type { HandoffService } from './handoff-service.js';

interface Bookings {
  conversations: string[];
}

/** Booked at `at`, or refused with the next free slot (null when none within the horizon). */
export type BookResult = { readonly ok: true; readonly at: number } | { readonly ok: false; readonly next: Slot | null };

/**
 * Offers and books callback slots within capacity.
 *
 * @example
 * const slot = await callbacks.offer('fraud', 20 * 60_000);
 * if (slot) await callbacks.book(id, 'fraud', slot.start);
 */
export class CallbackService {
  constructor(private readonly opts: { manifest: Manifest; stores: Stores; clock: Clock; service: HandoffService }) {}

  private key(queue: string, start: number): string {
    return `callbacks:${queue}:${start}`;
  }

  /** Should a callback be offered for this wait? */
  worthOffering(waitMs: number): boolean {
    const c = this.opts.manifest.callbacks;
    return c.enabled && waitMs > c.offerWhenWaitAboveMinutes * 60_000;
  }

  /** The first slot from `now + waitMs` with a free place, or null within the horizon. */
  async offer(queue: string, waitMs: number, after = 0): Promise<Slot | null> {
    const q = this.opts.manifest.queues[queue];
    if (q === undefined) return null;
    const now = this.opts.clock.now();
    for (const slot of candidateSlots(q, this.opts.manifest.callbacks, Math.max(now + waitMs, after), now)) {
      const doc = await this.opts.stores.documents.read<Bookings>(this.key(queue, slot.start));
      if ((doc?.value.conversations.length ?? 0) < slot.capacity) return slot;
    }
    return null;
  }

  /** Take a place in the slot starting at `start` (compare-and-set), then schedule the handoff. */
  async book(id: ConversationId, queue: string, start: number): Promise<BookResult> {
    const q = this.opts.manifest.queues[queue];
    const slot = q === undefined ? undefined : candidateSlots(q, this.opts.manifest.callbacks, start, this.opts.clock.now()).find((s) => s.start === start);
    if (slot === undefined) return { ok: false, next: await this.offer(queue, 0, start) };
    const key = this.key(queue, start);
    for (let attempt = 0; attempt < 10; attempt++) {
      const doc = await this.opts.stores.documents.read<Bookings>(key);
      const list = doc?.value.conversations ?? [];
      if (list.includes(id)) break;
      if (list.length >= slot.capacity) return { ok: false, next: await this.offer(queue, 0, start + 1) };
      const next = { conversations: [...list, id] };
      // the first booking creates the slot's document; a concurrent creator makes one of us retry
      const r = doc === undefined ? await this.opts.stores.documents.create<Bookings>(key, next) : await this.opts.stores.documents.write<Bookings>(key, next, doc.eTag);
      if (r.ok) {
        await this.opts.service.schedule(id, start);
        return { ok: true, at: start };
      }
    }
    const again = await this.opts.stores.documents.read<Bookings>(key);
    if (again?.value.conversations.includes(id) === true) {
      await this.opts.service.schedule(id, start);
      return { ok: true, at: start };
    }
    return { ok: false, next: await this.offer(queue, 0, start + 1) };
  }
}
