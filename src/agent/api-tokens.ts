/**
 * Bearer tokens for an external help desk, from `HANDOVER_API_TOKENS="name:token,name:token"`.
 * The name is only for logs and for telling desks apart; the token is the secret (at least 16
 * characters). Comparison hashes both sides and uses `timingSafeEqual`.
 *
 * @example
 * const tokens = ApiTokens.fromEnv(process.env);   // throws HANDOVER_ERR_CONFIG_INVALID on a bad list
 * tokens.nameOf(bearer);                           // 'zendesk' | undefined
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { HandoverError } from '../core/errors.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * The configured help-desk tokens (only their SHA-256 is kept in memory).
 *
 * @example
 * ApiTokens.parse('zendesk:0123456789abcdef0123').nameOf('0123456789abcdef0123'); // 'zendesk'
 */
export class ApiTokens {
  private constructor(private readonly entries: ReadonlyArray<{ readonly name: string; readonly digest: Buffer }>) {}

  /** Parses `name:token,…`; every problem is reported at once. An empty or missing value means no tokens. */
  static parse(list: string | undefined): ApiTokens {
    const problems: string[] = [];
    const entries: { name: string; digest: Buffer }[] = [];
    for (const [i, raw] of (list ?? '').split(',').entries()) {
      const item = raw.trim();
      if (item === '') continue;
      const colon = item.indexOf(':');
      const name = colon < 0 ? '' : item.slice(0, colon).trim();
      const token = colon < 0 ? '' : item.slice(colon + 1).trim();
      if (!/^[A-Za-z0-9._-]+$/.test(name)) problems.push(`HANDOVER_API_TOKENS entry ${i + 1}: expected "name:token" with a name of letters, digits, . _ -`);
      else if (token.length < 16) problems.push(`HANDOVER_API_TOKENS entry ${i + 1} ("${name}"): the token must be at least 16 characters`);
      else entries.push({ name, digest: digest(token) });
    }
    if (problems.length > 0) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', problems.join('\n'), { details: problems });
    return new ApiTokens(entries);
  }

  /** Reads `HANDOVER_API_TOKENS` from an environment. */
  static fromEnv(env: NodeJS.ProcessEnv): ApiTokens {
    return ApiTokens.parse(env['HANDOVER_API_TOKENS']);
  }

  /** How many tokens are configured. */
  get size(): number {
    return this.entries.length;
  }

  /** The name of the desk holding this token, or undefined. Every entry is compared (no early exit). */
  nameOf(token: string | undefined): string | undefined {
    if (token === undefined || token === '') return undefined;
    const given = digest(token);
    let found: string | undefined;
    for (const e of this.entries) if (timingSafeEqual(given, e.digest) && found === undefined) found = e.name;
    return found;
  }
}
