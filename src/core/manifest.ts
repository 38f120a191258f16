/**
 * The manifest as the domain reads it: manifest.json after validation, every default filled in
 * (plugin identity, queues, the handoff policy, callbacks, the console's agents, limits…). Plain
 * readonly data written by hand, so the inner layers (policy, handoff, staffing) depend on these
 * types and not on the zod schema that produces them. `src/config/manifest-schema.ts` validates
 * manifest.json and proves at compile time that what it parses is exactly this shape (a field
 * added to one and not the other fails `tsc`; see test/unit/config/manifest-types.spec.ts).
 *
 * @example
 * import type { Manifest, QueueConfig } from '../core/manifest.js';
 * const sla = (m: Manifest, queue: string): number => (m.queues[queue]?.slaSeconds ?? 600) * 1000;
 */
import type { HandoffReason } from './conversation.js';
import type { PiiSettings } from './redact.js';
import type { RetentionDays } from './ports/customer-data.js';
import type { TokenBucketRule } from './ports/rate-limiter.js';

/** A locale the bot speaks (`locales`, `defaultLocale`). @example const l: ManifestLocale = 'pt-BR'; */
export type ManifestLocale = 'en' | 'pt-BR' | 'es';

/** A channel a deployment runs (`channels`; also the keys of `bursts.windowSeconds`). @example const c: ManifestChannel = 'whatsapp-cloud'; */
export type ManifestChannel = 'webchat' | 'directline' | 'whatsapp-web' | 'whatsapp-cloud';

/** A day of the week, as opening hours and shifts name it. @example const d: Weekday = 'mon'; */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** `[from, to]`, `HH:MM` on a 24-hour clock (a shift may end at `24:00`). @example const r: TimeRange = ['09:00', '17:00']; */
export type TimeRange = readonly [string, string];

/**
 * Opening hours of a queue per weekday, in the callbacks' time zone; a missing day is closed.
 *
 * @example
 * const hours: QueueHours = { mon: ['09:00', '17:00'], sat: ['10:00', '14:00'] };
 */
export type QueueHours = { readonly [D in Weekday]?: TimeRange };

/**
 * One queue (manifest.json `queues.<id>`).
 *
 * @example
 * const q: QueueConfig = { label: 'Billing', slaSeconds: 300, agents: 1, avgHandleSeconds: 300 };
 */
export interface QueueConfig {
  readonly label: string;
  readonly slaSeconds: number;
  /** When agents work this queue; without it the queue is staffed around the clock. */
  readonly hours?: QueueHours;
  /** Agents who staff this queue at once when no console agent works it (an external help desk). */
  readonly agents: number;
  /** Average handling time of one contact, for the expected wait. */
  readonly avgHandleSeconds: number;
}

/**
 * An agent's working hours in the callbacks' time zone: ranges per weekday (a missing day is off)
 * and exceptions by date (`[]` for a day off). The queue's opening hours stay the outer bound.
 *
 * @example
 * const s: Shifts = { mon: [['09:00', '13:00'], ['14:00', '18:00']], exceptions: { '2026-12-25': [] } };
 */
export type Shifts = { readonly [D in Weekday]?: readonly TimeRange[] } & {
  /** By date, `YYYY-MM-DD`: that day's ranges instead of the weekday's. */
  readonly exceptions?: Readonly<Record<string, readonly TimeRange[]>>;
};

/**
 * The handoff policy (manifest.json `policy`), read by `evaluate` and the handoff services.
 *
 * @example
 * const below = manifest.policy.lowConfidence.below; // 0.6 by default
 */
export interface Policy {
  readonly defaultQueue: string;
  /** The reasons that may hand off; a reason left out is evaluated, traced "off", never fired. */
  readonly triggers: readonly HandoffReason[];
  readonly lowConfidence: { readonly below: number; readonly consecutiveTurns: number };
  readonly fallbackLoop: { readonly fallbacks: number };
  readonly missingEntity: { readonly afterRequests: number };
  readonly authFailed: { readonly attempts: number; readonly queue: string };
  readonly negativeSentiment: {
    /** A message scoring at or below this (AFINN sum) is strong anger. */
    readonly scoreAtOrBelow: number;
    /** …or whose per-token score is at or below this, with at least one strongly negative word. */
    readonly comparativeAtOrBelow: number;
  };
  readonly stalled: { readonly afterSeconds: number };
  readonly highValue: {
    readonly orderTotalAbove: number;
    readonly amountAbove: number;
    readonly tiers: readonly ('standard' | 'b2b')[];
    readonly salesQueue: string;
  };
  readonly cost: {
    readonly humanContactUsd: number;
    readonly botTurnUsd: number;
    readonly expectedRemainingBotTurns: number;
    /** Share of the dollars at stake lost when the bot fails the customer. */
    readonly valueAtRiskShare: number;
    /** Probability that the bot fails, before any evidence. */
    readonly baseFailure: number;
    /** Each piece of evidence since the last progress multiplies the chance of success by (1 - weight). */
    readonly evidence: {
      readonly fallback: number;
      readonly lowConfidence: number;
      readonly negativeSentiment: number;
      readonly authFailure: number;
      readonly missingEntity: number;
    };
  };
  readonly transfers: { readonly maxBeforeSenior: number; readonly seniorQueue: string };
  /** Priority (0 lowest … 9 highest) per reason; a reason not listed uses the policy's default. */
  readonly priorities: { readonly [R in HandoffReason | 'repeated_transfer']?: number };
  readonly sla: { readonly escalationPriorityBoost: number; readonly checkEverySeconds: number };
}

/**
 * manifest.json `callbacks`: offer a callback at a specific time when the expected wait is long.
 *
 * @example
 * const c: CallbacksConfig = { enabled: true, offerWhenWaitAboveMinutes: 15, slotMinutes: 30, horizonHours: 72, timezone: 'UTC', priority: 8 };
 */
export interface CallbacksConfig {
  readonly enabled: boolean;
  readonly offerWhenWaitAboveMinutes: number;
  readonly slotMinutes: number;
  readonly horizonHours: number;
  /** IANA time zone of the opening hours and of the times told to customers. */
  readonly timezone: string;
  /** Priority a due callback gets when it re-enters its queue. */
  readonly priority: number;
}

/**
 * An agent of the console (`console.agents[]`). `passwordHash` is `scrypt$<salt hex>$<key hex>`.
 *
 * @example
 * const a: AgentConfig = { id: 'ana', name: 'Ana', passwordHash, role: 'agent', queues: ['support'] };
 */
export interface AgentConfig {
  readonly id: string;
  readonly name: string;
  readonly passwordHash: string;
  readonly role: 'agent' | 'supervisor';
  readonly queues: readonly string[];
  /** Working hours (absent: whenever their queues are open). */
  readonly shifts?: Shifts;
  /** The language the console writes briefings in for them (absent: their browser's, else defaultLocale). */
  readonly locale?: ManifestLocale;
}

/**
 * Sign-in policy of the console (`console.signIn`).
 *
 * @example
 * const windowMs = manifest.console.signIn.windowMinutes * 60_000;
 */
export interface SignInConfig {
  readonly windowMinutes: number;
  readonly perAgentAddress: number;
  readonly perAddress: number;
  readonly perAgent: number;
  readonly knownDeviceDays: number;
  readonly maxConcurrentChecks: number;
  readonly maxWaiting: number;
  readonly trustedProxies: number;
}

/**
 * The agent console (`console`).
 *
 * @example
 * const supervisors = manifest.console.agents.filter((a) => a.role === 'supervisor');
 */
export interface ConsoleConfig {
  readonly sessionTtlMinutes: number;
  readonly awayAfterSeconds: number;
  readonly agents: readonly AgentConfig[];
  /** Response macros; `{placeholders}` are filled from the conversation's data and profile. */
  readonly macros: readonly { readonly id: string; readonly title: string; readonly text: string }[];
  readonly signIn: SignInConfig;
}

/** An event a webhook may subscribe to. @example const e: WebhookEventName = 'handoff.accepted'; */
export type WebhookEventName = 'handoff.requested' | 'handoff.accepted' | 'handoff.resolved' | 'handoff.returned' | 'handoff.transferred' | 'handoff.escalated';

/**
 * One webhook (`webhooks[]`); the HMAC secret lives in the environment variable `secretEnv`.
 *
 * @example
 * const w: WebhookConfig = { url: 'https://desk.example/hook', events: ['handoff.requested'], secretEnv: 'HANDOVER_WEBHOOK_SECRET' };
 */
export interface WebhookConfig {
  readonly url: string;
  readonly events: readonly WebhookEventName[];
  readonly secretEnv: string;
}

/**
 * The accept / confirm lines of one locale's recogniser confidence (accept above confirm).
 *
 * @example
 * const b: NluBands = { accept: 0.7, confirm: 0.4 };
 */
export interface NluBands {
  readonly accept: number;
  readonly confirm: number;
}

/**
 * manifest.json `limits`: token buckets on customer lines, server timeouts, web chat token age.
 *
 * @example
 * const perConversation = manifest.limits.messages.perConversation; // { burst: 20, perMinute: 60 }
 */
export interface LimitsConfig {
  readonly messages: {
    readonly perConnection: TokenBucketRule;
    readonly perConversation: TokenBucketRule;
    readonly perAddress: TokenBucketRule;
    readonly closeAfterRefused: number;
  };
  readonly http: {
    readonly headersTimeoutSeconds: number;
    readonly requestTimeoutSeconds: number;
    readonly bodyIdleTimeoutSeconds: number;
    readonly keepAliveTimeoutSeconds: number;
    readonly webSocketIdleSeconds: number;
    readonly webSocketHelloSeconds: number;
  };
  readonly webchatTokens: { readonly maxAgeHours: number };
}

/**
 * The whole validated manifest (every section's defaults filled in).
 *
 * @example
 * const queue = manifest.queues[manifest.policy.defaultQueue]; // QueueConfig | undefined
 */
export interface Manifest {
  readonly $schema?: string;
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly channels: readonly ManifestChannel[];
  readonly locales: readonly ManifestLocale[];
  readonly defaultLocale: ManifestLocale;
  readonly nlu: {
    /** Per locale, the bands of the recogniser's confidence; a locale not listed uses `default`. */
    readonly bands: { readonly default: NluBands } & { readonly [L in ManifestLocale]?: NluBands };
    /** While a prompt waits for an answer, a different intent above this confidence interrupts it. */
    readonly interruptAbove: number;
  };
  /** By queue id (lower_snake_case). */
  readonly queues: Readonly<Record<string, QueueConfig>>;
  readonly policy: Policy;
  readonly console: ConsoleConfig;
  readonly callbacks: CallbacksConfig;
  readonly webhooks: readonly WebhookConfig[];
  /** Customer messages closer than the channel's window form one burst, answered once. */
  readonly bursts: { readonly windowSeconds: { readonly [C in ManifestChannel]: number }; readonly maxSeconds: number };
  /** Channel settings, validated by each channel's own schema when that channel starts. */
  readonly whatsapp: { readonly web?: Readonly<Record<string, unknown>>; readonly cloud?: Readonly<Record<string, unknown>> };
  /** The in-process store: an idle conversation is forgotten after this. */
  readonly memoryStore: { readonly conversationTtlMinutes: number };
  readonly retention: RetentionDays;
  readonly pii: PiiSettings;
  readonly limits: LimitsConfig;
}
