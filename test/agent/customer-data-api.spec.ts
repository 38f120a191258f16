/**
 * Customers' data through the console API (issue 14), on the real `handover start` composition
 * (memory store): after a return to the bot the old queue's agents no longer read what the
 * customer tells the bot (API view and live socket events) until the chat is handed off again;
 * `DELETE /api/customers/{id}` erases a customer (supervisors and help desks), audited.
 */
import assert from 'node:assert/strict';
import { conversationId } from '../../src/core/ids.js';
import type { DomainEvent } from '../../src/core/events.js';
import { memoryKey } from '../../src/handoff/conversation-memory.js';
import { eventVisibleTo } from '../../src/agent/console-socket-hub.js';
import { subjectOf } from '../../src/handoff/customer-erasure.js';
import { apiCall, conversationPath, customerHandsOff, nextEvent, openCustomer, signIn, startTestService, type TestCustomer, type TestService } from '../support/agent-service.js';

type Json = Record<string, unknown>;
const DESK_TOKEN = 'desk-token-0123456789abcdef';

const texts = (view: Json): string[] => (view['transcript'] as Json[]).filter((e) => e['type'] === 'message').map((e) => String(e['text']));

describe('console API: customers\' data (access after return to bot, erasure)', function () {
  this.timeout(60_000);
  let t: TestService;
  let ana: string;
  let sam: string;

  before(async () => {
    t = await startTestService({ env: { HANDOVER_API_TOKENS: `helpdesk:${DESK_TOKEN}` } });
    ana = await signIn(t.base, 'ana');
    sam = await signIn(t.base, 'sam');
  });
  after(async () => t?.close());

  /** Waits until the conversation's transcript holds a line with this text. */
  async function stored(id: string, text: string): Promise<void> {
    const until = Date.now() + 10_000;
    while (!(await t.svc.stores.transcripts.read(conversationId(id))).some((e) => e.text === text)) {
      if (Date.now() > until) throw new Error(`"${text}" never stored in ${id}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The customer the conversation memory names (written at the end of the customer's turn). */
  async function customerIdOf(c: TestCustomer): Promise<string> {
    const until = Date.now() + 10_000;
    for (;;) {
      const doc = await t.svc.stores.documents.read<{ customerId: string }>(memoryKey(conversationId(c.conversationId)));
      if (doc !== undefined && doc.value.customerId !== '') return doc.value.customerId;
      if (Date.now() > until) throw new Error(`no customer in the memory of ${c.conversationId}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it("after a return to the bot, the old queue's agents do not see what the customer tells the bot, until it is handed off again", async () => {
    const c = await customerHandsOff(t);
    const id = c.conversationId;
    assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'accept'), { cookie: ana, body: {} })).status, 200);
    c.say('my order is K48213');
    await stored(id, 'my order is K48213');
    assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'return'), { cookie: ana, body: { note: 'order found' } })).status, 200);

    // what the customer then tells the bot: no event any console socket could get
    const published: DomainEvent[] = [];
    const off = t.svc.stores.events.subscribe((e) => {
      published.push(e);
    });
    c.say('my new address is 12 Oak Street');
    await stored(id, 'my new address is 12 Oak Street');
    await c.waitForText(/./);
    off();
    assert.deepEqual(published.filter((e) => e.type === 'customer.message'), [], 'the bot owns the chat: no customer.message event');
    const state = await t.svc.stores.handoffs.get(conversationId(id));
    assert.equal(state.status, 'returned');
    // and should one be published, the socket hub keeps it from the old queue
    const event: DomainEvent = { type: 'customer.message', conversationId: conversationId(id), at: Date.now(), text: 'my new address is 12 Oak Street', activityType: 'message' };
    const agentAna = { kind: 'agent' as const, agent: { id: 'ana', name: 'Ana', role: 'agent' as const, queues: ['support'] }, sessionToken: 'x' };
    assert.equal(eventVisibleTo(agentAna as never, ['support'], false, event, state), false, 'not pushed to the old queue (nor the agent who returned it)');
    assert.equal(eventVisibleTo(agentAna as never, ['support'], true, event, state), true, 'supervisors still see it');

    const view = await apiCall(t.base, 'GET', conversationPath(id), { cookie: ana });
    assert.equal(view.status, 200);
    assert.ok(texts(view.json).includes('my order is K48213'), 'what was said while with a person stays visible');
    assert.ok(!texts(view.json).includes('my new address is 12 Oak Street'), "the bot's part after the return is not the queue's business");
    // the return's own lines are written in the millisecond of the return or later
    const after = (view.json['transcript'] as Json[]).filter((e) => (e['at'] as number) >= state.closedAt!);
    assert.ok(after.length > 0 && after.every((e) => e['from'] === 'system'), `after the return the agent sees system lines only: ${JSON.stringify(after)}`);
    assert.ok(after.some((e) => (e['meta'] as Json | undefined)?.['name'] === 'handoff.returned'), 'the return itself stays visible');
    const sup = await apiCall(t.base, 'GET', conversationPath(id), { cookie: sam });
    assert.ok(texts(sup.json).includes('my new address is 12 Oak Street'), 'a supervisor sees everything');

    // handed off again: the queue sees the whole conversation, and live lines again
    const queued = nextEvent(t, (e) => e.type === 'handoff.requested' && e.conversationId === id);
    c.say('I want to talk to a real person');
    await queued;
    const again = await apiCall(t.base, 'GET', conversationPath(id), { cookie: ana });
    assert.ok(texts(again.json).includes('my new address is 12 Oak Street'));
    const live = nextEvent(t, (e) => e.type === 'customer.message' && e.conversationId === id);
    c.say('still there?');
    assert.equal(eventVisibleTo(agentAna as never, ['support'], false, await live, await t.svc.stores.handoffs.get(conversationId(id))), true);
    c.socket.close();
  });

  it('DELETE /api/customers/{id}: supervisors and help desks erase a customer (counts per class, audited), other customers untouched; an open handoff needs force', async () => {
    // a customer with a handoff that was resolved, and a second conversation of theirs with the bot only
    const a = await customerHandsOff(t);
    const customer = await customerIdOf(a);
    assert.equal((await apiCall(t.base, 'POST', conversationPath(a.conversationId, 'accept'), { cookie: ana, body: {} })).status, 200);
    assert.equal((await apiCall(t.base, 'POST', conversationPath(a.conversationId, 'messages'), { cookie: ana, body: { text: 'Hi, Ana here.' } })).status, 202);
    await a.waitForText('Hi, Ana here.');
    assert.equal((await apiCall(t.base, 'POST', conversationPath(a.conversationId, 'resolve'), { cookie: ana, body: {} })).status, 200);
    // someone else, still with the bot
    const b = await openCustomer(t);
    b.say('hello');
    await stored(b.conversationId, 'hello');
    const otherCustomer = await customerIdOf(b);
    assert.notEqual(otherCustomer, customer);
    const bLines = (await t.svc.stores.transcripts.read(conversationId(b.conversationId))).length;

    const path = `/api/customers/${encodeURIComponent(customer)}`;
    const refused = await apiCall(t.base, 'DELETE', path, { cookie: ana });
    assert.equal(refused.status, 403, 'an agent cannot erase');
    assert.equal((await apiCall(t.base, 'DELETE', '/api/customers/%20bad%20id', { cookie: sam })).status, 400);
    assert.equal((await apiCall(t.base, 'DELETE', `${path}?force=maybe`, { cookie: sam })).status, 400);
    assert.equal((await apiCall(t.base, 'GET', conversationPath(a.conversationId), { cookie: sam })).status, 200, 'not erased by refused calls');

    const r = await apiCall(t.base, 'DELETE', path, { cookie: sam });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(r.json['conversationIds'], [a.conversationId]);
    const removed = r.json['removed'] as Record<string, number>;
    assert.equal(removed['conversations'], 1);
    assert.equal(removed['handoffStates'], 1);
    assert.equal(removed['conversationMemory'], 1);
    assert.equal(removed['briefings'], 1);
    assert.ok(removed['transcriptLines']! >= 5, `transcript lines ${removed['transcriptLines']}`);
    assert.ok(removed['webChatHistory']! >= 3, `history ${removed['webChatHistory']}`);

    assert.equal((await apiCall(t.base, 'GET', conversationPath(a.conversationId), { cookie: sam })).status, 404, 'the conversation is gone');
    assert.deepEqual(await t.svc.stores.transcripts.read(conversationId(a.conversationId)), []);
    assert.equal(await t.svc.stores.documents.read(memoryKey(conversationId(a.conversationId))), undefined);
    assert.equal(await t.svc.stores.activityLog.exists(a.conversationId.slice('webchat:'.length)), false, 'no history to replay');
    assert.equal((await t.svc.stores.transcripts.read(conversationId(b.conversationId))).length >= bLines, true, 'the other customer keeps their transcript');
    assert.deepEqual(await t.svc.stores.customers.conversationsOf(otherCustomer), [b.conversationId]);

    const [audit] = await t.svc.stores.customers.readAudit(1);
    assert.deepEqual(audit, { at: audit!.at, action: 'erase', by: 'agent:sam', subject: subjectOf(customer), counts: removed, forcedOpen: 0 });

    // an open handoff: 409 unless force; a help desk's bearer token may erase
    const c = await customerHandsOff(t);
    const open = await customerIdOf(c);
    const openPath = `/api/customers/${encodeURIComponent(open)}`;
    const conflict = await apiCall(t.base, 'DELETE', openPath, { bearer: DESK_TOKEN });
    assert.equal(conflict.status, 409);
    assert.equal((conflict.json['error'] as Json)['code'], 'HANDOVER_ERR_NOT_IN_STATE');
    assert.match(String((conflict.json['error'] as Json)['message']), /open handoff: .*\(queued\).*--force/);
    const forced = await apiCall(t.base, 'DELETE', `${openPath}?force=true`, { bearer: DESK_TOKEN });
    assert.equal(forced.status, 200);
    assert.equal((forced.json['audit'] as Json)['forcedOpen'], 1);
    assert.equal((forced.json['audit'] as Json)['by'], 'desk:helpdesk');
    const queue = await apiCall(t.base, 'GET', '/api/queues/support', { cookie: ana });
    assert.ok(!(queue.json['conversations'] as Json[]).some((q) => q['conversationId'] === c.conversationId), 'out of the queue');
    assert.equal((await apiCall(t.base, 'GET', conversationPath(c.conversationId), { cookie: sam })).status, 404);
    for (const s of [a, b, c]) s.socket.close();
  });

  it('documents DELETE /api/customers/{customerId} in the OpenAPI document', async () => {
    const doc = (await apiCall(t.base, 'GET', '/api/openapi.json')).json;
    const op = ((doc['paths'] as Json)['/api/customers/{customerId}'] as Json)['delete'] as Json;
    assert.equal(op['operationId'], 'eraseCustomer');
    assert.deepEqual(Object.keys(op['responses'] as Json).sort(), ['200', '400', '401', '403', '409']);
  });
});
