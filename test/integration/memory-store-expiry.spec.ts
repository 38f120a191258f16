/**
 * A conversation idle past the memory store's TTL, through the real middleware and the sample bot:
 * it comes back as a new conversation (no errors, no old state), while one that waits for an agent
 * is kept however long it waits. `handover start` takes the TTL from manifest.json.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Clock } from '../../src/core/clock.js';
import { createMemoryStores, type MemoryStores } from '../../src/store/memory/index.js';
import { memoryKey } from '../../src/handoff/conversation-memory.js';
import { agentId } from '../../src/core/ids.js';
import { harness, type Harness } from '../support/harness.js';
import { startService } from '../../src/cli/start.js';

const TTL_S = 4 * 3600;

describe('memory store TTL through the middleware and the sample bot', () => {
  let h: Harness;
  let stores: MemoryStores;
  beforeEach(async () => {
    // the store measures idleness on the conversation's own (manual) clock
    const clock: Clock = { now: () => h.clock.now() };
    stores = createMemoryStores({ clock, conversationTtlMs: TTL_S * 1000 });
    h = await harness({ stores });
  });
  afterEach(async () => {
    await h.close();
    await stores.close();
  });

  it('within the TTL the conversation goes on where it was (the control case)', async () => {
    assert.deepEqual(await h.say("where's my package?", 0), ["Sure — what's your order number? It looks like A12345."]);
    await h.send("I don't have it with me", TTL_S - 60);
    assert.equal((await h.app.service.state(h.id)).status, 'queued', 'the prompt was still open: missing_entity hands off');
    assert.equal((await stores.transcripts.read(h.id))[0]?.text, "where's my package?");
  });

  it('after the TTL the customer starts afresh: no old transcript, memory, bot state or prompt, and no errors', async () => {
    assert.deepEqual(await h.say("where's my package?", 0), ["Sure — what's your order number? It looks like A12345."]);
    const before = await stores.documents.read<{ startedAt: number }>(memoryKey(h.id));
    assert.ok(before);
    // the customer comes back after the TTL; no sweep has run (the conversation expires as it is read)
    const replies = await h.say("I don't have it with me", TTL_S + 60);
    assert.ok(replies.length > 0, 'the bot answers');
    assert.equal((await h.app.service.state(h.id)).status, 'bot', 'no prompt was open any more: nothing to hand off');
    const transcript = await stores.transcripts.read(h.id);
    assert.equal(transcript[0]?.text, "I don't have it with me", 'the old lines are gone');
    assert.ok(!transcript.some((e) => e.text === "where's my package?"));
    const after = await stores.documents.read<{ startedAt: number }>(memoryKey(h.id));
    assert.ok(after && after.value.startedAt > before.value.startedAt, 'a new conversation memory');
    assert.deepEqual(h.errors, []);
    // and it goes on normally from there
    assert.deepEqual(await h.say("where's my package?", TTL_S + 120), ["Sure — what's your order number? It looks like A12345."]);
    assert.deepEqual(h.errors, []);
  });

  it('a customer waiting for an agent is kept past any TTL, and the agent can still take the chat', async () => {
    await h.say('I want to talk to a person', 0);
    assert.equal((await h.app.service.state(h.id)).status, 'queued');
    h.clock.set(h.clock.now() + 3 * TTL_S * 1000);
    stores.expiry.sweep();
    const { packet } = await h.app.service.accept(h.id, agentId('ana'), 'Ana');
    assert.ok(packet, 'the briefing is still there');
    await h.app.service.sendAgentMessage(h.id, agentId('ana'), 'Hi, Ana here', 'Ana');
    assert.ok(h.sent().some((a) => a.text === 'Hi, Ana here'), 'the agent reaches the customer (the conversation reference was kept)');
    assert.equal((await stores.transcripts.read(h.id))[0]?.text, 'I want to talk to a person');
  });
});

describe('handover start: manifest.json → memoryStore.conversationTtlMinutes reaches the memory store', () => {
  it('uses the manifest value, and refuses an invalid one at start', async function () {
    this.timeout(60_000);
    const root = mkdtempSync(join(tmpdir(), 'handover-ttl-'));
    try {
      for (const d of ['dialogs', 'locales', 'nlu', 'data']) symlinkSync(resolve(d), join(root, d));
      const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, unknown>;
      writeFileSync(join(root, 'manifest.json'), JSON.stringify({ ...manifest, $schema: undefined, memoryStore: { conversationTtlMinutes: 30 } }));
      const env = { ...process.env, REDIS_URL: '', PORT: '0' };
      const log = { info: () => {}, error: () => {} };
      const svc = await startService({ port: 0, host: '127.0.0.1', store: 'memory', root, env, log });
      try {
        assert.equal(svc.stores.memory?.expiry.ttlMs, 30 * 60_000);
      } finally {
        await svc.close();
      }
      writeFileSync(join(root, 'manifest.json'), JSON.stringify({ ...manifest, $schema: undefined, memoryStore: { conversationTtlMinutes: 14_400_000 } }));
      await assert.rejects(startService({ port: 0, host: '127.0.0.1', store: 'memory', root, env, log }), /memoryStore\.conversationTtlMinutes/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
