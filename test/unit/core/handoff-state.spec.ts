import assert from 'node:assert/strict';
import { agentId, handoffId, queueId } from '../../../src/core/ids.js';
import { initialState, isWithHuman, queueScore, transition, TRANSFER_KEYS_KEPT, type HandoffCommand, type HandoffState } from '../../../src/core/handoff-state.js';

const request: HandoffCommand = { type: 'request', handoffId: handoffId('h1'), queue: queueId('support'), priority: 2, reason: 'stalled', slaMs: 600_000, channel: 'webchat' };
const transfer = (q: string): HandoffCommand => ({ type: 'transfer', queue: queueId(q), slaMs: 300_000, seniorQueue: queueId('senior'), seniorSlaMs: 120_000, maxTransfers: 2 });
const move = (q: string, extra: Partial<Extract<HandoffCommand, { type: 'transfer' }>>): HandoffCommand => ({ ...(transfer(q) as Extract<HandoffCommand, { type: 'transfer' }>), ...extra });
function ok(s: HandoffState, c: HandoffCommand, now: number): HandoffState {
  const r = transition(s, c, now);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.state;
}

describe('handoff state machine', () => {
  it('goes bot -> queued -> assigned -> resolved with deadlines set and cleared', () => {
    const q = ok(initialState(), request, 1000);
    assert.equal(q.status, 'queued');
    assert.equal(q.slaDeadline, 601_000);
    assert.ok(isWithHuman(q));
    const a = ok(q, { type: 'assign', agentId: agentId('ana') }, 2000);
    assert.equal(a.status, 'assigned');
    assert.equal(a.slaDeadline, null);
    const r = ok(a, { type: 'resolve', agentId: agentId('ana') }, 3000);
    assert.equal(r.status, 'resolved');
    assert.equal(isWithHuman(r), false);
  });

  it('refuses a second request while queued, and an accept of a conversation already assigned', () => {
    const q = ok(initialState(), request, 0);
    assert.deepEqual(transition(q, request, 1).ok, false);
    const a = ok(q, { type: 'assign', agentId: agentId('ana') }, 1);
    const again = transition(a, { type: 'assign', agentId: agentId('bo') }, 2);
    assert.equal(again.ok, false);
    if (!again.ok) assert.equal(again.code, 'NOT_IN_STATE');
  });

  it('only the owning agent resolves or returns', () => {
    const a = ok(ok(initialState(), request, 0), { type: 'assign', agentId: agentId('ana') }, 1);
    const r = transition(a, { type: 'resolve', agentId: agentId('bo') }, 2);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.code, 'NOT_ASSIGNED_TO_AGENT');
    const back = ok(a, { type: 'return', digest: { agentId: agentId('ana'), collected: { order_number: 'A12345' } } }, 3);
    assert.equal(back.status, 'returned');
    assert.deepEqual(back.returnDigest?.collected, { order_number: 'A12345' });
  });

  it('routes the 2nd transfer without resolution to senior with reason repeated_transfer', () => {
    let s = ok(ok(initialState(), request, 0), { type: 'assign', agentId: agentId('ana') }, 1);
    s = ok(s, transfer('billing'), 2);
    assert.equal(s.queue, 'billing');
    assert.equal(s.reason, 'stalled');
    assert.equal(s.status, 'queued');
    assert.equal(s.agentId, null);
    s = ok(s, { type: 'assign', agentId: agentId('bo') }, 3);
    s = ok(s, transfer('sales'), 4);
    assert.equal(s.queue, 'senior');
    assert.equal(s.reason, 'repeated_transfer');
    assert.equal(s.transfers, 2);
    assert.equal(s.slaDeadline, 4 + 120_000);
  });

  it('escalates a queued handoff: priority up, a new deadline, counted', () => {
    const q = ok(initialState(), request, 0);
    const e = ok(q, { type: 'escalate', priorityBoost: 1, slaMs: 600_000 }, 700_000);
    assert.equal(e.priority, 3);
    assert.equal(e.escalations, 1);
    assert.equal(e.slaDeadline, 1_300_000);
    assert.equal(transition(ok(q, { type: 'assign', agentId: agentId('a') }, 1), { type: 'escalate', priorityBoost: 1, slaMs: 1 }, 2).ok, false);
  });

  it('a new request after a return starts a fresh handoff', () => {
    let s = ok(ok(initialState(), request, 0), { type: 'assign', agentId: agentId('ana') }, 1);
    s = ok(s, transfer('billing'), 2);
    s = ok(s, { type: 'assign', agentId: agentId('ana') }, 3);
    s = ok(s, { type: 'return', digest: { agentId: agentId('ana'), collected: {} } }, 4);
    const again = ok(s, { ...request, handoffId: handoffId('h2') }, 5);
    assert.equal(again.transfers, 0);
    assert.equal(again.handoffId, 'h2');
  });

  it('an accept limited to the agent\'s queues is refused (QUEUE_NOT_ALLOWED) when the conversation waits elsewhere', () => {
    const q = ok(initialState(), request, 0);
    const moved = ok(q, transfer('sales'), 1);
    const r = transition(moved, { type: 'assign', agentId: agentId('ana'), queues: [queueId('support'), queueId('billing')] }, 2);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.code, 'QUEUE_NOT_ALLOWED');
    assert.equal(ok(q, { type: 'assign', agentId: agentId('ana'), queues: [queueId('support')] }, 2).agentId, 'ana');
    assert.equal(ok(moved, { type: 'assign', agentId: agentId('sam') }, 2).agentId, 'sam', 'no list: any queue (a supervisor)');
  });

  it('a transfer repeated with its idempotency key is ALREADY_DONE; a stale expected version is VERSION_CHANGED', () => {
    const a = { ...ok(ok(initialState(), request, 0), { type: 'assign', agentId: agentId('ana') }, 1), version: 2 };
    const first = ok(a, move('billing', { idempotencyKey: 'k1', expectedVersion: 2 }), 2);
    assert.deepEqual(first.transferKeys, ['k1']);
    assert.equal(first.transfers, 1);
    const stored = { ...first, version: 3 };
    const again = transition(stored, move('billing', { idempotencyKey: 'k1', expectedVersion: 2 }), 3);
    assert.equal(again.ok, false);
    if (!again.ok) assert.equal(again.code, 'ALREADY_DONE', 'the key is checked before the (now stale) version');
    const stale = transition(stored, move('sales', { expectedVersion: 2 }), 3);
    assert.equal(stale.ok, false);
    if (!stale.ok) assert.equal(stale.code, 'VERSION_CHANGED');
    assert.equal(ok(stored, move('sales', { expectedVersion: 3, maxTransfers: 99 }), 3).queue, 'sales');
  });

  it('remembers the latest transfer keys only, and sends the 2nd transfer to senior with at least the senior priority', () => {
    let s = ok(initialState(), request, 0);
    for (let i = 0; i < TRANSFER_KEYS_KEPT + 2; i++) s = ok(s, move('billing', { maxTransfers: 99, idempotencyKey: `k${i}` }), i + 1);
    assert.equal(s.transferKeys?.length, TRANSFER_KEYS_KEPT);
    assert.equal(s.transferKeys?.[0], 'k2');
    const senior = ok(ok(ok(initialState(), request, 0), transfer('billing'), 1), move('sales', { seniorPriority: 7 }), 2);
    assert.equal(senior.queue, 'senior');
    assert.equal(senior.priority, 7);
  });

  it('orders queue scores by priority first, then by time', () => {
    assert.ok(queueScore(3, 2_000) < queueScore(1, 1_000));
    assert.ok(queueScore(2, 1_000) < queueScore(2, 2_000));
    assert.equal(queueScore(42, 5), queueScore(9, 5));
  });
});
