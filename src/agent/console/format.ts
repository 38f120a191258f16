/**
 * Formatting helpers of the console page: SLA countdowns, waiting times, clock times, the
 * sentiment trend and reason labels. Pure functions.
 *
 * @example
 * slaText(90_000);   // { text: 'SLA 01:30', breached: false }
 * slaText(-5_000);   // { text: 'SLA breached +00:05', breached: true }
 */

function mmss(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/**
 * Time left before an SLA deadline (negative: breached).
 *
 * @example
 * slaText(65_000).text; // 'SLA 01:05'
 */
export function slaText(leftMs: number): { text: string; breached: boolean } {
  return leftMs >= 0 ? { text: `SLA ${mmss(leftMs)}`, breached: false } : { text: `SLA breached +${mmss(leftMs)}`, breached: true };
}

/**
 * "waiting 3:05"
 *
 * @example
 * waitingText(185_000); // 'waiting 03:05'
 */
export function waitingText(sinceMs: number): string {
  return `waiting ${mmss(sinceMs)}`;
}

/**
 * Local clock time of a timestamp, e.g. "14:03:12".
 *
 * @example
 * clockTime(Date.now()); // '14:03:12'
 */
export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * "0 → −2 → −4 (worsening)" from per-turn sentiment scores.
 *
 * @example
 * sentimentTrend([{ turn: 1, score: 0 }, { turn: 2, score: -3 }]); // '0 → −3 (worsening)'
 */
export function sentimentTrend(points: readonly { turn: number; score: number }[]): string {
  if (points.length === 0) return 'no customer messages scored';
  const shown = points.slice(-8).map((p) => (p.score > 0 ? `+${p.score}` : String(p.score).replace('-', '−')));
  const first = points[0]!.score;
  const last = points[points.length - 1]!.score;
  const label = points.length < 2 ? (last < 0 ? 'negative' : last > 0 ? 'positive' : 'neutral') : last < first ? 'worsening' : last > first ? 'improving' : 'steady';
  return `${shown.join(' → ')} (${label})`;
}

const REASONS: Record<string, string> = {
  customer_request: 'Customer asked for a person',
  sensitive_topic: 'Sensitive topic',
  auth_failed: 'Authentication failed',
  revenue_risk: 'Revenue at risk',
  high_value: 'High-value customer or purchase',
  negative_sentiment: 'Angry or frustrated customer',
  missing_entity: 'Bot could not get a required detail',
  low_confidence: 'Bot did not understand (low confidence)',
  fallback_loop: 'Bot kept failing to understand',
  stalled: 'Conversation stalled',
  cost: 'Cheaper for a person to handle',
  repeated_transfer: 'Transferred more than once',
  agent_takeover: 'Taken over by an agent',
};

/**
 * A readable label for a handoff reason id.
 *
 * @example
 * reasonLabel('customer_request'); // 'Customer asked for a person'
 */
export function reasonLabel(reason: string | null): string {
  if (reason === null) return 'no reason';
  return REASONS[reason] ?? reason;
}

/**
 * Who a customer is on their channel when the customer directory does not know them: the WhatsApp
 * profile the channel noted in the transcript (`meta.name` 'whatsapp.contact'; the latest wins).
 * Empty when there is none (a web chat visitor).
 *
 * @example
 * channelContact([{ at: 1, from: 'system', type: 'event', meta: { name: 'whatsapp.contact', profileName: 'Ana', phone: '+5511987654321' } }]);
 * // [['WhatsApp name', 'Ana'], ['WhatsApp number', '+5511987654321']]
 */
export function channelContact(transcript: readonly { readonly meta?: Readonly<Record<string, unknown>> }[]): [string, string][] {
  const note = [...transcript].reverse().find((e) => e.meta?.['name'] === 'whatsapp.contact')?.meta;
  if (note === undefined) return [];
  const str = (k: string): string | undefined => (typeof note[k] === 'string' && note[k] !== '' ? (note[k] as string) : undefined);
  const rows: [string, string | undefined][] = [
    ['WhatsApp name', str('profileName') ?? '–'],
    ['WhatsApp number', str('phone') ?? 'not shared (username only)'],
    ['Username', str('username') === undefined ? undefined : `@${(str('username') as string).replace(/^@/, '')}`],
    ['WhatsApp user id', str('phone') === undefined ? str('userId') : undefined],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined);
}

/** The weekdays of a shifts form, Monday first. */
export const SHIFT_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * One day's shift ranges as a supervisor types them: "09:00-12:00, 13:00-17:00"; "" is off.
 *
 * @example
 * rangesText([['09:00', '12:00'], ['13:00', '17:00']]); // '09:00-12:00, 13:00-17:00'
 */
export function rangesText(ranges: readonly (readonly [string, string])[] | undefined): string {
  return (ranges ?? []).map(([a, b]) => `${a}-${b}`).join(', ');
}

/**
 * Parses "09:00-12:00, 13:00-17:00" (or "off", or nothing) into ranges; a string is the problem.
 *
 * @example
 * parseRanges('9:00-17:00'); // [['09:00', '17:00']]
 * parseRanges('17-9');       // 'write ranges as HH:MM-HH:MM: "17-9"'
 */
export function parseRanges(text: string): [string, string][] | string {
  const t = text.trim();
  if (t === '' || /^(off|-)$/i.test(t)) return [];
  const out: [string, string][] = [];
  for (const part of t.split(/[,;]/).map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/.exec(part);
    if (m === null) return `write ranges as HH:MM-HH:MM: "${part}"`;
    const from = `${m[1]!.padStart(2, '0')}:${m[2]!}`;
    const to = `${m[3]!.padStart(2, '0')}:${m[4]!}`;
    if (!(from < to)) return `"${part}" ends before it starts (split a night shift at midnight)`;
    out.push([from, to]);
  }
  return out;
}

/**
 * Date exceptions as lines "2026-12-25: off" / "2026-12-24: 09:00-13:00", and back.
 *
 * @example
 * parseExceptions('2026-12-25: off'); // { '2026-12-25': [] }
 */
export function parseExceptions(text: string): Record<string, [string, string][]> | string {
  const out: Record<string, [string, string][]> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^(\d{4}-\d{2}-\d{2})\s*:?\s*(.*)$/.exec(line);
    if (m === null) return `write exceptions as YYYY-MM-DD: off (or ranges): "${line}"`;
    const ranges = parseRanges(m[2]!);
    if (typeof ranges === 'string') return `${m[1]!}: ${ranges}`;
    out[m[1]!] = ranges;
  }
  return out;
}

/**
 * The inverse of `parseExceptions`.
 *
 * @example
 * exceptionsText({ '2026-12-25': [] }); // '2026-12-25: off'
 */
export function exceptionsText(exceptions: Readonly<Record<string, readonly (readonly [string, string])[]>> | undefined): string {
  return Object.entries(exceptions ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, ranges]) => `${date}: ${ranges.length === 0 ? 'off' : rangesText(ranges)}`)
    .join('\n');
}

/**
 * One file attached to a transcript line, as the console shows it.
 *
 * @example
 * const m: LineMedia = { kind: 'image', url: '/webhooks/whatsapp/media/1479?e=…&s=…', name: 'photo', contentType: 'image/jpeg' };
 */
export interface LineMedia {
  /** image: a preview; audio / video: a player; file: a download link only. */
  readonly kind: 'image' | 'audio' | 'video' | 'file';
  readonly url: string;
  readonly name: string;
  readonly contentType: string;
}

/** Image types a browser shows (what the media proxy serves inline). */
const PREVIEWED = /^image\/(jpeg|png|webp|gif)$/;

/**
 * The files of a transcript line (`meta.attachments`: `{ contentType, name, url }`) that the console can
 * fetch: a path on this server (the WhatsApp media links, agents' uploads) or an https URL. Channel
 * references (`wwebjs-media:…`) and anything else (`javascript:`, `data:`) are left out.
 *
 * @example
 * lineMedia({ attachments: [{ contentType: 'audio/ogg', name: null, url: '/webhooks/whatsapp/media/42?e=1&s=x' }] });
 * // [{ kind: 'audio', url: '/webhooks/whatsapp/media/42?e=1&s=x', name: 'audio', contentType: 'audio/ogg' }]
 */
export function lineMedia(meta: Readonly<Record<string, unknown>> | undefined): LineMedia[] {
  const list = meta?.['attachments'];
  if (!Array.isArray(list)) return [];
  const out: LineMedia[] = [];
  for (const a of list as unknown[]) {
    if (typeof a !== 'object' || a === null) continue;
    const { url, contentType, name } = a as { url?: unknown; contentType?: unknown; name?: unknown };
    if (typeof url !== 'string' || !(/^\/(?!\/)/.test(url) || /^https:\/\//i.test(url))) continue;
    const type = typeof contentType === 'string' ? contentType.split(';')[0]!.trim().toLowerCase() : '';
    const kind = PREVIEWED.test(type) ? 'image' : type.startsWith('audio/') ? 'audio' : type.startsWith('video/') ? 'video' : 'file';
    out.push({ kind, url, contentType: type, name: typeof name === 'string' && name !== '' ? name : kind === 'file' ? 'file' : kind });
  }
  return out;
}
