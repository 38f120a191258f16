/**
 * JsonDiffConversationState behaves as botbuilder's ConversationState — same reads, same writes
 * (with eTag '*'), same skips when nothing changed, clear/delete/force/accessors — while never
 * calling botbuilder's SHA-256 change hash. Each case runs both classes on their own MemoryStorage
 * and compares what they stored and how often they wrote.
 */
import assert from 'node:assert/strict';
import { ConversationState, MemoryStorage, TestAdapter, TurnContext, type Storage, type StoreItems } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog, type DialogState } from 'botbuilder-dialogs';
import { JsonDiffConversationState, stateFingerprint } from '../../src/bridge/json-diff-conversation-state.js';
import { DocumentStorage } from '../../src/bridge/document-storage.js';
import { MemoryDocumentStore } from '../../src/store/memory/index.js';

/** MemoryStorage that counts writes. */
class CountingStorage extends MemoryStorage {
  writes = 0;
  override async write(changes: StoreItems): Promise<void> {
    this.writes++;
    return super.write(changes);
  }
}

function contextFor(conversation = 'c1'): TurnContext {
  const adapter = new TestAdapter();
  return new TurnContext(adapter, { type: 'message', text: 'hi', channelId: 'test', conversation: { id: conversation, isGroup: false, conversationType: 'personal', name: '' }, from: { id: 'u1', name: 'u1' }, recipient: { id: 'bot', name: 'bot' }, serviceUrl: 'https://example.test' });
}

/** Runs the same script on botbuilder's class and ours; returns [theirs, ours] storages after it. */
async function both(script: (state: ConversationState, ctx: () => TurnContext) => Promise<void>): Promise<[CountingStorage, CountingStorage]> {
  const theirs = new CountingStorage();
  const ours = new CountingStorage();
  await script(new ConversationState(theirs), () => contextFor());
  await script(new JsonDiffConversationState(ours), () => contextFor());
  return [theirs, ours];
}

async function stored(s: Storage, key = 'test/conversations/c1/'): Promise<unknown> {
  const items = await s.read([key]);
  const item = items[key] as Record<string, unknown> | undefined;
  if (item === undefined) return undefined;
  // MemoryStorage gives every write its own eTag; compare the content
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { eTag, ...rest } = item;
  return rest;
}

describe('JsonDiffConversationState (botbuilder ConversationState with a JSON change check)', () => {
  it('writes a changed state, skips an unchanged one, and re-reads nothing within a turn — as ConversationState does', async () => {
    const [theirs, ours] = await both(async (state, ctx) => {
      const count = state.createProperty<number>('count');
      for (let turn = 0; turn < 4; turn++) {
        const c = ctx();
        const n = await count.get(c, 0);
        // turns 0 and 2 change the state; 1 and 3 only read it
        if (turn % 2 === 0) await count.set(c, (n ?? 0) + 1);
        await state.saveChanges(c);
      }
    });
    assert.deepEqual(await stored(ours), await stored(theirs));
    assert.deepEqual(await stored(ours), { count: 2 });
    assert.equal(ours.writes, theirs.writes);
    assert.equal(ours.writes, 2);
  });

  it('force writes an unchanged state; clear() then save stores an empty state; delete() removes it', async () => {
    const [theirs, ours] = await both(async (state, ctx) => {
      const name = state.createProperty<string>('name');
      const c1 = ctx();
      await name.set(c1, 'Ana');
      await state.saveChanges(c1);
      const c2 = ctx();
      await state.load(c2);
      await state.saveChanges(c2, true);
      const c3 = ctx();
      await state.load(c3);
      await state.clear(c3);
      await state.saveChanges(c3);
    });
    assert.equal(ours.writes, theirs.writes);
    assert.equal(ours.writes, 3);
    assert.deepEqual(await stored(ours), await stored(theirs));
    assert.deepEqual(await stored(ours), {});

    const state = new JsonDiffConversationState(ours);
    await state.delete(contextFor());
    assert.equal(await stored(ours), undefined);
  });

  it('save with nothing loaded writes nothing unless forced (then an empty state)', async () => {
    const [theirs, ours] = await both(async (state, ctx) => {
      await state.saveChanges(ctx());
      await state.saveChanges(ctx(), true);
    });
    assert.equal(ours.writes, theirs.writes);
    assert.equal(ours.writes, 1);
    assert.deepEqual(await stored(ours), await stored(theirs));
  });

  it('a change made after one save is written by the next save in the same turn', async () => {
    const [theirs, ours] = await both(async (state, ctx) => {
      const c = ctx();
      const list = state.createProperty<string[]>('list');
      const l = (await list.get(c, []))!;
      l.push('a');
      await state.saveChanges(c);
      l.push('b');
      await state.saveChanges(c);
      await state.saveChanges(c);
    });
    assert.equal(ours.writes, theirs.writes);
    assert.equal(ours.writes, 2);
    assert.deepEqual(await stored(ours), { list: ['a', 'b'] });
  });

  it('drives a botbuilder-dialogs waterfall with a prompt across turns exactly as ConversationState does', async () => {
    async function conversation(state: ConversationState): Promise<string[]> {
      const dialogs = new DialogSet(state.createProperty<DialogState>('dialogState'));
      const inner = new ComponentDialog('ask');
      inner.addDialog(
        new WaterfallDialog('steps', [
          async (step) => step.prompt('name', 'Your name?'),
          async (step) => {
            await step.context.sendActivity(`Hello ${String(step.result)}`);
            return step.endDialog();
          },
        ]),
      );
      inner.addDialog(new TextPrompt('name'));
      dialogs.add(inner);
      const said: string[] = [];
      const adapter = new TestAdapter(async (ctx) => {
        const dc = await dialogs.createContext(ctx);
        const r = await dc.continueDialog();
        if (r.status === DialogTurnStatus.empty) await dc.beginDialog('ask');
        await state.saveChanges(ctx);
      });
      adapter.onTurnError = async (_c, e) => {
        throw e;
      };
      await adapter
        .send('hi')
        .assertReply((a) => void said.push(a.text ?? ''))
        .send('Ana')
        .assertReply((a) => void said.push(a.text ?? ''))
        .send('again')
        .assertReply((a) => void said.push(a.text ?? ''))
        .startTest();
      return said;
    }
    const theirs = await conversation(new ConversationState(new MemoryStorage()));
    const ours = await conversation(new JsonDiffConversationState(new MemoryStorage()));
    assert.deepEqual(ours, ['Your name?', 'Hello Ana', 'Your name?']);
    assert.deepEqual(ours, theirs);
  });

  it('works over our DocumentStorage (eTag "*" writes) and never computes a SHA-256 (botbuilder\'s class does)', async () => {
    // botbuilder-core calls require('crypto').createHash('sha256') for its change hash, looked up at each call
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeCrypto = require('node:crypto') as { createHash: (...a: unknown[]) => unknown };
    const original = nodeCrypto.createHash;
    async function threeTurns(state: ConversationState, docs: MemoryDocumentStore): Promise<{ hashes: number; value: unknown }> {
      const prop = state.createProperty<{ step: number }>('progress');
      let hashes = 0;
      nodeCrypto.createHash = (...a: unknown[]) => {
        hashes++;
        return original(...a);
      };
      try {
        for (let i = 0; i < 3; i++) {
          const c = contextFor();
          const p = (await prop.get(c, { step: 0 }))!;
          await prop.set(c, { step: p.step + 1 });
          await state.saveChanges(c);
        }
      } finally {
        nodeCrypto.createHash = original;
      }
      return { hashes, value: (await docs.read('botstate:test/conversations/c1/'))?.value };
    }
    const theirDocs = new MemoryDocumentStore();
    const ourDocs = new MemoryDocumentStore();
    const theirs = await threeTurns(new ConversationState(new DocumentStorage(theirDocs, 'botstate')), theirDocs);
    const ours = await threeTurns(new JsonDiffConversationState(new DocumentStorage(ourDocs, 'botstate')), ourDocs);
    assert.ok(theirs.hashes >= 9, `botbuilder hashed ${theirs.hashes} times`);
    assert.equal(ours.hashes, 0);
    assert.deepEqual(ours.value, { progress: { step: 3 } });
    assert.deepEqual(ours.value, theirs.value);
  });

  it('stateFingerprint leaves the eTag out and is "" for no state', () => {
    assert.equal(stateFingerprint({ a: 1, eTag: 'x' }), '{"a":1}');
    assert.equal(stateFingerprint(undefined), '');
  });
});
