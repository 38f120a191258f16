/**
 * A node goes away mid-handoff and a new one takes its place on the same prefix and route: nothing
 * lived in the dead process that Redis does not have — the queue, the briefing, the transcript, the
 * conversation reference and the agent messages sent while no one listened.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../src/core/clock.js';
import { agentId, conversationId } from '../../src/core/ids.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { connectTestRedis, deleteByPrefix, uniquePrefix } from '../support/redis.js';
import { startNode, waitUntil, type HandoverNode } from './nodes.js';

describe('restart: a node dies mid-handoff and a new one takes over its route', function () {
  this.timeout(30_000);
  let admin: RedisClient;
  let prefix: string;
  const nodes: HandoverNode[] = [];

  before(async () => {
    // No skip when Redis is missing: this fails with how to start one.
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });
  beforeEach(() => {
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.close()));
    await deleteByPrefix(admin, prefix);
  });

  it('keeps the queue and transcript; the agent accepts and replies, and the new node delivers on the same route', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 15));
    const start = async (name: string, route: string) => {
      const n = await startNode({ name, route, prefix, clock });
      nodes.push(n);
      return n;
    };
    let node1: HandoverNode | undefined = await start('node1', 'node1');
    const agentNode = await start('node2', 'node2');
    const conversation = `c-${randomUUID().slice(0, 8)}`;
    const id = conversationId(`webchat:${conversation}`);

    await node1.say(conversation, 'hi');
    clock.advanceMs(5_000);
    await node1.say(conversation, 'where is my order A12345');
    clock.advanceMs(5_000);
    await node1.say(conversation, 'I want to talk to a real person');
    const queue = (await agentNode.app.service.state(id)).queue!;
    const transcriptBefore = await agentNode.stores.transcripts.read(id);

    // node 1 dies: connections closed, objects dropped, nothing cleaned up in Redis
    await node1.close();
    nodes.splice(nodes.indexOf(node1), 1);
    node1 = undefined;

    assert.deepEqual((await agentNode.app.service.listQueue(queue)).map((e) => e.conversationId), [id], 'still waiting in its queue');
    assert.deepEqual(await agentNode.stores.transcripts.read(id), transcriptBefore, 'the transcript is intact');
    assert.deepEqual(
      transcriptBefore.filter((l) => l.from === 'customer').map((l) => l.text),
      ['hi', 'where is my order A12345', 'I want to talk to a real person'],
    );

    // the agent accepts while no node holds route node1: the "joined" line waits in the route's stream
    const { packet } = await agentNode.app.service.accept(id, agentId('ana'), 'Ana');
    assert.equal(packet?.collected.order_number, 'A12345', 'the briefing survived too');

    // a new process takes over the route; the agent replies
    const node1b = await start('node1b', 'node1');
    await agentNode.app.service.sendAgentMessage(id, agentId('ana'), 'Hi, I am Ana. Your order A12345 left yesterday.', 'Ana');
    await agentNode.app.service.sendAgentMessage(id, agentId('ana'), 'marker', 'Ana');
    await waitUntil(() => node1b.sentTexts(conversation).includes('marker'), 'the new node to deliver the agent messages');
    assert.deepEqual(node1b.sentTexts(conversation), ['Ana has joined the conversation.', 'Hi, I am Ana. Your order A12345 left yesterday.', 'marker']);
    const delivered = node1b.adapter.sent.get(conversation)![0]!;
    assert.equal(delivered.conversation?.id, conversation, 'delivered into the customer\'s conversation, from the stored reference');
    assert.equal(delivered.recipient?.id, 'c-1001');

    // the customer goes on talking through the new node: the bot stays silent, the agent hears it
    assert.deepEqual(await node1b.say(conversation, 'great, thanks'), []);
    await waitUntil(() => agentNode.events.some((e) => e.type === 'customer.message' && e.conversationId === id && e.text === 'great, thanks'), 'the agent to hear the customer');

    // after the agent resolves, the bot answers again on the new node
    await agentNode.app.service.returnToBot(id, agentId('ana'));
    clock.advanceMs(5_000);
    const answer = (await node1b.say(conversation, 'what time do you open on saturday?')).map((a) => a.text ?? '').join(' ');
    assert.match(answer, /Saturday 10:00/);
    assert.deepEqual([...node1b.errors, ...agentNode.errors], []);
  });
});
