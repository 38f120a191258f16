/**
 * Callback slots: which times real agent capacity can honour. Pure functions over the manifest's
 * numbers: a queue's capacity in a slot is `agents × slot length ÷ average handling time`,
 * only inside its opening hours; the first slot offered starts after the live queue has drained
 * (now + expected wait), and a slot is offered only while its bookings are below capacity.
 *
 * @example
 * const slots = candidateSlots(queueConfig, callbacksConfig, now + waitMs);
 * const first = slots.find((s) => (booked.get(s.start) ?? 0) < s.capacity);
 */
import type { Manifest, QueueConfig } from '../core/manifest.js';

/** manifest.json → `callbacks`. */
export type CallbacksConfig = Manifest['callbacks'];

/** A callback slot [start, end) and how many contacts it can take. */
export interface Slot {
  readonly start: number;
  readonly end: number;
  readonly capacity: number;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Building an Intl.DateTimeFormat costs ~0.1 ms: keep one per (locale, zone, options). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (f === undefined) {
    if (formatters.size > 256) formatters.clear();
    formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  }
  return f;
}

/** Weekday and minutes since midnight of an instant, in a time zone. */
export function localTime(at: number, timeZone: string): { day: (typeof DAYS)[number]; minutes: number } {
  const parts = formatter('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = get('weekday').toLowerCase().slice(0, 3) as (typeof DAYS)[number];
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** Is the queue staffed for the whole slot [start, end)? */
export function isOpen(queue: QueueConfig, start: number, end: number, timeZone: string): boolean {
  if (queue.hours === undefined) return true;
  const a = localTime(start, timeZone);
  const b = localTime(end - 1, timeZone);
  if (a.day !== b.day) return false;
  const range = queue.hours[a.day];
  if (range === undefined) return false;
  const [open, close] = range.map((hm) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3)));
  return a.minutes >= open! && b.minutes < close!;
}

/** Contacts one slot can serve in a queue. */
export function slotCapacity(queue: QueueConfig, slotMinutes: number): number {
  return Math.floor((queue.agents * slotMinutes * 60) / queue.avgHandleSeconds);
}

/** Open slots from `earliest` (rounded up to the slot grid) to the horizon, in order. */
export function candidateSlots(queue: QueueConfig, cfg: CallbacksConfig, earliest: number, now = earliest): Slot[] {
  const slotMs = cfg.slotMinutes * 60_000;
  const capacity = slotCapacity(queue, cfg.slotMinutes);
  if (capacity < 1) return [];
  const out: Slot[] = [];
  const horizon = now + cfg.horizonHours * 3_600_000;
  for (let start = Math.ceil(earliest / slotMs) * slotMs; start + slotMs <= horizon; start += slotMs) {
    if (isOpen(queue, start, start + slotMs, cfg.timezone)) out.push({ start, end: start + slotMs, capacity });
  }
  return out;
}

/** "14:30" or "Tue 09:00" as the customer reads it, in the callbacks' time zone and their locale. */
export function formatSlot(start: number, now: number, locale: string, timeZone: string): string {
  const sameDay = localTime(start, timeZone).day === localTime(now, timeZone).day && start - now < 86_400_000;
  return formatter(locale, { timeZone, hour: 'numeric', minute: '2-digit', ...(sameDay ? {} : { weekday: 'short' }) }).format(start);
}
