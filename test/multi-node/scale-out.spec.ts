/**
 * Three handover nodes on one real Redis and one prefix (three processes of one deployment, in one
 * test process): the customer's chat lives on node 1, agents work from nodes 2 and 3.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../src/core/clock.js';
import { agentId, conversationId, type ConversationId } from '../../src/core/ids.js';
import { isHandoverError } from '../../src/core/errors.js';
import type { DomainEvent } from '../../src/core/events.js';
import { SlaWatcher } from '../../src/handoff/sla-watcher.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { manifest } from '../support/harness.js';
import { connectTestRedis, deleteByPrefix, uniquePrefix } from '../support/redis.js';
import { startNode, waitUntil, type HandoverNode } from './nodes.js';

const HANDOFF = 'I want to talk to a real person';
const JOINED = (name: string) => `${name} has joined the conversation.`;

describe('scale-out: three nodes on one Redis', function () {
  this.timeout(30_000);
  let admin: RedisClient;
  let prefix: string;
  let clock: ManualClock;
  let node1: HandoverNode;
  let node2: HandoverNode;
  let node3: HandoverNode;

  before(async () => {
    // No skip when Redis is missing: this fails with how to start one.
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });
  beforeEach(async () => {
    prefix = uniquePrefix();
    clock = new ManualClock(Date.UTC(2026, 0, 5, 15));
    // Only node 1 holds a customer channel (route 'node1'); nodes 2 and 3 are where agents work.
    node1 = await startNode({ name: 'node1', prefix, clock });
    node2 = await startNode({ name: 'node2', prefix, clock });
    node3 = await startNode({ name: 'node3', prefix, clock });
  });
  afterEach(async () => {
    await Promise.all([node1, node2, node3].map((n) => n.close()));
    await deleteByPrefix(admin, prefix);
  });

  const idOf = (conversation: string): ConversationId => conversationId(`webchat:${conversation}`);
  const ofType = (node: HandoverNode, type: DomainEvent['type'], id: ConversationId) => node.events.filter((e) => e.type === type && e.conversationId === id);

  /** Hands a fresh conversation off on node 1 and waits until node 2 has heard of it. */
  async function handOffOnNode1(): Promise<{ conversation: string; id: ConversationId }> {
    const conversation = `c-${randomUUID().slice(0, 8)}`;
    const id = idOf(conversation);
    await node1.say(conversation, 'hi');
    const notice = (await node1.say(conversation, HANDOFF)).map((a) => a.text ?? '').join(' ');
    assert.match(notice, /connecting you with a person/);
    await waitUntil(() => ofType(node2, 'handoff.requested', id).length === 1, 'node 2 to hear handoff.requested');
    return { conversation, id };
  }

  it('hands off on node 1, an agent on node 2 accepts and replies (once, in order, through node 1), node 3 transfers, the 2nd transfer goes to senior', async () => {
    const { conversation, id } = await handOffOnNode1();
    const requested = ofType(node2, 'handoff.requested', id)[0];
    assert.ok(requested?.type === 'handoff.requested');
    const queue = requested.queue;

    // node 2 sees it in the queue and the briefing node 1 built
    assert.deepEqual((await node2.app.service.listQueue(queue)).map((e) => e.conversationId), [id]);
    const before = node1.sentTexts(conversation).length;
    const { packet } = await node2.app.service.accept(id, agentId('ana'), 'Ana');
    assert.equal(packet?.reason, 'customer_request');
    assert.deepEqual(packet?.transcript.filter((l) => l.from === 'customer').map((l) => l.text), ['hi', HANDOFF]);
    assert.deepEqual(await node3.app.service.listQueue(queue), [], 'accepted: no longer waiting, on any node');

    for (const text of ['Hi, I am Ana.', 'Let me look at your order.', 'Found it.']) await node2.app.service.sendAgentMessage(id, agentId('ana'), text, 'Ana');
    // A last marker: the route delivers in order, so once it arrived any duplicate of the earlier ones would have too.
    await node2.app.service.sendAgentMessage(id, agentId('ana'), 'marker', 'Ana');
    await waitUntil(() => node1.sentTexts(conversation).includes('marker'), 'the agent messages to reach node 1');
    assert.deepEqual(node1.sentTexts(conversation).slice(before), [JOINED('Ana'), 'Hi, I am Ana.', 'Let me look at your order.', 'Found it.', 'marker']);
    assert.equal(node2.adapter.sent.get(conversation), undefined, 'nothing is delivered through the agent nodes\' adapters');
    assert.equal(node3.adapter.sent.get(conversation), undefined);
    const handover = (a: { channelData?: unknown }) => (a.channelData as { handover?: { role?: string; agentName?: string | null } } | undefined)?.handover;
    const agentLines = node1.adapter.sent.get(conversation)!.filter((a) => handover(a)?.role === 'agent');
    assert.deepEqual(agentLines.map((a) => handover(a)?.agentName), ['Ana', 'Ana', 'Ana', 'Ana']);

    // The customer's next message lands on node 3 (another adapter): the gate reads Redis, the bot stays silent.
    const sentOnNode1 = node1.sentTexts(conversation).length;
    assert.deepEqual(await node3.say(conversation, 'thanks, what did you find?'), []);
    assert.deepEqual(await node1.say(conversation, 'hello?'), [], 'and on node 1 too');
    assert.equal(node1.sentTexts(conversation).length, sentOnNode1);
    await waitUntil(() => ofType(node2, 'customer.message', id).length === 2, 'the agent on node 2 to get both customer messages');
    assert.deepEqual(ofType(node2, 'customer.message', id).map((e) => (e.type === 'customer.message' ? e.text : '')), ['thanks, what did you find?', 'hello?']);

    // A transfer issued on node 3 moves it to billing, where node 2 sees it waiting.
    const first = await node3.app.service.transfer(id, 'billing', { note: 'refund question' });
    assert.equal(first.status, 'queued');
    assert.equal(first.queue, 'billing');
    assert.deepEqual((await node2.app.service.listQueue('billing')).map((e) => e.conversationId), [id]);
    await node2.app.service.accept(id, agentId('bea'), 'Bea');

    // The 2nd transfer without a resolution goes to senior, whatever queue was asked for.
    const second = await node3.app.service.transfer(id, 'support');
    assert.equal(second.queue, manifest.policy.transfers.seniorQueue);
    assert.equal(second.reason, 'repeated_transfer');
    assert.deepEqual((await node1.app.service.listQueue('senior')).map((e) => e.conversationId), [id]);
    assert.deepEqual(await node1.app.service.listQueue('billing'), []);
    await waitUntil(() => ofType(node1, 'handoff.transferred', id).length === 2, 'node 1 to hear both transfers');
    assert.deepEqual(
      ofType(node1, 'handoff.transferred', id).map((e) => (e.type === 'handoff.transferred' ? [e.from, e.to, e.reason] : [])),
      [
        [queue, 'billing', 'customer_request'],
        ['billing', 'senior', 'repeated_transfer'],
      ],
    );

    // One transcript, written by three nodes, in order.
    const transcript = await node2.stores.transcripts.read(id);
    assert.deepEqual(
      transcript.filter((l) => l.from === 'customer').map((l) => l.text),
      ['hi', HANDOFF, 'thanks, what did you find?', 'hello?'],
    );
    assert.deepEqual(
      transcript.filter((l) => l.type === 'event').map((l) => l.meta?.name),
      ['handoff.accepted', 'handoff.transferred', 'handoff.accepted', 'handoff.transferred'],
    );
    assert.deepEqual([...node1.errors, ...node2.errors, ...node3.errors], []);
  });

  it('lets exactly one of two claims made at the same instant from nodes 2 and 3 win; the other gets HANDOVER_ERR_ALREADY_TAKEN', async () => {
    for (let round = 0; round < 5; round++) {
      const { conversation, id } = await handOffOnNode1();
      const results = await Promise.allSettled([node2.app.service.accept(id, agentId('ana'), 'Ana'), node3.app.service.accept(id, agentId('bob'), 'Bob')]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, 1, `round ${round}: exactly one claim wins`);
      assert.equal(lost.length, 1);
      assert.ok(isHandoverError(lost[0]!.reason, 'HANDOVER_ERR_ALREADY_TAKEN'), String(lost[0]!.reason));
      const winner = results[0]!.status === 'fulfilled' ? 'ana' : 'bob';
      const state = await node1.app.service.state(id);
      assert.equal(state.status, 'assigned');
      assert.equal(state.agentId, winner);
      // only the winner joined the chat: one "has joined" line reaches the customer
      await node1.stores.relay.send(node1.route, { conversationId: id, kind: 'system_message', text: 'marker', at: clock.now(), id: randomUUID() });
      await waitUntil(() => node1.sentTexts(conversation).includes('marker'), 'the marker to reach node 1');
      assert.deepEqual(
        node1.sentTexts(conversation).filter((t) => t.endsWith('has joined the conversation.')),
        [JOINED(winner === 'ana' ? 'Ana' : 'Bob')],
      );
      const accepted = await node1.stores.transcripts.read(id);
      assert.equal(accepted.filter((l) => l.meta?.name === 'handoff.accepted').length, 1);
    }
  });

  it('escalates a breached SLA exactly once with three SlaWatchers running', async () => {
    const conversations = [await handOffOnNode1(), await handOffOnNode1(), await handOffOnNode1()];
    const priorityBefore = new Map<string, number>();
    for (const { id } of conversations) priorityBefore.set(id, (await node1.app.service.state(id)).priority);
    const sweeps = new Map<string, number>();
    const watchers = [node1, node2, node3].map(
      (n) =>
        new SlaWatcher({
          service: n.app.service,
          manifest,
          everyMs: 5, // real timers, racing each other; the clock is what decides what is due
          onError: (error) => n.errors.push({ error, where: 'sla' }),
          onSweep: () => sweeps.set(n.name, (sweeps.get(n.name) ?? 0) + 1),
        }),
    );
    for (const w of watchers) w.start();
    try {
      const state = await node1.app.service.state(conversations[0]!.id);
      const slaMs = manifest.queues[state.queue!]!.slaSeconds * 1000;
      const sweepsNow = () => [...sweeps.values()].reduce((a, b) => a + b, 0);
      const quietSweeps = sweepsNow() + 9;
      await waitUntil(() => sweepsNow() >= quietSweeps, 'a few sweeps before the breach');
      assert.equal(node1.events.filter((e) => e.type === 'handoff.escalated').length, 0, 'nothing is due yet');

      clock.advanceMs(slaMs); // every deadline is now reached
      // the three nodes sweep at the same instant too, on top of their timers
      await Promise.all(watchers.map((w) => w.sweep()));
      // wait until every watcher has swept several times after the breach
      const after = new Map([...sweeps].map(([k, v]) => [k, v + 5]));
      await waitUntil(() => [...after].every(([k, v]) => (sweeps.get(k) ?? 0) >= v), 'each watcher to sweep 5 more times');
    } finally {
      await Promise.all(watchers.map((w) => w.stop()));
    }
    // Each node publishes a marker after its last sweep: pub/sub keeps one publisher's order, so
    // once node 1 has every marker it has every escalation any node published.
    for (const n of [node1, node2, node3]) {
      await n.stores.events.publish({ type: 'customer.message', conversationId: conversationId('marker'), at: clock.now(), text: n.name, activityType: 'message' });
    }
    await waitUntil(() => node1.events.filter((e) => e.conversationId === 'marker').length === 3, 'every node\'s marker on node 1');
    const escalated = node1.events.filter((e) => e.type === 'handoff.escalated');
    assert.deepEqual(escalated.map((e) => e.conversationId).sort(), conversations.map((c) => c.id).sort(), 'one escalation per breached handoff');
    for (const { id } of conversations) {
      const s = await node2.app.service.state(id);
      assert.equal(s.escalations, 1);
      assert.equal(s.status, 'queued');
      assert.equal(s.priority, priorityBefore.get(id)! + manifest.policy.sla.escalationPriorityBoost);
    }
    assert.deepEqual([...node1.errors, ...node2.errors, ...node3.errors], []);
  });
});
