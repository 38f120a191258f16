/**
 * The `--report DIR` pages of `handover eval`: one self-contained HTML file (inline CSS and
 * hand-drawn SVG, no script, no network) a designer opens in any browser.
 *
 * NLU: the summary table against the targets, then per locale a confusion matrix, a confidence
 * histogram split right/wrong with the band lines, the calibration (accuracy per confidence
 * bucket, as a reliability diagram and a table) and the worst confusions with their messages.
 *
 * @example
 * writeFileSync('out/index.html', nluReport({ lines, summaries, manifest, files }));
 */
import { bandsFor, type Manifest } from '../config/manifest-schema.js';
import type { NluLine, NluSummary } from './eval-nlu.js';
import type { ScenarioEvalLine, ScenarioSummary } from './eval-scenarios.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The targets of the understanding issue, shown beside each figure. */
export const NLU_TARGETS = {
  rightAcceptedOrConfirmed: 0.88,
  acceptedRight: 0.7,
  wrongAccepted: 0.03,
  outOfScopeFallback: 0.85,
  outOfScopeAccepted: 0.03,
  p99Ms: 1,
} as const;

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7fb}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:2px solid #dfe3ee;padding-bottom:4px}
h3{font-size:16px;margin:20px 0 6px}p.lead{color:#5a6275;margin:0 0 16px}
table{border-collapse:collapse;background:#fff;margin:8px 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #dfe3ee;padding:4px 8px;text-align:right}th{background:#eef1f8;font-weight:600}
td.l,th.l{text-align:left}.ok{color:#17803d;font-weight:600}.bad{color:#b42318;font-weight:600}
.card{background:#fff;border:1px solid #dfe3ee;border-radius:8px;padding:12px 16px;margin:12px 0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}.muted{color:#5a6275;font-size:13px}
.cm td{min-width:26px;padding:2px 4px;font-size:12px}.cm th{font-size:11px;padding:2px 4px}
.cm th.rot{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;height:120px}
ul.msgs{margin:4px 0 12px;padding-left:18px;font-size:13px}code{background:#eef1f8;padding:0 3px;border-radius:3px}
@media (max-width:800px){.grid{grid-template-columns:1fr}}`;

function page(title: string, lead: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main><h1>${esc(title)}</h1><p class="lead">${lead}</p>${body}</main></body></html>\n`;
}

const mark = (ok: boolean, text: string) => `<span class="${ok ? 'ok' : 'bad'}">${text}</span>`;

function summaryTable(summaries: readonly NluSummary[]): string {
  const T = NLU_TARGETS;
  const rows = summaries
    .map((s) => {
      const both = s.acceptedRight + s.confirmedRight;
      return `<tr><td class="l">${esc(s.summary)}</td><td>${s.messages}</td>
<td>${mark(both >= T.rightAcceptedOrConfirmed, pct(both))}</td><td>${mark(s.acceptedRight >= T.acceptedRight, pct(s.acceptedRight))}</td>
<td>${pct(s.confirmedRight)}</td><td>${pct(s.falseFallback)}</td><td>${mark(s.wrongAccepted <= T.wrongAccepted, pct(s.wrongAccepted))}</td>
<td>${mark(s.outOfScopeFallback >= T.outOfScopeFallback, pct(s.outOfScopeFallback))}</td><td>${mark(s.outOfScopeAccepted <= T.outOfScopeAccepted, pct(s.outOfScopeAccepted))}</td>
<td>${mark(s.p99Ms <= T.p99Ms, `${s.p99Ms.toFixed(3)} ms`)}</td></tr>`;
    })
    .join('');
  return `<table><tr><th class="l">locale</th><th>messages</th><th>right, accepted or confirmed<br><span class="muted">≥ 88 %</span></th><th>accepted right<br><span class="muted">≥ 70 %</span></th><th>confirmed right</th><th>false fallback</th><th>wrongly accepted<br><span class="muted">≤ 3 %</span></th><th>out of scope caught<br><span class="muted">≥ 85 %</span></th><th>out of scope accepted<br><span class="muted">≤ 3 %</span></th><th>p99 per message<br><span class="muted">≤ 1 ms</span></th></tr>${rows}</table>
<p class="muted">In-scope rates are over in-scope messages, out-of-scope rates over out-of-scope ones. "Accepted" = the bot acts on the intent; "confirmed" = it asks "Did you mean …?" about the right intent; "fallback" = "I didn't understand".</p>`;
}

/** What the bot ends up doing with a message, as a column of the confusion matrix. */
function predicted(l: NluLine): string {
  return l.decision === 'fallback' ? '(fallback)' : l.intent ?? '(fallback)';
}

function confusion(lines: readonly NluLine[]): string {
  const gold = [...new Set(lines.map((l) => l.gold ?? '(out of scope)'))].sort();
  const cols = [...gold.filter((g) => g !== '(out of scope)'), '(fallback)'];
  const counts = new Map<string, number>();
  for (const l of lines) {
    const k = `${l.gold ?? '(out of scope)'}\u0000${predicted(l)}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const max = Math.max(1, ...counts.values());
  const cell = (g: string, c: string) => {
    const n = counts.get(`${g}\u0000${c}`) ?? 0;
    const right = g === c || (g === '(out of scope)' && c === '(fallback)');
    const a = n === 0 ? 0 : 0.15 + (0.85 * n) / max;
    const bg = n === 0 ? '#fff' : right ? `rgba(23,128,61,${a.toFixed(2)})` : `rgba(180,35,24,${a.toFixed(2)})`;
    const fg = a > 0.55 ? '#fff' : '#1d2330';
    return `<td style="background:${bg};color:${fg}" title="${esc(g)} → ${esc(c)}: ${n}">${n || ''}</td>`;
  };
  return `<table class="cm"><tr><th class="l">gold ↓ / bot →</th>${cols.map((c) => `<th class="rot">${esc(c)}</th>`).join('')}</tr>${gold
    .map((g) => `<tr><th class="l">${esc(g)}</th>${cols.map((c) => cell(g, c)).join('')}</tr>`)
    .join('')}</table><p class="muted">Rows: the label; columns: what the bot does on a first turn (an intent it accepts or confirms, or a fallback). Green: right; red: wrong. Out-of-scope messages are right in the fallback column.</p>`;
}

function histogram(lines: readonly NluLine[], bands: { accept: number; confirm: number }): string {
  const W = 480;
  const H = 200;
  const pad = 30;
  const bins = 20;
  const right = new Array<number>(bins).fill(0);
  const wrong = new Array<number>(bins).fill(0);
  for (const l of lines) {
    const b = Math.min(bins - 1, Math.floor(l.confidence * bins));
    if (l.gold !== null && l.intent === l.gold) right[b]! += 1;
    else wrong[b]! += 1;
  }
  const max = Math.max(1, ...right.map((r, i) => r + wrong[i]!));
  const bw = (W - pad * 2) / bins;
  const y = (n: number) => ((H - pad * 2) * n) / max;
  let bars = '';
  for (let i = 0; i < bins; i++) {
    const x = pad + i * bw;
    const hr = y(right[i]!);
    const hw = y(wrong[i]!);
    bars += `<rect x="${x + 1}" y="${H - pad - hr}" width="${bw - 2}" height="${hr}" fill="#2f9e5b"><title>${(i / bins).toFixed(2)}–${((i + 1) / bins).toFixed(2)}: ${right[i]} right</title></rect>`;
    bars += `<rect x="${x + 1}" y="${H - pad - hr - hw}" width="${bw - 2}" height="${hw}" fill="#d9534f"><title>${(i / bins).toFixed(2)}–${((i + 1) / bins).toFixed(2)}: ${wrong[i]} wrong or out of scope</title></rect>`;
  }
  const line = (v: number, label: string) => {
    const x = pad + v * (W - pad * 2);
    return `<line x1="${x}" x2="${x}" y1="${pad - 8}" y2="${H - pad}" stroke="#1d2330" stroke-dasharray="4 3"/><text x="${x + 3}" y="${pad - 10}" font-size="11">${label} ${v}</text>`;
  };
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => `<text x="${pad + t * (W - pad * 2)}" y="${H - pad + 14}" font-size="11" text-anchor="middle">${t}</text>`).join('');
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="confidence histogram"><line x1="${pad}" x2="${W - pad}" y1="${H - pad}" y2="${H - pad}" stroke="#888"/>${bars}${ticks}${line(bands.confirm, 'confirm')}${line(bands.accept, 'accept')}<text x="${W - pad}" y="${H - 2}" font-size="11" text-anchor="end">confidence</text></svg>
<p class="muted"><span style="color:#2f9e5b">■</span> top intent right · <span style="color:#d9534f">■</span> wrong or out of scope. Dashed: the locale's band lines.</p>`;
}

function calibration(lines: readonly NluLine[]): string {
  const edges = [0, 0.2, 0.4, 0.6, 0.8, 1.0001];
  const rows = edges.slice(0, -1).map((lo, i) => {
    const hi = edges[i + 1]!;
    const inBin = lines.filter((l) => l.confidence >= lo && l.confidence < hi);
    const right = inBin.filter((l) => l.gold !== null && l.intent === l.gold).length;
    const mean = inBin.length === 0 ? 0 : inBin.reduce((a, l) => a + l.confidence, 0) / inBin.length;
    return { lo, hi: Math.min(1, hi), n: inBin.length, acc: inBin.length === 0 ? null : right / inBin.length, mean };
  });
  const S = 220;
  const p = 28;
  const sx = (v: number) => p + v * (S - 2 * p);
  const sy = (v: number) => S - p - v * (S - 2 * p);
  const pts = rows.filter((r) => r.acc !== null);
  const svg = `<svg viewBox="0 0 ${S} ${S}" width="260" role="img" aria-label="reliability diagram"><rect x="${p}" y="${p}" width="${S - 2 * p}" height="${S - 2 * p}" fill="#fff" stroke="#ccc"/><line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(1)}" y2="${sy(1)}" stroke="#aaa" stroke-dasharray="4 3"/>
<polyline fill="none" stroke="#2856c8" stroke-width="2" points="${pts.map((r) => `${sx(r.mean)},${sy(r.acc!)}`).join(' ')}"/>${pts.map((r) => `<circle cx="${sx(r.mean)}" cy="${sy(r.acc!)}" r="${2 + Math.min(6, Math.sqrt(r.n) / 3)}" fill="#2856c8"><title>${r.lo.toFixed(1)}–${r.hi.toFixed(1)}: ${r.n} messages, ${(r.acc! * 100).toFixed(0)} % right</title></circle>`).join('')}
<text x="${S / 2}" y="${S - 6}" font-size="11" text-anchor="middle">confidence</text><text x="10" y="${S / 2}" font-size="11" transform="rotate(-90 10 ${S / 2})" text-anchor="middle">share right</text></svg>`;
  const table = `<table><tr><th>confidence</th><th>messages</th><th>mean confidence</th><th>right</th></tr>${rows
    .map((r) => `<tr><td>${r.lo.toFixed(1)}–${r.hi.toFixed(1)}</td><td>${r.n}</td><td>${r.n ? r.mean.toFixed(2) : '–'}</td><td>${r.acc === null ? '–' : pct(r.acc)}</td></tr>`)
    .join('')}</table>`;
  return `<div class="grid"><div>${svg}<p class="muted">On the dashed diagonal a score means exactly what it says.</p></div><div>${table}</div></div>`;
}

function worst(lines: readonly NluLine[]): string {
  const pairs = new Map<string, NluLine[]>();
  for (const l of lines) {
    const right = l.gold === null ? l.decision === 'fallback' : l.decision !== 'fallback' && l.intent === l.gold;
    const harmful = l.gold === null ? l.decision === 'accept' || l.decision === 'confirm' : !right;
    if (!harmful) continue;
    const k = `${l.gold ?? '(out of scope)'} → ${predicted(l)}`;
    let list = pairs.get(k);
    if (list === undefined) pairs.set(k, (list = []));
    list.push(l);
  }
  const sorted = [...pairs.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, 12);
  if (sorted.length === 0) return '<p>No confusions.</p>';
  return sorted
    .map(
      ([k, ls]) =>
        `<h3>${esc(k)} <span class="muted">(${ls.length})</span></h3><ul class="msgs">${ls
          .slice(0, 8)
          .map((l) => `<li>${esc(l.text)} <span class="muted">— ${l.decision} ${l.confidence.toFixed(2)}</span></li>`)
          .join('')}</ul>`,
    )
    .join('');
}

/**
 * The NLU report page.
 *
 * @example
 * nluReport({ lines, summaries, manifest, files: ['test/nlu/en.json'] }).startsWith('<!doctype html>'); // true
 */
export function nluReport(r: { lines: readonly NluLine[]; summaries: readonly NluSummary[]; manifest: Manifest; files: readonly string[] }): string {
  const locales = r.summaries.filter((s) => s.summary !== 'all').map((s) => s.summary);
  const sections = locales
    .map((loc) => {
      const ls = r.lines.filter((l) => l.locale === loc);
      const b = bandsFor(r.manifest, loc);
      return `<h2>${esc(loc)} <span class="muted">accept ≥ ${b.accept}, confirm ≥ ${b.confirm}</span></h2>
<div class="card"><h3>Confusion matrix</h3>${confusion(ls)}</div>
<div class="grid"><div class="card"><h3>Confidence histogram</h3>${histogram(ls, b)}</div><div class="card"><h3>Calibration</h3>${calibration(ls)}</div></div>
<div class="card"><h3>Worst confusions</h3>${worst(ls)}</div>`;
    })
    .join('');
  return page(
    'handover eval nlu',
    `${r.lines.length} messages from ${r.files.map((f) => `<code>${esc(f)}</code>`).join(', ')}, scored as a conversation's first turn. Targets in green when met, red when not.`,
    `<h2>Summary</h2>${summaryTable(r.summaries)}${sections}`,
  );
}

/**
 * The scenarios report page: product against the 3rd-fallback-only baseline.
 *
 * @example
 * scenariosReport({ lines, summary, baseline }, ['test/scenarios/a.json']);
 */
export function scenariosReport(r: { lines: readonly ScenarioEvalLine[]; summary: ScenarioSummary; baseline: ScenarioSummary }, files: readonly string[]): string {
  const row = (label: string, f: (s: ScenarioSummary) => string) => `<tr><td class="l">${label}</td><td>${f(r.summary)}</td><td>${f(r.baseline)}</td></tr>`;
  const money = (x: number) => `$${x.toFixed(3)}`;
  const table = `<table><tr><th class="l"></th><th>handover</th><th>baseline (3rd fallback only)</th></tr>
${row('conversations', (s) => String(s.conversations))}${row('handoff rate', (s) => pct(s.handoffRate))}${row('unneeded handoffs', (s) => String(s.unneededHandoffs))}
${row('missed escalations', (s) => String(s.missedEscalations))}${row('early handoffs', (s) => String(s.earlyHandoffs))}${row('wrong reason or queue', (s) => String(s.wrongReasonOrQueue))}
${row('human contacts', (s) => String(s.humanContacts))}${row('bot turns', (s) => String(s.botTurns))}${row('spend per conversation (bot turns + human contacts)', (s) => money(s.spendPerConversation))}${row('cost per conversation (spend + what missed escalations cost later)', (s) => money(s.costPerConversation))}</table>`;
  const show = (h: ScenarioEvalLine['expected']) => (h === undefined ? '–' : h === null ? 'none' : `turn ${h.turn}: ${h.reason} → ${h.queue}`);
  const detail = `<table><tr><th class="l">scenario</th><th class="l">locale</th><th class="l">expected</th><th class="l">handover</th><th class="l">baseline</th></tr>${r.lines
    .map(
      (l) =>
        `<tr><td class="l">${esc(l.scenario)}</td><td class="l">${esc(l.locale)}</td><td class="l">${esc(show(l.expected))}</td><td class="l">${mark(l.handover.verdict === 'ok' || l.handover.verdict === 'unchecked', esc(`${show(l.handover.handoff)} (${l.handover.verdict})`))}</td><td class="l">${mark(l.baseline.verdict === 'ok' || l.baseline.verdict === 'unchecked', esc(`${show(l.baseline.handoff)} (${l.baseline.verdict})`))}</td></tr>`,
    )
    .join('')}</table>`;
  return page(
    'handover eval scenarios',
    `${r.lines.length} scenarios from ${files.map((f) => `<code>${esc(f)}</code>`).join(', ')}, priced with the manifest's cost model: bot turns × botTurnUsd + human contacts × humanContactUsd, and each missed escalation costs later a human contact anyway plus valueAtRiskShare × the customer's largest order.`,
    `<h2>Summary</h2>${table}<h2>Every scenario</h2>${detail}`,
  );
}
