/**
 * The supervisor dashboard (GET /api/dashboard) and the history search (GET /api/history) through
 * the real `handover start` composition, on the memory store and on Redis: real customers (web chat
 * and a WhatsApp Cloud customer of data/customers.json) hand off, an agent accepts, resolves,
 * returns with a settled order number; a fourth waits past its queue's SLA.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../src/core/clock.js';
import { conversationId } from '../../src/core/ids.js';
import { apiCall, conversationPath, customerHandsOff, nextEvent, signIn, startTestService, type TestService } from '../support/agent-service.js';
import { FakeGraphApi } from '../support/fake-graph-api.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';
import { WHATSAPP_ENV } from '../support/whatsapp-cloud-service.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';

type Json = Record<string, unknown>;
const DESK_TOKEN = 'desk-token-0123456789abcdef';
/** Leo Tanaka in data/customers.json: a WhatsApp Cloud number. */
const LEO = '15550100002';

interface Setup {
  t: TestService;
  clock: ManualClock;
  whatsapp(text: string): Promise<void>;
  close(): Promise<void>;
  redis?: RedisClient;
  prefix?: string;
}

async function start(backend: 'memory' | 'redis'): Promise<Setup> {
  const graph = await FakeGraphApi.start();
  graph.token = WHATSAPP_ENV.WHATSAPP_ACCESS_TOKEN;
  const root = mkdtempSync(path.join(tmpdir(), 'handover-dash-'));
  const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, any>;
  manifest['whatsapp']['cloud']['graphBaseUrl'] = graph.baseUrl;
  manifest['bursts']['windowSeconds']['whatsapp-cloud'] = 0;
  writeFileSync(path.join(root, 'manifest.json'), JSON.stringify(manifest));
  for (const dir of ['dialogs', 'locales', 'data', 'nlu']) symlinkSync(path.resolve(dir), path.join(root, dir));
  const clock = new ManualClock(Date.now());
  const prefix = backend === 'redis' ? uniquePrefix() : undefined;
  const redis = backend === 'redis' ? await connectTestRedis() : undefined;
  const t = await startTestService({
    root,
    clock,
    whatsappCloud: true,
    ...(backend === 'redis' ? { store: REDIS_URL, allowVolatileRedis: true } : {}),
    env: { ...WHATSAPP_ENV, HANDOVER_API_TOKENS: `helpdesk:${DESK_TOKEN}`, ...(backend === 'redis' ? { REDIS_URL, REDIS_PREFIX: prefix! } : {}) },
  });
  let seq = 0;
  const whatsapp = async (text: string): Promise<void> => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550000000', phone_number_id: String(manifest['whatsapp']['cloud']['phoneNumberId']) },
                contacts: [{ profile: { name: 'Leo' }, wa_id: LEO }],
                messages: [{ from: LEO, id: `wamid.D${Date.now()}.${++seq}`, timestamp: String(Math.floor(clock.now() / 1000)), type: 'text', text: { body: text } }],
              },
            },
          ],
        },
      ],
    });
    const signature = `sha256=${createHmac('sha256', WHATSAPP_ENV.WHATSAPP_APP_SECRET).update(body).digest('hex')}`;
    const res = await fetch(`${t.base}${String(manifest['whatsapp']['cloud']['webhookPath'] ?? '/webhooks/whatsapp')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  };
  return {
    t,
    clock,
    whatsapp,
    ...(redis === undefined ? {} : { redis, prefix: prefix! }),
    close: async () => {
      await t.close();
      await graph.close();
      if (redis !== undefined) {
        await deleteByPrefix(redis, prefix!);
        await redis.close();
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

const items = (r: { json: Json }): Json[] => r.json['conversations'] as Json[];

for (const backend of ['memory', 'redis'] as const) {
  describe(`supervisor dashboard and history API (handover start, ${backend} store)`, function () {
    this.timeout(60_000);
    let s: Setup;
    let sam: string;
    let ana: string;
    let bruno: string;
    const ids: Record<'returned' | 'resolved' | 'open' | 'waiting', string> = { returned: '', resolved: '', open: '', waiting: '' };

    before(async () => {
      s = await start(backend);
      [sam, ana, bruno] = await Promise.all([signIn(s.t.base, 'sam'), signIn(s.t.base, 'ana'), signIn(s.t.base, 'bruno')]);
      const t = s.t;

      // 1. web chat: handed off, accepted, returned to the bot with the order number the agent settled
      const a = await customerHandsOff(t);
      ids.returned = a.conversationId;
      assert.equal((await apiCall(t.base, 'POST', conversationPath(a.conversationId, 'accept'), { cookie: ana, body: {} })).status, 200);
      const ret = await apiCall(t.base, 'POST', conversationPath(a.conversationId, 'return'), { cookie: ana, body: { collected: { order_number: 'A12345' }, note: 'order found' } });
      assert.equal(ret.status, 200, JSON.stringify(ret.json));

      s.clock.advanceMs(1_000);
      // 2. WhatsApp: Leo Tanaka (a known customer) hands off, accepted and resolved
      ids.resolved = `whatsapp-cloud:${LEO}`;
      const leoQueued = nextEvent(t, (e) => e.type === 'handoff.requested' && e.conversationId === ids.resolved);
      await s.whatsapp('I want to talk to a real person');
      await leoQueued;
      assert.equal((await apiCall(t.base, 'POST', conversationPath(ids.resolved, 'accept'), { cookie: ana, body: {} })).status, 200);
      assert.equal((await apiCall(t.base, 'POST', conversationPath(ids.resolved, 'resolve'), { cookie: ana, body: {} })).status, 200);

      // 3. accepted and still open; 4. waiting in its queue
      const c = await customerHandsOff(t);
      ids.open = c.conversationId;
      assert.equal((await apiCall(t.base, 'POST', conversationPath(c.conversationId, 'accept'), { cookie: ana, body: {} })).status, 200);
      const d = await customerHandsOff(t);
      ids.waiting = d.conversationId;
      await t.svc.app.metrics.flush();
    });
    after(async () => {
      await s?.close();
    });
    afterEach(() => {
      assert.deepEqual(s.t.errors, [], 'the service logged no errors');
    });

    it('an agent gets 403; a supervisor and a help desk see queues, agents, dead letters and the metrics of the handoffs made', async () => {
      const t = s.t;
      const denied = await apiCall(t.base, 'GET', '/api/dashboard', { cookie: ana });
      assert.equal(denied.status, 403);
      assert.equal((denied.json['error'] as Json)['code'], 'HANDOVER_ERR_FORBIDDEN');
      assert.equal((await apiCall(t.base, 'GET', '/api/dashboard')).status, 401);

      const waitingState = await t.svc.app.service.state(conversationId(ids.waiting));
      const queue = waitingState.queue!;
      let r = await apiCall(t.base, 'GET', '/api/dashboard', { cookie: sam });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      let q = (r.json['queues'] as Json[]).find((x) => x['id'] === queue)!;
      assert.equal(q['waiting'], 1);
      assert.equal(q['breached'], 0, 'within its SLA');
      assert.deepEqual(r.json['breaches'], []);
      assert.equal(typeof q['expectedWaitMs'], 'number');
      assert.deepEqual((r.json['queues'] as Json[]).map((x) => x['id']), ['support', 'support_l2', 'billing', 'sales', 'retention', 'fraud', 'senior']);
      assert.deepEqual((r.json['queues'] as Json[]).map((x) => x['label']).slice(0, 3), ['Customer support', 'Support, level 2', 'Billing']);

      const agents = r.json['agents'] as Json[];
      const byId = Object.fromEntries(agents.map((x) => [x['id'], x]));
      assert.equal(byId['ana']!['openChats'], 1, 'ana holds the one accepted and open conversation');
      assert.equal(byId['ana']!['status'], 'online');
      assert.equal(byId['bruno']!['openChats'], 0);
      assert.equal(byId['sam']!['role'], 'supervisor');
      assert.equal(byId['ana']!['role'], 'agent');
      assert.equal(r.json['deadLetters'], 0);

      const today = r.json['today'] as Json;
      const days = r.json['days'] as Json[];
      assert.equal(days.length, 30);
      assert.equal(days[29]!['day'], new Date(s.clock.now()).toISOString().slice(0, 10));
      assert.deepEqual(days[29], today);
      assert.equal(days[0]!['day'], new Date(s.clock.now() - 29 * 86_400_000).toISOString().slice(0, 10));
      assert.equal(today['handoffs'], 4);
      assert.equal(today['resolvedByAgent'], 1);
      assert.equal(today['returnedToBot'], 1);
      assert.ok((today['conversations'] as number) >= 4, JSON.stringify(today));
      assert.equal(Object.values(today['handoffsByReason'] as Record<string, number>).reduce((x, y) => x + y, 0), 4);
      assert.equal(typeof today['containmentRate'], 'number');
      assert.equal(today['overflowRate'], 0);
      assert.equal(typeof today['costPerResolutionUsd'], 'number');
      assert.deepEqual(today['satisfaction'], { mean: null, responses: 0 });

      // past its queue's SLA: breached, and the oldest wait says by how long it has waited
      const slaMs = (q['slaSeconds'] as number) * 1000;
      s.clock.advanceMs(slaMs + 5_000);
      r = await apiCall(t.base, 'GET', '/api/dashboard', { bearer: DESK_TOKEN });
      assert.equal(r.status, 200);
      q = (r.json['queues'] as Json[]).find((x) => x['id'] === queue)!;
      assert.equal(q['breached'], 1);
      assert.deepEqual(
        (r.json['breaches'] as Json[]).map((b) => [b['conversationId'], b['queue']]),
        [[ids.waiting, queue]],
        'the one waiting past its SLA, listed',
      );
      const breach = (r.json['breaches'] as Json[])[0]!;
      assert.ok((breach['overdueMs'] as number) >= 5_000 && (breach['overdueMs'] as number) < 60_000, String(breach['overdueMs']));
      assert.ok((breach['waitingMs'] as number) >= slaMs + 5_000);
      assert.ok((q['oldestWaitMs'] as number) >= slaMs + 5_000, String(q['oldestWaitMs']));
    });

    it('history finds the returned conversation by order number and the resolved one by customer id or name; agents see their queues only', async () => {
      const t = s.t;
      const byOrder = await apiCall(t.base, 'GET', '/api/history?order=a12345', { cookie: sam });
      assert.equal(byOrder.status, 200, JSON.stringify(byOrder.json));
      assert.deepEqual(items(byOrder).map((x) => x['conversationId']), [ids.returned]);
      const h = items(byOrder)[0]!;
      assert.deepEqual(h['orders'], ['A12345']);
      assert.equal(h['outcome'], 'returned');
      assert.equal(h['agentId'], 'ana');
      assert.equal(h['agentName'], 'Ana');
      assert.equal(h['customerId'], null, 'an anonymous web chat visitor');
      assert.equal(typeof h['queue'], 'string');
      assert.equal(typeof h['reason'], 'string');
      assert.ok((h['closedAt'] as number) >= (h['requestedAt'] as number));

      for (const customer of [LEO, 'tanaka', 'Leo T']) {
        const r = await apiCall(t.base, 'GET', `/api/history?customer=${encodeURIComponent(customer)}`, { cookie: ana });
        assert.deepEqual(items(r).map((x) => x['conversationId']), [ids.resolved], customer);
        assert.equal(items(r)[0]!['customerName'], 'Leo Tanaka');
        assert.equal(items(r)[0]!['outcome'], 'resolved');
        assert.equal(items(r)[0]!['channel'], 'whatsapp-cloud');
      }
      // everything closed, newest first; open and waiting conversations are not history
      const all = await apiCall(t.base, 'GET', '/api/history', { bearer: DESK_TOKEN });
      assert.deepEqual(items(all).map((x) => x['conversationId']), [ids.resolved, ids.returned]);
      // dates: today finds them, the day before does not
      const day = new Date(s.clock.now()).toISOString().slice(0, 10);
      const yesterday = new Date(s.clock.now() - 86_400_000).toISOString().slice(0, 10);
      assert.equal(items(await apiCall(t.base, 'GET', `/api/history?from=${day}&to=${day}`, { cookie: sam })).length, 2);
      assert.equal(items(await apiCall(t.base, 'GET', `/api/history?to=${yesterday}`, { cookie: sam })).length, 0);
      assert.equal((await apiCall(t.base, 'GET', '/api/history?from=yesterday', { cookie: sam })).status, 400);
      assert.equal((await apiCall(t.base, 'GET', `/api/history?from=${day}&to=${yesterday}`, { cookie: sam })).status, 400);
      // bruno works sales and retention: none of these
      assert.deepEqual(items(await apiCall(t.base, 'GET', '/api/history?order=A12345', { cookie: bruno })), []);

      // opening it read-only: transcript and briefing
      const conv = await apiCall(t.base, 'GET', conversationPath(ids.returned), { cookie: ana });
      assert.equal(conv.status, 200);
      assert.equal((conv.json['state'] as Json)['status'], 'returned');
      assert.ok((conv.json['transcript'] as Json[]).some((e) => e['from'] === 'customer' && e['text'] === 'I want to talk to a real person'));
      assert.notEqual(conv.json['briefing'], null);
      assert.equal((await apiCall(t.base, 'GET', conversationPath(ids.returned), { cookie: bruno })).status, 403);
    });

    it("erasing the customer removes the conversation from the history (and, on Redis, its history key)", async () => {
      const t = s.t;
      const erased = await apiCall(t.base, 'DELETE', `/api/customers/${LEO}`, { bearer: DESK_TOKEN });
      assert.equal(erased.status, 200, JSON.stringify(erased.json));
      assert.deepEqual(items(await apiCall(t.base, 'GET', `/api/history?customer=${LEO}`, { cookie: sam })), []);
      assert.deepEqual(items(await apiCall(t.base, 'GET', '/api/history', { cookie: sam })).map((x) => x['conversationId']), [ids.returned]);
      if (s.redis !== undefined) {
        const keys: string[] = [];
        for await (const batch of s.redis.scanIterator({ MATCH: `${s.prefix!}:history*`, COUNT: 500 })) keys.push(...(batch as unknown as string[]));
        assert.deepEqual(keys.sort(), [`${s.prefix!}:history`, `${s.prefix!}:history:{${ids.returned}}`]);
        const members = await s.redis.zRange(`${s.prefix!}:history`, 0, -1);
        assert.equal(members.length, 1);
        assert.ok(members[0]!.endsWith(` ${ids.returned}`));
        const ttl = await s.redis.pTTL(`${s.prefix!}:history:{${ids.returned}}`);
        assert.ok(ttl > 89 * 86_400_000 && ttl <= 90 * 86_400_000, `the transcripts' retention (90 days): ${ttl}`);
      }
    });
  });
}
