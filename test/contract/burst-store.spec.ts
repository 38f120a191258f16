/**
 * The BurstStore contract, run unchanged on memory and on Redis: a burst collects messages in
 * order with the window and the cap; it is taken once due, by exactly one caller; a claimed
 * burst blocks the next one of its conversation until settled or until its lease runs out (then
 * it is handed out again); `due` lists what another process may have to answer.
 */
import assert from 'node:assert/strict';
import type { BurstStore } from '../../src/core/ports/burst-store.js';
import { MemoryBurstStore } from '../../src/store/memory/memory-burst-store.js';
import { RedisBurstStore } from '../../src/store/redis/redis-burst-store.js';
import { createRedisStores, type RedisStores } from '../../src/store/redis/index.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';
import { BurstWindow } from '../../src/bridge/burst-window.js';
import { serveBursts } from '../../src/bridge/burst-hosts.js';
import { SimAdapter } from '../../src/channels/sim/sim-adapter.js';
import { ManualClock } from '../../src/core/clock.js';
import { initialState } from '../../src/core/handoff-state.js';

const T0 = Date.UTC(2026, 0, 5, 15);
const opts = { windowMs: 3000, maxMs: 10_000, route: 'whatsapp', activity: { type: 'message', channelId: 'whatsapp', conversation: { id: '5511@c.us' } } };
const msg = (id: string, atS: number, text: string) => ({ id, at: T0 + atS * 1000, text });
const take = (store: BurstStore, c: string, atS: number, owner = 'node-a', extra: { force?: boolean; leaseMs?: number } = {}) =>
  store.take(c, { now: T0 + atS * 1000, owner, leaseMs: extra.leaseMs ?? 30_000, ...(extra.force === undefined ? {} : { force: extra.force }) });

function contract(name: string, make: () => Promise<BurstStore>): void {
  describe(`burst store contract: ${name}`, () => {
    let store: BurstStore;
    beforeEach(async () => {
      store = await make();
    });

    it('moves the deadline with each message (window) but never past the cap from the first', async () => {
      assert.deepEqual(await store.add('c1', msg('m1', 0, 'hello'), opts), { deadline: T0 + 3000, size: 1, added: true });
      assert.deepEqual(await store.add('c1', msg('m2', 2, 'so'), opts), { deadline: T0 + 5000, size: 2, added: true });
      assert.deepEqual(await store.add('c1', msg('m2', 2, 'so'), opts), { deadline: T0 + 5000, size: 2, added: false }, 'a repeated id is added once');
      await store.add('c1', msg('m3', 4, 'my package'), opts);
      await store.add('c1', msg('m4', 6, "it didn't come"), opts);
      assert.equal((await store.add('c1', msg('m5', 8, 'K48213'), opts)).deadline, T0 + 10_000, 'capped at first + 10 s');
      assert.deepEqual(await take(store, 'c1', 9.999), { kind: 'wait', deadline: T0 + 10_000 });
      const r = await take(store, 'c1', 10);
      assert.equal(r.kind, 'claimed');
      if (r.kind !== 'claimed') return;
      assert.deepEqual(
        r.burst.messages.map((m) => [m.text, m.at - T0]),
        [['hello', 0], ['so', 2000], ['my package', 4000], ["it didn't come", 6000], ['K48213', 8000]],
      );
      assert.equal(r.burst.first, T0);
      assert.equal(r.burst.deadline, T0 + 10_000);
      assert.equal(r.burst.route, 'whatsapp');
      assert.equal(r.burst.attempts, 1);
      assert.deepEqual(r.burst.activity, opts.activity);
      assert.deepEqual(await take(store, 'c1', 11, 'node-b'), { kind: 'busy', until: T0 + 40_000 }, 'taken once');
      await store.settle('c1', r.burst.id);
      assert.deepEqual(await take(store, 'c1', 11, 'node-b'), { kind: 'none' });
    });

    it('keeps conversations apart and a message after the take opens the next burst', async () => {
      await store.add('c1', msg('a1', 0, 'hi'), opts);
      await store.add('c2', msg('b1', 1, 'oi'), opts);
      const r1 = await take(store, 'c1', 3);
      assert.equal(r1.kind, 'claimed');
      await store.add('c1', msg('a2', 3.5, 'again'), opts);
      assert.deepEqual(await take(store, 'c1', 7), { kind: 'busy', until: T0 + 33_000 }, 'the next burst waits for the one being answered');
      if (r1.kind === 'claimed') await store.settle('c1', r1.burst.id);
      const r2 = await take(store, 'c1', 7);
      assert.ok(r2.kind === 'claimed' && r2.burst.messages.map((m) => m.text).join() === 'again');
      const r3 = await take(store, 'c2', 4);
      assert.ok(r3.kind === 'claimed' && r3.burst.messages.map((m) => m.text).join() === 'oi');
    });

    it('a message of a burst already answered, delivered again, is not answered again', async () => {
      await store.add('c1', msg('a1', 0, 'hi'), opts);
      const r = await take(store, 'c1', 3);
      if (r.kind === 'claimed') await store.settle('c1', r.burst.id);
      assert.deepEqual(await store.add('c1', msg('a1', 5, 'hi'), opts), { deadline: 0, size: 0, added: false });
      assert.deepEqual(await take(store, 'c1', 60), { kind: 'none' });
      assert.equal((await store.add('c1', msg('a2', 61, 'hello?'), opts)).added, true, 'a new message still opens a burst');
    });

    it('force takes an open burst before its deadline', async () => {
      await store.add('c1', msg('a1', 0, 'hi'), opts);
      assert.equal((await take(store, 'c1', 1)).kind, 'wait');
      assert.equal((await take(store, 'c1', 1, 'node-a', { force: true })).kind, 'claimed');
    });

    it('hands a claimed burst out again once its lease runs out (its claimer died), before the next one', async () => {
      await store.add('c1', msg('a1', 0, 'hi'), opts);
      const first = await take(store, 'c1', 3, 'dead', { leaseMs: 5000 });
      assert.equal(first.kind, 'claimed');
      await store.add('c1', msg('a2', 4, 'later'), opts);
      assert.deepEqual(await take(store, 'c1', 7.999, 'node-b'), { kind: 'busy', until: T0 + 8000 });
      const again = await take(store, 'c1', 8, 'node-b');
      assert.ok(again.kind === 'claimed' && again.burst.attempts === 2 && again.burst.messages[0]?.text === 'hi');
      if (again.kind === 'claimed') await store.settle('c1', again.burst.id);
      const next = await take(store, 'c1', 8, 'node-b');
      assert.ok(next.kind === 'claimed' && next.burst.messages[0]?.text === 'later' && next.burst.attempts === 1);
    });

    it('due lists open bursts past deadline + grace and claimed ones past their lease, with their route', async () => {
      await store.add('c1', msg('a1', 0, 'hi'), opts);
      await store.add('c2', msg('b1', 2, 'oi'), { ...opts, route: 'whatsapp-cloud' });
      assert.deepEqual(await store.due(T0 + 4000, 2000, 10), []);
      assert.deepEqual(await store.due(T0 + 5000, 2000, 10), [{ conversationId: 'c1', route: 'whatsapp' }]);
      await take(store, 'c1', 5, 'dead', { leaseMs: 1000 });
      assert.deepEqual(await store.due(T0 + 5500, 2000, 10), [], 'claimed, its lease runs');
      assert.deepEqual(await store.due(T0 + 6000, 2000, 10), [{ conversationId: 'c1', route: 'whatsapp' }], 'its lease ran out');
      const due = await store.due(T0 + 7000, 2000, 10);
      assert.deepEqual(new Set(due.map((d) => d.conversationId)), new Set(['c1', 'c2']));
    });
  });
}

contract('memory', async () => new MemoryBurstStore());

describe('burst store: redis', () => {
  let admin: RedisClient;
  const open: RedisStores[] = [];
  const prefixes: string[] = [];
  before(async () => {
    admin = await connectTestRedis();
  });
  after(async () => {
    for (const s of open.splice(0)) await s.close();
    for (const p of prefixes) await deleteByPrefix(admin, p);
    await admin.close();
  });
  const make = async (): Promise<BurstStore> => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const stores = await createRedisStores({ url: REDIS_URL, prefix });
    open.push(stores);
    return new RedisBurstStore(stores.client, stores.keys);
  };

  contract('redis', make);

  it('20 processes taking one due burst at once: exactly one gets it', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const processes = await Promise.all(Array.from({ length: 20 }, () => createRedisStores({ url: REDIS_URL, prefix })));
    open.push(...processes);
    const stores = processes.map((s) => new RedisBurstStore(s.client, s.keys));
    await stores[0]!.add('c1', msg('a1', 0, 'hi'), opts);
    const results = await Promise.all(stores.map((s, i) => take(s, 'c1', 3, `node-${i}`)));
    assert.equal(results.filter((r) => r.kind === 'claimed').length, 1);
    assert.equal(results.filter((r) => r.kind === 'busy').length, 19);
  });

  it('three processes sweeping at once: a burst its process left is answered once, by one of them', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const processes = await Promise.all(Array.from({ length: 3 }, () => createRedisStores({ url: REDIS_URL, prefix })));
    open.push(...processes);
    const clock = new ManualClock(T0);
    const answered: string[] = [];
    const windows = processes.map((stores, i) => {
      const adapter = new SimAdapter('whatsapp');
      serveBursts(stores, 'whatsapp', adapter);
      return new BurstWindow({
        store: new RedisBurstStore(stores.client, stores.keys),
        logic: async (ctx) => void answered.push(`node-${i}: ${ctx.activity.text?.replace(/\n/g, ' / ')}`),
        schedule: 'manual',
        hosts: stores,
        owner: `node-${i}`,
        manifest: { bursts: { windowSeconds: { webchat: 3, directline: 3, 'whatsapp-web': 3, 'whatsapp-cloud': 3 }, maxSeconds: 10 } },
        clock,
        route: (a) => a.channelId ?? '',
        hooks: { recordCustomer: async () => {}, ownership: async () => initialState(), toPerson: async () => {}, run: (_ctx, next) => next() },
        onError: (e) => {
          throw e;
        },
      });
    });
    // the dead process's burst: in Redis, nobody waiting for it
    const dead = new RedisBurstStore(processes[0]!.client, processes[0]!.keys);
    await dead.add('whatsapp:5511@c.us', msg('a1', 0, 'oi'), opts);
    await dead.add('whatsapp:5511@c.us', msg('a2', 1, 'meu pedido K48213'), opts);
    clock.set(T0 + 5999);
    assert.deepEqual(await Promise.all(windows.map((w) => w.sweep())), [0, 0, 0], 'within the grace period it is left to its own process');
    clock.set(T0 + 6000);
    const counts = await Promise.all(windows.map((w) => w.sweep()));
    assert.equal(counts.reduce((a, b) => a + b, 0), 1);
    assert.equal(answered.length, 1);
    assert.match(answered[0]!, /: oi \/ meu pedido K48213$/);
    assert.deepEqual(await Promise.all(windows.map((w) => w.sweep())), [0, 0, 0], 'settled: nothing left');
    for (const w of windows) w.close();
  });
});
