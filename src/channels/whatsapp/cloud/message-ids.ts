/**
 * Which Cloud API message ids (wamids) were already taken, so a webhook Meta delivers again — or a
 * signed payload someone captured and posts again — is processed once. Ids are kept as long as the
 * message itself could still be accepted (see the replay window in `WhatsAppCloudAdapter`): after
 * that, the window refuses the message by its timestamp, so nothing needs remembering.
 *
 * - {@link LeaseMessageIds}: on the shared store's lease (Redis: one `SET NX PX` key per id), so every
 *   process sees every id and Redis forgets each one by itself when its time is up.
 * - {@link MemoryMessageIds}: in this process, bounded by count and time (the memory store: one process).
 *
 * @example
 * const ids = new MemoryMessageIds({ clock });
 * await ids.firstSeen('wamid.A', 86_400_000); // true: process it
 * await ids.firstSeen('wamid.A', 86_400_000); // false: a replay
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../core/clock.js';
import { systemClock } from '../../../core/clock.js';
import { HandoverError } from '../../../core/errors.js';
import type { Lease } from '../../../core/ports/lease.js';

/** Claims message ids for a while; exactly one caller sees `true` for an id while it is kept. */
export interface MessageIdLedger {
  /** True the first time `id` is seen (it is then kept for `keepMs`); false for a repeat. */
  firstSeen(id: string, keepMs: number): Promise<boolean>;
}

/**
 * Message ids as leases of the shared store: the first claim of an id wins (a random holder, so a
 * second claim never "extends" the first), and the store expires it after `keepMs`.
 *
 * @example
 * const ids = new LeaseMessageIds(stores.lease, '1098765432'); // keys whatsapp-cloud:1098765432:msg:<wamid>
 */
export class LeaseMessageIds implements MessageIdLedger {
  constructor(
    private readonly lease: Lease,
    private readonly phoneNumberId: string,
  ) {}

  firstSeen(id: string, keepMs: number): Promise<boolean> {
    return this.lease.acquire(`whatsapp-cloud:${this.phoneNumberId}:msg:${id}`, randomUUID(), Math.max(1, Math.ceil(keepMs)));
  }
}

/**
 * Message ids in this process: at most `maxIds` (default 100 000, a few MB), each for its `keepMs`;
 * expired ids are dropped from the oldest end as new ones come, and past `maxIds` the oldest go first.
 *
 * @example
 * const ids = new MemoryMessageIds({ maxIds: 50_000, clock: new ManualClock(0) });
 */
export class MemoryMessageIds implements MessageIdLedger {
  private readonly ids = new Map<string, number>();
  private readonly maxIds: number;
  private readonly clock: Clock;

  constructor(opts: { maxIds?: number; clock?: Clock } = {}) {
    this.maxIds = opts.maxIds ?? 100_000;
    this.clock = opts.clock ?? systemClock;
    if (!(this.maxIds > 0)) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `MemoryMessageIds maxIds must be a positive number, got ${this.maxIds}`);
  }

  async firstSeen(id: string, keepMs: number): Promise<boolean> {
    const now = this.clock.now();
    const until = this.ids.get(id);
    if (until !== undefined && until > now) return false;
    this.ids.delete(id);
    this.ids.set(id, now + keepMs);
    // insertion order is roughly expiry order (keepMs varies a little with each message's timestamp)
    for (const [oldest, end] of this.ids) {
      if (this.ids.size <= this.maxIds && end > now) break;
      this.ids.delete(oldest);
    }
    return true;
  }

  /** Ids kept now. */
  get size(): number {
    return this.ids.size;
  }
}
