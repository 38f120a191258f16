/**
 * Agents' shifts: working hours per weekday with exceptions by date, from manifest.json
 * (`console.agents[].shifts`) or set by a supervisor in the console. A supervisor's shifts are
 * stored in one document (`staffing:shifts`) so every process sharing the store reads the same
 * hours, and they survive a restart; an agent without stored shifts keeps the manifest's, and an
 * agent with none at all works whenever their queues are open.
 *
 * The pure part measures how much of a time span a set of ranges covers, in the callbacks' time
 * zone, crossing local midnight when a slot does.
 *
 * @example
 * const book = new ShiftBook(stores.documents, clock);
 * await book.set('ana', { mon: [['09:00', '13:00']] }, 'sam');
 * const { overrides } = await book.read();
 */
import type { Clock } from '../core/clock.js';
import { HandoverError } from '../core/errors.js';
import type { DocumentStore } from '../core/ports/document-store.js';
import type { QueueConfig, Shifts } from '../core/manifest.js';
import { localParts, minutesOf, type LocalParts } from './local-time.js';

/** Local minute ranges [from, to) of one day; `null` is the whole day. */
export type MinuteRanges = readonly (readonly [number, number])[] | null;

/**
 * The ranges an agent works on a local date: that date's exception, else the weekday's; `null`
 * (the whole day) for an agent without shifts.
 *
 * @example
 * shiftRangesOn({ mon: [['09:00', '17:00']] }, { date: '2026-01-05', day: 'mon', minutes: 0 }); // [[540, 1020]]
 */
export function shiftRangesOn(shifts: Shifts | undefined, day: LocalParts): MinuteRanges {
  if (shifts === undefined) return null;
  const ranges = shifts.exceptions?.[day.date] ?? shifts[day.day] ?? [];
  return ranges.map(([from, to]) => [minutesOf(from), minutesOf(to)] as const);
}

/**
 * A queue's opening hours on a local day; `null` for a queue open around the clock.
 *
 * @example
 * queueRangesOn({ hours: { mon: ['09:00', '17:00'] } } as QueueConfig, monday); // [[540, 1020]]
 */
export function queueRangesOn(queue: Pick<QueueConfig, 'hours'>, day: LocalParts): MinuteRanges {
  if (queue.hours === undefined) return null;
  const r = queue.hours[day.day];
  return r === undefined ? [] : [[minutesOf(r[0]), minutesOf(r[1])]];
}

/**
 * Both sets of ranges at once (`null` stands for the whole day).
 *
 * @example
 * intersectRanges([[540, 1020]], [[600, 1440]]); // [[600, 1020]]
 */
export function intersectRanges(a: MinuteRanges, b: MinuteRanges): MinuteRanges {
  if (a === null) return b;
  if (b === null) return a;
  const out: [number, number][] = [];
  for (const [a0, a1] of a) for (const [b0, b1] of b) if (Math.min(a1, b1) > Math.max(a0, b0)) out.push([Math.max(a0, b0), Math.min(a1, b1)]);
  return out;
}

/** Minutes of [from, to) inside the ranges. */
function overlapMinutes(ranges: MinuteRanges, from: number, to: number): number {
  if (to <= from) return 0;
  if (ranges === null) return to - from;
  let sum = 0;
  for (const [r0, r1] of ranges) sum += Math.max(0, Math.min(to, r1) - Math.max(from, r0));
  return sum;
}

/**
 * Milliseconds of [start, end) that fall inside `rangesOn(localDay)`, in `timeZone`. A span that
 * crosses local midnight is measured on both days.
 *
 * @example
 * coveredMs((d) => shiftRangesOn(ana.shifts, d), slot.start, slot.end, 'America/Los_Angeles'); // 1_800_000 inside her shift
 */
export function coveredMs(rangesOn: (day: LocalParts) => MinuteRanges, start: number, end: number, timeZone: string): number {
  if (end <= start) return 0;
  const a = localParts(start, timeZone);
  const b = localParts(end - 1, timeZone);
  const aMin = a.minutes + (start % 60_000) / 60_000;
  const bMin = b.minutes + (((end - 1) % 60_000) + 1) / 60_000;
  let minutes: number;
  if (a.date === b.date) minutes = overlapMinutes(rangesOn(a), aMin, bMin);
  else minutes = overlapMinutes(rangesOn(a), aMin, 1440) + overlapMinutes(rangesOn(b), 0, bMin);
  // a DST change inside the span can make local minutes disagree with real time: never more than real time
  return Math.min(end - start, Math.round(minutes * 60_000));
}

/**
 * Is an instant inside the ranges of its local day?
 *
 * @example
 * coversInstant((d) => shiftRangesOn(ana.shifts, d), now, 'UTC'); // true during her shift
 */
export function coversInstant(rangesOn: (day: LocalParts) => MinuteRanges, at: number, timeZone: string): boolean {
  const d = localParts(at, timeZone);
  const ranges = rangesOn(d);
  const m = d.minutes + (at % 60_000) / 60_000;
  return ranges === null || ranges.some(([from, to]) => m >= from && m < to);
}

/** The stored document of supervisors' shifts. */
export interface StoredShifts {
  /** Shifts set in the console, by agent id (they replace the manifest's). */
  readonly agents: Readonly<Record<string, Shifts>>;
  readonly updatedAt: number;
  readonly updatedBy: string | null;
}

/** The DocumentStore key of the supervisors' shifts. */
export const SHIFTS_KEY = 'staffing:shifts';

/**
 * Supervisors' shifts in the DocumentStore (one document, compare-and-set).
 *
 * @example
 * await new ShiftBook(stores.documents, clock).set('bruno', null, 'sam'); // back to manifest.json
 */
export class ShiftBook {
  constructor(
    private readonly documents: DocumentStore,
    private readonly clock: Clock,
  ) {}

  /** The stored overrides and the document's eTag (null when none was ever stored). */
  async read(): Promise<{ overrides: Readonly<Record<string, Shifts>>; eTag: string | null }> {
    const doc = await this.documents.read<StoredShifts>(SHIFTS_KEY);
    return { overrides: doc?.value.agents ?? {}, eTag: doc?.eTag ?? null };
  }

  /** Sets (or with `null` removes) an agent's shifts; returns the new eTag. */
  async set(agent: string, shifts: Shifts | null, by: string | null): Promise<string> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const doc = await this.documents.read<StoredShifts>(SHIFTS_KEY);
      const agents: Record<string, Shifts> = { ...(doc?.value.agents ?? {}) };
      if (shifts === null) delete agents[agent];
      else agents[agent] = shifts;
      const next: StoredShifts = { agents, updatedAt: this.clock.now(), updatedBy: by };
      const r = doc === undefined ? await this.documents.create(SHIFTS_KEY, next) : await this.documents.write(SHIFTS_KEY, next, doc.eTag);
      if (r.ok) return r.eTag;
    }
    throw new HandoverError('HANDOVER_ERR_STATE_CONFLICT', `the shifts kept changing while setting ${agent}'s: try again`);
  }
}
