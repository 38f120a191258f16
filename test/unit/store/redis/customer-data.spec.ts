/**
 * `RedisCustomerData` and `eraseCustomer` on Redis directly (issue 14): a WhatsApp Cloud customer
 * (the id is their number) with state, transcript, memory, the Cloud window document, a briefing, a
 * burst, relay messages waiting in the route's stream and a dead letter; erased, no key under the
 * prefix names them, another customer's keys and relay messages stay, and each key class written
 * has its TTL.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { conversationId, handoffId, queueId } from '../../../../src/core/ids.js';
import type { HandoffPacket } from '../../../../src/core/conversation.js';
import { transition } from '../../../../src/core/handoff-state.js';
import { retentionFromDays } from '../../../../src/core/ports/customer-data.js';
import { memoryKey } from '../../../../src/handoff/conversation-memory.js';
import { eraseCustomer } from '../../../../src/handoff/customer-erasure.js';
import { RedisBurstStore } from '../../../../src/store/redis/redis-burst-store.js';
import { createRedisStores, type RedisStores } from '../../../../src/store/redis/index.js';
import type { RedisClient } from '../../../../src/store/redis/redis-connection.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../../../support/redis.js';

const DAY = 24 * 60 * 60 * 1000;

describe('Redis customer data: a WhatsApp customer erased, every key class with its TTL', function () {
  this.timeout(30_000);
  let admin: RedisClient;
  let prefix: string;
  let stores: RedisStores;

  before(async () => {
    admin = await connectTestRedis();
    prefix = uniquePrefix();
    stores = await createRedisStores({ url: REDIS_URL, prefix, retention: retentionFromDays({ botStateDays: 2, briefingsDays: 3, transcriptsDays: 4, closedHandoffsDays: 5, relayStreamsDays: 6, webChatHistoryDays: 1, deadLettersDays: 1 }) });
  });
  after(async () => {
    await stores?.close();
    await deleteByPrefix(admin, prefix);
    await admin.close();
  });

  /** A WhatsApp Cloud conversation with data in every class; returns its id. */
  async function whatsappCustomer(wa: string): Promise<string> {
    const id = conversationId(`whatsapp-cloud:${wa}`);
    await stores.documents.write(memoryKey(id), { customerId: wa, turn: 2 });
    await stores.documents.write(`whatsapp-cloud:1234567:conv:${wa}`, { recentIds: ['wamid.1'], lastInboundAt: Date.now() });
    await stores.documents.write(`botstate:whatsapp-cloud/conversations/${wa}/ConversationState`, { dialogState: {} });
    await stores.documents.write(`botstate:whatsapp-cloud/users/${wa}/UserState`, { name: wa });
    await stores.transcripts.append(id, { at: Date.now(), from: 'customer', type: 'message', text: `I am ${wa}` }, { at: Date.now(), from: 'bot', type: 'message', text: 'hello' });
    const hid = handoffId(randomUUID());
    const requested = transition(await stores.handoffs.get(id), { type: 'request', handoffId: hid, queue: queueId('support'), priority: 2, reason: 'customer_request', slaMs: 60_000, channel: 'whatsapp-cloud' }, Date.now());
    assert.ok(requested.ok);
    const c1 = await stores.handoffs.commit(id, 0, requested.state);
    assert.ok(c1.ok);
    await stores.packets.put(hid, { conversationId: id, handoffId: hid, summary: `${wa} asked` } as unknown as HandoffPacket);
    const returned = transition(c1.state, { type: 'assign', agentId: 'ana' } as never, Date.now());
    assert.ok(returned.ok);
    const c2 = await stores.handoffs.commit(id, c1.state.version, returned.state);
    assert.ok(c2.ok);
    const closed = transition(c2.state, { type: 'resolve', agentId: 'ana' } as never, Date.now());
    assert.ok(closed.ok);
    assert.ok((await stores.handoffs.commit(id, c2.state.version, closed.state)).ok);
    // agent messages still in the route's stream (nobody listens) and a dead letter
    await stores.relay.send('whatsapp-cloud', { id: randomUUID(), conversationId: id, kind: 'agent_message', text: `for ${wa}`, at: Date.now() });
    await admin.lPush(`${prefix}:relay-dead`, JSON.stringify({ id: randomUUID(), route: 'whatsapp-cloud', message: { id: randomUUID(), conversationId: id, kind: 'agent_message', text: 'x', at: 1 }, error: 'refused', attempts: 8, at: Date.now() }));
    await new RedisBurstStore(stores.client, stores.keys).add(id, { id: `m-${wa}`, at: Date.now(), text: 'hi' }, { windowMs: 60_000, maxMs: 60_000, route: 'whatsapp-cloud', activity: { type: 'message' } });
    return id;
  }

  async function keysNaming(text: string): Promise<string[]> {
    const out: string[] = [];
    for await (const batch of admin.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) out.push(...(batch as unknown as string[]).filter((k) => k.includes(text)));
    return out.sort();
  }

  it('gives each class its TTL, then erases the customer: no key names them, their relay messages are gone, the other customer keeps everything', async () => {
    const mine = await whatsappCustomer('5511999990000');
    const other = await whatsappCustomer('5511888880000');
    const p = prefix;
    const near = async (key: string, days: number): Promise<void> => {
      const ttl = await admin.pTTL(key);
      assert.ok(ttl > days * DAY - 60_000 && ttl <= days * DAY, `${key}: ${ttl}`);
    };
    await near(`${p}:doc:${memoryKey(conversationId(mine))}`, 2);
    await near(`${p}:doc:whatsapp-cloud:1234567:conv:5511999990000`, 2);
    await near(`${p}:doc:botstate:whatsapp-cloud/conversations/5511999990000/ConversationState`, 2);
    await near(`${p}:transcript:{${mine}}`, 4);
    await near(`${p}:handoff:{${mine}}`, 5);
    await near(`${p}:packets:{${mine}}`, 3);
    await near(`${p}:relay:{whatsapp-cloud}`, 6);
    await near(`${p}:customer:{5511999990000}`, 6);
    const before = await keysNaming('5511999990000');
    assert.equal(before.length, 9, before.join('\n'));

    const report = await eraseCustomer({ handoffs: stores.handoffs, documents: stores.documents, customers: stores.customers }, '5511999990000', { by: 'cli:test', now: Date.now() });
    assert.deepEqual(report.conversationIds, [mine]);
    assert.deepEqual(report.removed, { conversations: 1, handoffStates: 1, transcriptLines: 2, conversationMemory: 1, botState: 2, webChatHistory: 0, briefings: 1, callbacks: 0, whatsapp: 1, customerFiles: 0, relayMessages: 2, other: 1 });
    assert.deepEqual(await keysNaming('5511999990000'), []);
    const stream = await admin.xRange(`${p}:relay:{whatsapp-cloud}`, '-', '+');
    assert.deepEqual((stream ?? []).map((e) => (JSON.parse(String(e!.message['m'])) as { conversationId: string }).conversationId), [other], "only the other customer's message waits");
    const dead = await admin.lRange(`${p}:relay-dead`, 0, -1);
    assert.equal(dead.length, 1);
    assert.ok(dead[0]!.includes(other));
    assert.ok((await keysNaming('5511888880000')).length >= before.length - 1, 'the other customer keeps their keys');
    assert.equal((await stores.transcripts.read(conversationId(other))).length, 2);
    assert.equal((await stores.customers.readAudit()).length, 1);
  });

  it('drops each dead letter older than deadLettersDays (the list expires only when none comes for that long)', async () => {
    const key = `${prefix}:relay-dead`;
    await admin.del(key);
    const letter = (at: number, text: string): string => JSON.stringify({ id: randomUUID(), route: 'webchat', message: { id: randomUUID(), conversationId: 'webchat:x', kind: 'agent_message', text, at }, error: 'gone', attempts: 8, at });
    // oldest last, as the relay pushes them
    await admin.rPush(key, [letter(Date.now() - 1000, 'recent'), letter(Date.now() - DAY + 60_000, 'almost a day'), letter(Date.now() - DAY - 60_000, 'over a day'), letter(Date.now() - 9 * DAY, 'old')]);
    const { total, letters } = await stores.relay.deadLetters();
    assert.equal(total, 2);
    assert.deepEqual(letters.map((l) => l.message.text), ['recent', 'almost a day']);
    assert.equal(await admin.lLen(key), 2);
  });
});
