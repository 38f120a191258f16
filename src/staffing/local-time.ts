/**
 * Wall-clock parts of an instant in a time zone (the callbacks' zone: shifts, opening hours and
 * the times told to customers are all read in it). Cached: the parts of an instant never change,
 * and capacity walks the same slot boundaries again and again.
 *
 * @example
 * localParts(Date.UTC(2026, 0, 5, 15), 'America/Los_Angeles'); // { date: '2026-01-05', day: 'mon', minutes: 420 }
 */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local date (YYYY-MM-DD), weekday and minutes since local midnight. */
export interface LocalParts {
  readonly date: string;
  readonly day: Weekday;
  readonly minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const cache = new Map<string, LocalParts>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The local parts of `at` in `timeZone` (seconds ignored).
 *
 * @example
 * localParts(Date.UTC(2026, 0, 5, 15), 'Asia/Tokyo').day; // 'tue'
 */
export function localParts(at: number, timeZone: string): LocalParts {
  const minute = Math.floor(at / 60_000) * 60_000;
  const key = `${timeZone}|${minute}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let year = '';
  let month = '';
  let dayOfMonth = '';
  let weekday = '';
  let hour = 0;
  let min = 0;
  for (const p of formatter(timeZone).formatToParts(minute)) {
    if (p.type === 'year') year = p.value;
    else if (p.type === 'month') month = p.value;
    else if (p.type === 'day') dayOfMonth = p.value;
    else if (p.type === 'weekday') weekday = p.value.toLowerCase().slice(0, 3);
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') min = Number(p.value);
  }
  const parts: LocalParts = { date: `${year}-${month}-${dayOfMonth}`, day: weekday as Weekday, minutes: hour * 60 + min };
  if (cache.size >= 8192) cache.clear();
  cache.set(key, parts);
  return parts;
}

/**
 * Minutes since midnight of "HH:MM" ("24:00" is 1440).
 *
 * @example
 * minutesOf('09:30'); // 570
 */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}
