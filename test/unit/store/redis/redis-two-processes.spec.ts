/**
 * Two `Stores` on one Redis and one prefix behave as two processes of one deployment: they race on
 * the same conversation, see each other's queues, events and relay messages.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRedisStores, type RedisStores } from '../../../../src/store/redis/index.js';
import type { RedisClient } from '../../../../src/store/redis/redis-connection.js';
import { agentId, conversationId, handoffId, queueId } from '../../../../src/core/ids.js';
import { initialState, transition, type HandoffCommand, type HandoffState } from '../../../../src/core/handoff-state.js';
import type { DomainEvent } from '../../../../src/core/events.js';
import { waitFor } from '../../../contract/store-contract.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../../../support/redis.js';

function apply(s: HandoffState, c: HandoffCommand, now: number): HandoffState {
  const r = transition(s, c, now);
  if (!r.ok) throw new Error(r.message);
  return r.state;
}

const request = (queue: string, priority: number): HandoffCommand => ({
  type: 'request',
  handoffId: handoffId(randomUUID()),
  queue: queueId(queue),
  priority,
  reason: 'customer_request',
  slaMs: 60_000,
  channel: 'test',
});

const event = (text: string): DomainEvent => ({ type: 'customer.message', conversationId: conversationId('c-1'), at: 1, text, activityType: 'message' });

describe('Redis stores shared by two processes', function () {
  let admin: RedisClient;
  let prefix: string;
  let a: RedisStores;
  let b: RedisStores;

  before(async () => {
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });
  beforeEach(async () => {
    prefix = uniquePrefix();
    a = await createRedisStores({ url: REDIS_URL, prefix });
    b = await createRedisStores({ url: REDIS_URL, prefix });
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    await deleteByPrefix(admin, prefix);
  });

  it('lets exactly one process win a race to accept the same conversation', async () => {
    const id = conversationId(`c-${randomUUID()}`);
    const q = 'support';
    assert.equal((await a.handoffs.commit(id, 0, apply(initialState(), request(q, 1), 1000))).ok, true);
    const [seenA, seenB] = await Promise.all([a.handoffs.get(id), b.handoffs.get(id)]);
    const attempts = ['ana', 'bob', 'cai', 'dee', 'eve', 'fay'].map((name, i) => {
      const node = i % 2 === 0 ? a : b;
      const seen = i % 2 === 0 ? seenA : seenB;
      return node.handoffs.commit(id, seen.version, apply(seen, { type: 'assign', agentId: agentId(name) }, 2000)).then((r) => ({ name, r }));
    });
    const results = await Promise.all(attempts);
    const winners = results.filter((x) => x.r.ok);
    assert.equal(winners.length, 1);
    const final = await b.handoffs.get(id);
    assert.equal(final.agentId, winners[0]?.name);
    assert.equal(final.version, 2);
    // Losers are told the winner's state, so they can answer "already taken" without another read.
    for (const loser of results.filter((x) => !x.r.ok)) {
      if (!loser.r.ok) assert.equal(loser.r.current.agentId, winners[0]?.name);
    }
    assert.equal(await a.handoffs.queueLength(queueId(q)), 0);
  });

  it('shows a queue committed by one process, in service order, to the other', async () => {
    const q = `q-${randomUUID().slice(0, 8)}`;
    const ids = [1, 2, 3].map(() => conversationId(`c-${randomUUID()}`));
    await a.handoffs.commit(ids[0]!, 0, apply(initialState(), request(q, 1), 10));
    await b.handoffs.commit(ids[1]!, 0, apply(initialState(), request(q, 5), 20));
    await a.handoffs.commit(ids[2]!, 0, apply(initialState(), request(q, 1), 5));
    assert.deepEqual(
      (await b.handoffs.listQueue(queueId(q))).map((e) => e.conversationId),
      [ids[1], ids[2], ids[0]],
    );
    assert.deepEqual(await a.handoffs.listQueue(queueId(q)), await b.handoffs.listQueue(queueId(q)));
  });

  it('broadcasts events to every process, each event once per subscriber', async () => {
    const seenA: string[] = [];
    const seenB: string[] = [];
    a.events.subscribe((e) => {
      if (e.type === 'customer.message') seenA.push(e.text);
    });
    b.events.subscribe((e) => {
      if (e.type === 'customer.message') seenB.push(e.text);
    });
    await a.events.publish(event('from-a'));
    await waitFor(() => seenB.length === 1);
    await b.events.publish(event('from-b'));
    await waitFor(() => seenA.length === 2);
    // A last event from A is a sync point: once B has it, any duplicate of earlier ones would have arrived.
    await a.events.publish(event('last'));
    await waitFor(() => seenB.length >= 3);
    assert.deepEqual(seenA, ['from-a', 'from-b', 'last']);
    assert.deepEqual(seenB, ['from-a', 'from-b', 'last']);
  });

  it('relays a message sent by one process to the listener in the other', async () => {
    const got: string[] = [];
    const stop = await a.relay.listen('whatsapp-web', async (m) => {
      got.push(m.text ?? '');
    });
    await b.relay.send('whatsapp-web', { conversationId: conversationId('c-1'), kind: 'agent_message', text: 'Hi, I am Ana', at: 1, id: 'm-1' });
    await waitFor(() => got.length === 1);
    await stop();
    assert.deepEqual(got, ['Hi, I am Ana']);
  });
});
