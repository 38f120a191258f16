/**
 * A calm turn is two batches of store calls: everything read together (ownership, memory, the
 * customer's line, the bot's dialog state via `preload`), everything written together (the bot's
 * state save handed over by `saveWithTurn`, the bot's lines, the memory). On Redis each batch is
 * one round trip. Every store call here resolves a macrotask later, as a network store would, so
 * the calls issued before the first answer are exactly one batch.
 */
import assert from 'node:assert/strict';
import { createHandover } from '../../src/app.js';
import { SimAdapter } from '../../src/channels/sim/sim-adapter.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import type { Stores } from '../../src/core/ports/stores.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { conversationId } from '../../src/core/ids.js';
import { customers, manifest } from '../support/harness.js';

/** Stores whose calls answer one macrotask later; `log` lists `call <port>.<method> <key>` and `done …`. */
function slowStores(inner: Stores, log: string[], failWrite?: (key: string) => boolean): Stores {
  const wrap = <T extends object>(port: string, target: T): T =>
    new Proxy(target, {
      get: (t, prop, receiver) => {
        const v = Reflect.get(t, prop, receiver) as unknown;
        if (typeof v !== 'function' || port === 'events' || port === 'relay') return v;
        return (...args: unknown[]) => {
          const what = `${port}.${String(prop)} ${String(args[0]).replace(/^(botstate|memory):.*/, '$1')}`;
          log.push(`call ${what}`);
          return new Promise((resolve, reject) =>
            setImmediate(() => {
              log.push(`done ${what}`);
              if (failWrite !== undefined && String(prop) === 'write' && failWrite(String(args[0]))) reject(new Error('state store down (test)'));
              else Promise.resolve((v as (...a: unknown[]) => unknown).apply(t, args)).then(resolve, reject);
            }),
          );
        };
      },
    });
  return {
    handoffs: wrap('handoffs', inner.handoffs),
    transcripts: wrap('transcripts', inner.transcripts),
    documents: wrap('documents', inner.documents),
    packets: wrap('packets', inner.packets),
    events: inner.events,
    relay: inner.relay,
    close: () => inner.close(),
  };
}

/** The log cut into batches: the calls made between two answers. */
function batches(log: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const line of log) {
    if (line.startsWith('call ')) current.push(line.slice(5));
    else if (current.length > 0) {
      out.push(current.sort());
      current = [];
    }
  }
  if (current.length > 0) out.push(current.sort());
  return out;
}

describe('a calm turn is one batch of reads and one batch of writes', () => {
  it('reads the dialog state with the middleware reads and saves it with the middleware writes', async () => {
    const log: string[] = [];
    const stores = slowStores(createMemoryStores(), log);
    const app = createHandover({ manifest, stores, directory: new StaticCustomerDirectory(customers) });
    const adapter = new SimAdapter('webchat');
    adapter.use(app.middleware);
    await adapter.receive({ conversationId: 'b1', userId: 'c-1001', text: 'hello' }, (ctx) => app.bot.run(ctx));
    log.length = 0;

    // a prompt: the dialog state changes, so the bot saves it
    const out = await adapter.receive({ conversationId: 'b1', userId: 'c-1001', text: 'I need to change the delivery address for order A12345' }, (ctx) => app.bot.run(ctx));
    assert.equal(out.length, 1);
    assert.deepEqual(batches(log), [
      ['documents.read botstate', 'documents.read memory', 'handoffs.get webchat:b1', 'transcripts.append webchat:b1'],
      ['documents.write botstate', 'documents.write memory', 'transcripts.append webchat:b1'],
    ]);
  });

  it('a failed save of the dialog state still fails the turn (onTurnError), after the memory and the lines are written', async () => {
    const log: string[] = [];
    const inner = createMemoryStores();
    const stores = slowStores(inner, log, (key) => key.startsWith('botstate:'));
    const app = createHandover({ manifest, stores, directory: new StaticCustomerDirectory(customers) });
    const adapter = new SimAdapter('webchat');
    const turnErrors: unknown[] = [];
    adapter.onTurnError = async (_ctx, e) => {
      turnErrors.push(e);
    };
    adapter.use(app.middleware);
    const text = 'I need to change the delivery address for order A12345';
    const out = await adapter.receive({ conversationId: 'b2', userId: 'c-1001', text }, (ctx) => app.bot.run(ctx));
    assert.equal(turnErrors.length, 1);
    assert.match(String(turnErrors[0]), /state store down/);
    assert.equal(out.length, 1, 'the prompt still reached the customer');
    const transcript = await inner.transcripts.read(conversationId('webchat:b2'));
    assert.deepEqual(transcript.map((e) => e.text), [text, out[0]?.text]);
    assert.equal((await inner.documents.read<{ turn: number }>('memory:webchat:b2'))?.value.turn, 1);
  });

  it('a bot outside the middleware awaits its own save (saveWithTurn without a HandoffMiddleware)', async () => {
    const log: string[] = [];
    const stores = slowStores(createMemoryStores(), log);
    const app = createHandover({ manifest, stores, directory: new StaticCustomerDirectory(customers) });
    const adapter = new SimAdapter('webchat'); // no middleware
    await adapter.receive({ conversationId: 'b3', userId: 'c-1001', text: 'I need to change the delivery address for order A12345' }, (ctx) => app.bot.run(ctx));
    assert.equal(log.at(-1), 'done documents.write botstate', 'the turn ended after the save was done');
  });
});

describe('botbuilder-dialogs configuration', () => {
  it('the memory-scope configuration is built once and shared by every turn, whose dialogs still run', async () => {
    const app = createHandover({ manifest, stores: createMemoryStores(), directory: new StaticCustomerDirectory(customers) });
    const adapter = new SimAdapter('webchat');
    const seen: unknown[] = [];
    adapter.use({
      onTurn: async (ctx, next) => {
        await next();
        // botbuilder-dialogs caches the configuration its DialogContexts used under this key
        seen.push(ctx.turnState.get('DialogStateManagerConfiguration'));
      },
    });
    adapter.use(app.middleware);
    const say = async (conversationId: string, text: string) => (await adapter.receive({ conversationId, userId: 'c-1001', text }, (ctx) => app.bot.run(ctx))).map((a) => a.text);
    const prompt = await say('cfg1', 'I need to change the delivery address for order A12345');
    assert.match(String(prompt[0]), /ZIP/);
    // a waterfall continued on a later turn, in another conversation too
    await say('cfg2', 'hello');
    const retry = await say('cfg1', '00000');
    assert.match(String(retry[0]), /doesn't match/);
    assert.equal(seen.length, 3);
    assert.ok(seen[0] !== undefined && typeof seen[0] === 'object');
    assert.equal(seen[1], seen[0]);
    assert.equal(seen[2], seen[0]);
  });
});
