/**
 * Who is calling the console: a signed-in agent (session cookie) or an external help desk
 * (`Authorization: Bearer <token>` from HANDOVER_API_TOKENS). A request that presents a bearer
 * token is judged by that token alone — a bad token is a 401 even with a valid cookie.
 *
 * @example
 * const auth = new ConsoleAuth({ roster, sessions, tokens });
 * const who = await auth.require(req);              // throws HANDOVER_ERR_UNAUTHORIZED (401)
 * auth.queuesOf(who);                              // the queues this caller may see
 */
import type { IncomingMessage } from 'node:http';
import { HandoverError } from '../core/errors.js';
import type { AgentRoster, ConsoleAgent } from './agent-roster.js';
import type { AgentSessions } from './agent-sessions.js';
import type { ApiTokens } from './api-tokens.js';

/**
 * Name of the session cookie.
 *
 * @example
 * parseCookies(req.headers.cookie).get(SESSION_COOKIE);
 */
export const SESSION_COOKIE = 'handover_agent';

/**
 * The caller of a console request.
 *
 * @example
 * const who: Principal = await auth.require(req);
 * if (who.kind === 'agent') who.agent.name;
 */
export type Principal =
  | { readonly kind: 'agent'; readonly agent: ConsoleAgent; readonly sessionToken: string }
  | { readonly kind: 'desk'; readonly name: string };

/**
 * Cookies of a request (`Cookie` header), first value wins.
 *
 * @example
 * parseCookies('a=1; handover_agent=xyz').get('handover_agent'); // 'xyz'
 */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (out.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value);
    }
  }
  return out;
}

/**
 * Authenticates console requests and builds the session cookie.
 *
 * @example
 * const auth = new ConsoleAuth({ roster, sessions, tokens: ApiTokens.fromEnv(process.env), secureCookies: true });
 * res.setHeader('Set-Cookie', auth.sessionCookie(token, expiresAt, ttlMs));
 */
export class ConsoleAuth {
  constructor(private readonly opts: { readonly roster: AgentRoster; readonly sessions: AgentSessions; readonly tokens: ApiTokens; readonly secureCookies?: boolean }) {}

  /** The caller, or undefined when the request carries no valid credential. */
  async principalOf(req: IncomingMessage): Promise<Principal | undefined> {
    const authz = req.headers.authorization;
    if (authz !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
      const name = this.opts.tokens.nameOf(m?.[1]);
      return name === undefined ? undefined : { kind: 'desk', name };
    }
    const token = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    const session = await this.opts.sessions.get(token);
    if (session === undefined || token === undefined) return undefined;
    // An agent removed from the manifest loses access at once, whatever their cookie says.
    const agent = this.opts.roster.find(session.agentId);
    return agent === undefined ? undefined : { kind: 'agent', agent, sessionToken: token };
  }

  /** The caller; throws `HANDOVER_ERR_UNAUTHORIZED` (401) when there is none. */
  async require(req: IncomingMessage): Promise<Principal> {
    const p = await this.principalOf(req);
    if (p === undefined) {
      throw new HandoverError(
        'HANDOVER_ERR_UNAUTHORIZED',
        req.headers.authorization === undefined ? 'sign in first (POST /api/login) or send Authorization: Bearer <token>' : 'the bearer token is not valid',
      );
    }
    return p;
  }

  /** The queues a caller may see: an agent's own, every queue for a supervisor or a help desk. */
  queuesOf(p: Principal): readonly string[] {
    return p.kind === 'agent' ? p.agent.queues : this.opts.roster.allQueues;
  }

  /** True for callers who see and act on every queue (supervisors, help desks). */
  seesAll(p: Principal): boolean {
    return p.kind === 'desk' || p.agent.role === 'supervisor';
  }

  /** `Set-Cookie` value starting a session: HttpOnly, SameSite=Strict, expiring with the session. */
  sessionCookie(token: string, expiresAt: number, maxAgeMs: number): string {
    return [
      `${SESSION_COOKIE}=${token}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`,
      `Expires=${new Date(expiresAt).toUTCString()}`,
      ...(this.opts.secureCookies === true ? ['Secure'] : []),
    ].join('; ');
  }

  /** `Set-Cookie` value removing the session cookie. */
  clearedCookie(): string {
    return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT', ...(this.opts.secureCookies === true ? ['Secure'] : [])].join('; ');
  }
}

/**
 * Refuses a browser request made from another site (login CSRF, or an action riding on the session
 * cookie; the cookie is already SameSite=Strict, this is the second lock): `Sec-Fetch-Site:
 * cross-site`, or an `Origin` whose host is not this server's (`Host`, or `X-Forwarded-Host` behind
 * a proxy). A request with neither header (curl, a help desk's own client) passes. Throws
 * HANDOVER_ERR_CROSS_SITE (403).
 *
 * @example
 * if (req.method === 'POST' && req.headers.authorization === undefined) checkSameSite(req);
 */
export function checkSameSite(req: IncomingMessage): void {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site') throw new HandoverError('HANDOVER_ERR_CROSS_SITE', 'cross-site request refused (Sec-Fetch-Site: cross-site): use the console page on this server');
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new HandoverError('HANDOVER_ERR_CROSS_SITE', `malformed Origin header "${origin.slice(0, 100)}" refused`);
  }
  const forwarded = req.headers['x-forwarded-host'];
  const expected = [req.headers.host, ...(typeof forwarded === 'string' ? forwarded.split(',').map((h) => h.trim()) : [])];
  if (!expected.includes(host)) throw new HandoverError('HANDOVER_ERR_CROSS_SITE', `cross-site request from ${origin.slice(0, 100)} refused: use the console page on this server`);
}
