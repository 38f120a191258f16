/**
 * Agents' presence — online, away or offline — stored in the DocumentStore (`presence:<agent>`),
 * so every process sharing the store sees the same answer.
 *
 * What the agent chose comes first: signing in (or opening the console) is online, signing out is
 * offline, and the console's status menu sets any of the three. An agent who chose online is
 * online while one of their console sockets is open on any process; when the last one closes (a
 * closed laptop, a lost network, a crashed process whose heartbeats stop) they stay online for
 * `graceMs` — a reconnect within it changes nothing — and are away after it. The status is
 * derived from timestamps when read, so "away after the grace period" needs no timer.
 *
 * @example
 * const presence = new PresenceBook({ documents: stores.documents, clock, graceMs: 60_000 });
 * await presence.signIn('ana');
 * await presence.opened('ana', node);
 * (await presence.read('ana')).status; // 'online'
 */
import type { Clock } from '../core/clock.js';
import { HandoverError } from '../core/errors.js';
import type { DocumentStore } from '../core/ports/document-store.js';

/** An agent's presence. */
export type PresenceStatus = 'online' | 'away' | 'offline';

/** Every presence status, in menu order. */
export const PRESENCE_STATUSES: readonly PresenceStatus[] = ['online', 'away', 'offline'];

/** The stored document of one agent's presence. */
export interface PresenceDoc {
  /** What the agent chose last (sign-in: online, sign-out: offline, or the status menu). */
  readonly chosen: PresenceStatus;
  readonly chosenAt: number;
  /** Open console sockets per process, refreshed by each process's heartbeat. */
  readonly nodes: Readonly<Record<string, { readonly open: number; readonly at: number }>>;
  /** When the agent's last open socket closed (null while one is open or none ever was). */
  readonly lostAt: number | null;
}

/** An agent's presence as read now. */
export interface Presence {
  readonly agentId: string;
  readonly status: PresenceStatus;
  /** What the agent chose (the status differs when online turned away after a lost connection). */
  readonly chosen: PresenceStatus;
  /** Console sockets open now, on every process. */
  readonly connections: number;
  /** Since when the status holds (ms since the epoch; 0 when never seen). */
  readonly since: number;
}

/** A write's outcome: the presence after it, and whether its status changed. */
export interface PresenceChange extends Presence {
  readonly changed: boolean;
}

/** Options of {@link PresenceBook}. */
export interface PresenceBookOptions {
  readonly documents: DocumentStore;
  readonly clock: Clock;
  /** An online agent with no open socket for this long is away (manifest `console.awayAfterSeconds`). */
  readonly graceMs: number;
  /** A process's socket count not refreshed for this long is gone with its process (default 90 s: 3 heartbeats). */
  readonly staleMs?: number;
}

/**
 * The status a stored presence document says at `now`.
 *
 * @example
 * effectivePresence('ana', doc, clock.now(), 60_000, 90_000).status; // 'away' a minute after the last socket closed
 */
export function effectivePresence(agentId: string, doc: PresenceDoc | undefined, now: number, graceMs: number, staleMs: number): Presence {
  if (doc === undefined) return { agentId, status: 'offline', chosen: 'offline', connections: 0, since: 0 };
  let live = 0;
  let lastSeen = Math.max(doc.lostAt ?? 0, doc.chosenAt);
  for (const n of Object.values(doc.nodes)) {
    if (n.open <= 0) continue;
    if (now - n.at <= staleMs) live += n.open;
    else lastSeen = Math.max(lastSeen, n.at);
  }
  const base = { agentId, chosen: doc.chosen, connections: live };
  if (doc.chosen !== 'online') return { ...base, status: doc.chosen, since: doc.chosenAt };
  if (live > 0) return { ...base, status: 'online', since: doc.chosenAt };
  if (now - lastSeen < graceMs) return { ...base, status: 'online', since: doc.chosenAt };
  return { ...base, status: 'away', since: lastSeen + graceMs };
}

/**
 * Presence documents: written on sign-in and sign-out, by the status menu, and by each process's
 * console sockets (open, close, heartbeat); read by the capacity of callback slots and by the
 * expected wait.
 *
 * @example
 * const presence = new PresenceBook({ documents, clock, graceMs: 60_000 });
 * await presence.setStatus('ana', 'away');
 */
export class PresenceBook {
  readonly graceMs: number;
  readonly staleMs: number;

  constructor(private readonly opts: PresenceBookOptions) {
    this.graceMs = opts.graceMs;
    this.staleMs = opts.staleMs ?? 90_000;
  }

  /** The DocumentStore key of an agent's presence. */
  static key(agent: string): string {
    return `presence:${agent}`;
  }

  /** An agent's presence now. */
  async read(agent: string): Promise<Presence> {
    const doc = await this.opts.documents.read<PresenceDoc>(PresenceBook.key(agent));
    return effectivePresence(agent, doc?.value, this.opts.clock.now(), this.graceMs, this.staleMs);
  }

  /** Several agents' presence now (read together: one round trip on Redis). */
  async readMany(agents: readonly string[]): Promise<Map<string, Presence>> {
    const docs = await Promise.all(agents.map((a) => this.opts.documents.read<PresenceDoc>(PresenceBook.key(a))));
    const now = this.opts.clock.now();
    return new Map(agents.map((a, i) => [a, effectivePresence(a, docs[i]?.value, now, this.graceMs, this.staleMs)]));
  }

  /** Signed in: online (with the grace period to open the console). */
  signIn(agent: string): Promise<PresenceChange> {
    return this.update(agent, (d, now) => ({ ...d, chosen: 'online', chosenAt: now, lostAt: now }));
  }

  /** Signed out: offline. */
  signOut(agent: string): Promise<PresenceChange> {
    return this.update(agent, (d, now) => ({ ...d, chosen: 'offline', chosenAt: now }));
  }

  /** The agent's own choice from the status menu. */
  setStatus(agent: string, status: PresenceStatus): Promise<PresenceChange> {
    return this.update(agent, (d, now) => ({ ...d, chosen: status, chosenAt: now, ...(status === 'online' ? { lostAt: now } : {}) }));
  }

  /** A console socket of the agent opened on `node`; an agent who was offline is online again. */
  opened(agent: string, node: string): Promise<PresenceChange> {
    return this.update(agent, (d, now) => {
      const open = (d.nodes[node]?.open ?? 0) + 1;
      const back = d.chosen === 'offline';
      return { ...d, nodes: { ...d.nodes, [node]: { open, at: now } }, lostAt: null, ...(back ? { chosen: 'online' as const, chosenAt: now } : {}) };
    });
  }

  /** A console socket of the agent closed on `node` (all of them with `all`). */
  closed(agent: string, node: string, all = false): Promise<PresenceChange> {
    return this.update(agent, (d, now) => {
      const nodes = { ...d.nodes };
      const open = all ? 0 : Math.max(0, (nodes[node]?.open ?? 0) - 1);
      if (open === 0) delete nodes[node];
      else nodes[node] = { open, at: now };
      const stillOpen = Object.values(nodes).some((n) => n.open > 0 && now - n.at <= this.staleMs);
      return { ...d, nodes, lostAt: stillOpen ? d.lostAt : now };
    });
  }

  /** This process still holds these agents' sockets (call every heartbeat; other processes judge it by this). */
  async heartbeat(node: string, open: ReadonlyMap<string, number>): Promise<void> {
    await Promise.all(
      [...open].map(([agent, n]) =>
        this.update(agent, (d, now) => ({ ...d, nodes: { ...d.nodes, [node]: { open: n, at: now } } })),
      ),
    );
  }

  private async update(agent: string, change: (d: PresenceDoc, now: number) => PresenceDoc): Promise<PresenceChange> {
    const key = PresenceBook.key(agent);
    for (let attempt = 0; attempt < 20; attempt++) {
      const doc = await this.opts.documents.read<PresenceDoc>(key);
      const now = this.opts.clock.now();
      const before: PresenceDoc = doc?.value ?? { chosen: 'offline', chosenAt: now, nodes: {}, lostAt: null };
      const next = change(before, now);
      const r = doc === undefined ? await this.opts.documents.create(key, next) : await this.opts.documents.write(key, next, doc.eTag);
      if (r.ok) {
        const was = effectivePresence(agent, doc?.value, now, this.graceMs, this.staleMs).status;
        const after = effectivePresence(agent, next, now, this.graceMs, this.staleMs);
        return { ...after, changed: after.status !== was };
      }
    }
    throw new HandoverError('HANDOVER_ERR_STATE_CONFLICT', `${agent}'s presence kept changing: try again`);
  }
}
