/**
 * The store contract: every `Stores` implementation (memory, Redis, …) must pass this suite
 * unchanged. Call `describeStoreContract(name, factory)` from a spec file.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Stores } from '../../src/core/ports/stores.js';
import { conversationId, handoffId, queueId, agentId } from '../../src/core/ids.js';
import { initialState, transition, type HandoffCommand, type HandoffState } from '../../src/core/handoff-state.js';
import type { HandoffPacket } from '../../src/core/conversation.js';
import type { DomainEvent } from '../../src/core/events.js';
import type { RelayMessage } from '../../src/core/ports/message-relay.js';

export type StoresFactory = () => Promise<Stores>;

const request = (queue: string, priority: number, slaMs = 60_000): HandoffCommand => ({
  type: 'request',
  handoffId: handoffId(randomUUID()),
  queue: queueId(queue),
  priority,
  reason: 'customer_request',
  slaMs,
  channel: 'test',
});

function apply(s: HandoffState, c: HandoffCommand, now: number): HandoffState {
  const r = transition(s, c, now);
  if (!r.ok) throw new Error(r.message);
  return r.state;
}

export function describeStoreContract(name: string, factory: StoresFactory): void {
  describe(`store contract: ${name}`, function () {
    let stores: Stores;
    beforeEach(async () => {
      stores = await factory();
    });
    afterEach(async () => {
      await stores.close();
    });
    const cid = () => conversationId(`c-${randomUUID()}`);

    describe('HandoffStore', () => {
      it('returns the initial state (version 0) for an unknown conversation', async () => {
        const s = await stores.handoffs.get(cid());
        assert.deepEqual(s, initialState());
      });

      it('commits with compare-and-set and bumps the version', async () => {
        const id = cid();
        const next = apply(initialState(), request('support', 2), 1000);
        const r = await stores.handoffs.commit(id, 0, next);
        assert.equal(r.ok, true);
        const got = await stores.handoffs.get(id);
        assert.equal(got.version, 1);
        assert.equal(got.status, 'queued');
        assert.equal(got.queue, 'support');
        assert.equal(got.slaDeadline, 61_000);
      });

      it('refuses a stale version and returns the current state', async () => {
        const id = cid();
        const next = apply(initialState(), request('support', 2), 1000);
        assert.equal((await stores.handoffs.commit(id, 0, next)).ok, true);
        const stale = await stores.handoffs.commit(id, 0, next);
        assert.equal(stale.ok, false);
        if (!stale.ok) assert.equal(stale.current.version, 1);
      });

      it('lets exactly one of many concurrent commits on the same version win', async () => {
        const id = cid();
        const queued = apply(initialState(), request('support', 2), 1000);
        await stores.handoffs.commit(id, 0, queued);
        const cur = await stores.handoffs.get(id);
        const results = await Promise.all(
          ['a1', 'a2', 'a3', 'a4', 'a5'].map((a) =>
            stores.handoffs.commit(id, cur.version, apply(cur, { type: 'assign', agentId: agentId(a) }, 2000)),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
      });

      it('orders a queue by priority, then by enqueue time', async () => {
        const q = `q${randomUUID().slice(0, 8)}`;
        const ids = [cid(), cid(), cid(), cid()];
        const specs: [number, number][] = [
          [1, 100],
          [3, 300],
          [1, 50],
          [3, 200],
        ];
        for (let i = 0; i < ids.length; i++) {
          const [prio, at] = specs[i]!;
          await stores.handoffs.commit(ids[i]!, 0, apply(initialState(), request(q, prio), at));
        }
        const list = await stores.handoffs.listQueue(queueId(q));
        assert.deepEqual(
          list.map((e) => e.conversationId),
          [ids[3], ids[1], ids[2], ids[0]],
        );
        assert.equal(await stores.handoffs.queueLength(queueId(q)), 4);
        assert.deepEqual(list[0], { conversationId: ids[3], priority: 3, enqueuedAt: 200, slaDeadline: 60_200 });
      });

      it('moves queue membership with the state: assign removes, transfer re-enqueues elsewhere', async () => {
        const q1 = `q${randomUUID().slice(0, 8)}`;
        const q2 = `q${randomUUID().slice(0, 8)}`;
        const id = cid();
        let s = apply(initialState(), request(q1, 1), 10);
        await stores.handoffs.commit(id, 0, s);
        s = await stores.handoffs.get(id);
        await stores.handoffs.commit(id, s.version, apply(s, { type: 'assign', agentId: agentId('ana') }, 20));
        assert.equal(await stores.handoffs.queueLength(queueId(q1)), 0);
        s = await stores.handoffs.get(id);
        const t: HandoffCommand = {
          type: 'transfer',
          queue: queueId(q2),
          slaMs: 1000,
          seniorQueue: queueId('senior'),
          seniorSlaMs: 500,
          maxTransfers: 2,
        };
        await stores.handoffs.commit(id, s.version, apply(s, t, 30));
        assert.deepEqual(
          (await stores.handoffs.listQueue(queueId(q2))).map((e) => e.conversationId),
          [id],
        );
        assert.equal(await stores.handoffs.queueLength(queueId(q1)), 0);
      });

      it('indexes SLA deadlines and drops them once assigned', async () => {
        const a = cid();
        const b = cid();
        const q = `q${randomUUID().slice(0, 8)}`;
        await stores.handoffs.commit(a, 0, apply(initialState(), request(q, 1, 1000), 5_000_000_000_000));
        await stores.handoffs.commit(b, 0, apply(initialState(), request(q, 1, 2000), 5_000_000_000_000));
        const due = await stores.handoffs.dueDeadlines(5_000_000_001_500, 10);
        assert.ok(due.includes(a));
        assert.ok(!due.includes(b));
        const s = await stores.handoffs.get(a);
        await stores.handoffs.commit(a, s.version, apply(s, { type: 'assign', agentId: agentId('x') }, 5_000_000_001_600));
        const due2 = await stores.handoffs.dueDeadlines(5_000_000_009_000, 10);
        assert.ok(!due2.includes(a));
        assert.ok(due2.includes(b));
      });
    });

    describe('TranscriptStore', () => {
      it('appends and reads entries in order, with every field kept', async () => {
        const id = cid();
        await stores.transcripts.append(id, { at: 1, from: 'customer', type: 'message', text: 'hi' });
        await stores.transcripts.append(id, { at: 2, from: 'bot', type: 'message', text: 'Hello! 👋' });
        await stores.transcripts.append(id, { at: 3, from: 'customer', type: 'event', meta: { name: 'x', n: 1 } });
        const log = await stores.transcripts.read(id);
        assert.deepEqual(log, [
          { at: 1, from: 'customer', type: 'message', text: 'hi' },
          { at: 2, from: 'bot', type: 'message', text: 'Hello! 👋' },
          { at: 3, from: 'customer', type: 'event', meta: { name: 'x', n: 1 } },
        ]);
        assert.deepEqual(await stores.transcripts.read(cid()), []);
      });

      it('appends several entries in one call, in order', async () => {
        const id = cid();
        await stores.transcripts.append(id, { at: 1, from: 'customer', type: 'message', text: 'a' });
        await stores.transcripts.append(
          id,
          { at: 2, from: 'bot', type: 'message', text: 'b' },
          { at: 3, from: 'bot', type: 'typing' },
          { at: 4, from: 'bot', type: 'message', text: 'c' },
        );
        await stores.transcripts.append(id);
        assert.deepEqual((await stores.transcripts.read(id)).map((e) => e.at), [1, 2, 3, 4]);
      });
    });

    describe('DocumentStore', () => {
      it('writes a new key unconditionally and reads it back with an eTag', async () => {
        const key = `doc-${randomUUID()}`;
        const w = await stores.documents.write(key, { a: 1 });
        assert.equal(w.ok, true);
        const r = await stores.documents.read<{ a: number }>(key);
        assert.deepEqual(r?.value, { a: 1 });
        assert.ok(r !== undefined && w.ok && r.eTag === w.eTag);
      });

      it('rejects a stale eTag and accepts the current one and "*"', async () => {
        const key = `doc-${randomUUID()}`;
        const w1 = await stores.documents.write(key, { v: 1 });
        assert.ok(w1.ok);
        const w2 = await stores.documents.write(key, { v: 2 }, w1.eTag);
        assert.ok(w2.ok);
        assert.equal((await stores.documents.write(key, { v: 3 }, w1.eTag)).ok, false);
        assert.equal((await stores.documents.write(key, { v: 4 }, '*')).ok, true);
        assert.deepEqual((await stores.documents.read(key))?.value, { v: 4 });
      });

      it('returns a copy: mutating what was read does not change the store', async () => {
        const key = `doc-${randomUUID()}`;
        await stores.documents.write(key, { list: [1] });
        const r = await stores.documents.read<{ list: number[] }>(key);
        r?.value.list.push(2);
        assert.deepEqual((await stores.documents.read(key))?.value, { list: [1] });
      });

      it('creates only when absent: exactly one of concurrent creators wins', async () => {
        const key = `doc-${randomUUID()}`;
        const results = await Promise.all([1, 2, 3, 4].map((n) => stores.documents.create(key, { n })));
        assert.equal(results.filter((r) => r.ok).length, 1);
        const winner = results.findIndex((r) => r.ok) + 1;
        assert.deepEqual((await stores.documents.read(key))?.value, { n: winner });
        assert.equal((await stores.documents.create(key, { n: 9 })).ok, false);
      });

      it('deletes', async () => {
        const key = `doc-${randomUUID()}`;
        await stores.documents.write(key, 1);
        await stores.documents.delete(key);
        assert.equal(await stores.documents.read(key), undefined);
      });
    });

    describe('PacketStore', () => {
      it('stores and returns a packet', async () => {
        const id = handoffId(randomUUID());
        const packet = { reason: 'cost', transcript: [{ at: 1, from: 'customer', type: 'message', text: 'é' }] } as unknown as HandoffPacket;
        await stores.packets.put(id, packet);
        assert.deepEqual(await stores.packets.get(id), packet);
        assert.equal(await stores.packets.get(handoffId('nope')), undefined);
      });
    });

    describe('EventBus', () => {
      it('delivers published events to every subscriber until unsubscribed', async () => {
        const seen: DomainEvent[] = [];
        const other: DomainEvent[] = [];
        const off = stores.events.subscribe((e) => {
          seen.push(e);
        });
        const off2 = stores.events.subscribe((e) => {
          other.push(e);
        });
        const e: DomainEvent = { type: 'customer.message', conversationId: cid(), at: 1, text: 'x', activityType: 'message' };
        await stores.events.publish(e);
        await waitFor(() => seen.length === 1 && other.length === 1);
        off();
        await stores.events.publish({ ...e, text: 'y' });
        await waitFor(() => other.length === 2);
        assert.equal(seen.length, 1);
        off2();
        assert.deepEqual(seen[0], e);
      });
    });

    describe('MessageRelay', () => {
      it('delivers to the listener of a route in order, and keeps messages sent before anyone listens', async () => {
        const route = `r-${randomUUID()}`;
        const id = cid();
        const msg = (n: number): RelayMessage => ({ conversationId: id, kind: 'agent_message', text: `m${n}`, at: n, id: `${route}-${n}` });
        await stores.relay.send(route, msg(1));
        const got: string[] = [];
        const stop = await stores.relay.listen(route, async (m) => {
          got.push(m.text ?? '');
        });
        await stores.relay.send(route, msg(2));
        await stores.relay.send(route, msg(3));
        await waitFor(() => got.length === 3);
        assert.deepEqual(got, ['m1', 'm2', 'm3']);
        await stop();
      });

      it('retries a message whose delivery failed, without losing or reordering it', async () => {
        const route = `r-${randomUUID()}`;
        const id = cid();
        let fail = true;
        const got: string[] = [];
        const stop = await stores.relay.listen(route, async (m) => {
          if (fail && m.text === 'a') {
            fail = false;
            throw new Error('socket closed');
          }
          got.push(m.text ?? '');
        });
        await stores.relay.send(route, { conversationId: id, kind: 'agent_message', text: 'a', at: 1, id: `${route}-a` }).catch(() => {});
        await stores.relay.send(route, { conversationId: id, kind: 'agent_message', text: 'b', at: 2, id: `${route}-b` }).catch(() => {});
        await waitFor(() => got.length === 2, 5000);
        assert.deepEqual(got, ['a', 'b']);
        await stop();
      });
    });
  });
}

/** Poll until `cond` holds (stores may deliver asynchronously); fails after `timeoutMs`. */
export async function waitFor(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
