/**
 * `handover eval scenarios FILE... [--report DIR]`: run scenarios through the real middleware and
 * dialogs twice — with the manifest's policy and with a baseline that hands off only on the 3rd
 * fallback (what most bots ship) — compare each outcome with `expect`, and price both with the
 * manifest's cost model: bot turns × `botTurnUsd` + human contacts × `humanContactUsd`, plus for
 * each missed escalation what the failure costs later: the human contact that happens anyway (the
 * customer calls or writes again) and the value at risk (`valueAtRiskShare` × the customer's
 * largest order). Without that last part a bot that never hands off would look cheapest.
 *
 * @example
 * const r = await evalScenarios(scenarios, { manifest, catalog, root: process.cwd() });
 * r.summary.costPerConversation; // 0.52
 */
import type { Manifest } from '../config/manifest-schema.js';
import type { DialogCatalog } from '../dialogs/load-dialogs.js';
import { createMemoryStores } from '../store/memory/index.js';
import type { Scenario } from './scenario.js';
import { runScenario } from './simulate.js';

/** What a policy did with one scenario. */
export interface ScenarioOutcome {
  readonly handoff: { readonly turn: number; readonly reason: string; readonly queue: string } | null;
  /** Customer turns the bot answered (up to and including the handoff turn). */
  readonly botTurns: number;
  /** What a missed escalation costs later (0 otherwise), USD. */
  readonly failureCostUsd: number;
  /** ok, unneeded (handed off, expected none), missed (expected a handoff, none or a later one), early (an earlier turn), wrong (reason or queue), unchecked (no expect). */
  readonly verdict: 'ok' | 'unneeded' | 'missed' | 'early' | 'wrong' | 'unchecked';
}

/** One line per scenario. */
export interface ScenarioEvalLine {
  readonly scenario: string;
  readonly locale: string;
  readonly expected: { readonly turn: number; readonly reason: string; readonly queue: string } | null | undefined;
  readonly handover: ScenarioOutcome;
  readonly baseline: ScenarioOutcome;
}

/** Totals for one policy. Rates are shares of the conversations in [0, 1]; money in USD. */
export interface ScenarioSummary {
  readonly summary: 'handover' | 'baseline';
  readonly conversations: number;
  readonly handoffRate: number;
  readonly unneededHandoffs: number;
  readonly missedEscalations: number;
  readonly earlyHandoffs: number;
  readonly wrongReasonOrQueue: number;
  readonly humanContacts: number;
  readonly botTurns: number;
  /** Bot turns and human contacts paid for, per conversation. */
  readonly spendPerConversation: number;
  /** Spend plus what missed escalations cost later, per conversation. */
  readonly costPerConversation: number;
}

/** The manifest with only the 3rd-fallback rule left on. */
export function baselineManifest(m: Manifest): Manifest {
  return { ...m, policy: { ...m.policy, triggers: ['fallback_loop'] } };
}

function verdict(s: Scenario, h: ScenarioOutcome['handoff']): ScenarioOutcome['verdict'] {
  if (s.expect === undefined) return 'unchecked';
  const want = s.expect.handoff;
  if (want === null) return h === null ? 'ok' : 'unneeded';
  if (h === null || h.turn > want.turn) return 'missed';
  if (h.turn < want.turn) return 'early';
  return h.reason === want.reason && h.queue === want.queue ? 'ok' : 'wrong';
}

function summarize(name: ScenarioSummary['summary'], outcomes: readonly ScenarioOutcome[], m: Manifest): ScenarioSummary {
  const n = outcomes.length;
  const count = (v: ScenarioOutcome['verdict']) => outcomes.filter((o) => o.verdict === v).length;
  const humanContacts = outcomes.filter((o) => o.handoff !== null).length;
  const botTurns = outcomes.reduce((a, o) => a + o.botTurns, 0);
  const spend = botTurns * m.policy.cost.botTurnUsd + humanContacts * m.policy.cost.humanContactUsd;
  const failures = outcomes.reduce((a, o) => a + o.failureCostUsd, 0);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    summary: name,
    conversations: n,
    handoffRate: n === 0 ? 0 : r3(humanContacts / n),
    unneededHandoffs: count('unneeded'),
    missedEscalations: count('missed'),
    earlyHandoffs: count('early'),
    wrongReasonOrQueue: count('wrong'),
    humanContacts,
    botTurns,
    spendPerConversation: n === 0 ? 0 : r3(spend / n),
    costPerConversation: n === 0 ? 0 : r3((spend + failures) / n),
  };
}

/**
 * Run every scenario under both policies (memory store, virtual clock).
 *
 * @example
 * const { lines, summary, baseline } = await evalScenarios(scenarios, { manifest, catalog, root });
 */
export async function evalScenarios(
  scenarios: readonly Scenario[],
  opts: { manifest: Manifest; catalog: DialogCatalog; root: string; onProgress?: (done: number, total: number) => void },
): Promise<{ lines: ScenarioEvalLine[]; summary: ScenarioSummary; baseline: ScenarioSummary }> {
  const base = baselineManifest(opts.manifest);
  const lines: ScenarioEvalLine[] = [];
  const runId = `eval-${process.pid}-${Date.now()}`;
  const run = async (s: Scenario, manifest: Manifest): Promise<ScenarioOutcome> => {
    const stores = createMemoryStores();
    try {
      const { lines: turns, result } = await runScenario(s, { manifest, catalog: opts.catalog, stores, root: opts.root, runId });
      const h = result.result.handoff;
      const handoff = h === null ? null : { turn: h.turn, reason: h.reason, queue: h.queue };
      const botTurns = h === null ? turns.length : h.turn;
      const v = verdict(s, handoff);
      const largestOrder = Math.max(0, ...(s.customer.orders ?? []).map((o) => o.total ?? 0));
      const failureCostUsd = v === 'missed' ? manifest.policy.cost.humanContactUsd + largestOrder * manifest.policy.cost.valueAtRiskShare : 0;
      return { handoff, botTurns, failureCostUsd: Math.round(failureCostUsd * 1000) / 1000, verdict: v };
    } finally {
      await stores.close();
    }
  };
  for (const [i, s] of scenarios.entries()) {
    lines.push({ scenario: s.name, locale: s.locale, expected: s.expect?.handoff, handover: await run(s, opts.manifest), baseline: await run(s, base) });
    if ((i + 1) % 10 === 0) opts.onProgress?.(i + 1, scenarios.length);
  }
  return {
    lines,
    summary: summarize('handover', lines.map((l) => l.handover), opts.manifest),
    baseline: summarize('baseline', lines.map((l) => l.baseline), base),
  };
}
