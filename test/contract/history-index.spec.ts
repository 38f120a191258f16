/**
 * HistoryIndex contract on both stores: filters (customer id or part of the name, order, dates,
 * an agent's visibility), newest first, replacing an entry, forgetting a conversation, the
 * retention window; plus the entry built from a closed handoff's state and briefing.
 */
import assert from 'node:assert/strict';
import type { HistoryEntry, HistoryIndex } from '../../src/core/ports/history-index.js';
import { MemoryHistoryIndex } from '../../src/store/memory/memory-history-index.js';
import { RedisHistoryIndex } from '../../src/store/redis/redis-history-index.js';
import { RedisKeys } from '../../src/store/redis/keys.js';
import { historyEntryOf } from '../../src/handoff/closed-handoffs.js';
import { initialState, type HandoffState } from '../../src/core/handoff-state.js';
import type { HandoffPacket } from '../../src/core/conversation.js';
import { connectTestRedis, deleteByPrefix, uniquePrefix } from '../support/redis.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { returnedState } from '../support/states.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 1, 12);

const entry = (n: number, over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  conversationId: `webchat:c${n}`,
  handoffId: `h${n}`,
  customerId: null,
  customerName: null,
  orders: [],
  reason: 'customer_request',
  queue: 'support',
  agentId: 'ana',
  channel: 'webchat',
  outcome: 'resolved',
  requestedAt: T0 + n * 1000 - 500,
  assignedAt: T0 + n * 1000 - 200,
  closedAt: T0 + n * 1000,
  ...over,
});

function contract(name: string, make: (now: () => number, retentionMs: number) => Promise<{ index: HistoryIndex; close(): Promise<void> }>): void {
  describe(`HistoryIndex contract: ${name}`, () => {
    let now = T0 + DAY;
    let h: { index: HistoryIndex; close(): Promise<void> };
    beforeEach(async () => {
      now = T0 + DAY;
      h = await make(() => now, 30 * DAY);
    });
    afterEach(async () => h.close());

    it('filters by customer id or name, order, dates and visibility, newest first', async () => {
      const i = h.index;
      await i.record(entry(1, { customerId: 'c-1001', customerName: 'Dana Reyes', orders: ['A12345'] }));
      await i.record(entry(2, { orders: ['B20001'], queue: 'sales', agentId: 'bruno' }));
      await i.record(entry(3, { customerId: '15550100002', customerName: 'Leo Tanaka', outcome: 'returned' }));
      const ids = async (q: Parameters<HistoryIndex['search']>[0], limit = 50): Promise<string[]> => (await i.search(q, limit)).entries.map((e) => e.conversationId);
      assert.deepEqual(await ids({}), ['webchat:c3', 'webchat:c2', 'webchat:c1']);
      assert.deepEqual(await ids({}, 2), ['webchat:c3', 'webchat:c2']);
      assert.deepEqual(await ids({ customer: 'C-1001' }), ['webchat:c1']);
      assert.deepEqual(await ids({ customer: 'reyes' }), ['webchat:c1']);
      assert.deepEqual(await ids({ customer: 'c-100' }), [], 'an id matches exactly');
      assert.deepEqual(await ids({ order: ' a12345 ' }), ['webchat:c1']);
      assert.deepEqual(await ids({ order: 'A1234' }), []);
      assert.deepEqual(await ids({ from: T0 + 2000 }), ['webchat:c3', 'webchat:c2']);
      assert.deepEqual(await ids({ to: T0 + 2000 }), ['webchat:c2', 'webchat:c1']);
      assert.deepEqual(await ids({ from: T0 + 1500, to: T0 + 2500 }), ['webchat:c2']);
      assert.deepEqual(await ids({ visibleTo: { queues: ['support'], agentId: 'ana' } }), ['webchat:c3', 'webchat:c1']);
      assert.deepEqual(await ids({ visibleTo: { queues: ['billing'], agentId: 'bruno' } }), ['webchat:c2'], 'what bruno closed himself');
      assert.deepEqual(await ids({ visibleTo: { queues: ['billing'], agentId: null } }), []);
    });

    it('one entry per handoff (a repeat replaces it); a conversation can have several; forgetting removes them all', async () => {
      const i = h.index;
      await i.record(entry(1));
      await i.record(entry(1, { orders: ['A1'] }));
      await i.record(entry(1, { handoffId: 'h1b', closedAt: T0 + 5000 }));
      await i.record(entry(2));
      assert.deepEqual((await i.search({ order: 'A1' }, 10)).entries.map((e) => e.handoffId), ['h1']);
      assert.deepEqual((await i.search({}, 10)).entries.map((e) => e.handoffId), ['h1b', 'h2', 'h1']);
      assert.equal(await i.forgetConversation('webchat:c1'), 2);
      assert.deepEqual((await i.search({}, 10)).entries.map((e) => e.handoffId), ['h2']);
      assert.equal(await i.forgetConversation('webchat:c1'), 0);
    });

    it('entries older than the retention are not found', async () => {
      const i = h.index;
      await i.record(entry(1));
      now = T0 + 1000 + 30 * DAY - 1;
      assert.equal((await i.search({}, 10)).entries.length, 1);
      now = T0 + 1000 + 30 * DAY + 1;
      assert.equal((await i.search({}, 10)).entries.length, 0);
    });
  });
}

contract('memory', async (now, retentionMs) => ({ index: new MemoryHistoryIndex(retentionMs, { now }), close: async () => {} }));

let redis: RedisClient | undefined;
contract('redis', async (now, retentionMs) => {
  redis ??= await connectTestRedis();
  const prefix = uniquePrefix();
  const client = redis;
  return {
    index: new RedisHistoryIndex(client, new RedisKeys(prefix), retentionMs, now),
    close: async () => void (await deleteByPrefix(client, prefix)),
  };
});
after(async () => redis?.close());

describe('historyEntryOf: a closed handoff as the history keeps it', () => {
  it('customer from the briefing; order numbers from what the bot collected and what the agent settled', () => {
    const s: HandoffState = {
      ...returnedState({ handoff: 'h-9', queue: 'billing', agent: 'ana', at: T0, collected: { order_number: 'b20001', note_field: 'x', order_ids: ['c30001', 'not an order'] } }),
      version: 5,
      assignedAt: T0 + 10,
      closedAt: T0 + 99,
    };
    const packet = { customer: { id: 'c-1001', name: 'Dana Reyes' }, collected: { order_number: 'A12345', zip: '94107' }, channel: 'webchat', reason: 'customer_request', queue: 'billing' } as unknown as HandoffPacket;
    const e = historyEntryOf('webchat:x', s, packet, 'returned');
    assert.deepEqual(e, {
      conversationId: 'webchat:x',
      handoffId: 'h-9',
      customerId: 'c-1001',
      customerName: 'Dana Reyes',
      orders: ['A12345', 'B20001', 'C30001'],
      reason: 'customer_request',
      queue: 'billing',
      agentId: 'ana',
      channel: 'webchat',
      outcome: 'returned',
      requestedAt: T0,
      assignedAt: T0 + 10,
      closedAt: T0 + 99,
    });
    assert.equal(historyEntryOf('webchat:y', s, undefined, 'returned').customerId, null, 'no briefing: an anonymous entry');
  });
});
