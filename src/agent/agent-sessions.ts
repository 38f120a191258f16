/**
 * Console sessions in the DocumentStore, so that any process sharing the store (memory in one
 * process, Redis across many) can validate a cookie. The cookie carries a random 256-bit token;
 * the store keeps only its SHA-256, so a leaked store dump opens no session.
 *
 * @example
 * const sessions = new AgentSessions({ documents: stores.documents, clock, ttlMs: 8 * 3_600_000 });
 * const { token } = await sessions.create('ana');
 * (await sessions.get(token))?.agentId;             // 'ana'
 * await sessions.destroy(token);
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { DocumentStore } from '../core/ports/document-store.js';

/**
 * What a session document holds.
 *
 * @example
 * const s: AgentSession | undefined = await sessions.get(token); // { agentId: 'ana', createdAt, expiresAt }
 */
export interface AgentSession {
  readonly agentId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Session documents keyed by the SHA-256 of the cookie token.
 *
 * @example
 * const sessions = new AgentSessions({ documents: stores.documents, clock, ttlMs: 480 * 60_000 });
 */
export class AgentSessions {
  constructor(private readonly opts: { readonly documents: DocumentStore; readonly clock: Clock; readonly ttlMs: number }) {}

  /** The session's lifetime in milliseconds (also the cookie's Max-Age). */
  get ttlMs(): number {
    return this.opts.ttlMs;
  }

  /** A stable, non-secret key for one session token (for grouping sockets of a session). */
  static idOf(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }

  private key(token: string): string {
    return `agent-session:${AgentSessions.idOf(token)}`;
  }

  /** Starts a session for an agent; the token goes in the cookie and nowhere else. */
  async create(agentId: string): Promise<{ token: string; session: AgentSession }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.opts.clock.now();
    const session: AgentSession = { agentId, createdAt: now, expiresAt: now + this.opts.ttlMs };
    await this.opts.documents.write(this.key(token), session);
    return { token, session };
  }

  /** The live session of a token, or undefined (unknown, malformed or expired — an expired one is deleted). */
  async get(token: string | undefined): Promise<AgentSession | undefined> {
    if (token === undefined || !TOKEN.test(token)) return undefined;
    const doc = await this.opts.documents.read<AgentSession>(this.key(token));
    if (doc === undefined) return undefined;
    if (doc.value.expiresAt <= this.opts.clock.now()) {
      await this.opts.documents.delete(this.key(token));
      return undefined;
    }
    return doc.value;
  }

  /** Ends a session (sign-out). Unknown tokens are fine. */
  async destroy(token: string | undefined): Promise<void> {
    if (token === undefined || !TOKEN.test(token)) return;
    await this.opts.documents.delete(this.key(token));
  }
}
