import { randomUUID } from 'node:crypto';
import type { AddToBurst, BurstMessage, BurstStore, PendingBurst, TakeResult } from '../../core/ports/burst-store.js';

/** Answered message ids kept per conversation, and conversations kept (the least recently settled go first). */
const MAX_ANSWERED_IDS = 200;
const MAX_ANSWERED_CONVERSATIONS = 10_000;

interface Burst {
  id: string;
  route: string;
  first: number;
  deadline: number;
  messages: BurstMessage[];
  activity: Readonly<Record<string, unknown>>;
  attempts: number;
  /** Claimed: by whom and until when. */
  owner?: string;
  lease?: number;
}

/**
 * `BurstStore` in this process (the memory store's): the same semantics as the Redis one, for one
 * process, where the timers of `BurstWindow` answer every burst and nothing needs sweeping.
 *
 * @example
 * const store = new MemoryBurstStore();
 * await store.add('webchat:c1', { id: 'a1', at: 0, text: 'hi' }, { windowMs: 3000, maxMs: 10_000, route: 'webchat', activity: {} });
 */
export class MemoryBurstStore implements BurstStore {
  readonly shared = false;
  private readonly open = new Map<string, Burst>();
  private readonly claimed = new Map<string, Burst>();
  /** Message ids of answered bursts, per conversation (bounded: the most recently settled conversations, their last ids). */
  private readonly answered = new Map<string, Set<string>>();

  async add(conversationId: string, message: BurstMessage, opts: AddToBurst): Promise<{ deadline: number; size: number; added: boolean }> {
    if (this.answered.get(conversationId)?.has(message.id) === true) return { deadline: 0, size: 0, added: false };
    let b = this.open.get(conversationId);
    if (b === undefined) {
      b = { id: randomUUID(), route: opts.route, first: message.at, deadline: 0, messages: [], activity: opts.activity, attempts: 0 };
      this.open.set(conversationId, b);
    }
    if (b.messages.some((m) => m.id === message.id)) return { deadline: b.deadline, size: b.messages.length, added: false };
    b.messages.push({ id: message.id, at: message.at, text: message.text });
    b.activity = opts.activity;
    b.deadline = Math.max(b.deadline, Math.min(message.at + opts.windowMs, b.first + opts.maxMs));
    return { deadline: b.deadline, size: b.messages.length, added: true };
  }

  async take(conversationId: string, opts: { now: number; owner: string; leaseMs: number; force?: boolean }): Promise<TakeResult> {
    const held = this.claimed.get(conversationId);
    if (held !== undefined) {
      if ((held.lease ?? 0) > opts.now) return { kind: 'busy', until: held.lease ?? 0 };
      return { kind: 'claimed', burst: this.claim(conversationId, held, opts) };
    }
    const b = this.open.get(conversationId);
    if (b === undefined) return { kind: 'none' };
    if (b.deadline > opts.now && opts.force !== true) return { kind: 'wait', deadline: b.deadline };
    this.open.delete(conversationId);
    this.claimed.set(conversationId, b);
    return { kind: 'claimed', burst: this.claim(conversationId, b, opts) };
  }

  async settle(conversationId: string, burstId: string): Promise<void> {
    const b = this.claimed.get(conversationId);
    if (b?.id !== burstId) return;
    this.claimed.delete(conversationId);
    const ids = this.answered.get(conversationId) ?? new Set<string>();
    this.answered.delete(conversationId);
    for (const m of b.messages) ids.add(m.id);
    for (const id of ids) {
      if (ids.size <= MAX_ANSWERED_IDS) break;
      ids.delete(id);
    }
    this.answered.set(conversationId, ids);
    for (const c of this.answered.keys()) {
      if (this.answered.size <= MAX_ANSWERED_CONVERSATIONS) break;
      this.answered.delete(c);
    }
  }

  async due(now: number, graceMs: number, limit: number): Promise<{ conversationId: string; route: string }[]> {
    const out: { conversationId: string; route: string; at: number }[] = [];
    for (const [conversationId, b] of this.open) if (b.deadline <= now - graceMs) out.push({ conversationId, route: b.route, at: b.deadline });
    for (const [conversationId, b] of this.claimed) if ((b.lease ?? 0) <= now) out.push({ conversationId, route: b.route, at: b.lease ?? 0 });
    return out
      .sort((x, y) => x.at - y.at)
      .slice(0, limit)
      .map(({ conversationId, route }) => ({ conversationId, route }));
  }

  /** Bursts held (tests). */
  get size(): number {
    return this.open.size + this.claimed.size;
  }

  private claim(conversationId: string, b: Burst, opts: { now: number; owner: string; leaseMs: number }): PendingBurst {
    b.owner = opts.owner;
    b.lease = opts.now + opts.leaseMs;
    b.attempts += 1;
    return { id: b.id, conversationId, route: b.route, first: b.first, deadline: b.deadline, messages: [...b.messages], activity: b.activity, attempts: b.attempts };
  }
}
