/**
 * The memory store forgets idle conversations (issue 12: "the memory store is bounded"), through
 * `openStores('memory')` as `handover start` opens it, with a ManualClock: nothing sleeps except
 * the one test of the background timer.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ManualClock } from '../../../../src/core/clock.js';
import { agentId, conversationId, handoffId, queueId, type ConversationId } from '../../../../src/core/ids.js';
import { initialState, transition, type HandoffCommand, type HandoffState } from '../../../../src/core/handoff-state.js';
import type { HandoffPacket } from '../../../../src/core/conversation.js';
import { isHandoverError } from '../../../../src/core/errors.js';
import { parseManifest } from '../../../../src/config/load-config.js';
import { memoryKey } from '../../../../src/handoff/conversation-memory.js';
import { openStores, type OpenedStores } from '../../../../src/store/open-stores.js';
import { createMemoryStores, conversationOfDocumentKey } from '../../../../src/store/memory/index.js';
import { resolvedState } from '../../../support/states.js';

const TTL = 60 * 60_000;
const T0 = Date.UTC(2026, 0, 5, 15);

/** Applies a state-machine command to the stored state (as the handoff service does). */
async function apply(stores: OpenedStores, id: ConversationId, command: HandoffCommand, clock: ManualClock): Promise<HandoffState> {
  const cur = await stores.handoffs.get(id);
  const r = transition(cur, command, clock.now());
  if (!r.ok) throw new Error(r.message);
  const c = await stores.handoffs.commit(id, cur.version, r.state);
  if (!c.ok) throw new Error('conflict');
  return c.state;
}

const request = (): HandoffCommand => ({ type: 'request', handoffId: handoffId(randomUUID()), queue: queueId('support'), priority: 2, reason: 'customer_request', slaMs: 60_000, channel: 'webchat' });

describe('memory store: idle conversations expire (conversation TTL)', () => {
  let clock: ManualClock;
  let stores: OpenedStores;
  beforeEach(async () => {
    clock = new ManualClock(T0);
    stores = await openStores('memory', { clock, memory: { conversationTtlMs: TTL } });
  });
  afterEach(async () => stores.close());

  const counts = () => stores.memory!.counts();
  const sweep = () => stores.memory!.expiry.sweep();

  /** A web chat conversation with something in every part of the store; returns its ids. */
  async function converse(): Promise<{ wc: string; id: ConversationId }> {
    const wc = `wc_${randomUUID()}`;
    const id = conversationId(`webchat:${wc}`);
    await stores.activityLog.create(wc);
    await stores.activityLog.append(wc, { id: 'a1', type: 'message', text: 'hi' });
    await stores.transcripts.append(id, { at: clock.now(), from: 'customer', type: 'message', text: 'hi' });
    await stores.documents.write(memoryKey(id), { turns: 1 });
    // botbuilder ConversationState through DocumentStorage('botstate')
    await stores.documents.write(`botstate:webchat/conversations/${wc}/`, { dialogState: {} });
    await stores.handoffs.commit(id, 0, resolvedState());
    const hid = handoffId(randomUUID());
    await stores.packets.put(hid, { conversationId: id, handoffId: hid } as unknown as HandoffPacket);
    const delivered = new Promise<void>((resolve) => {
      void stores.relay.listen(`route-${wc}`, async () => resolve());
    });
    await stores.relay.send(`route-${wc}`, { id: randomUUID(), conversationId: id, kind: 'agent_message', text: 'hello', at: clock.now() });
    await delivered;
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

  it('forgets a conversation idle longer than the TTL with everything every part holds for it, not a millisecond before', async () => {
    const { wc, id } = await converse();
    await stores.documents.write('agent-session:abc', { agentId: 'ana' }); // no conversation's: never expires
    const before = counts();
    assert.deepEqual(
      { conversations: before.conversations, states: before.states, transcripts: before.transcripts, conversationDocuments: before.conversationDocuments, packets: before.packets, relayDelivered: before.relayDelivered, webChatHistories: before.webChatHistories },
      { conversations: 1, states: 1, transcripts: 1, conversationDocuments: 2, packets: 1, relayDelivered: 1, webChatHistories: 1 },
    );
    clock.advanceMs(TTL);
    assert.equal(sweep(), 0, 'idle exactly the TTL: kept');
    assert.deepEqual(await holds(wc, id), all);
    clock.advanceMs(1);
    assert.equal(sweep(), 1);
    const after = counts();
    assert.deepEqual(
      { conversations: after.conversations, states: after.states, transcripts: after.transcripts, conversationDocuments: after.conversationDocuments, packets: after.packets, relayDelivered: after.relayDelivered, relayConversations: after.relayConversations, webChatHistories: after.webChatHistories, documents: after.documents },
      { conversations: 0, states: 0, transcripts: 0, conversationDocuments: 0, packets: 0, relayDelivered: 0, relayConversations: 0, webChatHistories: 0, documents: 1 },
    );
    assert.deepEqual(await holds(wc, id), none);
    assert.deepEqual((await stores.documents.read('agent-session:abc'))?.value, { agentId: 'ana' });
  });

  it('never forgets a conversation waiting for an agent, with one or booked for a callback; once it leaves that state the TTL counts from then', async () => {
    const queued = await converse();
    const assigned = await converse();
    const scheduled = await converse();
    const idle = await converse();
    for (const c of [queued, assigned, scheduled]) await apply(stores, c.id, request(), clock);
    await apply(stores, assigned.id, { type: 'assign', agentId: agentId('ana') }, clock);
    await apply(stores, scheduled.id, { type: 'schedule', at: T0 + 30 * 24 * TTL }, clock);
    for (let i = 0; i < 10; i++) {
      clock.advanceMs(TTL + 1);
      sweep();
    }
    assert.deepEqual(await holds(idle.wc, idle.id), none);
    for (const c of [queued, assigned, scheduled]) assert.deepEqual(await holds(c.wc, c.id), all, `${c.id} kept`);
    assert.deepEqual(
      await Promise.all([queued, assigned, scheduled].map(async (c) => (await stores.handoffs.get(c.id)).status)),
      ['queued', 'assigned', 'scheduled'],
    );
    assert.deepEqual((await stores.handoffs.listQueue(queueId('support'))).map((e) => e.conversationId), [queued.id], 'the waiting one stays in the queue');
    // the agent resolves: from now on it is an ordinary idle conversation
    await apply(stores, assigned.id, { type: 'resolve', agentId: agentId('ana') }, clock);
    clock.advanceMs(TTL);
    sweep();
    assert.deepEqual(await holds(assigned.wc, assigned.id), all, 'resolved a TTL ago: still kept');
    clock.advanceMs(1);
    sweep();
    assert.deepEqual(await holds(assigned.wc, assigned.id), none);
    assert.deepEqual(await holds(queued.wc, queued.id), all);
    assert.equal((await stores.handoffs.listAssigned(agentId('ana'))).total, 0);
  });

  it('a write extends the idle time, a read does not', async () => {
    const written = await converse();
    const read = await converse();
    clock.advanceMs(TTL - 1);
    await stores.transcripts.append(written.id, { at: clock.now(), from: 'customer', type: 'message', text: 'still here' });
    await holds(read.wc, read.id); // reads every part
    clock.advanceMs(2);
    assert.equal(sweep(), 1);
    assert.deepEqual(await holds(read.wc, read.id), none);
    assert.deepEqual(await holds(written.wc, written.id), all);
    // every part's write counts, the web chat history's included: each time, without it the
    // conversation would be idle TTL + 10 ms at the sweep
    for (const write of [
      () => stores.activityLog.append(written.wc, { id: 'a2', type: 'message', text: 'again' }),
      () => stores.documents.write(memoryKey(written.id), { turns: 2 }),
      () => stores.handoffs.get(written.id).then((s) => stores.handoffs.commit(written.id, s.version, s)),
    ]) {
      clock.advanceMs(TTL - 30);
      await write();
      clock.advanceMs(20);
      assert.equal(sweep(), 0);
      assert.deepEqual(await holds(written.wc, written.id), all);
    }
  });

  it('a conversation that comes back after its TTL starts fresh, even before any sweep (expired on access)', async () => {
    const { wc, id } = await converse();
    clock.advanceMs(TTL + 1);
    // no sweep: reading finds nothing, as after one
    assert.equal((await stores.handoffs.get(id)).version, 0);
    assert.equal(await stores.documents.read(memoryKey(id)), undefined);
    // writing starts a new conversation under the same id, without errors
    const r = await stores.documents.write(memoryKey(id), { turns: 1 }, 'stale-etag');
    assert.equal(r.ok, true);
    await stores.transcripts.append(id, { at: clock.now(), from: 'customer', type: 'message', text: 'back again' });
    assert.deepEqual((await stores.transcripts.read(id)).map((e) => e.text), ['back again']);
    const c = await stores.handoffs.commit(id, 0, { ...initialState(), status: 'bot' });
    assert.equal(c.ok, true);
    // the web chat id is gone: the front door answers "unknown conversation" and the widget starts a new one
    await assert.rejects(stores.activityLog.append(wc, { id: 'x', type: 'message' }), (e: unknown) => isHandoverError(e) && e.code === 'HANDOVER_ERR_UNKNOWN_CONVERSATION');
    await stores.activityLog.create(wc);
    assert.equal(await stores.activityLog.append(wc, { id: 'x', type: 'message' }), '1');
    assert.equal(counts().conversations, 1);
  });

  it('sweep(limit) forgets the longest idle first, at most limit at a time', async () => {
    const ids: ConversationId[] = [];
    for (let i = 0; i < 10; i++) {
      const id = conversationId(`webchat:c${i}`);
      ids.push(id);
      await stores.transcripts.append(id, { at: clock.now(), from: 'customer', type: 'message', text: `${i}` });
      clock.advanceMs(1000);
    }
    clock.advanceMs(TTL - 4_500); // c0..c5 are idle longer than the TTL, c6..c9 are not
    assert.equal(stores.memory!.expiry.sweep(4), 4);
    assert.equal(counts().transcripts, 6);
    // c6..c9 are all there (reading a conversation within its TTL expires nothing else)
    for (const id of ids.slice(6)) assert.equal((await stores.transcripts.read(id)).length, 1);
    assert.equal(counts().transcripts, 6, 'so the two left to sweep are c4 and c5');
    assert.equal(sweep(), 2);
    assert.equal(counts().transcripts, 4);
  });
});

describe('memory store: the background sweep and its configuration', () => {
  it('sweeps on its own timer, measuring idleness on the injected clock', async () => {
    const clock = new ManualClock(T0);
    const stores = createMemoryStores({ clock, conversationTtlMs: 1000, sweepEveryMs: 5 });
    try {
      await stores.transcripts.append(conversationId('webchat:a'), { at: 0, from: 'customer', type: 'message', text: 'hi' });
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(stores.counts().transcripts, 1, 'the clock has not moved: nothing expires');
      clock.advanceMs(1001);
      const deadline = Date.now() + 5000;
      while (stores.counts().transcripts > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      assert.equal(stores.counts().transcripts, 0);
      assert.equal(stores.counts().forgotten, 1);
    } finally {
      await stores.close();
    }
  });

  it('sweeps a large backlog in slices: every expired conversation goes, none that is not', async () => {
    const clock = new ManualClock(T0);
    const stores = createMemoryStores({ clock, conversationTtlMs: 1000, sweepEveryMs: 5 });
    try {
      for (let i = 0; i < 5000; i++) await stores.transcripts.append(conversationId(`webchat:old${i}`), { at: 0, from: 'customer', type: 'message', text: 'hi' });
      clock.advanceMs(1001);
      await stores.transcripts.append(conversationId('webchat:new'), { at: 0, from: 'customer', type: 'message', text: 'hi' });
      const deadline = Date.now() + 5000;
      while (stores.counts().transcripts > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      assert.equal(stores.counts().transcripts, 1);
      assert.equal((await stores.transcripts.read(conversationId('webchat:new'))).length, 1);
    } finally {
      await stores.close();
    }
  });

  it('the sweep timer does not keep the process alive', function () {
    this.timeout(60_000);
    // a referenced 60 s interval would hold this child until spawnSync's timeout kills it
    const code = `import('./src/store/memory/index.ts').then(async (m) => {
      const s = (m.createMemoryStores ?? m.default.createMemoryStores)();
      await s.transcripts.append('webchat:1', { at: 0, from: 'customer', type: 'message', text: 'hi' });
      console.log('armed', s.counts().conversations);
    });`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8', timeout: 45_000 });
    assert.equal(r.signal, null, `the child had to be killed: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /armed 1/);
  });

  it('the TTL is validated: createMemoryStores and manifest.json → memoryStore.conversationTtlMinutes (default 240)', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => createMemoryStores({ conversationTtlMs: bad }), (e: unknown) => isHandoverError(e) && e.code === 'HANDOVER_ERR_CONFIG_INVALID' && /conversationTtlMs/.test(e.message), String(bad));
    }
    const raw = JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, unknown>;
    const { memoryStore: _, ...withoutIt } = raw;
    assert.equal(parseManifest(withoutIt).memoryStore.conversationTtlMinutes, 240);
    assert.equal(parseManifest({ ...raw, memoryStore: { conversationTtlMinutes: 30 } }).memoryStore.conversationTtlMinutes, 30);
    for (const bad of [0, 1.5, 14_400_000, '240']) {
      assert.throws(
        () => parseManifest({ ...raw, memoryStore: { conversationTtlMinutes: bad } }),
        (e: unknown) => isHandoverError(e) && e.code === 'HANDOVER_ERR_CONFIG_INVALID' && /memoryStore\.conversationTtlMinutes/.test(e.message),
        String(bad),
      );
    }
    assert.throws(() => parseManifest({ ...raw, memoryStore: { ttl: 5 } }), (e: unknown) => isHandoverError(e) && /memoryStore/.test(e.message));
  });

  it('knows which documents belong to which conversation', () => {
    assert.equal(conversationOfDocumentKey('memory:webchat:wc_1'), 'webchat:wc_1');
    assert.equal(conversationOfDocumentKey('botstate:webchat/conversations/wc_1/'), 'webchat:wc_1');
    assert.equal(conversationOfDocumentKey('botstate:whatsapp/conversations/5511987654321@c.us/dialogs'), 'whatsapp:5511987654321@c.us');
    assert.equal(conversationOfDocumentKey('botstate:webchat/conversations/a/b/users/u-1/private'), 'webchat:a/b');
    assert.equal(conversationOfDocumentKey('webchat/conversations/wc_1/'), 'webchat:wc_1');
    assert.equal(conversationOfDocumentKey('whatsapp-cloud:123456:conv:5511987654321'), 'whatsapp-cloud:5511987654321');
    for (const other of ['agent-session:ab12', 'metrics:2026-01-05', 'whatsapp-cloud:123456:outbox', 'webhook-delivery:xyz', 'callbacks:support:1767600000000']) {
      assert.equal(conversationOfDocumentKey(other), undefined, other);
    }
  });
});
