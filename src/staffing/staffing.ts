/**
 * Who can take which queue, now and at a future time: the console's agents (manifest.json
 * `console.agents`, each with their queues), their presence (online / away / offline) and their
 * shifts (the manifest's, or a supervisor's from the console), bounded by each queue's opening
 * hours. A queue that no console agent works (its agents use an external help desk) keeps the
 * static `queues.<id>.agents` count, staffed whenever the queue is open.
 *
 * A `StaffingSnapshot` reads everything once (one round trip on Redis) and then answers for any
 * number of spans: the agents' time in a span grouped for `maxFlow`, how many agents can take a
 * queue right now, and a fingerprint that changes whenever capacity might.
 *
 * For a span that starts within the next hour, an agent counts only when actually online — or
 * when their shift has not started yet (nobody is online before their shift); an agent on shift
 * who is away or offline does not count there. Further ahead, shifts alone decide.
 *
 * @example
 * const staffing = new Staffing({ manifest, documents: stores.documents, clock });
 * const snap = await staffing.snapshot();
 * snap.ableNow('support');                     // online agents of support
 * snap.supply(slot.start, slot.end);           // SupplyNode[] for maxFlow
 */
import type { Manifest, QueueConfig, Shifts } from '../core/manifest.js';
import type { Clock } from '../core/clock.js';
import type { DocumentStore } from '../core/ports/document-store.js';
import type { SupplyNode } from './capacity.js';
import type { LocalParts } from './local-time.js';
import { PresenceBook, type Presence } from './presence.js';
import { coveredMs, coversInstant, intersectRanges, queueRangesOn, shiftRangesOn, ShiftBook, type MinuteRanges } from './shifts.js';

/** How far ahead only agents who are actually online count. */
export const PRESENCE_WINDOW_MS = 3_600_000;

/** Options of {@link Staffing}. */
export interface StaffingOptions {
  readonly manifest: Pick<Manifest, 'console' | 'queues' | 'callbacks'>;
  readonly documents: DocumentStore;
  readonly clock: Clock;
  /** Overrides `console.awayAfterSeconds` (tests). */
  readonly graceMs?: number;
  /** A process's console sockets not refreshed for this long are gone (default 90 s). */
  readonly staleMs?: number;
}

/** One agent as the snapshot sees them. */
export interface StaffMember {
  readonly id: string;
  readonly name: string;
  readonly queues: readonly string[];
  /** Effective shifts (a supervisor's, else the manifest's); undefined: whenever their queues are open. */
  readonly shifts: Shifts | undefined;
  readonly shiftsFrom: 'console' | 'manifest' | 'none';
  readonly presence: Presence;
  /** Their shift covers now (for at least one of their queues' hours). */
  readonly onShiftNow: boolean;
}

interface Group {
  /** Queues and shifts, as text: identical agents share it (and their coverage). */
  readonly key: string;
  readonly queues: readonly string[];
  readonly shifts: Shifts | undefined;
  /** Members who count for a span within the next hour / further ahead. */
  readonly soon: number;
  readonly later: number;
}

/**
 * Everything capacity needs, read once.
 *
 * @example
 * const snap = await staffing.snapshot();
 * const nodes = snap.supply(start, end);
 */
export class StaffingSnapshot {
  private readonly groups: Group[];
  private readonly spanCache = new Map<string, SupplyNode[]>();

  constructor(
    readonly now: number,
    readonly members: readonly StaffMember[],
    private readonly manifest: Pick<Manifest, 'queues' | 'callbacks'>,
    /** Queues worked by no console agent: their static agent count. */
    readonly staticQueues: ReadonlyMap<string, number>,
    private readonly shiftsETag: string | null,
    /** One agent's time in a span, by group key and span: pure, so shared by every snapshot. */
    private readonly coverage: Map<string, { own: number; edges: readonly (readonly [string, number])[] }> = new Map(),
  ) {
    const byKey = new Map<string, { key: string; queues: readonly string[]; shifts: Shifts | undefined; soon: number; later: number }>();
    for (const m of members) {
      if (m.queues.length === 0) continue;
      const key = `${[...m.queues].sort().join(',')}|${JSON.stringify(m.shifts ?? null)}`;
      let g = byKey.get(key);
      if (g === undefined) byKey.set(key, (g = { key, queues: m.queues, shifts: m.shifts, soon: 0, later: 0 }));
      g.later += 1;
      if (m.presence.status === 'online' || !m.onShiftNow) g.soon += 1;
    }
    for (const [q, n] of staticQueues) if (n > 0) byKey.set(`static:${q}`, { key: `static:${q}`, queues: [q], shifts: undefined, soon: n, later: n });
    this.groups = [...byKey.values()];
  }

  /** One member of a group: their time in [from, to) and the part of it each queue may use. */
  private memberCoverage(g: Group, from: number, to: number): { own: number; edges: readonly (readonly [string, number])[] } {
    const key = `${g.key}|${from}|${to}`;
    const hit = this.coverage.get(key);
    if (hit !== undefined) return hit;
    const shiftOn = (d: LocalParts): MinuteRanges => shiftRangesOn(g.shifts, d);
    const own = coveredMs(shiftOn, from, to, this.zone);
    const edges: [string, number][] = [];
    if (own > 0) {
      for (const queue of g.queues) {
        const q = this.manifest.queues[queue];
        if (q === undefined) continue;
        const usable = coveredMs((d) => intersectRanges(shiftOn(d), queueRangesOn(q, d)), from, to, this.zone);
        if (usable > 0) edges.push([queue, usable]);
      }
    }
    const c = { own, edges };
    if (this.coverage.size > 20_000) this.coverage.clear();
    this.coverage.set(key, c);
    return c;
  }

  private get zone(): string {
    return this.manifest.callbacks.timezone;
  }

  /** Console agents of a queue who are online now (the static count for a queue no console agent works). */
  ableNow(queue: string): number {
    const fixed = this.staticQueues.get(queue);
    if (fixed !== undefined) return fixed;
    return this.members.filter((m) => m.queues.includes(queue) && m.presence.status === 'online').length;
  }

  /** Agents of a queue whose shift (inside the queue's hours) covers `at`. */
  onShiftAt(queue: string, at: number): number {
    const fixed = this.staticQueues.get(queue);
    const q = this.manifest.queues[queue];
    if (q === undefined) return 0;
    const open = coversInstant((d) => queueRangesOn(q, d), at, this.zone);
    if (fixed !== undefined) return open ? fixed : 0;
    return this.members.filter((m) => m.queues.includes(queue) && coversInstant((d) => intersectRanges(shiftRangesOn(m.shifts, d), queueRangesOn(q, d)), at, this.zone)).length;
  }

  /** True when the queue is staffed by console agents (presence and shifts), not by a static count. */
  isRostered(queue: string): boolean {
    return !this.staticQueues.has(queue);
  }

  /**
   * The agents' time in [from, to), as `maxFlow` nodes: per group of identical agents, their time
   * inside their shifts, and per queue the part of it inside that queue's opening hours.
   */
  supply(from: number, to: number): SupplyNode[] {
    const key = `${from}|${to}`;
    const hit = this.spanCache.get(key);
    if (hit !== undefined) return hit;
    const soon = from < this.now + PRESENCE_WINDOW_MS;
    const nodes: SupplyNode[] = [];
    for (const g of this.groups) {
      const count = soon ? g.soon : g.later;
      if (count === 0) continue;
      const c = this.memberCoverage(g, from, to);
      if (c.own <= 0 || c.edges.length === 0) continue;
      nodes.push({ supplyMs: c.own * count, edges: new Map(c.edges.map(([queue, ms]) => [queue, ms * count])) });
    }
    if (this.spanCache.size > 2048) this.spanCache.clear();
    this.spanCache.set(key, nodes);
    return nodes;
  }

  /**
   * Changes whenever capacity might: a presence status, who is on shift now, the stored shifts.
   * (Time passing moves the one-hour window too: callers add the slot they are in.)
   */
  fingerprint(): string {
    const parts = this.members.map((m) => `${m.id}:${m.presence.status}:${m.onShiftNow ? 1 : 0}`);
    return `${this.shiftsETag ?? '-'}|${parts.join(',')}`;
  }
}

/**
 * The staffing of every queue, over the DocumentStore: presence and shifts are shared by every
 * process on the same store.
 *
 * @example
 * const staffing = new Staffing({ manifest, documents: stores.documents, clock });
 * await staffing.presence.signIn('ana');
 * (await staffing.snapshot()).ableNow('support'); // 1
 */
export class Staffing {
  readonly presence: PresenceBook;
  readonly shifts: ShiftBook;
  private readonly agents: readonly { readonly id: string; readonly name: string; readonly queues: readonly string[]; readonly shifts: Shifts | undefined }[];
  private readonly staticQueues: ReadonlyMap<string, number>;
  private readonly coverage = new Map<string, { own: number; edges: readonly (readonly [string, number])[] }>();

  constructor(private readonly opts: StaffingOptions) {
    const m = opts.manifest;
    this.presence = new PresenceBook({
      documents: opts.documents,
      clock: opts.clock,
      graceMs: opts.graceMs ?? m.console.awayAfterSeconds * 1000,
      ...(opts.staleMs === undefined ? {} : { staleMs: opts.staleMs }),
    });
    this.shifts = new ShiftBook(opts.documents, opts.clock);
    // the queues listed on the agent (a supervisor with no queues works none)
    this.agents = m.console.agents.map((a) => ({ id: a.id, name: a.name, queues: a.queues.filter((q) => m.queues[q] !== undefined), shifts: a.shifts }));
    const worked = new Set(this.agents.flatMap((a) => a.queues));
    this.staticQueues = new Map(Object.entries(m.queues).filter(([q]) => !worked.has(q)).map(([q, cfg]) => [q, cfg.agents]));
  }

  /** The console agents (id, name, queues) in manifest order. */
  get roster(): readonly { readonly id: string; readonly name: string; readonly queues: readonly string[] }[] {
    return this.agents;
  }

  /** True for an agent id of the manifest. */
  isAgent(id: string): boolean {
    return this.agents.some((a) => a.id === id);
  }

  /** Presence and shifts of every agent, read now (one round trip on Redis). */
  async snapshot(): Promise<StaffingSnapshot> {
    const [presence, stored] = await Promise.all([this.presence.readMany(this.agents.map((a) => a.id)), this.shifts.read()]);
    const now = this.opts.clock.now();
    const zone = this.opts.manifest.callbacks.timezone;
    const members: StaffMember[] = this.agents.map((a) => {
      const override = stored.overrides[a.id];
      const shifts = override ?? a.shifts;
      const onShiftNow = a.queues.some((queue) => {
        const q: QueueConfig | undefined = this.opts.manifest.queues[queue];
        return q !== undefined && coversInstant((d) => intersectRanges(shiftRangesOn(shifts, d), queueRangesOn(q, d)), now, zone);
      });
      return {
        id: a.id,
        name: a.name,
        queues: a.queues,
        shifts,
        shiftsFrom: override !== undefined ? 'console' : a.shifts !== undefined ? 'manifest' : 'none',
        presence: presence.get(a.id)!,
        onShiftNow,
      };
    });
    return new StaffingSnapshot(now, members, this.opts.manifest, this.staticQueues, stored.eTag, this.coverage);
  }

  /**
   * Expected wait of the `waiting + 1`-th customer of a queue: `ceil(waiting / agents) × average
   * handling time`, with the agents who can take the queue right now (online). With nobody online
   * it counts the agents on shift now (they are expected), and with nobody on shift it waits for
   * the next shift to begin (within the callbacks' horizon).
   */
  async expectedWaitMs(queue: string, waiting: number, snapshot?: StaffingSnapshot): Promise<number> {
    const q = this.opts.manifest.queues[queue];
    if (q === undefined) return 0;
    const snap = snapshot ?? (await this.snapshot());
    const work = (agents: number): number => Math.ceil(waiting / agents) * q.avgHandleSeconds * 1000;
    if (!snap.isRostered(queue)) return work(Math.max(1, snap.staticQueues.get(queue) ?? 1));
    const online = snap.ableNow(queue);
    if (online > 0) return work(online);
    const onShift = snap.onShiftAt(queue, snap.now);
    if (onShift > 0) return work(onShift);
    const c = this.opts.manifest.callbacks;
    const step = 15 * 60_000;
    const horizon = snap.now + c.horizonHours * 3_600_000;
    for (let at = Math.ceil(snap.now / step) * step; at < horizon; at += step) {
      const n = snap.onShiftAt(queue, at);
      if (n > 0) return at - snap.now + work(n);
    }
    return horizon - snap.now;
  }
}
