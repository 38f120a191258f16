/**
 * No message can block a route. Real `handover start` processes on one Redis, with the web chat
 * history capped low (WEBCHAT_HISTORY_MAX_CONVERSATIONS, the same code path as the default 10 000):
 * a flood of anonymous Direct Line conversations evicts old histories but never a customer who waits
 * for a person, so agents still reach every one of them; and a message that cannot be delivered
 * (its customer's history is gone) goes to the dead-letter list after its retries — the agent is
 * told, supervisors see it — while every other customer's messages keep flowing.
 * The memory store (one process) is held to the same eviction rule.
 */
import assert from 'node:assert/strict';
import { RedisKeys } from '../../src/store/redis/keys.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { JsonSocket } from '../support/webchat-clients.js';
import { apiCall, signIn, startTestService, type TestService } from '../support/agent-service.js';
import { conversationApi, DESK_TOKEN, deskCall, eventually, spawnHandover, WidgetCustomer, type HandoverProcess } from '../support/handover-processes.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';

type Json = Record<string, unknown>;
const HANDOFF = 'I want to talk to a real person';
const CAP = 200;
const ANONYMOUS = 250;

/** Starts `n` anonymous Direct Line conversations on the given bases (round robin), a few at a time. */
async function anonymousConversations(bases: readonly string[], n: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < n) {
        const i = next++;
        const res = await fetch(`${bases[i % bases.length]!}/v3/directline/conversations`, { method: 'POST' });
        assert.equal(res.status, 201);
        ids[i] = String(((await res.json()) as Json)['conversationId']);
      }
    }),
  );
  return ids;
}

/** Waits until the API shows each customer's handoff queued. */
async function queued(base: string, customers: readonly WidgetCustomer[]): Promise<void> {
  await Promise.all(
    customers.map((c) =>
      eventually(async () => {
        const r = await deskCall(base, 'GET', conversationApi(c.conversationId));
        return r.status === 200 && (r.json['state'] as Json)['status'] === 'queued';
      }, `${c.conversationId} to be queued`, 20_000, 50),
    ),
  );
}

describe('no message blocks a route (handover start × 2 on one Redis, history capped low)', function () {
  this.timeout(60_000);
  let admin: RedisClient;
  let prefix: string;
  let procs: HandoverProcess[] = [];
  let customers: WidgetCustomer[] = [];

  before(async () => {
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });
  beforeEach(async () => {
    prefix = uniquePrefix();
    procs = [];
    // A conversation idle for any time counts as idle for the cap: only "with a person" protects it.
    // The flood comes from one address: lift the per-IP limit on new conversations (test/multi-node/start-rate-limit.spec.ts) so it reaches the cap.
    const env = { REDIS_URL, REDIS_PREFIX: prefix, WEBCHAT_HISTORY_MAX_CONVERSATIONS: String(CAP), WEBCHAT_HISTORY_KEEP_RECENT_MS: '0', WEBCHAT_START_BURST: '1000000' };
    for (let i = 0; i < 2; i++) procs.push(await spawnHandover(env));
  });
  afterEach(async () => {
    await Promise.all(customers.splice(0).map((c) => c.close().catch(() => undefined)));
    const codes = await Promise.all(procs.map((p) => p.stop()));
    assert.deepEqual(codes, [0, 0], 'both stopped cleanly');
    await deleteByPrefix(admin, prefix);
  });

  it(`after ${ANONYMOUS} anonymous conversations over a cap of ${CAP}, agents still reach every waiting customer`, async () => {
    const keys = new RedisKeys(prefix);
    const waiting = await Promise.all(Array.from({ length: 10 }, (_, i) => WidgetCustomer.start(procs[i % 2]!.ws)));
    customers.push(...waiting);
    for (const c of waiting) c.say(HANDOFF);
    await queued(procs[0]!.base, waiting);
    const anonymous = await anonymousConversations(procs.map((p) => p.base), ANONYMOUS);
    // The cap was enforced on others: the oldest anonymous histories are gone, the history is near the cap.
    assert.equal(await admin.exists(keys.activity(anonymous[0]!)), 0, 'the oldest anonymous conversation was forgotten');
    assert.ok((await admin.zCard(keys.activityRecent())) <= CAP + 1, 'the history holds about the cap');
    // Every waiting customer, although older than all of them, kept their history and hears the agent.
    for (const c of waiting) assert.equal(await admin.exists(keys.activity(c.webchatId)), 1, `${c.conversationId} kept`);
    await Promise.all(
      waiting.map(async (c, i) => {
        const accept = await deskCall(procs[(i + 1) % 2]!.base, 'POST', conversationApi(c.conversationId, 'accept'), { agentId: 'ana' });
        assert.equal(accept.status, 200, JSON.stringify(accept.json));
        const sent = await deskCall(procs[i % 2]!.base, 'POST', conversationApi(c.conversationId, 'messages'), { text: `hello ${i}`, agentId: 'ana' });
        assert.equal(sent.status, 202, JSON.stringify(sent.json));
      }),
    );
    await eventually(() => waiting.every((c, i) => c.agentTexts().includes(`hello ${i}`)), 'every waiting customer to hear the agent', 10_000);
    for (const [i, c] of waiting.entries()) assert.deepEqual(c.agentTexts(), [`hello ${i}`]);
    assert.equal((await deskCall(procs[0]!.base, 'GET', '/api/dead-letters')).json['total'], 0);
  });

  it('a message that cannot be delivered goes to the dead-letter list, the agent is told, and every other customer is still served', async () => {
    const keys = new RedisKeys(prefix);
    const list = await Promise.all(Array.from({ length: 6 }, (_, i) => WidgetCustomer.start(procs[i % 2]!.ws)));
    customers.push(...list);
    for (const c of list) c.say(HANDOFF);
    await queued(procs[0]!.base, list);
    for (const c of list) assert.equal((await deskCall(procs[0]!.base, 'POST', conversationApi(c.conversationId, 'accept'), { agentId: 'ana' })).status, 200);
    const consoleSocket = await JsonSocket.open(`${procs[1]!.ws}/agent/ws`, { Authorization: `Bearer ${DESK_TOKEN}` });
    try {
      // The first customer's history is lost (what eviction did before): a message to them cannot be delivered.
      const [poisoned, ...others] = list;
      await admin.del([keys.activity(poisoned!.webchatId), keys.activityItems(poisoned!.webchatId)]);
      const poison = await deskCall(procs[0]!.base, 'POST', conversationApi(poisoned!.conversationId, 'messages'), { text: 'your refund is approved', agentId: 'ana' });
      assert.equal(poison.status, 202);
      // Sent after it, on the same route, from both processes.
      await Promise.all(others.map((c, i) => deskCall(procs[i % 2]!.base, 'POST', conversationApi(c.conversationId, 'messages'), { text: `after ${i}`, agentId: 'ana' })));
      await eventually(() => others.every((c, i) => c.agentTexts().includes(`after ${i}`)), 'the other customers to hear the agent', 5_000);

      // Bounded retries (about 5 s by default), then the dead-letter list, which supervisors and desks see.
      const told = await consoleSocket.waitFor((f) => (f['event'] as Json | undefined)?.['type'] === 'relay.dead_lettered');
      const event = told['event'] as Json;
      assert.equal(event['conversationId'], poisoned!.conversationId);
      assert.equal(event['text'], 'your refund is approved');
      assert.equal(event['agentId'], 'ana');
      assert.match(String(event['error']), /No web chat conversation/);
      const dead = await deskCall(procs[0]!.base, 'GET', '/api/dead-letters');
      assert.equal(dead.status, 200);
      assert.equal(dead.json['total'], 1);
      const letter = (dead.json['deadLetters'] as Json[])[0]!;
      assert.equal(letter['id'], event['deadLetterId']);
      assert.equal((letter['message'] as Json)['text'], 'your refund is approved');
      assert.equal(letter['route'], 'webchat');
      assert.ok(Number(letter['attempts']) > 1, 'retried before giving up');
      // The agent sees it in the conversation's transcript too.
      const conversation = await deskCall(procs[1]!.base, 'GET', conversationApi(poisoned!.conversationId));
      const line = (conversation.json['transcript'] as Json[]).find((l) => (l['meta'] as Json | undefined)?.['name'] === 'relay.dead_lettered');
      assert.ok(line, 'a system line in the transcript');
      assert.equal(line['from'], 'system');
      assert.equal(line['text'], 'your refund is approved');

      // The route goes on: a later message reaches another customer, once.
      await deskCall(procs[1]!.base, 'POST', conversationApi(others[0]!.conversationId, 'messages'), { text: 'and later', agentId: 'ana' });
      await eventually(() => others[0]!.agentTexts().includes('and later'), 'a later message');
      for (const [i, c] of others.entries()) assert.deepEqual(c.agentTexts(), i === 0 ? [`after 0`, 'and later'] : [`after ${i}`]);
      assert.deepEqual(poisoned!.agentTexts(), []);
      // Discarded by a supervisor, it is gone from the list.
      assert.equal((await deskCall(procs[0]!.base, 'POST', `/api/dead-letters/${encodeURIComponent(String(letter['id']))}/discard`)).status, 200);
      assert.equal((await deskCall(procs[1]!.base, 'GET', '/api/dead-letters')).json['total'], 0);
    } finally {
      await consoleSocket.close();
    }
  });
});

describe('no message blocks a route (memory store, one process, history capped low)', function () {
  this.timeout(30_000);
  let t: TestService;
  afterEach(async () => {
    await t?.close();
  });

  it('after 60 anonymous conversations over a cap of 20, agents still reach every waiting customer (202, delivered)', async () => {
    t = await startTestService({ env: { HANDOVER_API_TOKENS: `desk:${DESK_TOKEN}`, WEBCHAT_HISTORY_MAX_CONVERSATIONS: '20', WEBCHAT_HISTORY_KEEP_RECENT_MS: '0' } });
    const waiting = await Promise.all(Array.from({ length: 3 }, () => WidgetCustomer.start(t.ws)));
    try {
      for (const c of waiting) c.say(HANDOFF);
      await queued(t.base, waiting);
      const anonymous = await anonymousConversations([t.base], 60);
      assert.equal(await t.svc.stores.activityLog.exists(anonymous[0]!), false, 'the cap was enforced on the others');
      for (const c of waiting) assert.equal(await t.svc.stores.activityLog.exists(c.webchatId), true, `${c.conversationId} kept`);
      for (const [i, c] of waiting.entries()) {
        assert.equal((await deskCall(t.base, 'POST', conversationApi(c.conversationId, 'accept'), { agentId: 'ana' })).status, 200);
        assert.equal((await deskCall(t.base, 'POST', conversationApi(c.conversationId, 'messages'), { text: `hello ${i}`, agentId: 'ana' })).status, 202);
      }
      await eventually(() => waiting.every((c, i) => c.agentTexts().includes(`hello ${i}`)), 'every waiting customer to hear the agent');
      // The dead-letter list is for supervisors (and help desks), not for every agent.
      const [ana, sam] = [await signIn(t.base, 'ana'), await signIn(t.base, 'sam')];
      assert.equal((await apiCall(t.base, 'GET', '/api/dead-letters', { cookie: ana })).status, 403);
      const seen = await apiCall(t.base, 'GET', '/api/dead-letters', { cookie: sam });
      assert.equal(seen.status, 200);
      assert.deepEqual([seen.json['total'], seen.json['deadLetters']], [0, []]);
      assert.equal((await apiCall(t.base, 'POST', '/api/dead-letters/nope/retry', { cookie: sam })).status, 404);
      assert.deepEqual(t.errors, []);
    } finally {
      await Promise.all(waiting.map((c) => c.close()));
    }
  });
});
