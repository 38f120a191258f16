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
