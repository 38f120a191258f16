/**
 * The scenario file format of `../shared/spec/scenarios.md`, validated with every problem named
 * by file and field.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HANDOFF_REASONS } from '../core/conversation.js';
import { HandoverError } from '../core/errors.js';

const Order = z.object({ number: z.string().min(1), total: z.number().nonnegative(), status: z.string().optional() });
export const ScenarioSchema = z
  .object({
    name: z.string().min(1),
    locale: z.enum(['en', 'pt-BR', 'es'], { errorMap: () => ({ message: 'unknown locale: use en, pt-BR or es' }) }),
    channel: z.enum(['webchat', 'whatsapp']).default('webchat'),
    customer: z.object({
      id: z.string().min(1),
      name: z.string().optional(),
      email: z.string().optional(),
      zip: z.string().optional(),
      tier: z.enum(['standard', 'b2b']).optional(),
      orders: z.array(Order).optional(),
    }),
    turns: z.array(z.object({ at: z.number().nonnegative(), text: z.string() })).min(1),
    expect: z
      .object({
        handoff: z.union([z.null(), z.object({ turn: z.number().int().positive(), reason: z.enum(HANDOFF_REASONS), queue: z.string().min(1) })]),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    s.turns.forEach((t, i) => {
      const prev = s.turns[i - 1];
      if (prev !== undefined && t.at < prev.at) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['turns', i, 'at'], message: `turns out of order: ${t.at} s comes after ${prev.at} s` });
      }
    });
  });
export type Scenario = z.infer<typeof ScenarioSchema>;

/** Read one file holding a scenario or an array of them. Throws HANDOVER_ERR_SCENARIO_INVALID. */
export function readScenarios(file: string): Scenario[] {
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
    const r = ScenarioSchema.safeParse(item);
    const where = Array.isArray(raw) ? `[${i}]` : '';
    if (r.success) out.push(r.data);
    else for (const issue of r.error.issues) problems.push(`${file}${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  });
  if (problems.length > 0) throw new HandoverError('HANDOVER_ERR_SCENARIO_INVALID', problems.join('\n'), { details: problems });
  return out;
}
