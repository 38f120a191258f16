/**
 * The manifest: plugin identity plus the whole handoff policy. Every number a business might tune
 * lives here; `src/` holds no domain constants. Validated once at start (see `load-config.ts`).
 */
import { z } from 'zod';
import { HANDOFF_REASONS } from '../core/conversation.js';
import { DEFAULT_PII_SETTINGS } from '../core/redact.js';
import { DEFAULT_RETENTION_DAYS } from '../core/ports/customer-data.js';
import type { Manifest, NluBands } from '../core/manifest.js';
import type { SameShape } from './same-shape.js';

/** One personal-data pattern: on by default, with its mask (it must not show the digits it hides). */
const piiRule = (mask: string) =>
  z
    .object({
      enabled: z.boolean().default(true),
      mask: z
        .string()
        .min(1, 'a mask must not be empty (set enabled: false to keep the value)')
        .max(40)
        .refine((m) => !/\d/.test(m.replace(/\{last[24]\}/g, '')), { message: 'a mask must not contain digits (use {last4} / {last2})' })
        .default(mask),
    })
    .strict()
    .default({});

const queueName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'queue ids are lower_snake_case');
const usd = z.number().nonnegative();
const probability = z.number().min(0).max(1);

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour clock');
/** Opening hours per weekday in the callbacks' time zone; a missing day is closed. */
export const HoursSchema = z
  .object({ mon: z.tuple([hhmm, hhmm]), tue: z.tuple([hhmm, hhmm]), wed: z.tuple([hhmm, hhmm]), thu: z.tuple([hhmm, hhmm]), fri: z.tuple([hhmm, hhmm]), sat: z.tuple([hhmm, hhmm]), sun: z.tuple([hhmm, hhmm]) })
  .partial()
  .strict();

export const QueueSchema = z
  .object({
    label: z.string().min(1),
    slaSeconds: z.number().int().positive(),
    /** When agents work this queue; without it the queue is staffed around the clock. */
    hours: HoursSchema.optional(),
    /**
     * Agents who staff this queue at once, for a queue that no console agent works (agents on an
     * external help desk). A queue with console agents is staffed from their presence and shifts.
     */
    agents: z.number().int().nonnegative().default(1),
    /** Average handling time of one contact, for the expected wait. */
    avgHandleSeconds: z.number().int().positive().default(300),
  })
  .strict();

/** Accept / confirm lines of one locale (accept above confirm). */
export const BandsSchema = z
  .object({ accept: probability.default(0.7), confirm: probability.default(0.4) })
  .strict()
  .refine((b) => b.accept > b.confirm, { message: 'accept must be above confirm (equal lines leave no confirm band; use a confirm line below accept)' });

export const PolicySchema = z
  .object({
    defaultQueue: queueName.default('support'),
    /** The reasons that may hand off (all by default); a reason left out is evaluated, traced "off", never fired. */
    triggers: z.array(z.enum(HANDOFF_REASONS)).min(1).default([...HANDOFF_REASONS]),
    lowConfidence: z
      .object({ below: probability.default(0.6), consecutiveTurns: z.number().int().min(1).default(2) })
      .strict()
      .default({}),
    fallbackLoop: z.object({ fallbacks: z.number().int().min(1).default(3) }).strict().default({}),
    missingEntity: z.object({ afterRequests: z.number().int().min(1).default(1) }).strict().default({}),
    authFailed: z
      .object({ attempts: z.number().int().min(1).default(3), queue: queueName.default('support_l2') })
      .strict()
      .default({}),
    negativeSentiment: z
      .object({
        /** A message scoring at or below this (AFINN sum) is strong anger. */
        scoreAtOrBelow: z.number().max(0).default(-5),
        /** …or whose per-token score is at or below this, with at least one strongly negative word. */
        comparativeAtOrBelow: z.number().max(0).default(-0.5),
      })
      .strict()
      .default({}),
    stalled: z.object({ afterSeconds: z.number().positive().default(90) }).strict().default({}),
    highValue: z
      .object({
        orderTotalAbove: usd.default(100),
        amountAbove: usd.default(100),
        tiers: z.array(z.enum(['standard', 'b2b'])).default(['b2b']),
        salesQueue: queueName.default('sales'),
      })
      .strict()
      .default({}),
    cost: z
      .object({
        humanContactUsd: usd.default(1.4),
        botTurnUsd: usd.default(0.02),
        expectedRemainingBotTurns: z.number().nonnegative().default(3),
        /** Share of the dollars at stake lost when the bot fails the customer (refund, churn, goodwill). */
        valueAtRiskShare: probability.default(0.05),
        /** Probability that the bot fails, before any evidence. */
        baseFailure: probability.default(0.05),
        /** Each piece of evidence since the last progress multiplies the chance of success by (1 - weight). */
        evidence: z
          .object({
            fallback: probability.default(0.25),
            lowConfidence: probability.default(0.15),
            negativeSentiment: probability.default(0.15),
            authFailure: probability.default(0.2),
            missingEntity: probability.default(0.25),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    transfers: z
      .object({ maxBeforeSenior: z.number().int().min(1).default(2), seniorQueue: queueName.default('senior') })
      .strict()
      .default({}),
    priorities: z
      .record(z.enum([...HANDOFF_REASONS, 'repeated_transfer']), z.number().int().min(0).max(9))
      .default({}),
    sla: z
      .object({ escalationPriorityBoost: z.number().int().min(1).default(1), checkEverySeconds: z.number().positive().default(5) })
      .strict()
      .default({}),
  })
  .strict();

/** End of a shift range: HH:MM, or 24:00 for the end of the day. */
const hhmmEnd = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM, 24-hour clock (24:00 ends the day)');
const shiftRanges = z
  .array(z.tuple([hhmm, hhmmEnd]).refine(([from, to]) => from < to, 'a shift range ends after it starts (split a night shift at midnight)'))
  .max(6);
/**
 * An agent's working hours in the callbacks' time zone: ranges per weekday (a missing day is off)
 * and exceptions by date (`"2026-12-24": [["09:00", "13:00"]]`, `"2026-12-25": []` for a day off).
 * The queue's opening hours stay the outer bound.
 */
export const ShiftsSchema = z
  .object({
    mon: shiftRanges,
    tue: shiftRanges,
    wed: shiftRanges,
    thu: shiftRanges,
    fri: shiftRanges,
    sat: shiftRanges,
    sun: shiftRanges,
    exceptions: z.record(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD'), shiftRanges),
  })
  .partial()
  .strict();

/** An agent of the console. Passwords are never stored: `passwordHash` is `scrypt$<salt hex>$<key hex>`. */
export const AgentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case id'),
    name: z.string().min(1),
    passwordHash: z.string().regex(/^scrypt\$[0-9a-f]{16,}\$[0-9a-f]{64,}$/, 'scrypt$<salt hex>$<key hex> (make one with `npx handover hash-password`)'),
    role: z.enum(['agent', 'supervisor']).default('agent'),
    queues: z.array(queueName).default([]),
    /** Working hours (absent: whenever their queues are open); a supervisor may override them in the console. */
    shifts: ShiftsSchema.optional(),
    /** The language the console writes briefings in for them (absent: their browser's, else defaultLocale). */
    locale: z.enum(['en', 'pt-BR', 'es']).optional(),
  })
  .strict();

/**
 * Sign-in policy of the console (`console.signIn`): failed attempts counted in a sliding window
 * per agent id + address, per address and per agent id across addresses (a browser where the
 * agent signed in before — a known device — counts only its own failures), and how many scrypt
 * checks run at once / wait before a sign-in is answered 503.
 */
export const SignInSchema = z
  .object({
    windowMinutes: z.number().int().min(1).max(1440).default(15),
    /** Failed sign-ins for one agent id from one address (or one known device) per window. */
    perAgentAddress: z.number().int().min(1).max(1000).default(5),
    /** Failed sign-ins from one address, whatever the id, per window. */
    perAddress: z.number().int().min(1).max(100_000).default(30),
    /** Failed sign-ins for one agent id from all addresses together per window (not counted for a known device). */
    perAgent: z.number().int().min(1).max(100_000).default(50),
    /** How long a browser that signed in stays a known device of that agent (cookie and marker). */
    knownDeviceDays: z.number().int().min(0).max(400).default(30),
    /**
     * Password checks (scrypt: ~50 ms of one core each, on libuv's pool of 4 threads) running at once
     * per process; 1 leaves a core to the event loop on a 2-core machine, raise it with more cores.
     */
    maxConcurrentChecks: z.number().int().min(1).max(64).default(1),
    /** Sign-ins waiting for a check per process (16 × ~50 ms: under a second); beyond it 503 + Retry-After (the console page retries by itself). */
    maxWaiting: z.number().int().min(0).max(10_000).default(16),
    /** Reverse proxies in front of the console: the client address is the n-th from the right of X-Forwarded-For. */
    trustedProxies: z.number().int().min(0).max(10).default(0),
  })
  .strict();

export const ConsoleSchema = z
  .object({
    sessionTtlMinutes: z.number().int().positive().default(480),
    /** An online agent whose last console socket closed is away after this many seconds (a reconnect within it changes nothing). */
    awayAfterSeconds: z.number().int().min(5).max(3600).default(60),
    agents: z.array(AgentSchema).default([]),
    /** Response macros; `{placeholders}` are filled from the conversation's collected data and profile. */
    macros: z.array(z.object({ id: z.string().min(1), title: z.string().min(1), text: z.string().min(1) }).strict()).default([]),
    /** Sign-in throttle and password-check concurrency (docs/operations.md "Limits" → "Sign-in"). */
    signIn: SignInSchema.default({}),
  })
  .strict();

export const WebhookSchema = z
  .object({
    url: z.string().url(),
    events: z.array(z.enum(['handoff.requested', 'handoff.accepted', 'handoff.resolved', 'handoff.returned', 'handoff.transferred', 'handoff.escalated'])).min(1),
    /** Name of the environment variable holding the HMAC secret (secrets never live in the manifest). */
    secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/).default('HANDOVER_WEBHOOK_SECRET'),
  })
  .strict();

/** A token bucket of `limits.messages`: `burst` lines at once, then `perMinute`. */
const tokenBucket = (burst: number, perMinute: number) =>
  z
    .object({
      burst: z.number().int('a whole number of lines').min(1, 'at least 1 line').default(burst),
      perMinute: z.number().positive('more than 0 a minute').default(perMinute),
    })
    .strict()
    .default({});
/** A timeout of `limits.http` in seconds (fractions allowed). */
const seconds = (dflt: number) => z.number().positive('more than 0 seconds').max(3600, 'at most 3600 seconds').default(dflt);

/** A channel's burst window in seconds (see `bursts`); 0 turns bursts off for it. */
const burstWindow = z.number().min(0).max(10, 'at most 10 seconds: every reply comes this much later').default(3);

/** Days a class of data is kept: a positive number (fractions allowed, e.g. 0.5), at most 10 years. */
const retentionDays = (d: number) => z.number().positive('more than 0 days').max(3650, 'at most 3650 days (10 years)').default(d);

export const ManifestSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    version: z.string().regex(/^\d+\.\d+\.\d+(-[\w.]+)?$/, 'semantic version, e.g. 1.2.0'),
    description: z.string().optional(),
    channels: z.array(z.enum(['webchat', 'directline', 'whatsapp-web', 'whatsapp-cloud'])).min(1),
    locales: z.array(z.enum(['en', 'pt-BR', 'es'])).min(1),
    defaultLocale: z.enum(['en', 'pt-BR', 'es']),
    nlu: z
      .object({
        /**
         * Per locale, the three bands of the recogniser's confidence: at or above `accept` the bot
         * acts on the intent; at or above `confirm` it asks "Did you mean …?"; below, it says it did
         * not understand. A locale not listed uses `default`.
         */
        bands: z
          .object({
            default: BandsSchema.default({}),
            en: BandsSchema.optional(),
            'pt-BR': BandsSchema.optional(),
            es: BandsSchema.optional(),
          })
          .strict()
          .default({}),
        /** While a prompt waits for an answer, a different intent above this confidence interrupts it. */
        interruptAbove: probability.default(0.7),
      })
      .strict()
      .default({}),
    queues: z.record(queueName, QueueSchema).refine((q) => Object.keys(q).length > 0, 'declare at least one queue'),
    policy: PolicySchema.default({}),
    console: ConsoleSchema.default({}),
    /** Offer a callback at a specific time when the expected wait is long (capacity-checked). */
    callbacks: z
      .object({
        enabled: z.boolean().default(true),
        offerWhenWaitAboveMinutes: z.number().positive().default(15),
        slotMinutes: z.number().int().min(5).max(240).default(30),
        horizonHours: z.number().int().min(1).max(24 * 14).default(72),
        /** IANA time zone of the opening hours and of the times told to customers. */
        timezone: z.string().default('UTC'),
        /** Priority a due callback gets when it re-enters its queue. */
        priority: z.number().int().min(0).max(9).default(8),
      })
      .strict()
      .default({}),
    webhooks: z.array(WebhookSchema).default([]),
    /**
     * Customer messages that arrive less than the channel's window after the previous one form one
     * burst: the bot answers once, after it, on the messages joined (the customer sees "typing…"
     * meanwhile), closing a burst at most `maxSeconds` after its first message. A reply comes a
     * window later; 0 answers every message at once. Not while a person owns the chat.
     */
    bursts: z
      .object({
        windowSeconds: z
          .object({
            webchat: burstWindow,
            directline: burstWindow,
            'whatsapp-web': burstWindow,
            'whatsapp-cloud': burstWindow,
          })
          .strict()
          .default({}),
        maxSeconds: z.number().positive().max(60, 'at most 60 seconds: a customer waits this long at worst').default(10),
      })
      .strict()
      .default({}),
    /**
     * Channel settings, validated by each channel's own schema when that channel starts
     * (src/channels/whatsapp: whatsappWebConfigSchema, whatsappCloudSettingsSchema).
     */
    whatsapp: z.object({ web: z.record(z.unknown()).optional(), cloud: z.record(z.unknown()).optional() }).strict().default({}),
    /**
     * The in-process store (`handover start` without REDIS_URL). A conversation with no activity for
     * `conversationTtlMinutes` is forgotten with everything kept for it (handoff state, transcript,
     * bot state, briefing, web chat history), so memory stays flat; one waiting for an agent, with
     * one or booked for a callback never is. Ignored on Redis.
     */
    memoryStore: z
      .object({
        conversationTtlMinutes: z
          .number()
          .int('a whole number of minutes')
          .min(1, 'at least 1 minute')
          // a bound that catches milliseconds typed as minutes (14400000 = 27 years)
          .max(30 * 24 * 60, 'at most 43200 minutes (30 days): the memory store is not an archive, use Redis')
          .default(240),
      })
      .strict()
      .default({}),
    /**
     * How long each class of stored data is kept, in days after its last write (docs/operations.md "Retention
     * and erasure"): on Redis every key gets its class's TTL; the memory store caps its
     * conversation expiry to the shortest conversation class. An open handoff (waiting, with an
     * agent, booked for a callback) keeps its state, transcript and briefings until it closes.
     */
    retention: z
      .object({
        transcriptsDays: retentionDays(DEFAULT_RETENTION_DAYS.transcriptsDays),
        briefingsDays: retentionDays(DEFAULT_RETENTION_DAYS.briefingsDays),
        botStateDays: retentionDays(DEFAULT_RETENTION_DAYS.botStateDays),
        closedHandoffsDays: retentionDays(DEFAULT_RETENTION_DAYS.closedHandoffsDays),
        webChatHistoryDays: retentionDays(DEFAULT_RETENTION_DAYS.webChatHistoryDays),
        deadLettersDays: retentionDays(DEFAULT_RETENTION_DAYS.deadLettersDays),
        relayStreamsDays: retentionDays(DEFAULT_RETENTION_DAYS.relayStreamsDays),
        auditDays: retentionDays(DEFAULT_RETENTION_DAYS.auditDays),
      })
      .strict()
      .default({}),
    /**
     * Personal data masking (docs/operations.md, "Personal data"): each pattern on or off and its mask
     * (`{last4}` / `{last2}` take the last digits). Applied before anything is stored, shown or sent:
     * transcripts, web chat history, briefings, events, the console, webhooks and logs.
     */
    pii: z
      .object({
        cards: piiRule(DEFAULT_PII_SETTINGS.cards.mask),
        cvv: piiRule(DEFAULT_PII_SETTINGS.cvv.mask),
        ssn: piiRule(DEFAULT_PII_SETTINGS.ssn.mask),
        cpf: piiRule(DEFAULT_PII_SETTINGS.cpf.mask),
        passwords: piiRule(DEFAULT_PII_SETTINGS.passwords.mask),
      })
      .strict()
      .default({}),
    /**
     * Abuse limits (docs/operations.md, "Limits"). `messages`: token buckets (`burst` at once, then `perMinute`)
     * on customer lines, per widget connection (in the process; typing frames count), per
     * conversation and per client address (shared by every process on Redis); past one a line is
     * refused, never stored nor answered (widget: an error frame with `retryAfterMs`; Direct Line:
     * 429 + Retry-After), and a widget socket refused `closeAfterRefused` times in a row (no
     * waiting in between) is closed with 1008. `http`: server timeouts. `webchatTokens`: how long
     * after a conversation's first token its tokens can still be refreshed.
     */
    limits: z
      .object({
        messages: z
          .object({
            perConnection: tokenBucket(20, 120),
            perConversation: tokenBucket(20, 60),
            perAddress: tokenBucket(300, 1200),
            closeAfterRefused: z.number().int().min(1).default(50),
          })
          .strict()
          .default({}),
        http: z
          .object({
            /** Time to receive a request's headers (slowloris). */
            headersTimeoutSeconds: seconds(10),
            /** Time to receive a whole request, headers and body. */
            requestTimeoutSeconds: seconds(30),
            /** Longest pause between two chunks of a JSON request body. */
            bodyIdleTimeoutSeconds: seconds(10),
            /** How long an idle keep-alive connection stays open. */
            keepAliveTimeoutSeconds: seconds(5),
            /** A WebSocket whose peer stops answering pings is closed within this long (a ping every half of it). */
            webSocketIdleSeconds: seconds(90),
            /** A widget socket with no conversation (no start/resume) after this long is closed. */
            webSocketHelloSeconds: seconds(15),
          })
          .strict()
          .default({}),
        webchatTokens: z
          .object({
            /** A conversation's tokens can be refreshed up to this long after its first token; then a new conversation starts. */
            maxAgeHours: z.number().positive().max(24 * 30, 'at most 720 hours (30 days)').default(24),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (!m.locales.includes(m.defaultLocale)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['defaultLocale'], message: `"${m.defaultLocale}" is not in locales` });
    }
    const queues = new Set(Object.keys(m.queues));
    const refs: [string[], string][] = [
      [['policy', 'defaultQueue'], m.policy.defaultQueue],
      [['policy', 'authFailed', 'queue'], m.policy.authFailed.queue],
      [['policy', 'highValue', 'salesQueue'], m.policy.highValue.salesQueue],
      [['policy', 'transfers', 'seniorQueue'], m.policy.transfers.seniorQueue],
    ];
    const known = [...queues].join(', ');
    for (const [path, q] of refs) {
      // a policy queue that fell back to an unknown defaultQueue: that one error says it
      if (path.join('.') !== 'policy.defaultQueue' && q === m.policy.defaultQueue && !queues.has(q)) continue;
      if (!queues.has(q)) ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `unknown queue "${q}" (queues: ${known})` });
    }
    try {
      new Intl.DateTimeFormat('en', { timeZone: m.callbacks.timezone });
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['callbacks', 'timezone'], message: `unknown time zone "${m.callbacks.timezone}"` });
    }
    m.console.agents.forEach((a, i) =>
      a.queues.forEach((q, j) => {
        if (!queues.has(q)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['console', 'agents', i, 'queues', j], message: `unknown queue "${q}"` });
      }),
    );
  });

/**
 * The domain's types of the manifest (src/core/manifest.ts), re-exported for the outer layers.
 * What `ManifestSchema` parses is exactly `Manifest`: see `ParsedManifestIsTheDomainManifest`.
 */
export type { Manifest, NluBands, Policy, QueueConfig, Shifts } from '../core/manifest.js';

/**
 * Compile-time proof that the schema and the domain cannot drift: `tsc` fails here when a field
 * is added to, removed from, made optional in or retyped in one of `ManifestSchema` and
 * `core/manifest.ts` and not the other (readonly aside). Fix the side that is behind. Exported
 * only so that test/unit/config/manifest-types.spec.ts can name it.
 *
 * @example
 * const proof: ParsedManifestIsTheDomainManifest = true;
 */
export type ParsedManifestIsTheDomainManifest = Expect<SameShape<z.infer<typeof ManifestSchema>, Manifest>>;
type Expect<T extends true> = T;

/**
 * The bands a locale uses (its own, else `default`).
 *
 * @example
 * bandsFor(manifest, 'pt-BR'); // { accept: 0.7, confirm: 0.4 }
 */
export function bandsFor(m: Pick<Manifest, 'nlu'>, locale: string): NluBands {
  const b = m.nlu.bands;
  return (locale === 'en' || locale === 'pt-BR' || locale === 'es' ? b[locale] : undefined) ?? b.default;
}
