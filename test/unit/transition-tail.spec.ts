/**
 * What follows a committed transition (HandoffService): its transcript line, the customer's notice,
 * the count and the agents' event run in one place; a failing step is reported and the others
 * still run — the event is never skipped, and the agent's action is not answered with an error for
 * a transition that was committed.
 */
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/clock.js';
import type { DomainEvent } from '../../src/core/events.js';
import { agentId, conversationId, type QueueId } from '../../src/core/ids.js';
import { Texts } from '../../src/core/texts.js';
import { loadDialogs } from '../../src/dialogs/load-dialogs.js';
import { HandoffService } from '../../src/handoff/handoff-service.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { manifest } from '../support/harness.js';

describe('HandoffService: the tail of a committed transition', () => {
  it('a transcript that refuses the line does not skip the event nor fail the committed resolve/return/transfer/accept', async () => {
    const stores = createMemoryStores();
    const catalog = loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest });
    const errors: string[] = [];
    const service = new HandoffService({ manifest, stores, clock: new ManualClock(1000), texts: new Texts(catalog.locales, 'en'), onError: (_e, where) => errors.push(where) });
    const events: DomainEvent['type'][] = [];
    stores.events.subscribe((e) => void events.push(e.type));
    const id = conversationId('webchat:tail');
    const packet = (h: { queue: QueueId; priority: number; slaDeadline: number; requestedAt: number }) => ({
      conversationId: id, reason: 'customer_request' as const, trace: [], intent: null, sentiment: [], collected: {}, customer: null, authenticated: false,
      steps: [], transcript: [], summary: 's', queue: h.queue, priority: h.priority, slaDeadline: h.slaDeadline, requestedAt: h.requestedAt, channel: 'webchat', locale: 'en', turn: 1,
    });
    await service.request({ conversationId: id, reason: 'customer_request', queue: 'support', priority: 1, route: 'webchat', packet });
    // from now on every system event line is refused (Redis gone for the transcript, say)
    const append = stores.transcripts.append.bind(stores.transcripts);
    stores.transcripts.append = async (cid, ...entries) => {
      if (entries.some((e) => e.type === 'event')) throw new Error('transcript store refused');
      return append(cid, ...entries);
    };
    await service.accept(id, agentId('ana'), 'Ana');
    const moved = await service.transfer(id, 'billing', { agentId: agentId('ana') });
    assert.equal(moved.status, 'queued');
    await service.accept(id, agentId('bo'), 'Bo');
    const done = await service.resolve(id, agentId('bo'), 'Bo');
    assert.equal(done.status, 'resolved', 'the committed resolution is answered as such');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      events.filter((e) => e !== 'handoff.requested' && e !== 'customer.message'),
      ['handoff.accepted', 'handoff.transferred', 'handoff.accepted', 'handoff.resolved'],
      'every event published although every line was refused',
    );
    assert.deepEqual(errors, ['handoff.accepted: transcript line', 'handoff.transferred: transcript line', 'handoff.accepted: transcript line', 'handoff.resolved: transcript line']);
    // and the customer was still told (system messages are not events)
    const lines = await stores.transcripts.read(id);
    assert.ok(lines.some((l) => l.from === 'system' && l.type === 'message' && /Bo/.test(l.text ?? '')), 'the customer was told the agent joined / resolved');
  });
});
