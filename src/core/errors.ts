/**
 * The error catalogue: every error the project throws on purpose has a stable code listed here.
 * Messages state the fact and the fix.
 *
 * @example
 * throw new HandoverError('HANDOVER_ERR_STORE_UNAVAILABLE', 'Redis did not answer at redis://…: start it or set REDIS_URL');
 */
export const ERROR_CODES = {
  HANDOVER_ERR_CONFIG_INVALID: 'manifest.json or the environment is invalid',
  HANDOVER_ERR_DIALOGS_INVALID: 'a dialog file or locale file is invalid',
  HANDOVER_ERR_EVAL_INVALID: 'an evaluation file (handover eval) is invalid',
  HANDOVER_ERR_STORE_UNAVAILABLE: 'the store did not answer',
  HANDOVER_ERR_STORE_NOT_DURABLE: 'the Redis server can lose data (persistence off, or a maxmemory-policy that evicts): handover start refuses it unless --allow-volatile-redis',
  HANDOVER_ERR_STORE_DATA_INVALID: 'the store holds data this version cannot read (corrupt, or foreign keys under the prefix)',
  HANDOVER_ERR_STATE_CONFLICT: 'the conversation changed under this operation (compare-and-set lost, or the expected version is stale)',
  HANDOVER_ERR_NOT_IN_STATE: 'the handoff is not in a state that allows this operation',
  HANDOVER_ERR_ALREADY_TAKEN: 'another agent already took this conversation',
  HANDOVER_ERR_UNKNOWN_CONVERSATION: 'no such conversation',
  HANDOVER_ERR_UNKNOWN_QUEUE: 'no such queue',
  HANDOVER_ERR_NOT_ASSIGNED_TO_AGENT: 'this agent does not own the conversation',
  HANDOVER_ERR_SCENARIO_INVALID: 'a scenario file is invalid',
  HANDOVER_ERR_CHANNEL: 'a channel failed to deliver',
  HANDOVER_ERR_BAD_REQUEST: 'a client sent a malformed request (bad JSON, wrong shape)',
  HANDOVER_ERR_PAYLOAD_TOO_LARGE: 'a client sent a body larger than the configured limit',
  HANDOVER_ERR_UNAUTHORIZED: 'a client sent no token or a token this server did not issue',
  HANDOVER_ERR_FORBIDDEN: 'the token is valid but not for this conversation, or it expired',
  HANDOVER_ERR_CUSTOMER_TOKEN_INVALID: 'a web chat customer token (data-customer-token, Direct Line Authorization) is malformed, not HS256, signed with another secret or altered, or the server has no WEBCHAT_CUSTOMER_SECRET: 401, the conversation is not started',
  HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED: 'a web chat customer token is past its exp: 401, sign a fresh one when the page loads',
  HANDOVER_ERR_NOT_SUPPORTED: 'the channel does not support this operation',
  HANDOVER_ERR_NOT_FOUND: 'no such endpoint',
  HANDOVER_ERR_METHOD_NOT_ALLOWED: 'the endpoint exists but not for this HTTP method',
  HANDOVER_ERR_TOO_MANY_REQUESTS: 'too many attempts (failed sign-ins, new conversations, customer messages past limits.messages); wait the Retry-After / retryAfterMs and try again',
  HANDOVER_ERR_REQUEST_TIMEOUT: 'a client was too slow sending its request (headers, or a body that stalled past limits.http): 408 and the connection closed',
  HANDOVER_ERR_CROSS_SITE: 'a browser request from another site (foreign Origin, or Sec-Fetch-Site: cross-site) was refused: sign in and act from the console page itself',
  HANDOVER_ERR_BUSY: 'the server is at its limit of concurrent work of this kind (e.g. password checks); retry after the Retry-After seconds',
  HANDOVER_ERR_INTERNAL: 'an unexpected server error (details are logged, never sent to the client)',
  HANDOVER_ERR_TRANSCRIPT_UNWRITTEN: 'transcript lines could not be written after the bounded retries (kept in memory, up to a limit, and written with the next line)',
  HANDOVER_ERR_WEBHOOK_DELIVERY: 'an outgoing webhook could not be delivered after its retries',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

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
}

/** True when `e` is a HandoverError with the given code. */
export function isHandoverError(e: unknown, code?: ErrorCode): e is HandoverError {
  return e instanceof HandoverError && (code === undefined || e.code === code);
}
