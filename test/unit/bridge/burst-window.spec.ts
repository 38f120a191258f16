/**
 * BurstWindow alone (fake middleware hooks, the memory store, a manual schedule): the window, the
 * cap, the order of the joined text, "typing…" per message, the lines written at once with their
 * own times, and no window while a person owns the chat.
 */
import assert from 'node:assert/strict';
import { ActivityTypes, TurnContext, type Activity } from 'botbuilder';
import { BURST_KEY, BurstWindow, burstOf, NO_BURSTS_KEY, type BurstHooks } from '../../../src/bridge/burst-window.js';
import { SimAdapter } from '../../../src/channels/sim/sim-adapter.js';
import { ManualClock } from '../../../src/core/clock.js';
import { initialState, type HandoffState } from '../../../src/core/handoff-state.js';
import { conversationId, type ConversationId } from '../../../src/core/ids.js';
import type { BurstStore } from '../../../src/core/ports/burst-store.js';
import { MemoryBurstStore } from '../../../src/store/memory/memory-burst-store.js';
import { assignedState } from '../../support/states.js';

const T0 = Date.UTC(2026, 0, 5, 15);
const bursts = { windowSeconds: { webchat: 3, directline: 3, 'whatsapp-web': 3, 'whatsapp-cloud': 0 }, maxSeconds: 10 };

interface Rig {
  readonly window: BurstWindow;
  readonly clock: ManualClock;
  readonly adapter: SimAdapter;
  /** Lines written, as `<at s> <text>`. */
  readonly lines: string[];
  /** Texts of the bursts' turns the bot ran on. */
  readonly turns: string[];
  /** Messages passed to a person, as `<at s> <text>`. */
  readonly toPerson: string[];
  state: HandoffState;
  /** The customer writes at `atS` seconds; resolves with whether the turn was held. */
  say(text: string, atS: number, extra?: Partial<Activity>): Promise<boolean>;
  /** Runs every burst due at `atS` (the clock goes there). */
  until(atS: number): Promise<number>;
}

function rig(opts: { store?: BurstStore; channel?: string; onError?: (where: string) => void } = {}): Rig {
  const clock = new ManualClock(T0);
  const adapter = new SimAdapter(opts.channel ?? 'whatsapp', { bursts: true });
  const lines: string[] = [];
  const turns: string[] = [];
  const toPerson: string[] = [];
  let seq = 0;
  const r: Rig = {
    clock,
    adapter,
    lines,
    turns,
    toPerson,
    state: initialState(),
    window: undefined as unknown as BurstWindow,
    say: async (text, atS, extra = {}) => {
      clock.set(T0 + atS * 1000);
      const context = new TurnContext(adapter, {
        type: ActivityTypes.Message,
        id: `m${++seq}`,
        channelId: adapter.channelId,
        serviceUrl: 'sim://',
        conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' },
        from: { id: 'u1', name: 'u1', role: 'user' },
        recipient: { id: 'bot', name: 'bot', role: 'bot' },
        text,
        ...extra,
      } as Activity);
      if (!r.window.applies(context)) return false;
      return r.window.hold(context, ID);
    },
    until: async (atS) => {
      clock.set(T0 + atS * 1000);
      return r.window.flushDue(clock.now());
    },
  };
  const hooks: BurstHooks = {
    recordCustomer: async (ctx, _id, at) => void lines.push(`${(at - T0) / 1000} ${ctx.activity.text}`),
    ownership: async () => r.state,
    toPerson: async (ctx, _id, _state, at) => {
      for (const m of burstOf(ctx)?.messages ?? [{ at, text: ctx.activity.text ?? '' }]) toPerson.push(`${(m.at - T0) / 1000} ${m.text}`);
    },
    run: async (ctx, next) => {
      if (r.state.status !== 'bot') return hooks.toPerson(ctx, ID, r.state, clock.now());
      return next();
    },
  };
  (r as { window: BurstWindow }).window = new BurstWindow({
    store: opts.store ?? new MemoryBurstStore(),
    logic: async (ctx) => {
      turns.push(ctx.activity.text ?? '');
      await ctx.sendActivity(`answer to: ${ctx.activity.text?.replace(/\n/g, ' / ')}`);
    },
    schedule: 'manual',
    manifest: { bursts },
    clock,
    route: (a) => a.channelId ?? 'default',
    hooks,
    onError: (e, where) => {
      if (opts.onError === undefined) throw e;
      opts.onError(where);
    },
  });
  return r;
}

const ID: ConversationId = conversationId('whatsapp:c1');
const sentTypes = (r: Rig) => (r.adapter.sent.get('c1') ?? []).map((a) => (a.type === 'message' ? `message: ${a.text}` : a.type));

describe('BurstWindow', () => {
  it('joins messages less than the window apart, in order, and answers once after the window', async () => {
    const r = rig();
    for (const [text, at] of [['hello', 0], ['so', 2], ['my package', 4], ["it didn't come", 6], ['K48213', 8]] as const) assert.equal(await r.say(text, at), true);
    assert.deepEqual(r.lines, ['0 hello', '2 so', '4 my package', "6 it didn't come", '8 K48213'], 'every line written at once, with its own time');
    assert.equal(await r.until(9.999), 0, 'capped at 10 s from the first message');
    assert.equal(await r.until(10), 1);
    assert.deepEqual(r.turns, ["hello\nso\nmy package\nit didn't come\nK48213"], 'the bot ran once, on the messages joined in order');
    assert.deepEqual(sentTypes(r), ['typing', 'typing', 'typing', 'typing', 'typing', "message: answer to: hello / so / my package / it didn't come / K48213"]);
    assert.equal(await r.until(60), 0, 'answered once');
  });

  it('a message the window after the previous one starts another burst', async () => {
    const r = rig();
    await r.say('hi', 0);
    await r.say('are you there', 2.999);
    assert.equal(r.window.deadlineOf(ID), T0 + 5999);
    await r.until(5.999);
    await r.say('where is my order', 9);
    await r.until(12);
    assert.deepEqual(r.turns, ['hi\nare you there', 'where is my order']);
  });

  it('the cap closes a burst 10 s after its first message; a later message starts the next', async () => {
    const r = rig();
    for (let i = 0; i <= 4; i++) await r.say(`part ${i}`, i * 2);
    assert.equal(r.window.deadlineOf(ID), T0 + 10_000);
    await r.until(10);
    await r.say('part 5', 10);
    await r.until(13);
    assert.deepEqual(r.turns, ['part 0\npart 1\npart 2\npart 3\npart 4', 'part 5']);
  });

  it('while a person owns the chat, a message goes to them at once: no burst, no typing', async () => {
    const r = rig();
    r.state = assignedState();
    assert.equal(await r.say('hello?', 0), true);
    assert.deepEqual(r.toPerson, ['0 hello?']);
    assert.equal(r.window.deadlineOf(ID), undefined);
    assert.deepEqual(sentTypes(r), []);
    assert.deepEqual(r.lines, ['0 hello?']);
  });

  it('a person taking the chat during a window gets the burst first, then the new message, in order', async () => {
    const r = rig();
    await r.say('my card was charged twice', 0);
    await r.say('and', 1);
    r.state = assignedState();
    await r.say('hello? anyone?', 2);
    assert.deepEqual(r.toPerson, ['0 my card was charged twice', '1 and', '2 hello? anyone?']);
    assert.deepEqual(r.turns, [], 'the bot never ran');
    assert.equal(await r.until(60), 0);
  });

  it('answers at once what it cannot hold: no window on the channel, another channel, no words, an adapter that asks', async () => {
    const r = rig({ channel: 'whatsapp-cloud' });
    assert.equal(await r.say('hi', 0), false, 'window 0');
    const sim = rig({ channel: 'msteams' });
    assert.equal(await sim.say('hi', 0), false, 'a channel we do not know');
    const web = rig();
    assert.equal(await web.say('', 0, { attachments: [{ contentType: 'image/jpeg' }] }), false, 'a photo without words');
    assert.equal(await web.say('hi', 0, { type: ActivityTypes.ConversationUpdate }), false, 'not a message');
    const off = rig();
    const context = new TurnContext(off.adapter, { type: 'message', text: 'hi', channelId: 'whatsapp', conversation: { id: 'c1' } } as Activity);
    context.turnState.set(NO_BURSTS_KEY, true);
    assert.equal(off.window.applies(context), false, 'NO_BURSTS_KEY');
    assert.deepEqual([...r.lines, ...sim.lines, ...web.lines], [], 'nothing written: the middleware writes those lines itself');
  });

  it('a store that refuses the message: the turn goes on now, as a burst of that one message (its line written)', async () => {
    const failing = new MemoryBurstStore();
    failing.add = async () => {
      throw new Error('store down (test)');
    };
    const errors: string[] = [];
    const r = rig({ store: failing, onError: (where) => errors.push(where) });
    const context = new TurnContext(r.adapter, { type: 'message', id: 'x1', text: 'hi', channelId: 'whatsapp', conversation: { id: 'c1' } } as Activity);
    assert.equal(await r.window.hold(context, ID), false);
    assert.deepEqual((context.turnState.get(BURST_KEY) as { messages: unknown[] }).messages, [{ id: 'x1', at: T0, text: 'hi' }]);
    assert.deepEqual(r.lines, ['0 hi']);
    assert.deepEqual(errors, ['add to burst']);
  });
});
