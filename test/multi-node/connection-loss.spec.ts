/**
 * Redis goes away during a conversation (every connection of the deployment killed with CLIENT
 * KILL, and no reconnect possible for a while): the turn does not crash, the customer is told to
 * try again, their message is kept and written once Redis is back, and the next turns — including
 * a handoff and an agent reply through the relay — work. The memory-store version of this is
 * test/integration/failures.spec.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../src/core/clock.js';
import { agentId, conversationId } from '../../src/core/ids.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';
import { startNode, waitUntil, type HandoverNode } from './nodes.js';
import { TcpProxy } from './tcp-proxy.js';

const TROUBLE = "We're having a technical problem. Your message is saved and we'll reply as soon as possible.";

describe('connection loss: Redis connections killed during a conversation', function () {
  this.timeout(30_000);
  let admin: RedisClient;
  let prefix: string;
  let proxy: TcpProxy;
  const nodes: HandoverNode[] = [];

  before(async () => {
    // No skip when Redis is missing: this fails with how to start one.
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });
  beforeEach(async () => {
    prefix = uniquePrefix();
    const target = new URL(REDIS_URL);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
  });
  afterEach(async () => {
    proxy.down = false;
    await Promise.all(nodes.splice(0).map((n) => n.close()));
    await proxy.close();
    await deleteByPrefix(admin, prefix);
  });

  /** CLIENT KILL on every connection named after the prefix (every process of the deployment). */
  async function killConnections(): Promise<number> {
    const mine = (await admin.clientList()).filter((c) => c.name === prefix);
    for (const c of mine) await admin.clientKill({ filter: 'ID', id: Number(c.id) });
    return mine.length;
  }

  it('tells the customer to retry, keeps the message, and the next turns work once Redis is back', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 15));
    // The customer's node reaches Redis through the proxy; commands give up after 500 ms, not 5 s.
    const node1 = await startNode({ name: 'node1', prefix, clock, url: proxy.url, stores: { commandTimeoutMs: 500 } });
    const agentNode = await startNode({ name: 'agent', prefix, clock, deliver: false });
    nodes.push(node1, agentNode);
    const conversation = `c-${randomUUID().slice(0, 8)}`;
    const id = conversationId(`webchat:${conversation}`);

    assert.match((await node1.say(conversation, 'hi')).map((a) => a.text).join(' '), /Acme Shop assistant/);

    // Redis "restarts": every connection of the prefix is killed, and node 1 cannot reconnect yet.
    proxy.down = true;
    assert.ok((await killConnections()) >= 5, 'main, subscriber and relay listener of node 1, and the agent node\'s');
    await waitUntil(() => !node1.stores.client.isReady, 'node 1 to notice');

    clock.advanceMs(5_000);
    const during = await node1.say(conversation, 'where is my order A12345');
    assert.deepEqual(during.filter((a) => a.type === 'message').map((a) => a.text), [TROUBLE]);
    assert.equal(node1.app.middleware.pendingTranscriptLines, 2, 'customer line and system line kept in memory');
    assert.ok(node1.errors.some((e) => e.where !== 'stores'), 'the middleware reported the failure to onError');

    // Redis is back: node 1 reconnects by itself.
    proxy.down = false;
    await waitUntil(() => node1.stores.client.isReady, 'node 1 to reconnect');

    clock.advanceMs(15_000);
    assert.deepEqual((await node1.say(conversation, 'where is my order A12345')).map((a) => a.text), ['Order A12345 is shipped.']);
    assert.equal(node1.app.middleware.pendingTranscriptLines, 0);
    const log = await agentNode.stores.transcripts.read(id);
    assert.deepEqual(
      log.filter((e) => e.type === 'message').map((e) => `${e.from}: ${e.text}`),
      [
        'customer: hi',
        "bot: Hi, Dana! I'm the Acme Shop assistant. I can help with orders, returns, billing and store information.",
        'customer: where is my order A12345',
        `system: ${TROUBLE}`,
        'customer: where is my order A12345',
        'bot: Order A12345 is shipped.',
      ],
    );

    // The whole path works again: a handoff, an agent on another node, a reply through node 1's relay listener.
    clock.advanceMs(5_000);
    assert.match((await node1.say(conversation, 'I want to talk to a real person')).map((a) => a.text).join(' '), /connecting you with a person/);
    await agentNode.app.service.accept(id, agentId('ana'), 'Ana');
    await agentNode.app.service.sendAgentMessage(id, agentId('ana'), 'Hi, I am Ana.', 'Ana');
    await waitUntil(() => node1.sentTexts(conversation).includes('Hi, I am Ana.'), 'the agent reply to reach the customer on node 1');
    assert.deepEqual(node1.sentTexts(conversation).slice(-2), ['Ana has joined the conversation.', 'Hi, I am Ana.']);
  });
});
