/**
 * Retention and erasure on the memory store (issue 14), through `openStores('memory')` as
 * `handover start` opens it, with a ManualClock: data past `retention` is gone, open handoffs stay;
 * `eraseCustomer` removes one customer's conversations from every part, audited.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../../../src/core/clock.js';
import { agentId, conversationId, handoffId, queueId, type ConversationId } from '../../../../src/core/ids.js';
import { transition, type HandoffCommand, type HandoffState } from '../../../../src/core/handoff-state.js';
import type { HandoffPacket } from '../../../../src/core/conversation.js';
import { isHandoverError } from '../../../../src/core/errors.js';
import { retentionFromDays } from '../../../../src/core/ports/customer-data.js';
import { memoryKey } from '../../../../src/handoff/conversation-memory.js';
import { bookingKey } from '../../../../src/handoff/callback-bookings.js';
import { eraseCustomer, subjectOf } from '../../../../src/handoff/customer-erasure.js';
import { openStores, type OpenedStores } from '../../../../src/store/open-stores.js';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 5, 15);

async function apply(stores: OpenedStores, id: ConversationId, command: HandoffCommand, clock: ManualClock): Promise<HandoffState> {
  const cur = await stores.handoffs.get(id);
  const r = transition(cur, command, clock.now());
  if (!r.ok) throw new Error(r.message);
  const c = await stores.handoffs.commit(id, cur.version, r.state);
  if (!c.ok) throw new Error('conflict');
  return c.state;
}

const request = (): HandoffCommand => ({ type: 'request', handoffId: handoffId(randomUUID()), queue: queueId('support'), priority: 2, reason: 'customer_request', slaMs: 60_000, channel: 'webchat' });

describe('memory store: retention classes and erasure', () => {
  let clock: ManualClock;
  let stores: OpenedStores;
  beforeEach(async () => {
    clock = new ManualClock(T0);
    // a conversation TTL far longer than the retention: the retention is what forgets
    stores = await openStores('memory', {
      clock,
      memory: { conversationTtlMs: 30 * DAY },
      retention: retentionFromDays({ transcriptsDays: 3, briefingsDays: 3, botStateDays: 2, closedHandoffsDays: 3, webChatHistoryDays: 2, deadLettersDays: 1, auditDays: 5 }),
    });
  });
  afterEach(async () => stores.close());

  /** A web chat conversation of `customer` with data in every part; returns its ids. */
  async function converse(customer: string): Promise<{ wc: string; id: ConversationId }> {
    const wc = `wc_${randomUUID()}`;
    const id = conversationId(`webchat:${wc}`);
    await stores.activityLog.create(wc);
    await stores.activityLog.append(wc, { id: 'a1', type: 'message', text: 'hi' });
    await stores.activityLog.append(wc, { id: 'a2', type: 'message', text: 'my card' });
    await stores.transcripts.append(id, { at: clock.now(), from: 'customer', type: 'message', text: 'hi' }, { at: clock.now(), from: 'bot', type: 'message', text: 'hello' });
    // the middleware's memory names the customer: that write links the conversation to them
    await stores.documents.write(memoryKey(id), { customerId: customer, turn: 1 });
    await stores.documents.write(`botstate:webchat/conversations/${wc}/`, { dialogState: {} });
    const hid = handoffId(randomUUID());
    await stores.packets.put(hid, { conversationId: id, handoffId: hid } as unknown as HandoffPacket);
    return { wc, id };
  }

  async function holds(wc: string, id: ConversationId): Promise<Record<string, boolean>> {
    return {
      history: await stores.activityLog.exists(wc),
      transcript: (await stores.transcripts.read(id)).length > 0,
      memory: (await stores.documents.read(memoryKey(id))) !== undefined,
      botState: (await stores.documents.read(`botstate:webchat/conversations/${wc}/`)) !== undefined,
      state: (await stores.handoffs.get(id)).version > 0,
    };
  }
  const all = { history: true, transcript: true, memory: true, botState: true, state: true };
  const none = { history: false, transcript: false, memory: false, botState: false, state: false };

  it('data past its retention is gone (the shortest conversation class caps the expiry), open handoffs stay, old dead letters and audit lines go', async () => {
    const closed = await converse('c-closed');
    const open = await converse('c-open');
    const booked = await converse('c-booked');
    await apply(stores, closed.id, request(), clock);
    await apply(stores, closed.id, { type: 'assign', agentId: agentId('ana') }, clock);
    await apply(stores, closed.id, { type: 'resolve', agentId: agentId('ana') } as HandoffCommand, clock);
    await apply(stores, open.id, request(), clock);
    await apply(stores, booked.id, request(), clock);
    await apply(stores, booked.id, { type: 'schedule', at: T0 + 20 * DAY }, clock);
    assert.deepEqual(await stores.customers.conversationsOf('c-closed'), [closed.id]);
    await stores.customers.appendAudit({ at: clock.now(), action: 'erase', by: 'cli:test', subject: subjectOf('x'), counts: { conversations: 0, handoffStates: 0, transcriptLines: 0, conversationMemory: 0, botState: 0, webChatHistory: 0, briefings: 0, callbacks: 0, whatsapp: 0, customerFiles: 0, relayMessages: 0, other: 0 }, forcedOpen: 0 });
    // a dead letter now (retention 1 day)
    const dead = new Promise<void>((resolve) => {
      void stores.relay.listen('dead-route', async () => {
        throw new Error('channel refuses');
      }, { onDeadLetter: () => resolve() });
    });
    await stores.relay.send('dead-route', { id: randomUUID(), conversationId: closed.id, kind: 'agent_message', text: 'x', at: clock.now() });
    await dead;
    assert.equal((await stores.relay.deadLetters()).total, 1);

    clock.advanceMs(2 * DAY); // exactly the shortest class (bot state, history): kept
    stores.memory!.expiry.sweep();
    assert.deepEqual(await holds(closed.wc, closed.id), all);
    assert.equal((await stores.relay.deadLetters()).total, 0, 'a dead letter older than deadLettersDays (1) is gone');

    clock.advanceMs(1);
    stores.memory!.expiry.sweep();
    assert.deepEqual(await holds(closed.wc, closed.id), none, 'the closed conversation is gone with everything');
    assert.deepEqual(await stores.customers.conversationsOf('c-closed'), [], 'and its index entry');
    for (const c of [open, booked]) {
      assert.deepEqual(await holds(c.wc, c.id), all, 'an open handoff (waiting, booked) is kept whatever its age');
    }
    assert.deepEqual(await stores.customers.conversationsOf('c-open'), [open.id]);
    assert.equal((await stores.customers.readAudit()).length, 1);
    clock.advanceMs(3 * DAY);
    assert.equal((await stores.customers.readAudit()).length, 0, 'an audit line older than auditDays (5) is gone');
  });

  it('erases one customer: every part, counts per class, the index and an audit line; others untouched; an open handoff only with force', async () => {
    const mine1 = await converse('c-1001');
    const mine2 = await converse('c-1001');
    const other = await converse('c-2002');
    await apply(stores, mine1.id, request(), clock);
    await apply(stores, mine1.id, { type: 'assign', agentId: agentId('ana') }, clock);
    await stores.documents.write(bookingKey(mine2.id), { conversationId: mine2.id, at: T0 });
    // the bot's user-scoped state (botbuilder UserState), not tied to a conversation
    await stores.documents.write('botstate:webchat/users/c-1001/UserState', { name: 'Leo' });
    await stores.documents.write('botstate:webchat/users/c-2002/UserState', { name: 'Mia' });
    const target = { handoffs: stores.handoffs, documents: stores.documents, customers: stores.customers };

    await assert.rejects(
      eraseCustomer(target, 'c-1001', { by: 'agent:sam', now: clock.now() }),
      (e: unknown) => isHandoverError(e) && e.code === 'HANDOVER_ERR_NOT_IN_STATE' && e.message.includes(`${mine1.id} (assigned)`),
    );
    assert.deepEqual(await holds(mine1.wc, mine1.id), all, 'refused: nothing erased');

    const report = await eraseCustomer(target, 'c-1001', { by: 'agent:sam', now: clock.now(), force: true });
    assert.deepEqual([...report.conversationIds].sort(), [mine1.id, mine2.id].sort());
    assert.deepEqual(report.removed, { conversations: 2, handoffStates: 1, transcriptLines: 4, conversationMemory: 2, botState: 3, webChatHistory: 4, briefings: 2, callbacks: 1, whatsapp: 0, customerFiles: 0, relayMessages: 0, other: 0 });
    for (const c of [mine1, mine2]) assert.deepEqual(await holds(c.wc, c.id), none);
    assert.equal(await stores.documents.read(bookingKey(mine2.id)), undefined);
    assert.deepEqual((await stores.handoffs.listAssigned(agentId('ana'))).conversations, [], "out of the agent's list");
    assert.deepEqual(await stores.customers.conversationsOf('c-1001'), []);
    assert.equal(await stores.documents.read('botstate:webchat/users/c-1001/UserState'), undefined);
    assert.deepEqual((await stores.documents.read('botstate:webchat/users/c-2002/UserState'))?.value, { name: 'Mia' });
    assert.deepEqual(await holds(other.wc, other.id), { ...all, state: false }, 'the other customer keeps everything');
    const [audit] = await stores.customers.readAudit();
    assert.deepEqual(audit, { at: T0, action: 'erase', by: 'agent:sam', subject: subjectOf('c-1001'), counts: report.removed, forcedOpen: 1 });
    assert.ok(!JSON.stringify(audit).includes('c-1001') && !JSON.stringify(audit).includes(mine1.wc), 'the audit holds neither the id nor the content');
  });
});
