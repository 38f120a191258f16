import assert from 'node:assert/strict';
import { TranscriptWriter } from '../../../src/bridge/transcript-writer.js';
import type { TranscriptEntry } from '../../../src/core/conversation.js';
import { isHandoverError } from '../../../src/core/errors.js';
import { conversationId, type ConversationId } from '../../../src/core/ids.js';
import type { TranscriptStore } from '../../../src/core/ports/transcript-store.js';
import { MemoryTranscriptStore } from '../../../src/store/memory/memory-transcript-store.js';

const line = (text: string): TranscriptEntry => ({ at: 0, from: 'customer', type: 'message', text });
const A = conversationId('webchat:a');
const B = conversationId('webchat:b');

/** A memory transcript store whose appends a test can hold, fail or count, per conversation. */
class ControlledStore implements TranscriptStore {
  readonly inner = new MemoryTranscriptStore();
  readonly appends: { id: ConversationId; texts: string[] }[] = [];
  /** Conversations whose appends fail while listed. */
  readonly failing = new Set<ConversationId>();
  /** Conversations whose appends wait until `release()`. */
  readonly held = new Set<ConversationId>();
  private waiters: (() => void)[] = [];

  async append(id: ConversationId, ...entries: TranscriptEntry[]): Promise<void> {
    this.appends.push({ id, texts: entries.map((e) => e.text ?? '') });
    if (this.held.has(id)) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failing.has(id)) throw new Error(`store refused ${id} (test)`);
    await this.inner.append(id, ...entries);
  }
  read(id: ConversationId): Promise<TranscriptEntry[]> {
    return this.inner.read(id);
  }
  release(): void {
    this.held.clear();
    for (const w of this.waiters.splice(0)) w();
  }
  async texts(id: ConversationId): Promise<string[]> {
    return (await this.inner.read(id)).map((e) => e.text ?? '');
  }
}

/** Polls until `cond` holds; bounds how long a broken run waits, asserts nothing about time. */
async function until(cond: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > 5000) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('TranscriptWriter: per-conversation ordered writes with bounded retries', () => {
  it('writes one conversation in order; lines given while an append is in flight go together in the next one', async () => {
    const store = new ControlledStore();
    const writer = new TranscriptWriter({ store });
    store.held.add(A);
    const first = writer.write(A, [line('1')]);
    const rest = [writer.write(A, [line('2')]), writer.write(A, [line('3'), line('4')]), writer.write(A, [line('5')])];
    store.release();
    await Promise.all([first, ...rest]);
    assert.deepEqual(await store.texts(A), ['1', '2', '3', '4', '5']);
    assert.deepEqual(store.appends.map((a) => a.texts), [['1'], ['2', '3', '4', '5']]);
    assert.equal(writer.pendingLines, 0);
  });

  it('a conversation whose append hangs or fails does not hold up another', async () => {
    const store = new ControlledStore();
    const errors: unknown[] = [];
    const writer = new TranscriptWriter({ store, onError: (e) => errors.push(e), retry: { attempts: 0 } });
    store.held.add(A);
    const hanging = writer.write(A, [line('a1')]);
    await writer.write(B, [line('b1')]);
    await writer.write(B, [line('b2')]);
    assert.deepEqual(await store.texts(B), ['b1', 'b2']);
    store.failing.add(A);
    store.release();
    await hanging;
    await writer.write(B, [line('b3')]);
    assert.deepEqual(await store.texts(B), ['b1', 'b2', 'b3']);
    assert.equal(writer.pendingLines, 1, "A's line is kept");
    assert.ok(errors.length > 0);
  });

  it('retries a refused write in the background, for that conversation only, and keeps the order', async () => {
    const store = new ControlledStore();
    const writer = new TranscriptWriter({ store, onError: () => {}, retry: { attempts: 5, minDelayMs: 1, maxDelayMs: 4 } });
    store.failing.add(A);
    await writer.write(A, [line('a1')]);
    await writer.write(A, [line('a2')]);
    await writer.write(B, [line('b1')]);
    assert.equal(writer.pendingLines, 2);
    await until(() => store.appends.filter((a) => a.id === A).length >= 4, 'two background retries of A');
    store.failing.delete(A);
    await until(() => writer.pendingLines === 0, 'the retry to write A');
    assert.deepEqual(await store.texts(A), ['a1', 'a2']);
    assert.deepEqual(store.appends.filter((a) => a.id === B).map((a) => a.texts), [['b1']], 'B was written once and never retried');
    writer.close();
  });

  it('gives up after the bounded attempts with HANDOVER_ERR_TRANSCRIPT_UNWRITTEN; the lines go out with the next line', async () => {
    const store = new ControlledStore();
    const errors: unknown[] = [];
    const writer = new TranscriptWriter({ store, onError: (e) => errors.push(e), retry: { attempts: 2, minDelayMs: 1, maxDelayMs: 2 } });
    store.failing.add(A);
    await writer.write(A, [line('a1')]);
    await until(() => errors.some((e) => isHandoverError(e, 'HANDOVER_ERR_TRANSCRIPT_UNWRITTEN')), 'the give-up error');
    assert.equal(store.appends.filter((a) => a.id === A).length, 3, 'the first try and 2 retries');
    const giveUp = errors.find((e) => isHandoverError(e, 'HANDOVER_ERR_TRANSCRIPT_UNWRITTEN'));
    assert.match(String((giveUp as Error).message), /webchat:a: 1 line\(s\) not written after 3 attempts/);
    assert.equal(writer.pendingLines, 1);
    store.failing.delete(A);
    await writer.write(A, [line('a2')]);
    assert.deepEqual(await store.texts(A), ['a1', 'a2']);
    assert.equal(writer.pendingLines, 0);
  });

  it('keeps at most maxPendingLines per conversation and reports the lines it drops', async () => {
    const store = new ControlledStore();
    const errors: unknown[] = [];
    const writer = new TranscriptWriter({ store, onError: (e) => errors.push(e), retry: { attempts: 0 }, maxPendingLines: 3 });
    store.failing.add(A);
    await writer.write(A, [line('1'), line('2')]);
    await writer.write(A, [line('3'), line('4')]);
    assert.equal(writer.pendingLines, 3);
    const unwritten = errors.filter((e) => isHandoverError(e, 'HANDOVER_ERR_TRANSCRIPT_UNWRITTEN')).map((e) => (e as Error).message);
    assert.equal(unwritten.length, 2, 'given up once (no retries allowed), then the dropped line');
    const dropped = unwritten.filter((m) => m.includes('dropped'));
    assert.equal(dropped.length, 1);
    assert.match(dropped[0]!, /3 lines are already waiting for the store \(maxPendingLines 3\); 1 newer line\(s\) dropped/);
    store.failing.delete(A);
    await writer.write(A, []);
    assert.deepEqual(await store.texts(A), ['1', '2', '3']);
    assert.equal(writer.pendingLines, 0);
  });
});
