import { randomUUID } from 'node:crypto';
import type { AddToBurst, BurstMessage, BurstStore, PendingBurst, TakeResult } from '../../core/ports/burst-store.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { LuaScript } from './lua-script.js';

const addScript = LuaScript.load('addToBurst-3.lua');
const takeScript = LuaScript.load('takeBurst-4.lua');
const settleScript = LuaScript.load('settleBurst-3.lua');
const dueScript = LuaScript.load('dueBursts-2.lua');

/** An unanswered burst is dropped after this (no process served its channel for that long); answered ids are remembered as long. */
const KEEP_MS = 60 * 60 * 1000;

/**
 * `BurstStore` on Redis, shared by every process of a deployment (so a burst whose process died
 * is answered by another). Keys (`p` = prefix; built here, next to the scripts that use them):
 * - `p:burst:{<conversationId>}`          hash: the open burst (id, route, first, deadline, n, a = last activity, m1..mN, x:<message id>)
 * - `p:burst:{<conversationId>}:claimed`  the same hash once claimed, plus owner, lease, attempts
 * - `p:burst:{<conversationId>}:answered` set of the message ids of its answered bursts (expires an hour after the last)
 * - `p:bursts`                            sorted set of conversation ids with an open burst, score = deadline (ms)
 * - `p:bursts:claimed`                    sorted set of conversation ids with a claimed burst, score = lease end (ms)
 * Each operation is one Lua script (`addToBurst-3`, `takeBurst-4`, `settleBurst-3`, `dueBursts-2`).
 *
 * @example
 * const bursts = new RedisBurstStore(stores.client, stores.keys);
 * await bursts.add('webchat:c1', { id: 'a1', at: Date.now(), text: 'hi' }, { windowMs: 3000, maxMs: 10_000, route: 'webchat', activity });
 */
export class RedisBurstStore implements BurstStore {
  readonly shared = true;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async add(conversationId: string, message: BurstMessage, opts: AddToBurst): Promise<{ deadline: number; size: number; added: boolean }> {
    const reply = await addScript.run(
      this.client,
      [this.open(conversationId), this.openIndex(), this.answered(conversationId)],
      [
        conversationId,
        message.id,
        String(message.at),
        JSON.stringify({ id: message.id, at: message.at, text: message.text }),
        JSON.stringify(opts.activity),
        String(opts.windowMs),
        String(opts.maxMs),
        opts.route,
        randomUUID(),
        String(KEEP_MS),
      ],
    );
    if (!Array.isArray(reply) || reply.length !== 3) throw invalid(`addToBurst replied ${JSON.stringify(reply)}`);
    return { deadline: Number(reply[0]), size: Number(reply[1]), added: Number(reply[2]) === 1 };
  }

  async take(conversationId: string, opts: { now: number; owner: string; leaseMs: number; force?: boolean }): Promise<TakeResult> {
    const reply = await takeScript.run(
      this.client,
      [this.open(conversationId), this.claimed(conversationId), this.openIndex(), this.claimedIndex()],
      [conversationId, String(opts.now), opts.owner, String(opts.leaseMs), opts.force === true ? '1' : '', String(KEEP_MS)],
    );
    if (!Array.isArray(reply) || reply.length === 0) throw invalid(`takeBurst replied ${JSON.stringify(reply)}`);
    switch (String(reply[0])) {
      case 'none':
        return { kind: 'none' };
      case 'wait':
        return { kind: 'wait', deadline: Number(reply[1]) };
      case 'busy':
        return { kind: 'busy', until: Number(reply[1]) };
      case 'claimed':
        return { kind: 'claimed', burst: parseBurst(conversationId, reply[1]) };
      default:
        throw invalid(`takeBurst replied ${JSON.stringify(reply)}`);
    }
  }

  async settle(conversationId: string, burstId: string): Promise<void> {
    await settleScript.run(this.client, [this.claimed(conversationId), this.claimedIndex(), this.answered(conversationId)], [conversationId, burstId, String(KEEP_MS)]);
  }

  async due(now: number, graceMs: number, limit: number): Promise<{ conversationId: string; route: string }[]> {
    // after `stores.close()` (shutdown) a last sweep finds nothing rather than failing
    if (!this.client.isOpen) return [];
    const reply = await dueScript.run(this.client, [this.openIndex(), this.claimedIndex()], [String(now), String(graceMs), String(limit), `${this.keys.prefix}:burst:{`]);
    if (!Array.isArray(reply)) throw invalid(`dueBursts replied ${JSON.stringify(reply)}`);
    const out: { conversationId: string; route: string }[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) out.push({ conversationId: String(reply[i]), route: String(reply[i + 1]) });
    return out;
  }

  private open(conversationId: string): string {
    return `${this.keys.prefix}:burst:{${conversationId}}`;
  }

  private claimed(conversationId: string): string {
    return `${this.open(conversationId)}:claimed`;
  }

  private answered(conversationId: string): string {
    return `${this.open(conversationId)}:answered`;
  }

  private openIndex(): string {
    return `${this.keys.prefix}:bursts`;
  }

  private claimedIndex(): string {
    return `${this.keys.prefix}:bursts:claimed`;
  }
}

/** HGETALL's flat field/value list (RESP2) or map (RESP3) -> the burst. */
function parseBurst(conversationId: string, raw: unknown): PendingBurst {
  const h = new Map<string, string>();
  if (Array.isArray(raw)) for (let i = 0; i + 1 < raw.length; i += 2) h.set(String(raw[i]), String(raw[i + 1]));
  else if (raw !== null && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) h.set(k, String(v));
  const n = Number(h.get('n'));
  const id = h.get('id');
  const route = h.get('route');
  if (id === undefined || route === undefined || !Number.isInteger(n) || n < 1) throw invalid(`burst of "${conversationId}" is incomplete`);
  const messages: BurstMessage[] = [];
  try {
    for (let i = 1; i <= n; i++) messages.push(JSON.parse(h.get(`m${i}`) ?? 'null') as BurstMessage);
    return {
      id,
      conversationId,
      route,
      first: Number(h.get('first')),
      deadline: Number(h.get('deadline')),
      messages,
      activity: JSON.parse(h.get('a') ?? '{}') as Record<string, unknown>,
      attempts: Number(h.get('attempts') ?? '1'),
    };
  } catch (e) {
    throw invalid(`burst of "${conversationId}" is not JSON`, e);
  }
}

function invalid(message: string, cause?: unknown): HandoverError {
  return new HandoverError('HANDOVER_ERR_STORE_DATA_INVALID', `${message}: check that nothing else writes under this key prefix`, cause === undefined ? undefined : { cause });
}
