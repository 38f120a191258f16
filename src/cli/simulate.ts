/**
 * `handover simulate FILE... [--check] [--store memory|redis://…]`: runs scenarios through the real
 * middleware and the real dialogs on a virtual clock (it never sleeps) and prints JSON lines, or
 * PASS/FAIL lines and `N passed, N failed` with --check. Exit 0 ok, 1 a scenario failed, 2 bad input.
 */
import { HandoverError } from '../core/errors.js';
import { ManualClock } from '../core/clock.js';
import { StaticCustomerDirectory } from '../core/static-customer-directory.js';
import type { Stores } from '../core/ports/stores.js';
import type { Manifest } from '../config/manifest-schema.js';
import type { HandoffPacket, TurnSignals } from '../core/conversation.js';
import type { Decision } from '../policy/evaluate.js';
import { createHandover } from '../app.js';
import { SimAdapter } from '../channels/sim/sim-adapter.js';
import { conversationKeyOf } from '../bridge/handoff-middleware.js';
import type { DialogCatalog } from '../dialogs/load-dialogs.js';
import { openStores as openConfiguredStores } from '../store/open-stores.js';
import type { Scenario } from './scenario.js';

export interface ScenarioTurnLine {
  scenario: string;
  turn: number;
  at: number;
  text: string;
  bot: string[];
  signals: { intent: string | null; confidence: number | null; sentiment: number; fallbacks: number };
  handoff: { reason: string; queue: string; priority: number } | null;
}
export interface ScenarioResult {
  scenario: string;
  result: { handoff: null | { turn: number; reason: string; queue: string; priority: number; trace: readonly string[]; packet: HandoffPacket } };
}

const EPOCH = Date.UTC(2026, 0, 5, 15, 0, 0);

/** Run one scenario; returns its turn lines and result. */
export async function runScenario(s: Scenario, opts: { manifest: Manifest; catalog: DialogCatalog; stores: Stores; root: string; runId: string }): Promise<{ lines: ScenarioTurnLine[]; result: ScenarioResult }> {
  const clock = new ManualClock(EPOCH);
  const directory = new StaticCustomerDirectory([s.customer]);
  let last: { signals: TurnSignals; decision: Decision; handoff: HandoffPacket | null } | null = null;
  const errors: string[] = [];
  const app = createHandover({
    manifest: opts.manifest,
    stores: opts.stores,
    directory,
    clock,
    root: opts.root,
    catalog: opts.catalog,
    onDecision: (e) => {
      last = e;
    },
    onError: (e, where) => errors.push(`${where}: ${(e as Error).message}`),
    // bursts on the virtual clock: a burst is answered below, when the next turn does not join it
    bursts: 'manual',
  });
  const adapter = new SimAdapter(s.channel, { bursts: true });
  adapter.use(app.middleware);
  const conv = `${opts.runId}:${s.name}`;
  const id = conversationKeyOf({ channelId: s.channel, conversation: { id: conv, isGroup: false, conversationType: 'personal', name: '' } });
  const lines: ScenarioTurnLine[] = [];
  let handoff: ScenarioResult['result']['handoff'] = null;
  let fallbacks = 0;
  for (const [i, t] of s.turns.entries()) {
    clock.set(EPOCH + t.at * 1000);
    last = null;
    const before = adapter.sent.get(conv)?.length ?? 0;
    await adapter.receive({ conversationId: conv, userId: s.customer.id, text: t.text, locale: s.locale, timestamp: new Date(clock.now()) }, (ctx) => app.bot.run(ctx));
    // the burst this turn joined closes before the next turn unless that one comes within its window:
    // then the bot answers it, at its deadline, and its lines are this turn's (the burst's last)
    const next = s.turns[i + 1];
    const deadline = app.middleware.bursts?.deadlineOf(id);
    if (deadline !== undefined && (next === undefined || deadline <= EPOCH + next.at * 1000)) {
      clock.set(Math.max(deadline, clock.now()));
      await app.middleware.bursts?.flush(id);
    }
    const sent = (adapter.sent.get(conv) ?? []).slice(before);
    const bot = sent.filter((a) => a.type === 'message' && typeof a.text === 'string').map((a) => a.text as string);
    const l = last as { signals: TurnSignals; decision: Decision; handoff: HandoffPacket | null } | null;
    if (l !== null && l.signals.fallback) fallbacks++;
    const turnHandoff = l?.handoff ?? null;
    if (turnHandoff !== null && handoff === null && l !== null) {
      handoff = { turn: i + 1, reason: turnHandoff.reason, queue: turnHandoff.queue, priority: turnHandoff.priority, trace: l.decision.trace, packet: turnHandoff };
    }
    lines.push({
      scenario: s.name,
      turn: i + 1,
      at: t.at,
      text: t.text,
      bot,
      signals: {
        intent: l?.signals.intent ?? null,
        confidence: l?.signals.confidence ?? null,
        sentiment: l?.signals.sentiment.score ?? 0,
        fallbacks,
      },
      handoff: turnHandoff === null ? null : { reason: turnHandoff.reason, queue: turnHandoff.queue, priority: turnHandoff.priority },
    });
  }
  if (errors.length > 0) throw new HandoverError('HANDOVER_ERR_STORE_UNAVAILABLE', `scenario "${s.name}" hit store errors: ${errors.join('; ')}`, { details: errors });
  return { lines, result: { scenario: s.name, result: { handoff } } };
}

/** Compare a result with the scenario's expectation; returns null when it matches. */
export function checkScenario(s: Scenario, r: ScenarioResult): string | null {
  if (s.expect === undefined) return null;
  const want = s.expect.handoff;
  const got = r.result.handoff;
  const show = (h: { turn: number; reason: string; queue: string } | null) => (h === null ? 'no handoff' : `handoff on turn ${h.turn} (${h.reason}, ${h.queue})`);
  if (want === null && got === null) return null;
  if (want !== null && got !== null && want.turn === got.turn && want.reason === got.reason && want.queue === got.queue) return null;
  return `expected ${show(want)}, got ${show(got)}`;
}

/**
 * The store for a simulate run: memory, or Redis under a private prefix whose keys `close()`
 * deletes, so `simulate --store redis://…` leaves nothing behind in a Redis others share.
 *
 * @example
 * const stores = await openStores('redis://127.0.0.1:6379');
 * try { await runScenario(s, { …, stores }); } finally { await stores.close(); }
 */
export async function openStores(url: string): Promise<Stores> {
  return openConfiguredStores(url, { prefix: `handover-sim:${process.pid}:${Date.now()}`, deleteKeysOnClose: true });
}
