/**
 * The stored shape of callback bookings, in the DocumentStore:
 *
 * - `callback-slot:<start>` — one document per slot, every queue's bookings in it (one
 *   compare-and-set decides a place against the capacity of agents shared between queues);
 * - `callback-booking:<conversation>` — the conversation's booking: its time now, when it was
 *   booked and every move, so the agent who takes it sees what the customer was promised;
 * - `callback-slots` — the starts of slots holding bookings, so the sweep finds past slots
 *   (due and missed callbacks) without scanning.
 *
 * @example
 * const booking = await readBooking(stores.documents, conversationId);
 * if (booking?.handoffId === state.handoffId) console.log(new Date(booking.at));
 */
import type { DocumentStore } from '../core/ports/document-store.js';

/** One booking in a slot. */
export interface SlotEntry {
  /** The conversation. */
  readonly id: string;
  readonly handoffId: string;
  /** When it was booked (or moved here). */
  readonly at: number;
}

/** A slot's bookings, by queue. */
export interface SlotBookings {
  readonly v: 2;
  readonly bookings: Readonly<Record<string, readonly SlotEntry[]>>;
  /** Conversations whose outcome after the slot's time is settled (taken, missed and told, gone). */
  readonly settled?: readonly string[];
}

/** A move of a booking: to another time, back to the queue, or offered again after a miss. */
export interface BookingChange {
  /** When it happened. */
  readonly at: number;
  readonly from: number;
  /** The new time; null when the customer went back to the queue or has not booked the offer yet. */
  readonly to: number | null;
  readonly why: 'capacity' | 'missed' | 'no_capacity';
}

/** A conversation's booking. */
export interface CallbackBooking {
  readonly conversationId: string;
  readonly handoffId: string;
  readonly queue: string;
  /** The time booked now. */
  readonly at: number;
  /** When the customer first booked. */
  readonly bookedAt: number;
  /** Every move since, oldest first (at most 20 kept). */
  readonly changes: readonly BookingChange[];
}

/** Document key of a slot's bookings. @example slotKey(start) // 'callback-slot:1767628800000' */
export const slotKey = (start: number): string => `callback-slot:${start}`;
/** Document key of a conversation's booking. @example bookingKey(id) // 'callback-booking:webchat:42' */
export const bookingKey = (conversation: string): string => `callback-booking:${conversation}`;
/** Document key of the index of slots holding bookings. */
export const SLOT_INDEX_KEY = 'callback-slots';

/** The index of slots holding bookings. */
export interface SlotIndex {
  readonly starts: readonly number[];
}

/**
 * A conversation's booking, or undefined.
 *
 * @example
 * (await readBooking(stores.documents, id))?.at;
 */
export async function readBooking(documents: DocumentStore, conversation: string): Promise<CallbackBooking | undefined> {
  return (await documents.read<CallbackBooking>(bookingKey(conversation)))?.value;
}

/** Every entry of a slot, with its queue. */
export function entriesOf(doc: SlotBookings | undefined): { queue: string; entry: SlotEntry }[] {
  if (doc === undefined) return [];
  return Object.entries(doc.bookings).flatMap(([queue, list]) => list.map((entry) => ({ queue, entry })));
}
