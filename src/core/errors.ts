/**
 * The error catalogue, in the shape fastify's `@fastify/error` uses: per code one row with the HTTP
 * status a client gets, a one-line description, what to do about it, and (for some) a message
 * template. Every error the project throws on purpose is a `HandoverError` with a code from this
 * table; the HTTP edges (`src/server/http-json.ts`, `src/channels/webchat/http-utils.ts`) take the
 * status from here (`httpStatusOf`), and `npm run docs:errors` writes docs/errors.md from it.
 * Messages state the fact and the fix.
 *
 * @example
 * throw new HandoverError('HANDOVER_ERR_STORE_UNAVAILABLE', 'Redis did not answer at redis://…: start it or set REDIS_URL');
 * throw HandoverError.of('HANDOVER_ERR_UNKNOWN_QUEUE', { queue: 'biling', known: 'support, billing' });
 * httpStatusOf('HANDOVER_ERR_UNKNOWN_QUEUE'); // 404
 */

/** One row of the catalogue. */
export interface ErrorSpec {
  /** The HTTP status when this error reaches an HTTP client; 500 for errors that never should (details are logged, not sent). */
  readonly status: number;
  /** What happened, in one line. */
  readonly description: string;
  /** What the reader does about it. */
  readonly fix: string;
  /** Message template for `HandoverError.of`, with `{name}` placeholders. */
  readonly message?: string;
}

export const ERROR_CATALOGUE = {
  HANDOVER_ERR_CONFIG_INVALID: {
    status: 500,
    description: 'manifest.json, the environment or an option passed in code is invalid',
    fix: 'Read the listed problems (all are reported at once), fix manifest.json or the variable named, and start again; `handover lint` checks without starting.',
  },
  HANDOVER_ERR_DIALOGS_INVALID: {
    status: 500,
    description: 'a dialog file or locale file is invalid',
    fix: 'Fix the file and field named in the message (`handover lint` lists every problem); a recogniser needs examples for at least two intents per locale.',
  },
  HANDOVER_ERR_EVAL_INVALID: {
    status: 500,
    description: 'an evaluation file (handover eval) is invalid',
    fix: 'Fix the file and line named in the message; see the eval file format in the README.',
  },
  HANDOVER_ERR_STORE_UNAVAILABLE: {
    status: 503,
    description: 'the store did not answer',
    fix: 'Start Redis or point REDIS_URL at it; clients retry after Retry-After (nothing was stored).',
  },
  HANDOVER_ERR_STORE_NOT_DURABLE: {
    status: 500,
    description: 'the Redis server can lose data (persistence off, or a maxmemory-policy that evicts): handover start refuses it unless --allow-volatile-redis',
    fix: 'Turn on AOF or RDB persistence and set maxmemory-policy to noeviction (docs/redis.md), or pass --allow-volatile-redis for a throwaway setup.',
  },
  HANDOVER_ERR_STORE_DATA_INVALID: {
    status: 500,
    description: 'the store holds data this version cannot read (corrupt, or foreign keys under the prefix)',
    fix: 'Check that nothing else writes under this key prefix (give handover its own prefix or database); the key is named in the message.',
  },
  HANDOVER_ERR_STATE_CONFLICT: {
    status: 409,
    description: 'the conversation changed under this operation (compare-and-set lost, or the expected version is stale)',
    fix: 'Reload the conversation and decide again with its current state.version.',
  },
  HANDOVER_ERR_NOT_IN_STATE: {
    status: 409,
    description: 'the handoff is not in a state that allows this operation',
    fix: 'Reload the conversation: it was already accepted, resolved or returned; the message says which state it is in.',
  },
  HANDOVER_ERR_ALREADY_TAKEN: {
    status: 409,
    description: 'another agent already took this conversation',
    fix: 'Nothing to do: pick another conversation from the queue.',
  },
  HANDOVER_ERR_UNKNOWN_CONVERSATION: {
    status: 404,
    description: 'no such conversation',
    fix: 'Check the conversation id; a conversation past its retention is gone.',
  },
  HANDOVER_ERR_UNKNOWN_QUEUE: {
    status: 404,
    description: 'no such queue',
    fix: 'Use one of the queue ids in manifest.json `queues` (the message lists them).',
    message: 'unknown queue "{queue}"; queues: {known}',
  },
  HANDOVER_ERR_NOT_ASSIGNED_TO_AGENT: {
    status: 403,
    description: 'this agent does not own the conversation',
    fix: 'Accept the conversation first, or act as the agent who owns it.',
  },
  HANDOVER_ERR_SCENARIO_INVALID: {
    status: 500,
    description: 'a scenario file is invalid',
    fix: 'Fix the file and field named in the message; schemas/scenario.schema.json lets an editor check it as you type.',
  },
  HANDOVER_ERR_CHANNEL: {
    status: 500,
    description: 'a channel failed to deliver, or cannot do what was asked (edit or delete a sent message)',
    fix: 'Read the cause in the log (the channel\'s own error); send a new message instead of editing one.',
  },
  HANDOVER_ERR_BAD_REQUEST: {
    status: 400,
    description: 'a client sent a malformed request (bad JSON, wrong shape)',
    fix: 'Fix the request as the message says; the OpenAPI document (GET /api/openapi.json) gives every body\'s shape.',
  },
  HANDOVER_ERR_PAYLOAD_TOO_LARGE: {
    status: 413,
    description: 'a client sent a body larger than the configured limit',
    fix: 'Send a smaller body, or raise the limit in manifest.json `limits` if the size is legitimate.',
  },
  HANDOVER_ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    description: 'a web chat customer sent a file of a type that is not accepted, or whose bytes are not what its type says',
    fix: 'Send a photo (JPEG, PNG, GIF, WebP), a PDF or an office document; the accepted types are the web chat upload limits (WEBCHAT_UPLOAD_TYPES).',
  },
  HANDOVER_ERR_UNAUTHORIZED: {
    status: 401,
    description: 'a client sent no token or a token this server did not issue',
    fix: 'Sign in again (console) or start a new conversation for a fresh token (web chat).',
  },
  HANDOVER_ERR_FORBIDDEN: {
    status: 403,
    description: 'the token is valid but not for this conversation or queue, or it expired',
    fix: 'Act only on your own queues and conversations; a supervisor can see all of them.',
  },
  HANDOVER_ERR_CUSTOMER_TOKEN_INVALID: {
    status: 401,
    description: 'a web chat customer token (data-customer-token, Direct Line Authorization) is malformed, not HS256, signed with another secret or altered, or the server has no WEBCHAT_CUSTOMER_SECRET; the conversation is not started',
    fix: 'Sign the token with HS256 and the same WEBCHAT_CUSTOMER_SECRET the server has (docs/webchat.md).',
  },
  HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED: {
    status: 401,
    description: 'a web chat customer token is past its exp',
    fix: 'Sign a fresh token when the page loads.',
  },
  HANDOVER_ERR_NOT_SUPPORTED: {
    status: 501,
    description: 'the channel or the configured stores do not support this operation',
    fix: 'Use the built-in memory or Redis store for history and erasure; web chat cannot edit or delete a sent activity (send a new one).',
  },
  HANDOVER_ERR_NOT_FOUND: {
    status: 404,
    description: 'no such endpoint',
    fix: 'Check the path (the OpenAPI document lists the console API; docs/webchat.md the Direct Line subset).',
  },
  HANDOVER_ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    description: 'the endpoint exists but not for this HTTP method (or this server does not offer it, e.g. Direct Line attachment upload)',
    fix: 'Use the method the endpoint takes (the Allow header names it on the console API).',
  },
  HANDOVER_ERR_TOO_MANY_REQUESTS: {
    status: 429,
    description: 'too many attempts (failed sign-ins, new conversations, customer messages past limits.messages)',
    fix: 'Wait the Retry-After seconds (or the error frame\'s retryAfterMs) and try again; raise manifest.json `limits` if the traffic is legitimate.',
  },
  HANDOVER_ERR_REQUEST_TIMEOUT: {
    status: 408,
    description: 'a client was too slow sending its request (headers, or a body that stalled past limits.http); the connection is closed',
    fix: 'Send the request again over a working connection; raise manifest.json `limits.http` for slow links.',
  },
  HANDOVER_ERR_CROSS_SITE: {
    status: 403,
    description: 'a browser request from another site (foreign Origin, or Sec-Fetch-Site: cross-site) was refused',
    fix: 'Sign in and act from the console page itself; scripts use a bearer token instead of the session cookie.',
  },
  HANDOVER_ERR_BUSY: {
    status: 503,
    description: 'the server is at its limit of concurrent work of this kind (e.g. password checks)',
    fix: 'Retry after the Retry-After seconds.',
  },
  HANDOVER_ERR_INTERNAL: {
    status: 500,
    description: 'an unexpected server error (details are logged, never sent to the client)',
    fix: 'Look in the server log for the error at that time; report it if it is a bug.',
  },
  HANDOVER_ERR_TRANSCRIPT_UNWRITTEN: {
    status: 500,
    description: 'transcript lines could not be written after the bounded retries (kept in memory, up to a limit, and written with the next line)',
    fix: 'Bring the store back (usually Redis); the kept lines are written with the conversation\'s next line.',
  },
  HANDOVER_ERR_WEBHOOK_DELIVERY: {
    status: 500,
    description: 'an outgoing webhook could not be delivered after its retries',
    fix: 'Check that the webhook URL answers 2xx within its timeout; the log line (url, event, last status) tells which delivery failed, and the event is not sent again.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Every code, in catalogue order. */
export const ALL_ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/**
 * Code → one-line description (the catalogue's `description` column; kept for callers of the
 * former map).
 *
 * @example
 * ERROR_CODES.HANDOVER_ERR_UNKNOWN_QUEUE; // 'no such queue'
 */
export const ERROR_CODES: { readonly [C in ErrorCode]: string } = Object.freeze(
  Object.fromEntries(ALL_ERROR_CODES.map((c) => [c, ERROR_CATALOGUE[c].description])) as { [C in ErrorCode]: string },
);

/** Codes whose catalogue row has a message template. */
export type TemplatedErrorCode = { [C in ErrorCode]: (typeof ERROR_CATALOGUE)[C] extends { message: string } ? C : never }[ErrorCode];

/** The `{name}` placeholders of a template, as a union of names. */
type Placeholders<T extends string> = T extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

/** The parameters `HandoverError.of` needs for a templated code. */
export type ErrorParams<C extends TemplatedErrorCode> = Record<Placeholders<(typeof ERROR_CATALOGUE)[C]['message']>, string | number>;

/** Base class of every deliberate error; branch on `code`, never on the message. */
export class HandoverError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: readonly string[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HandoverError';
    this.code = code;
    this.details = options?.details ?? [];
  }

  /** The HTTP status of this error's code (the catalogue's `status`). */
  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  /**
   * An error whose message is the code's template with `params` filled in (the parameter names are
   * checked at compile time).
   *
   * @example
   * throw HandoverError.of('HANDOVER_ERR_UNKNOWN_QUEUE', { queue: 'biling', known: 'support, billing' });
   * // message: 'unknown queue "biling"; queues: support, billing'
   */
  static of<C extends TemplatedErrorCode>(code: C, params: ErrorParams<C>, options?: { cause?: unknown; details?: readonly string[] }): HandoverError {
    // (a code without a template, from untyped JS, gets its description)
    const spec: ErrorSpec = ERROR_CATALOGUE[code];
    const template = spec.message ?? spec.description;
    const values = params as Record<string, string | number>;
    const message = template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
    return new HandoverError(code, message, options);
  }
}

/** True when `e` is a HandoverError with the given code. */
export function isHandoverError(e: unknown, code?: ErrorCode): e is HandoverError {
  return e instanceof HandoverError && (code === undefined || e.code === code);
}

/**
 * The HTTP status for an error or a code, from the catalogue: a HandoverError's code gives its
 * row's status; anything else (a plain Error, an unknown code) is 500. The one table both HTTP
 * edges use.
 *
 * @example
 * httpStatusOf(new HandoverError('HANDOVER_ERR_ALREADY_TAKEN', 'taken')); // 409
 * httpStatusOf('HANDOVER_ERR_UNKNOWN_QUEUE'); // 404
 * httpStatusOf(new Error('boom')); // 500
 */
export function httpStatusOf(e: unknown): number {
  if (typeof e === 'string') return Object.hasOwn(ERROR_CATALOGUE, e) ? ERROR_CATALOGUE[e as ErrorCode].status : 500;
  return isHandoverError(e) ? ERROR_CATALOGUE[e.code].status : 500;
}
