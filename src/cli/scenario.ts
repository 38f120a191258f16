/**
 * The scenario file format of `../shared/spec/scenarios.md`, validated with every problem named
 * by file and field.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HANDOFF_REASONS } from '../core/conversation.js';
import { HandoverError } from '../core/errors.js';
import { didYouMean, explainIssues, unknownValue, valueAt } from '../dialogs/explain-issues.js';

const Order = z.object({
  number: z.string().min(1).describe('order number, e.g. "A12345"'),
  total: z.number().nonnegative().describe('in dollars'),
  status: z.string().optional().describe('e.g. "shipped", "delivered", "processing"'),
});
const Customer = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    email: z.string().optional(),
    zip: z.string().optional(),
    tier: z.enum(['standard', 'b2b']).optional(),
    orders: z.array(Order).optional(),
  })
  .describe("the account the sample domain's customer directory returns for this conversation; all fields but id are optional");
const Turn = z.object({
  at: z.number().nonnegative().describe('seconds since the conversation began (virtual clock); turns less than 3 s apart form one burst'),
  text: z.string().describe('what the customer writes'),
});
const ExpectedHandoff = z
  .object({
    turn: z.number().int().positive().describe('the first turn (numbered from 1) at which the conversation must be handed off; for a burst, its last turn'),
    reason: z.enum(HANDOFF_REASONS),
    queue: z.string().min(1).describe("a queue of manifest.json (checked by simulate)"),
  })
  .describe('the first handoff the policy must make');
export const ScenarioSchema = z
  .object({
    /** An editor's JSON Schema: "../schemas/scenario.schema.json" (ignored by simulate). */
    $schema: z.string().optional().describe('"../schemas/scenario.schema.json" lets editors check the file as you type'),
    name: z.string().min(1),
    locale: z.enum(['en', 'pt-BR', 'es']),
    channel: z.enum(['webchat', 'whatsapp']).default('webchat').describe('only changes formatting'),
    customer: Customer,
    turns: z.array(Turn).min(1),
    expect: z
      .object({
        handoff: z.union([z.null(), ExpectedHandoff]).describe('null when the bot must keep the conversation to the end'),
      })
      .optional()
      .describe('checked by simulate --check; optional'),
  })
  .superRefine((s, ctx) => {
    s.turns.forEach((t, i) => {
      const prev = s.turns[i - 1];
      if (prev !== undefined && t.at < prev.at) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['turns', i, 'at'], message: `turns out of order: ${t.at} s comes after ${prev.at} s` });
      }
    });
    const turn = s.expect?.handoff?.turn;
    if (turn !== undefined && turn > s.turns.length) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['expect', 'handoff', 'turn'], message: `turn ${turn} does not exist: the scenario has ${s.turns.length} turn${s.turns.length === 1 ? '' : 's'} (numbered from 1)` });
    }
  });
export type Scenario = z.infer<typeof ScenarioSchema>;

/** What the values of each field are called in messages. */
const NOUNS = { locale: 'locale', channel: 'channel', tier: 'customer tier', reason: 'handoff reason', handoff: 'expected handoff (null or { turn, reason, queue })' };

const FIELDS: [path: string, keys: readonly string[]][] = [
  ['', Object.keys(ScenarioSchema.innerType().shape)],
  ['customer', Object.keys(Customer.shape)],
  ['customer.orders.*', Object.keys(Order.shape)],
  ['turns.*', Object.keys(Turn.shape)],
  ['expect', ['handoff']],
  ['expect.handoff', Object.keys(ExpectedHandoff.shape)],
];

/** Fields simulate does not know (ignored; a typo such as "expcet" would silently drop the check), by path. */
export function unknownFields(item: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string[]) => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, [...path, String(i)]));
    const pattern = path.map((p) => (/^\d+$/.test(p) ? '*' : p)).join('.');
    const known = FIELDS.find(([p]) => p === pattern)?.[1];
    if (known === undefined && path.length > 0) return;
    for (const [k, x] of Object.entries(v)) {
      if (known !== undefined && !known.includes(k)) out.push(`${[...path, k].join('.')}: unknown field, ignored${didYouMean(k, known)}`);
      else walk(x, [...path, k]);
    }
  };
  walk(item, []);
  return out;
}

/** Every problem of one scenario object, each naming the field, the bad value and the valid ones. */
export function scenarioProblems(item: unknown, opts: { queues?: readonly string[] } = {}): { path: string; message: string }[] {
  const r = ScenarioSchema.safeParse(item);
  const out = r.success ? [] : explainIssues(r.error.issues, item, { nouns: NOUNS });
  const queue = valueAt(item, ['expect', 'handoff', 'queue']);
  if (opts.queues !== undefined && typeof queue === 'string' && queue !== '' && !opts.queues.includes(queue)) {
    out.push({ path: 'expect.handoff.queue', message: `${unknownValue('queue', queue, opts.queues)} (manifest.json queues)` });
  }
  return out;
}

/**
 * Read one file holding a scenario or an array of them. Throws HANDOVER_ERR_SCENARIO_INVALID listing
 * every problem of every scenario; with `queues` (the manifest's), an expected queue is checked too.
 */
export function readScenarios(file: string, opts: { queues?: readonly string[]; onWarning?: (message: string) => void } = {}): Scenario[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new HandoverError('HANDOVER_ERR_SCENARIO_INVALID', `${file}: cannot read: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new HandoverError('HANDOVER_ERR_SCENARIO_INVALID', `${file}: invalid JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(raw) ? raw : [raw];
  const problems: string[] = [];
  const out: Scenario[] = [];
  list.forEach((item, i) => {
    const where = Array.isArray(raw) ? `[${i}]` : '';
    const bad = scenarioProblems(item, opts);
    for (const w of unknownFields(item)) opts.onWarning?.(`${file}${where}: ${w}`);
    if (bad.length === 0) out.push(ScenarioSchema.parse(item));
    else for (const p of bad) problems.push(`${file}${where}: ${p.path}: ${p.message}`);
  });
  if (problems.length > 0) throw new HandoverError('HANDOVER_ERR_SCENARIO_INVALID', problems.join('\n'), { details: problems });
  return out;
}
