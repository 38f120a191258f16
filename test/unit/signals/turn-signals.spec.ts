import assert from 'node:assert/strict';
import { countFallbacks, measureTurn, progressClock, trackAuthentication, trackEntityRequests, type SignalState, type TurnFacts } from '../../../src/signals/turn-signals.js';

const facts = (over: Partial<TurnFacts> = {}): TurnFacts => ({
  recognition: null,
  answeredPrompt: false,
  isFallback: false,
  requested: [],
  missing: [],
  filled: {},
  authFailures: 0,
  authSucceeded: false,
  madeProgress: false,
  topic: null,
  handoffRequested: false,
  steps: [],
  ...over,
});
const state: SignalState = {
  turn: 1,
  locale: 'en',
  lastProgressAt: 0,
  collected: {},
  entityRequests: {},
  authFailures: 0,
  authenticated: false,
  fallbacks: 0,
  lastTopic: null,
};
const calm = { score: 0, comparative: 0, strongNegative: false, hits: [] };

describe('turn signals (pure)', () => {
  it('counts critical-entity requests until the entity is filled', () => {
    let r = trackEntityRequests({}, { requested: ['order_number'], filled: {}, missing: [] });
    assert.deepEqual(r.requests, { order_number: 1 });
    r = trackEntityRequests(r.requests, { requested: [], filled: {}, missing: ['order_number'] });
    assert.deepEqual(r.missing, [{ name: 'order_number', requests: 1 }]);
    r = trackEntityRequests(r.requests, { requested: ['order_number'], filled: {}, missing: ['order_number'] });
    assert.deepEqual(r.missing, [{ name: 'order_number', requests: 2 }]);
    r = trackEntityRequests(r.requests, { requested: [], filled: { order_number: 'A12345' }, missing: [] });
    assert.deepEqual(r.requests, {});
  });

  it('adds up failed authentications and remembers a success', () => {
    let a = trackAuthentication({ authFailures: 0, authenticated: false }, { authFailures: 1, authSucceeded: false });
    a = trackAuthentication(a, { authFailures: 1, authSucceeded: false });
    assert.deepEqual(a, { authFailures: 2, authenticated: false, failedNow: true });
    a = trackAuthentication(a, { authFailures: 0, authSucceeded: true });
    assert.deepEqual(a, { authFailures: 2, authenticated: true, failedNow: false });
  });

  it('counts fallbacks and measures seconds since progress at the message\'s arrival', () => {
    assert.equal(countFallbacks(2, { isFallback: true }), 3);
    assert.equal(countFallbacks(2, { isFallback: false }), 2);
    assert.deepEqual(progressClock(5_000, 125_000, false), { secondsSinceProgress: 120, lastProgressAt: 5_000 });
    assert.deepEqual(progressClock(5_000, 125_000, true), { secondsSinceProgress: 120, lastProgressAt: 125_000 });
    assert.equal(progressClock(10_000, 5_000, false).secondsSinceProgress, 0);
  });

  it('measures a whole turn without touching its inputs', () => {
    const before = JSON.stringify(state);
    const f = facts({ recognition: { intent: 'dispute_charge', confidence: 0.8, flags: ['sensitive_topic'] }, topic: { intent: 'dispute_charge', queue: 'billing' }, madeProgress: true });
    const { signals, state: next } = measureTurn(state, f, { text: 'I want to dispute $140 on order a12345', now: 9_000, customer: null, sentiment: calm });
    assert.equal(JSON.stringify(state), before);
    assert.deepEqual(signals.flags, ['sensitive_topic']);
    assert.equal(signals.topicQueue, 'billing');
    assert.equal(signals.value.amountNamed, 140);
    assert.equal(next.collected.order_number, 'A12345');
    assert.equal(next.lastProgressAt, 9_000);
    assert.deepEqual(next.lastTopic, { intent: 'dispute_charge', queue: 'billing' });
  });

  it('ignores an intent\'s flags on a prompt\'s answer, and when the bot did not act on it', () => {
    const rec = { intent: 'report_fraud', confidence: 0.61, flags: ['sensitive_topic'] };
    assert.deepEqual(measureTurn(state, facts({ recognition: rec, answeredPrompt: true, topic: { intent: 'report_fraud', queue: 'fraud' } }), { text: 'x', now: 1, customer: null, sentiment: calm }).signals.flags, []);
    assert.deepEqual(measureTurn(state, facts({ recognition: rec, isFallback: true }), { text: 'x', now: 1, customer: null, sentiment: calm }).signals.flags, []);
  });

  it('keeps the last topic when the bot did not set one this turn', () => {
    const s = { ...state, lastTopic: { intent: 'greeting', queue: 'support' } };
    const { signals } = measureTurn(s, facts({ isFallback: true }), { text: 'hmm', now: 1, customer: null, sentiment: calm });
    assert.equal(signals.topic, 'greeting');
    assert.equal(signals.fallbacks, 1);
  });

  it('detects an explicit request for a person in the words themselves', () => {
    const { signals } = measureTurn(state, facts(), { text: 'get me a human, this bot is useless', now: 1, customer: null, sentiment: calm });
    assert.equal(signals.explicitRequest, true);
  });
});
