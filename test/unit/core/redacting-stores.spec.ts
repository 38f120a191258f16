import assert from 'node:assert/strict';
import { agentId, conversationId, handoffId } from '../../../src/core/ids.js';
import { Redactor } from '../../../src/core/redact.js';
import { isRedacted, redactStores } from '../../../src/core/redacting-stores.js';
import type { DomainEvent } from '../../../src/core/events.js';
import { createMemoryStores } from '../../../src/store/memory/index.js';

const id = conversationId('webchat:c1');

describe('redactStores (personal data masked on the way into the stores)', () => {
  it('masks transcript lines, events, relayed messages, briefings and return digests; reads and every other member pass through', async () => {
    const raw = createMemoryStores();
    const stores = redactStores(raw, new Redactor());
    assert.ok(isRedacted(stores));
    assert.equal(isRedacted(raw), false);
    await stores.transcripts.append(id, { at: 1, from: 'customer', type: 'message', text: 'card 4242 4242 4242 4242', meta: { note: 'ssn 123-45-6789', agentId: 'ana' } });
    assert.deepEqual(await raw.transcripts.read(id), [{ at: 1, from: 'customer', type: 'message', text: 'card •••• 4242', meta: { note: 'ssn •••-••-6789', agentId: 'ana' } }]);

    const heard: DomainEvent[] = [];
    raw.events.subscribe((e) => void heard.push(e));
    await stores.events.publish({ type: 'customer.message', conversationId: id, at: 2, text: 'pwd: s3cret', activityType: 'message' });
    assert.equal((heard[0] as Extract<DomainEvent, { type: 'customer.message' }>).text, 'pwd: ••••••');

    const packet = { conversationId: id, reason: 'customer_request', trace: [], intent: null, sentiment: [], collected: { cpf: '529.982.247-25' }, customer: null, authenticated: false, steps: [], transcript: [], summary: 'asked about 4111 1111 1111 1111', queue: 'support', priority: 1, slaDeadline: 0, requestedAt: 0, channel: 'webchat', locale: 'en', turn: 1 } as const;
    await stores.packets.put(handoffId('h1'), packet as never);
    const kept = await raw.packets.get(handoffId('h1'));
    assert.equal(kept?.summary, 'asked about •••• 1111');
    assert.deepEqual(kept?.collected, { cpf: '•••.•••.•••-25' });

    const relayed: string[] = [];
    const stop = await raw.relay.listen('webchat', async (m) => void relayed.push(m.text ?? ''));
    await stores.relay.send('webchat', { conversationId: id, kind: 'agent_message', text: 'your cpf 529.982.247-25 is on file', agentId: 'ana', agentName: 'Ana', at: 3, id: 'm1' });
    for (let i = 0; i < 50 && relayed.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(relayed, ['your cpf •••.•••.•••-25 is on file']);
    await stop();

    // what an agent settles when returning the chat to the bot is kept in the handoff state
    const s0 = await raw.handoffs.get(id);
    const committed = await stores.handoffs.commit(id, s0.version, { ...s0, version: s0.version + 1, returnDigest: { agentId: agentId('ana'), collected: { cpf: '529.982.247-25', order: 'A12345' }, note: 'card 4111 1111 1111 1111' } });
    assert.ok(committed.ok);
    assert.deepEqual((await raw.handoffs.get(id)).returnDigest, { agentId: 'ana', collected: { cpf: '•••.•••.•••-25', order: 'A12345' }, note: 'card •••• 1111' });

    // members the wrapper does not know are the originals, bound to their store
    assert.equal(stores.documents, raw.documents);
    assert.equal(stores.handoffs.get, stores.handoffs.get, 'one bound method, not a new one per access');
    assert.equal((await stores.handoffs.get(id)).status, 'bot');
    await stores.close();
  });

  it('wraps once, and not at all with every pattern off', () => {
    const raw = createMemoryStores();
    const once = redactStores(raw, new Redactor());
    assert.equal(redactStores(once, new Redactor()), once);
    const off = { enabled: false, mask: 'x' };
    assert.equal(redactStores(raw, new Redactor({ cards: off, cvv: off, ssn: off, cpf: off, passwords: off })), raw);
  });
});
