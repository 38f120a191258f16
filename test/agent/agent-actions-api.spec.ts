/**
 * The console API's side of idempotent, linearisable agent actions (the real `handover start`
 * composition on loopback, memory store; the store-level races run on memory and Redis in
 * test/contract/agent-actions-*.spec.ts): a double-clicked transfer is one transfer, a stale view is
 * refused, an accept racing a supervisor's transfer never leaves an agent owning a chat outside her
 * queues, and "My conversations" is complete and paginated.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { conversationId, type ConversationId } from '../../src/core/ids.js';
import type { HandoffPacket } from '../../src/core/conversation.js';
import { apiCall, conversationPath, customerHandsOff, signIn, startTestService, type TestService } from '../support/agent-service.js';

type Json = Record<string, unknown>;
const DESK_TOKEN = 'desk-token-0123456789abcdef';
const ANA_QUEUES = ['support', 'support_l2', 'billing'];
const errorCode = (r: { json: Json }): string => ((r.json['error'] as Json | undefined)?.['code'] as string | undefined) ?? '(no error body)';

/** Runs `work` over `items`, at most `width` at once. */
async function pool<T>(items: readonly T[], width: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

describe('console API: idempotent transfers, accepts checked in the compare-and-set, complete "My conversations"', function () {
  this.timeout(60_000);
  let t: TestService;
  let ana: string;
  let sam: string;

  before(async () => {
    t = await startTestService({ env: { HANDOVER_API_TOKENS: `helpdesk:${DESK_TOKEN}` } });
    [ana, sam] = await Promise.all([signIn(t.base, 'ana'), signIn(t.base, 'sam')]);
  });
  after(async () => {
    await t?.close();
  });
  afterEach(() => {
    assert.deepEqual(t.errors, [], 'the service logged no errors');
  });

  /** A waiting conversation in `support` without a customer socket (the listing tests need many). */
  async function queued(): Promise<ConversationId> {
    const id = conversationId(`webchat:api-${randomUUID().slice(0, 12)}`);
    await t.svc.app.service.request({
      conversationId: id,
      reason: 'customer_request',
      queue: 'support',
      priority: 1,
      route: 'webchat',
      packet: (h): HandoffPacket => ({
        conversationId: id,
        reason: 'customer_request',
        trace: [],
        intent: null,
        sentiment: [],
        collected: {},
        customer: null,
        authenticated: false,
        steps: [],
        transcript: [],
        summary: 'test',
        queue: h.queue,
        priority: h.priority,
        slaDeadline: h.slaDeadline,
        requestedAt: h.requestedAt,
        channel: 'webchat',
        locale: 'en',
        turn: 1,
      }),
    });
    return id;
  }

  it('a double-clicked transfer (same idempotencyKey and expectedVersion) is one transfer: both answers 200, 20 rounds', async () => {
    let doubled = 0;
    await pool(Array.from({ length: 20 }, (_, i) => i), 5, async () => {
      const c = await customerHandsOff(t);
      const accepted = await apiCall(t.base, 'POST', conversationPath(c.conversationId, 'accept'), { cookie: ana });
      assert.equal(accepted.status, 200);
      const version = (accepted.json['state'] as Json)['version'] as number;
      const body = { queue: 'billing', expectedVersion: version, idempotencyKey: randomUUID() };
      const clicks = await Promise.all([1, 2].map(() => apiCall(t.base, 'POST', conversationPath(c.conversationId, 'transfer'), { cookie: ana, body })));
      assert.deepEqual(clicks.map((r) => r.status), [200, 200], JSON.stringify(clicks.map((r) => r.json['error'])));
      const s = await t.svc.app.service.state(conversationId(c.conversationId));
      if (s.transfers !== 1 || s.queue !== 'billing') doubled++;
      c.socket.close();
    });
    assert.equal(doubled, 0);
  });

  it('a transfer from a stale view is refused with 409 HANDOVER_ERR_STATE_CONFLICT; without the new fields it works as before', async () => {
    const c = await customerHandsOff(t);
    const seen = ((await apiCall(t.base, 'GET', conversationPath(c.conversationId), { cookie: ana })).json['state'] as Json)['version'] as number;
    assert.equal((await apiCall(t.base, 'POST', conversationPath(c.conversationId, 'accept'), { cookie: ana })).status, 200);
    const stale = await apiCall(t.base, 'POST', conversationPath(c.conversationId, 'transfer'), { cookie: sam, body: { queue: 'sales', expectedVersion: seen } });
    assert.equal(stale.status, 409);
    assert.equal(errorCode(stale), 'HANDOVER_ERR_STATE_CONFLICT');
    const bad = await apiCall(t.base, 'POST', conversationPath(c.conversationId, 'transfer'), { cookie: sam, body: { queue: 'sales', idempotencyKey: 'has space' } });
    assert.equal(bad.status, 400);
    const plain = await apiCall(t.base, 'POST', conversationPath(c.conversationId, 'transfer'), { cookie: sam, body: { queue: 'sales' } });
    assert.equal(plain.status, 200, 'old clients (no expectedVersion, no key) are served as before');
    assert.equal((plain.json['state'] as Json)['queue'], 'sales');
    c.socket.close();
  });

  it("accept ‖ a supervisor's transfer to sales: 0 out-of-queue owners; a refused accept is 403 (30 rounds)", async () => {
    let outOfQueue = 0;
    const statuses: number[] = [];
    await pool(Array.from({ length: 30 }, (_, i) => i), 5, async () => {
      const id = await queued();
      const [a, tr] = await Promise.all([
        apiCall(t.base, 'POST', conversationPath(id, 'accept'), { cookie: ana }),
        apiCall(t.base, 'POST', conversationPath(id, 'transfer'), { cookie: sam, body: { queue: 'sales', note: 'supervisor' } }),
      ]);
      assert.equal(tr.status, 200);
      statuses.push(a.status);
      const s = await t.svc.app.service.state(id);
      if (s.status === 'assigned' && s.agentId === 'ana' && !ANA_QUEUES.includes(s.queue ?? '')) outOfQueue++;
    });
    assert.equal(outOfQueue, 0);
    assert.ok(statuses.every((s) => s === 200 || s === 403), `accept answers: ${statuses.join(' ')}`);
  });

  it('16 concurrent accepts of 150: /api/me has the first page, /api/me/conversations the rest; all 150, each once', async () => {
    const agentCookie = await signIn(t.base, 'ana');
    // ana's earlier tests may have left conversations with her: start from what she owns now
    const before = new Set(await allMine(agentCookie));
    const ids: ConversationId[] = [];
    await pool(Array.from({ length: 150 }, (_, i) => i), 16, async () => {
      ids.push(await queued());
    });
    const answers: number[] = [];
    await pool(ids, 16, async (id) => {
      answers.push((await apiCall(t.base, 'POST', conversationPath(id, 'accept'), { cookie: agentCookie })).status);
    });
    assert.ok(answers.every((s) => s === 200));
    const me = await apiCall(t.base, 'GET', '/api/me', { cookie: agentCookie });
    assert.equal((me.json['active'] as Json[]).length, 100, 'the first page');
    assert.equal(me.json['activeTotal'], 150 + before.size);
    assert.equal(typeof me.json['activeNext'], 'string');
    const listed = (await allMine(agentCookie)).filter((c) => !before.has(c));
    assert.equal(new Set(listed).size, listed.length, 'no conversation twice');
    assert.deepEqual(listed.sort(), [...ids].sort());
    const badLimit = await apiCall(t.base, 'GET', '/api/me/conversations?limit=0', { cookie: agentCookie });
    assert.equal(badLimit.status, 400);
    const desk = await apiCall(t.base, 'GET', '/api/me/conversations', { bearer: DESK_TOKEN });
    assert.equal(desk.status, 403);
  });

  it('documents the new optional fields and the paged list in the OpenAPI document', async () => {
    const doc = (await apiCall(t.base, 'GET', '/api/openapi.json')).json as { paths: Record<string, Record<string, Json>> };
    const transfer = doc.paths['/api/conversations/{conversationId}/transfer']!['post']!;
    const props = (((transfer['requestBody'] as Json)['content'] as Json)['application/json'] as { schema: { properties: Json; required: string[] } }).schema;
    assert.ok('expectedVersion' in props.properties && 'idempotencyKey' in props.properties);
    assert.deepEqual(props.required, ['queue'], 'both optional: old clients are unchanged');
    assert.ok(doc.paths['/api/me/conversations']?.['get'] !== undefined);
  });

  /** Every conversation the signed-in agent owns, page after page. */
  async function allMine(cookie: string): Promise<string[]> {
    const out: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const r = await apiCall(t.base, 'GET', `/api/me/conversations?limit=40${after === null ? '' : `&after=${encodeURIComponent(after)}`}`, { cookie });
      assert.equal(r.status, 200);
      out.push(...(r.json['conversations'] as Json[]).map((c) => c['conversationId'] as string));
      after = r.json['next'] as string | null;
      if (after === null) return out;
    }
    throw new Error('the paging did not end');
  }
});
