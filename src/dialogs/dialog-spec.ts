/**
 * The format of a dialog file in `dialogs/` (written by bot designers, no TypeScript) and of a
 * locale file in `locales/`. See dialogs/README.md for the designer's guide.
 */
import { z } from 'zod';

/** Entities a slot can ask for. */
export const ENTITY_KINDS = ['order_number', 'email', 'zip', 'amount', 'quantity', 'text'] as const;
/** One of ENTITY_KINDS. */
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** Flags tell the policy what recognising this intent means. */
export const INTENT_FLAGS = ['customer_request', 'sensitive_topic', 'revenue_risk', 'high_value', 'purchase'] as const;

const textKey = z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'a locale key such as "order_status.ask_order_number"');
const examples = z.record(z.enum(['en', 'pt-BR', 'es']), z.array(z.string().min(1)).min(1));

/** One step of a dialog's waterfall: slot, authenticate, lookup, say or faq. */
export const StepSchema = z.union([
  z
    .object({
      slot: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case').describe('the name the value is kept under; texts use it as {slot}'),
      entity: z.enum(ENTITY_KINDS).describe('what to look for in the answer: order_number (A12345), email, zip, amount, quantity, text'),
      /** A critical entity: still missing after one request hands the customer off. */
      critical: z.boolean().default(false).describe('still missing after one request: hand off (missing_entity)'),
      prompt: textKey,
      retry: textKey,
    })
    .strict(),
  z.object({ authenticate: z.literal(true).describe("ask for the account's ZIP code; the 3rd wrong answer hands off (auth_failed)") }).strict(),
  z.object({ lookup: z.literal('order').describe('find the order named in order_number; later texts get {order.status} and {order.total}'), notFound: textKey }).strict(),
  z.object({ say: textKey, choices: z.array(textKey).optional().describe('quick replies (texts get no placeholders)') }).strict(),
  z
    .object({
      faq: z.array(z.object({ id: z.string(), examples, answer: textKey }).strict()).min(1),
      otherwise: textKey,
    })
    .strict(),
]);
/** A validated step. */
export type Step = z.infer<typeof StepSchema>;

/** A dialog file (see dialogs/README.md); its JSON Schema is schemas/dialog.schema.json. */
export const DialogSpecSchema = z
  .object({
    $schema: z.string().optional(),
    intent: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case').describe('lower_snake_case id; one file per intent'),
    description: z.string().optional(),
    /**
     * Per locale, a short name of what the customer wants ("track an order"): the bot asks
     * "Did you mean: track an order?" when it is not sure, and agents see it.
     */
    label: z.record(z.enum(['en', 'pt-BR', 'es']), z.string().min(1).max(60)).optional(),
    /** Where a handoff from inside this dialog goes. */
    queue: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case').describe('a queue of manifest.json (checked by handover lint)'),
    flags: z.array(z.enum(INTENT_FLAGS)).default([]).describe('what recognising this intent means to the policy'),
    /**
     * Entities that, sent alone while no question is pending ("K48213"), mean this intent: the bot
     * starts this dialog with the value instead of saying it did not understand.
     */
    suggestedBy: z.array(z.enum(ENTITY_KINDS).exclude(['text'])).default([]),
    examples,
    steps: z.array(StepSchema).default([]).describe('run in order: slot, authenticate, lookup, say or faq steps; texts are keys of locales/*.json'),
  })
  .strict();
/** A validated dialog file. */
export type DialogSpec = z.infer<typeof DialogSpecSchema>;

/**
 * `nlu/out-of-scope.json`: per locale, messages the bot must not act on (small talk, other
 * businesses, gibberish). The recogniser learns them as a class of their own.
 */
export const OutOfScopeSchema = z
  .object({
    $schema: z.string().optional(),
    en: z.array(z.string().min(1)).optional(),
    'pt-BR': z.array(z.string().min(1)).optional(),
    es: z.array(z.string().min(1)).optional(),
  })
  .strict();
/** A validated out-of-scope corpus. */
export type OutOfScope = z.infer<typeof OutOfScopeSchema>;

/** A locale file: flat keys to a text or to variants (used in turn, e.g. successive fallbacks). */
export const LocaleSchema = z.record(z.string(), z.union([z.string(), z.array(z.string()).min(1)]));
/** A validated locale file. */
export type LocaleTexts = z.infer<typeof LocaleSchema>;
