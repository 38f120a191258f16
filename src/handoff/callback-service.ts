/**
 * Callback offers that real capacity can honour.
 *
 * A slot's capacity is the time of the agents who can take the queue then — the console agents
 * of that queue whose shifts cover the slot (inside the queue's opening hours) and, within the
 * next hour, who are actually online (src/staffing) — minus the callbacks already booked in it
 * and minus the live queue expected to be still waiting by then. Agents who work several queues
 * are shared between them (a maximum flow decides whether the work fits, src/staffing/capacity.ts).
 *
 * - `offer` walks the slots from now, draining the live queue through each slot's spare time,
 *   and returns the first one (at or after the customer's expected wait) with room for one more.
 * - `book` takes a place with a compare-and-set on the slot's document, checked against that
 *   capacity: two customers racing for the last place cannot both get it.
 * - `recheck` (on every presence or shift change, and from the SLA sweep whenever the staffing
 *   fingerprint or the current slot changes) finds future slots booked beyond what the agents can
 *   now do and moves the latest bookings to the next free slot — the customer is told, in their
 *   language, on their channel — or back to the queue when no slot is left.
 * - `sweep` (after each SLA sweep) also settles past slots: a due callback that nobody accepted
 *   within the queue's SLA after its time is told so and offered the next free slot ("1" books it).
 *
 * @example
 * const slot = await callbacks.offer('support', await service.expectedWaitMs('support'));
 * if (slot) await callbacks.book(conversationId, 'support', slot.start);
 */
import type { Manifest, QueueConfig } from '../core/manifest.js';
import type { Clock } from '../core/clock.js';
import { HandoverError } from '../core/errors.js';
import { transition, type HandoffState } from '../core/handoff-state.js';
import { conversationId as toConversationId, handoffId, queueId, type ConversationId } from '../core/ids.js';
import type { StoredDocument } from '../core/ports/document-store.js';
import type { Stores } from '../core/ports/stores.js';
import { addWork, fits, maxFlow, shortQueues, type SupplyNode } from '../staffing/capacity.js';
import { Staffing, type StaffingSnapshot } from '../staffing/staffing.js';
import {
  bookingKey,
  entriesOf,
  SLOT_INDEX_KEY,
  slotKey,
  type BookingChange,
  type CallbackBooking,
  type SlotBookings,
  type SlotEntry,
  type SlotIndex,
} from './callback-bookings.js';
import { formatSlot, isOpen, type Slot } from './callback-slots.js';
import { memoryKey, type ConversationMemory } from './conversation-memory.js';
import type { HandoffService } from './handoff-service.js';

/** Booked at `at`, or refused with the next free slot (null when none within the horizon). */
export type BookResult = { readonly ok: true; readonly at: number } | { readonly ok: false; readonly next: Slot | null };

/** What a re-check did. */
export interface RecheckResult {
  /** Future slots holding bookings that were looked at. */
  readonly checked: number;
  /** Bookings moved to a later slot (customer told). */
  readonly moved: number;
  /** Bookings sent back to the queue: no slot left within the horizon (customer told). */
  readonly cancelled: number;
}

/** One upcoming slot of a queue, as supervisors see it. */
export interface SlotView {
  readonly start: number;
  readonly end: number;
  /** Callbacks of this queue booked in it. */
  readonly booked: number;
  /** How many more of this queue it can take now (0 when full or closed). */
  readonly free: number;
}

/** Options of {@link CallbackService}. */
export interface CallbackServiceOptions {
  readonly manifest: Manifest;
  readonly stores: Stores;
  readonly clock: Clock;
  readonly service: HandoffService;
  /** Presence and shifts (default: built over `stores.documents`). */
  readonly staffing?: Staffing;
  /** Called when the sweep's background work fails (default: ignore; `sweep()` throws too). */
  readonly onError?: (e: unknown, where: string) => void;
}

/** A booking younger than this is still being written (its state may not say `scheduled` yet). */
const SETTLING_MS = 60_000;
/** Past slots are kept this long for the agents' view of what was promised, then deleted. */
const KEEP_PAST_MS = 24 * 3_600_000;
/** Slot documents read in one batch while walking (one round trip on Redis). */
const BATCH = 16;
const RECHECK_KEY = 'callback-recheck';

type Work = Map<string, number>;

/**
 * Offers, books, re-checks and settles callbacks within real capacity.
 *
 * @example
 * const callbacks = new CallbackService({ manifest, stores, clock, service });
 * const slot = await callbacks.offer('fraud', 20 * 60_000);
 * if (slot) await callbacks.book(id, 'fraud', slot.start);
 */
export class CallbackService {
  readonly staffing: Staffing;

  constructor(private readonly opts: CallbackServiceOptions) {
    this.staffing = opts.staffing ?? new Staffing({ manifest: opts.manifest, documents: opts.stores.documents, clock: opts.clock });
  }

  private get cfg(): Manifest['callbacks'] {
    return this.opts.manifest.callbacks;
  }

  private get slotMs(): number {
    return this.cfg.slotMinutes * 60_000;
  }

  private avgMs(queue: string): number {
    return (this.opts.manifest.queues[queue]?.avgHandleSeconds ?? 300) * 1000;
  }

  /** Booked work of a slot per queue (ms). */
  private booked(doc: SlotBookings | undefined): Work {
    const work: Work = new Map();
    if (doc === undefined) return work;
    for (const [q, list] of Object.entries(doc.bookings)) if (list.length > 0) work.set(q, list.length * this.avgMs(q));
    return work;
  }

  /** Should a callback be offered for this wait? */
  worthOffering(waitMs: number): boolean {
    const c = this.cfg;
    return c.enabled && waitMs > c.offerWhenWaitAboveMinutes * 60_000;
  }

  /**
   * The first slot from `now + waitMs` (and not before `after`) with room for one more contact of
   * the queue, or null within the horizon. With `conversationId`, the live queue counted is who
   * waits ahead of that conversation; without, everyone but the last in (the customer who was
   * just queued and is being offered a time).
   */
  async offer(queue: string, waitMs: number, after = 0, opts: { readonly conversationId?: ConversationId } = {}): Promise<Slot | null> {
    const found = await this.find(queue, waitMs, after, opts.conversationId);
    return found?.slot ?? null;
  }

  /** Take a place in the slot starting at `start` (compare-and-set against capacity), then schedule the handoff. */
  async book(id: ConversationId, queue: string, start: number): Promise<BookResult> {
    const q = this.opts.manifest.queues[queue];
    const now = this.opts.clock.now();
    const refuse = async (): Promise<BookResult> => ({ ok: false, next: await this.offer(queue, 0, start + 1, { conversationId: id }) });
    if (q === undefined || !this.cfg.enabled || !this.bookable(q, start, now)) return { ok: false, next: await this.offer(queue, 0, start, { conversationId: id }) };
    const state = await this.opts.stores.handoffs.get(id);
    if (state.status === 'scheduled' && state.callbackAt === start) return { ok: true, at: start };
    if (state.status !== 'queued' || state.handoffId === null) throw new HandoverError('HANDOVER_ERR_NOT_IN_STATE', `cannot book a callback for a conversation that is ${state.status}`);
    const [snap, live] = await Promise.all([this.staffing.snapshot(), this.liveWork(queue, id, false, state)]);
    const backlog = await this.backlogAt(start, live, snap);
    const supply = snap.supply(start, start + this.slotMs);
    const entry: SlotEntry = { id, handoffId: state.handoffId, at: now };
    const added = await this.addEntry(start, queue, entry, (doc) => fits(addWork(this.booked(doc), backlog, new Map([[queue, this.avgMs(queue)]])), supply));
    if (added === 'full') return refuse();
    try {
      await this.opts.service.schedule(id, start);
    } catch (e) {
      await this.removeEntry(start, id);
      throw e;
    }
    await this.recordBooking(id, state.handoffId, queue, start, null);
    return { ok: true, at: start };
  }

  /**
   * The next `limit` slots of a queue within the horizon: booked callbacks of the queue and how
   * many more it can take (for supervisors; counts the whole live queue as waiting).
   */
  async upcoming(queue: string, limit = 48): Promise<SlotView[]> {
    const q = this.opts.manifest.queues[queue];
    if (q === undefined) throw new HandoverError('HANDOVER_ERR_UNKNOWN_QUEUE', `unknown queue "${queue}"`);
    const now = this.opts.clock.now();
    const [snap, live] = await Promise.all([this.staffing.snapshot(), this.liveWork(queue, undefined, true)]);
    let backlog: Work = live;
    const out: SlotView[] = [];
    for await (const { start, doc } of this.slots(now, now + this.cfg.horizonHours * 3_600_000)) {
      if (out.length >= limit) break;
      const end = start + this.slotMs;
      const supply = snap.supply(Math.max(start, now), end);
      const booked = this.booked(doc?.value);
      if (start > now && isOpen(q, start, end, this.cfg.timezone)) {
        out.push({ start, end, booked: doc?.value.bookings[queue]?.length ?? 0, free: this.freeFor(queue, addWork(booked, backlog), supply) });
      }
      backlog = drain(backlog, booked, supply);
    }
    return out;
  }

  /**
   * Checks every future slot holding bookings against what the agents can do now; moves the
   * latest bookings of an overbooked slot to the next free slot (or back to the queue when none
   * is left), telling each customer. Safe on many processes at once: each move is a chain of
   * compare-and-sets, and the one process whose state commit wins tells the customer.
   */
  async recheck(snapshot?: StaffingSnapshot): Promise<RecheckResult> {
    if (!this.cfg.enabled) return { checked: 0, moved: 0, cancelled: 0 };
    const snap = snapshot ?? (await this.staffing.snapshot());
    const now = snap.now;
    let checked = 0;
    let moved = 0;
    let cancelled = 0;
    const seen: number[] = [];
    for await (const { start, doc } of this.slots(now + 1, now + (this.cfg.horizonHours + 1) * 3_600_000)) {
      if (start <= now || doc === undefined || entriesOf(doc.value).length === 0) continue;
      seen.push(start);
      checked++;
      const supply = snap.supply(start, start + this.slotMs);
      if (fits(this.booked(doc.value), supply)) continue;
      let current = await this.dropStale(start, now);
      for (let guard = 0; guard < 500 && current !== undefined; guard++) {
        const short = shortQueues(this.booked(current), supply);
        if (short.length === 0) break;
        const victim = entriesOf(current)
          .filter((e) => short.includes(e.queue))
          .sort((a, b) => b.entry.at - a.entry.at)[0];
        if (victim === undefined) break;
        const r = await this.move(victim.entry, victim.queue, start, 'capacity');
        if (r === 'moved') moved++;
        else if (r === 'cancelled') cancelled++;
        current = (await this.opts.stores.documents.read<SlotBookings>(slotKey(start)))?.value;
      }
    }
    await this.indexAll(seen);
    return { checked, moved, cancelled };
  }

  /**
   * After each SLA sweep: re-check future bookings when the staffing changed (or a new slot
   * began, which moves the one-hour presence window), then settle past slots (missed callbacks
   * are told and offered the next slot; slots older than a day are deleted).
   */
  async sweep(): Promise<{ rechecked: RecheckResult | null; missed: number }> {
    if (!this.cfg.enabled) return { rechecked: null, missed: 0 };
    const snap = await this.staffing.snapshot();
    const now = snap.now;
    const fingerprint = `${snap.fingerprint()}|${Math.floor(now / this.slotMs)}`;
    let rechecked: RecheckResult | null = null;
    const seen = await this.opts.stores.documents.read<{ fingerprint: string }>(RECHECK_KEY);
    if (seen?.value.fingerprint !== fingerprint) {
      // one process claims each change; the others see the new fingerprint and leave it
      const claim = seen === undefined ? await this.opts.stores.documents.create(RECHECK_KEY, { fingerprint }) : await this.opts.stores.documents.write(RECHECK_KEY, { fingerprint }, seen.eTag);
      if (claim.ok) rechecked = await this.recheck(snap);
    }
    let missed = 0;
    const index = await this.opts.stores.documents.read<SlotIndex>(SLOT_INDEX_KEY);
    for (const start of [...(index?.value.starts ?? [])].sort((a, b) => a - b)) {
      if (start > now) break;
      if (start + this.slotMs < now - KEEP_PAST_MS) await this.purge(start);
      else missed += await this.settlePast(start, now);
    }
    return { rechecked, missed };
  }

  // ---- slots and capacity ---------------------------------------------------------------------

  private bookable(q: QueueConfig, start: number, now: number): boolean {
    const end = start + this.slotMs;
    return start % this.slotMs === 0 && start > now && end <= now + this.cfg.horizonHours * 3_600_000 && isOpen(q, start, end, this.cfg.timezone);
  }

  /**
   * Slot starts on the grid from the slot holding `from` up to `to`, with their documents. Only
   * the slots `need` asks for are read (asked when a batch is gathered), up to BATCH in one
   * round trip; the others come with no document.
   */
  private async *slots(from: number, to: number, need: (start: number) => boolean = () => true): AsyncGenerator<{ start: number; doc: StoredDocument<SlotBookings> | undefined }> {
    const step = this.slotMs;
    let next = Math.floor(from / step) * step;
    while (next < to) {
      const starts: number[] = [];
      const read: number[] = [];
      for (; next < to && read.length < BATCH; next += step) {
        starts.push(next);
        if (need(next)) read.push(next);
      }
      const docs = await Promise.all(read.map((s) => this.opts.stores.documents.read<SlotBookings>(slotKey(s))));
      const byStart = new Map(read.map((s, i) => [s, docs[i]]));
      for (const start of starts) yield { start, doc: byStart.get(start) };
    }
  }

  /**
   * Live work per queue (ms): every waiting conversation × its queue's handling time. In `queue`,
   * only those ahead of `id` when it waits there (its place among the first 200; further back,
   * all but itself), all but the last in without `id` (the customer just queued and being
   * offered a time), and everyone with `everyone` or when `id` does not wait there (a booking
   * being moved: the live queue keeps its turn).
   */
  private async liveWork(queue: string, id: ConversationId | undefined, everyone = false, known?: HandoffState): Promise<Work> {
    const queues = Object.keys(this.opts.manifest.queues);
    const [lengths, state] = await Promise.all([
      Promise.all(queues.map((q) => this.opts.stores.handoffs.queueLength(queueId(q)))),
      id === undefined || everyone ? Promise.resolve(undefined) : known !== undefined ? Promise.resolve(known) : this.opts.stores.handoffs.get(id),
    ]);
    const work: Work = new Map();
    for (let i = 0; i < queues.length; i++) {
      const q = queues[i]!;
      let count = lengths[i]!;
      if (q === queue && !everyone) {
        if (id === undefined) count = Math.max(0, count - 1);
        else if (state?.status === 'queued' && state.queue === queue) {
          const handoffs = this.opts.stores.handoffs;
          let at: number | null;
          if (handoffs.queuePosition !== undefined) at = await handoffs.queuePosition(queueId(q), id);
          else at = (count <= 0 ? [] : await handoffs.listQueue(queueId(q), Math.min(count, 200))).findIndex((e) => e.conversationId === id);
          count = at !== null && at >= 0 ? at : Math.max(0, count - 1);
        }
      }
      if (count > 0) work.set(q, count * this.avgMs(q));
    }
    return work;
  }

  /** The live work still waiting when the slot at `start` begins. */
  private async backlogAt(start: number, live: Work, snap: StaffingSnapshot): Promise<Work> {
    let backlog = live;
    // a slot matters only while some live work is left and someone works in it
    const need = (s: number): boolean => backlog.size > 0 && snap.supply(Math.max(s, snap.now), s + this.slotMs).length > 0;
    for await (const s of this.slots(snap.now, start, need)) {
      if (s.start >= start) break;
      const supply = snap.supply(Math.max(s.start, snap.now), s.start + this.slotMs);
      backlog = drain(backlog, this.booked(s.doc?.value), supply);
    }
    return backlog;
  }

  /** How many more contacts of `queue` fit on top of `demand` (binary search, at most 256). */
  private freeFor(queue: string, demand: Work, supply: readonly SupplyNode[]): number {
    const avg = this.avgMs(queue);
    const ok = (k: number): boolean => fits(addWork(demand, new Map([[queue, k * avg]])), supply);
    if (!ok(1)) return 0;
    let lo = 1;
    let hi = 2;
    while (hi <= 256 && ok(hi)) {
      lo = hi;
      hi *= 2;
    }
    hi = Math.min(hi, 257);
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (ok(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  private async find(queue: string, waitMs: number, after: number, id: ConversationId | undefined): Promise<{ slot: Slot } | null> {
    const q = this.opts.manifest.queues[queue];
    if (q === undefined || !this.cfg.enabled) return null;
    const [snap, live] = await Promise.all([this.staffing.snapshot(), this.liveWork(queue, id)]);
    const now = snap.now;
    const earliest = Math.max(now + waitMs, after);
    const horizon = now + this.cfg.horizonHours * 3_600_000;
    let backlog = live;
    const candidate = (start: number): boolean => start > now && start >= earliest && isOpen(q, start, start + this.slotMs, this.cfg.timezone);
    // before the first candidate, a slot matters only to drain the live queue (some left, someone working)
    const need = (start: number): boolean => candidate(start) || (backlog.size > 0 && snap.supply(Math.max(start, now), start + this.slotMs).length > 0);
    for await (const { start, doc } of this.slots(now, horizon, need)) {
      const end = start + this.slotMs;
      if (end > horizon) break;
      const supply = snap.supply(Math.max(start, now), end);
      const booked = this.booked(doc?.value);
      if (candidate(start)) {
        const demand = addWork(booked, backlog);
        if (fits(addWork(demand, new Map([[queue, this.avgMs(queue)]])), supply)) {
          const free = this.freeFor(queue, demand, supply);
          return { slot: { start, end, capacity: (doc?.value.bookings[queue]?.length ?? 0) + free } };
        }
      }
      backlog = drain(backlog, booked, supply);
    }
    return null;
  }

  // ---- slot documents -------------------------------------------------------------------------

  /** Adds an entry with a compare-and-set while `room(doc)` holds; 'full' when it does not. */
  private async addEntry(start: number, queue: string, entry: SlotEntry, room: (doc: SlotBookings | undefined) => boolean): Promise<'added' | 'full'> {
    const key = slotKey(start);
    for (let attempt = 0; attempt < 10; attempt++) {
      const doc = await this.opts.stores.documents.read<SlotBookings>(key);
      if (entriesOf(doc?.value).some((e) => e.entry.id === entry.id)) return 'added';
      if (!room(doc?.value)) return 'full';
      const bookings = { ...(doc?.value.bookings ?? {}), [queue]: [...(doc?.value.bookings[queue] ?? []), entry] };
      const next: SlotBookings = { v: 2, bookings, ...(doc?.value.settled === undefined ? {} : { settled: doc.value.settled }) };
      // the first booking creates the slot's document; a concurrent creator makes one of us retry
      const r = doc === undefined ? await this.opts.stores.documents.create(key, next) : await this.opts.stores.documents.write(key, next, doc.eTag);
      if (r.ok) {
        if (doc === undefined) await this.indexAll([start]);
        return 'added';
      }
      // lost the race for this slot: step aside a random moment, so a crowd does not retry in lockstep
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(25, 2 ** attempt)));
    }
    const again = await this.opts.stores.documents.read<SlotBookings>(key);
    return entriesOf(again?.value).some((e) => e.entry.id === entry.id) ? 'added' : 'full';
  }

  /** Removes a conversation's entry from a slot (compare-and-set). */
  private async removeEntry(start: number, id: string): Promise<void> {
    await this.editSlot(start, (doc) => {
      if (!entriesOf(doc).some((e) => e.entry.id === id)) return null;
      const bookings = Object.fromEntries(Object.entries(doc.bookings).map(([q, list]) => [q, list.filter((e) => e.id !== id)]));
      return { ...doc, bookings };
    });
  }

  /** Compare-and-set edit of a slot document; `change` returns null for "nothing to do". True when written. */
  private async editSlot(start: number, change: (doc: SlotBookings) => SlotBookings | null): Promise<boolean> {
    const key = slotKey(start);
    for (let attempt = 0; attempt < 20; attempt++) {
      const doc = await this.opts.stores.documents.read<SlotBookings>(key);
      if (doc === undefined) return false;
      const next = change(doc.value);
      if (next === null) return false;
      if ((await this.opts.stores.documents.write(key, next, doc.eTag)).ok) return true;
    }
    throw new HandoverError('HANDOVER_ERR_STATE_CONFLICT', `callback slot ${new Date(start).toISOString()} kept changing`);
  }

  /** Adds slot starts to the index (idempotent). */
  private async indexAll(starts: readonly number[]): Promise<void> {
    if (starts.length === 0) return;
    for (let attempt = 0; attempt < 20; attempt++) {
      const doc = await this.opts.stores.documents.read<SlotIndex>(SLOT_INDEX_KEY);
      const have = new Set(doc?.value.starts ?? []);
      const missing = starts.filter((s) => !have.has(s));
      if (missing.length === 0) return;
      const next: SlotIndex = { starts: [...have, ...missing].sort((a, b) => a - b) };
      const r = doc === undefined ? await this.opts.stores.documents.create(SLOT_INDEX_KEY, next) : await this.opts.stores.documents.write(SLOT_INDEX_KEY, next, doc.eTag);
      if (r.ok) return;
    }
    throw new HandoverError('HANDOVER_ERR_STATE_CONFLICT', 'the callback slot index kept changing');
  }

  private async unindex(start: number): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const doc = await this.opts.stores.documents.read<SlotIndex>(SLOT_INDEX_KEY);
      if (doc === undefined || !doc.value.starts.includes(start)) return;
      if ((await this.opts.stores.documents.write(SLOT_INDEX_KEY, { starts: doc.value.starts.filter((s) => s !== start) }, doc.eTag)).ok) return;
    }
  }

  /**
   * Drops entries of a future slot whose conversation is no longer booked there (accepted early,
   * moved by a process that died half-way…); entries younger than a minute are still being booked.
   */
  private async dropStale(start: number, now: number): Promise<SlotBookings | undefined> {
    const doc = await this.opts.stores.documents.read<SlotBookings>(slotKey(start));
    if (doc === undefined) return undefined;
    const old = entriesOf(doc.value).filter((e) => e.entry.at < now - SETTLING_MS);
    const states = await Promise.all(old.map((e) => this.opts.stores.handoffs.get(toConversationId(e.entry.id))));
    const stale = new Set(old.filter((e, i) => !bookedHere(states[i]!, e.entry, start)).map((e) => e.entry.id));
    if (stale.size === 0) return doc.value;
    await this.editSlot(start, (d) => ({ ...d, bookings: Object.fromEntries(Object.entries(d.bookings).map(([q, l]) => [q, l.filter((e) => !stale.has(e.id))])) }));
    return (await this.opts.stores.documents.read<SlotBookings>(slotKey(start)))?.value;
  }

  // ---- moving, missing, purging ---------------------------------------------------------------

  /**
   * Moves one booking out of the slot at `from`: to the next free slot of its queue (capacity
   * checked), or back to the queue when none is left within the horizon. The process whose state
   * commit wins tells the customer; a booking that is no longer there is only cleaned up.
   */
  private async move(entry: SlotEntry, queue: string, from: number, why: BookingChange['why']): Promise<'moved' | 'cancelled' | 'stale'> {
    const id = toConversationId(entry.id);
    let after = from + 1;
    for (let attempt = 0; attempt < 10; attempt++) {
      const found = await this.find(queue, 0, after, id);
      const now = this.opts.clock.now();
      if (found === null) return this.cancel(entry, queue, from);
      const to = found.slot.start;
      const [snap, live] = await Promise.all([this.staffing.snapshot(), this.liveWork(queue, id)]);
      const backlog = await this.backlogAt(to, live, snap);
      const supply = snap.supply(to, to + this.slotMs);
      const added = await this.addEntry(to, queue, { ...entry, at: now }, (doc) => fits(addWork(this.booked(doc), backlog, new Map([[queue, this.avgMs(queue)]])), supply));
      if (added === 'full') {
        after = to; // taken meanwhile: the next one
        continue;
      }
      const r = await this.reschedule(entry, from, to);
      if (r === 'stale') {
        const s = await this.opts.stores.handoffs.get(id);
        if (!bookedHere(s, entry, to)) await this.removeEntry(to, entry.id);
        await this.removeEntry(from, entry.id);
        return 'stale';
      }
      await this.removeEntry(from, entry.id);
      await this.recordBooking(id, entry.handoffId, queue, to, { at: now, from, to, why });
      await this.opts.stores.transcripts.append(id, { at: now, from: 'system', type: 'event', meta: { name: 'handoff.callback_moved', from, to, why } });
      await this.opts.stores.events.publish({ type: 'handoff.callback_scheduled', conversationId: id, at: now, handoffId: handoffId(entry.handoffId), queue: queueId(queue), callbackAt: to });
      await this.opts.service.notifyCustomer(id, 'handoff.callback_moved', (locale) => ({ time: this.slotText(to, locale), previous: this.slotText(from, locale) }), { callback: { from, to } });
      return 'moved';
    }
    return 'stale';
  }

  /** Commits scheduled(at `from`) → scheduled(at `to`) in one compare-and-set; 'stale' when it is not booked at `from` any more. */
  private async reschedule(entry: SlotEntry, from: number, to: number): Promise<HandoffState | 'stale'> {
    const id = toConversationId(entry.id);
    for (let attempt = 0; attempt < 5; attempt++) {
      const s = await this.opts.stores.handoffs.get(id);
      if (!bookedHere(s, entry, from)) return 'stale';
      const now = this.opts.clock.now();
      const due = transition(s, { type: 'callbackDue', priority: s.priority, slaMs: 0 }, now);
      const again = due.ok ? transition(due.state, { type: 'schedule', at: to }, now) : due;
      if (!again.ok) return 'stale';
      const c = await this.opts.stores.handoffs.commit(id, s.version, again.state);
      if (c.ok) return c.state;
    }
    return 'stale';
  }

  /** No slot left: the booking goes back to the head of its queue (callbacks' priority); the customer is told. */
  private async cancel(entry: SlotEntry, queue: string, from: number): Promise<'cancelled' | 'stale'> {
    const id = toConversationId(entry.id);
    const q = this.opts.manifest.queues[queue];
    for (let attempt = 0; attempt < 5; attempt++) {
      const s = await this.opts.stores.handoffs.get(id);
      if (!bookedHere(s, entry, from)) {
        await this.removeEntry(from, entry.id);
        return 'stale';
      }
      const now = this.opts.clock.now();
      const r = transition(s, { type: 'callbackDue', priority: this.cfg.priority, slaMs: (q?.slaSeconds ?? 600) * 1000 }, now);
      if (!r.ok) return 'stale';
      const c = await this.opts.stores.handoffs.commit(id, s.version, r.state);
      if (!c.ok) continue;
      await this.removeEntry(from, entry.id);
      await this.recordBooking(id, entry.handoffId, queue, from, { at: now, from, to: null, why: 'no_capacity' });
      await this.opts.stores.transcripts.append(id, { at: now, from: 'system', type: 'event', meta: { name: 'handoff.callback_cancelled', from } });
      await this.opts.stores.events.publish({ type: 'handoff.callback_due', conversationId: id, at: now, handoffId: handoffId(entry.handoffId), queue: queueId(queue), priority: c.state.priority });
      await this.opts.service.notifyCustomer(id, 'handoff.callback_cancelled', (locale) => ({ previous: this.slotText(from, locale) }), { callback: { from, to: null } });
      return 'cancelled';
    }
    return 'stale';
  }

  /**
   * A past slot: settles each booking once — taken by an agent, gone (resolved, returned, moved),
   * or missed (still waiting a whole SLA after its time: the customer is told and offered the
   * next free slot). Returns how many were missed.
   */
  private async settlePast(start: number, now: number): Promise<number> {
    const doc = await this.opts.stores.documents.read<SlotBookings>(slotKey(start));
    if (doc === undefined) {
      await this.unindex(start);
      return 0;
    }
    const settled = new Set(doc.value.settled ?? []);
    const open = entriesOf(doc.value).filter((e) => !settled.has(e.entry.id));
    if (open.length === 0) return 0;
    const states = await Promise.all(open.map((e) => this.opts.stores.handoffs.get(toConversationId(e.entry.id))));
    const done: string[] = [];
    const missed: { entry: SlotEntry; state: HandoffState }[] = [];
    open.forEach(({ entry }, i) => {
      const s = states[i]!;
      if (s.handoffId !== entry.handoffId || s.status === 'resolved' || s.status === 'returned' || s.status === 'assigned') done.push(entry.id);
      else if (s.status === 'scheduled') {
        if (s.callbackAt !== start) done.push(entry.id); // booked elsewhere since
      } else if (s.status === 'queued' && s.queue !== null) {
        const sla = (this.opts.manifest.queues[s.queue]?.slaSeconds ?? 600) * 1000;
        if (now >= start + sla) missed.push({ entry, state: s });
      }
    });
    if (done.length > 0) await this.editSlot(start, (d) => ({ ...d, settled: [...new Set([...(d.settled ?? []), ...done])] }));
    let told = 0;
    for (const m of missed) {
      // claim it: exactly one process tells the customer
      const claimed = await this.editSlot(start, (d) => ((d.settled ?? []).includes(m.entry.id) ? null : { ...d, settled: [...(d.settled ?? []), m.entry.id] }));
      if (!claimed) continue;
      await this.missed(m.entry, m.state, start);
      told++;
    }
    return told;
  }

  /** Nobody took a due callback within the queue's SLA: tell the customer and offer the next slot. */
  private async missed(entry: SlotEntry, s: HandoffState, start: number): Promise<void> {
    const id = toConversationId(entry.id);
    const queue = s.queue!;
    const next = await this.offer(queue, 0, 0, { conversationId: id });
    const now = this.opts.clock.now();
    await this.setOffer(id, next === null ? null : { handoffId: entry.handoffId, queue, start: next.start });
    await this.recordBooking(id, entry.handoffId, queue, start, { at: now, from: start, to: null, why: 'missed' });
    await this.opts.stores.transcripts.append(id, { at: now, from: 'system', type: 'event', meta: { name: 'handoff.callback_missed', booked: start, offered: next?.start ?? null } });
    if (next === null) await this.opts.service.notifyCustomer(id, 'handoff.callback_missed_no_slot', (locale) => ({ booked: this.slotText(start, locale) }), { callback: { missed: start } });
    else await this.opts.service.notifyCustomer(id, 'handoff.callback_missed', (locale) => ({ booked: this.slotText(start, locale), time: this.slotText(next.start, locale) }), { callback: { missed: start, offered: next.start } });
  }

  /** A slot more than a day old: its document and the bookings that still point at it go. */
  private async purge(start: number): Promise<void> {
    const doc = await this.opts.stores.documents.read<SlotBookings>(slotKey(start));
    for (const { entry } of entriesOf(doc?.value)) {
      const b = await this.opts.stores.documents.read<CallbackBooking>(bookingKey(entry.id));
      if (b === undefined || b.value.handoffId !== entry.handoffId || b.value.at !== start) continue;
      const s = await this.opts.stores.handoffs.get(toConversationId(entry.id));
      if (s.status === 'assigned' && s.handoffId === entry.handoffId) continue; // still with the agent who took it
      await this.opts.stores.documents.delete(bookingKey(entry.id));
    }
    await this.opts.stores.documents.delete(slotKey(start));
    await this.unindex(start);
  }

  /** Writes the conversation's booking (a new handoff starts a fresh record; a change is appended). */
  private async recordBooking(id: ConversationId, handoff: string, queue: string, at: number, change: BookingChange | null): Promise<void> {
    const key = bookingKey(id);
    for (let attempt = 0; attempt < 10; attempt++) {
      const doc = await this.opts.stores.documents.read<CallbackBooking>(key);
      const same = doc !== undefined && doc.value.handoffId === handoff;
      const next: CallbackBooking = {
        conversationId: id,
        handoffId: handoff,
        queue,
        at,
        bookedAt: same ? doc.value.bookedAt : this.opts.clock.now(),
        changes: [...(same ? doc.value.changes : []), ...(change === null ? [] : [change])].slice(-20),
      };
      const r = doc === undefined ? await this.opts.stores.documents.create(key, next) : await this.opts.stores.documents.write(key, next, doc.eTag);
      if (r.ok) return;
    }
  }

  /** The time offered to the customer (the middleware books it on "1"). */
  private async setOffer(id: ConversationId, offer: ConversationMemory['callbackOffer']): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const doc = await this.opts.stores.documents.read<ConversationMemory>(memoryKey(id));
      if (doc === undefined) return;
      if ((await this.opts.stores.documents.write(memoryKey(id), { ...doc.value, callbackOffer: offer }, doc.eTag)).ok) return;
    }
  }

  private slotText(start: number, locale: string): string {
    return formatSlot(start, this.opts.clock.now(), locale, this.cfg.timezone);
  }
}


/** The live work left after a slot: bookings go first, the queue drains through what is left. */
function drain(backlog: Work, booked: Work, supply: readonly SupplyNode[]): Work {
  if (backlog.size === 0) return backlog;
  const served = maxFlow(addWork(booked, backlog), supply).served;
  const next: Work = new Map();
  for (const [q, w] of backlog) {
    const left = w - Math.max(0, (served.get(q) ?? 0) - (booked.get(q) ?? 0));
    if (left > 1) next.set(q, left);
  }
  return next;
}

/** Is this conversation still booked in the slot at `start` under this entry's handoff? */
function bookedHere(s: HandoffState, entry: SlotEntry, start: number): boolean {
  return s.status === 'scheduled' && s.callbackAt === start && s.handoffId === entry.handoffId;
}
