/**
 * Agent actions are idempotent and linearisable, on every store: the real middleware hands real
 * conversations off (sample bot, customer turns), agents act through `HandoffService` the way the
 * console API calls it, and what reaches the customer goes through the real relay and
 * `attachAgentDelivery`. Each race runs many rounds with varied interleavings; every round is
 * checked, and the test reports how many broke the rule.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { createHandover, type Handover } from '../../src/app.js';
import { attachAgentDelivery } from '../../src/bridge/agent-delivery.js';
import { SimAdapter } from '../../src/channels/sim/sim-adapter.js';
import { ManualClock } from '../../src/core/clock.js';
import { isHandoverError } from '../../src/core/errors.js';
import { agentId, conversationId, handoffId, queueId, type ConversationId } from '../../src/core/ids.js';
import { transition, type HandoffCommand, type HandoffState } from '../../src/core/handoff-state.js';
import type { Stores } from '../../src/core/ports/stores.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { HandoffService } from '../../src/handoff/handoff-service.js';
import { customers, manifest } from '../support/harness.js';

const ROUTE = 'races';
const ANA = agentId('ana');
/** ana's queues in manifest.json; `sales` is not one of them. */
const ANA_QUEUES = ['support', 'support_l2', 'billing'];

/** Lets `n` macrotasks pass: varies which side of a race runs first (no timing is asserted). */
async function ticks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** Polls until `cond` holds; only bounds how long a broken run waits. */
async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > 10_000) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Runs `work` over `items`, at most `width` at once. */
async function pool<T>(items: readonly T[], width: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

export function describeAgentActionContract(name: string, factory: () => Promise<Stores>): void {
  describe(`agent actions are idempotent and linearisable: ${name}`, function () {
    this.timeout(60_000);
    let stores: Stores;
    let app: Handover;
    let adapter: SimAdapter;
    let stop: () => Promise<void>;

    beforeEach(async () => {
      stores = await factory();
      app = createHandover({ manifest, stores, clock: new ManualClock(Date.UTC(2026, 0, 5, 15)), directory: new StaticCustomerDirectory(customers), route: () => ROUTE });
      adapter = new SimAdapter('webchat');
      adapter.use(app.middleware);
      stop = await attachAgentDelivery({ adapter, stores, route: ROUTE });
    });
    afterEach(async () => {
      await stop();
      await stores.close();
    });

    /** A fresh customer asks for a person: queued in `support` by the real middleware. */
    async function handOff(): Promise<{ conversation: string; id: ConversationId }> {
      const conversation = `r-${randomUUID().slice(0, 12)}`;
      const turn = (text: string) => adapter.receive({ conversationId: conversation, userId: 'c-1001', text }, (ctx) => app.bot.run(ctx));
      await turn('hi');
      await turn('I want to talk to a real person');
      const id = conversationId(`webchat:${conversation}`);
      const s = await app.service.state(id);
      assert.equal(s.status, 'queued');
      assert.equal(s.queue, 'support');
      return { conversation, id };
    }

    const eventsNamed = async (id: ConversationId, event: string) => (await stores.transcripts.read(id)).filter((e) => e.meta?.['name'] === event);

    it('100 double-clicked transfers (same idempotency key and version) are 100 single transfers', async () => {
      let doubled = 0;
      let failedClicks = 0;
      await pool(Array.from({ length: 100 }, (_, i) => i), 10, async (_, i) => {
        const { id } = await handOff();
        await app.service.accept(id, ANA, 'Ana', { queues: ANA_QUEUES });
        const seen = await app.service.state(id);
        const key = randomUUID();
        const click = async (delay: number) => {
          await ticks(delay);
          return app.service.transfer(id, 'billing', { agentId: ANA, expectedVersion: seen.version, idempotencyKey: key });
        };
        const results = await Promise.allSettled([click(0), click(i % 3)]);
        failedClicks += results.filter((r) => r.status === 'rejected').length;
        const s = await app.service.state(id);
        const moves = await eventsNamed(id, 'handoff.transferred');
        if (s.transfers !== 1 || s.queue !== 'billing' || moves.length !== 1) doubled++;
      });
      assert.deepEqual({ doubled, failedClicks }, { doubled: 0, failedClicks: 0 }, 'every double click is one transfer, and both clicks succeed');
    });

    it('a transfer with a stale expected version is refused (HANDOVER_ERR_STATE_CONFLICT); without a key a double click is still one transfer', async () => {
      let doubled = 0;
      await pool(Array.from({ length: 20 }, (_, i) => i), 10, async (_, i) => {
        const { id } = await handOff();
        await app.service.accept(id, ANA, 'Ana');
        const seen = await app.service.state(id);
        const click = async (delay: number) => {
          await ticks(delay);
          return app.service.transfer(id, 'billing', { agentId: ANA, expectedVersion: seen.version });
        };
        const results = await Promise.allSettled([click(0), click(i % 3)]);
        const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as unknown);
        assert.equal(refused.length, 1, 'one click wins');
        assert.ok(isHandoverError(refused[0], 'HANDOVER_ERR_STATE_CONFLICT'), String(refused[0]));
        if ((await app.service.state(id)).transfers !== 1) doubled++;
      });
      assert.equal(doubled, 0);
    });

    it("accept ‖ a supervisor's transfer to another queue: 0 agents own a conversation outside their queues (100 rounds)", async () => {
      let outOfQueue = 0;
      const outcomes = { accepted: 0, refused: 0 };
      const unexpected: string[] = [];
      await pool(Array.from({ length: 100 }, (_, i) => i), 10, async (_, i) => {
        const { id } = await handOff();
        // the console API checks the agent's queues and accepts; the supervisor moves the chat to sales
        const accept = async () => {
          await ticks(i % 4);
          return app.service.accept(id, ANA, 'Ana', { queues: ANA_QUEUES });
        };
        const transfer = async () => {
          await ticks(Math.floor(i / 4) % 4);
          return app.service.transfer(id, 'sales', { note: 'supervisor' });
        };
        const [a] = await Promise.allSettled([accept(), transfer()]);
        if (a.status === 'fulfilled') outcomes.accepted++;
        else if (isHandoverError(a.reason, 'HANDOVER_ERR_FORBIDDEN')) outcomes.refused++;
        else unexpected.push(String(a.reason));
        const s = await app.service.state(id);
        if (s.status === 'assigned' && s.agentId === ANA && !ANA_QUEUES.includes(s.queue ?? '')) outOfQueue++;
        const mine = await app.service.listAssigned(ANA, { limit: 1000 });
        assert.equal(mine.conversations.includes(id), s.status === 'assigned' && s.agentId === ANA, "ana's list matches the state");
      });
      assert.deepEqual({ outOfQueue, unexpected }, { outOfQueue: 0, unexpected: [] }, `accepted ${outcomes.accepted}, refused as not her queue ${outcomes.refused}`);
    });

    it('agent message ‖ resolve: no agent message reaches the customer after the resolution line (100 rounds)', async () => {
      let late = 0;
      let lateInTranscript = 0;
      await pool(Array.from({ length: 100 }, (_, i) => i), 10, async (_, i) => {
        const { conversation, id } = await handOff();
        await app.service.accept(id, ANA, 'Ana');
        const text = `one more thing (${i})`;
        // every other round the agent's process stalls between writing its line and sending it,
        // until the resolution has been sent: the interleaving that used to deliver it after the rating question
        const stalled = i % 2 === 0;
        let resolutionSent!: () => void;
        const gate = new Promise<void>((r) => (resolutionSent = r));
        const agentStores: Stores = {
          ...stores,
          relay: new Proxy(stores.relay, {
            get: (t, prop, receiver) =>
              prop === 'send' && stalled
                ? async (...args: Parameters<Stores['relay']['send']>) => {
                    await gate;
                    return t.send(...args);
                  }
                : (Reflect.get(t, prop, receiver) as unknown),
          }),
        };
        const agentSide = new HandoffService({ manifest, stores: agentStores, clock: new ManualClock(Date.UTC(2026, 0, 5, 16)), texts: app.texts });
        const message = (async () => {
          await ticks(stalled ? 0 : i % 5);
          return agentSide.sendAgentMessage(id, ANA, text, 'Ana');
        })();
        const resolved = (async () => {
          await ticks(stalled ? 1 : (i >> 2) % 5);
          return app.service.resolve(id, ANA, 'Ana');
        })().finally(resolutionSent);
        const [m] = await Promise.allSettled([message, resolved]);
        const sent = (): Partial<Activity>[] => (adapter.sent.get(conversation) ?? []).filter((a) => a.type === 'message');
        const kind = (a: Partial<Activity>) => (a.channelData as { handover?: { kind?: string; role?: string } } | undefined)?.handover;
        // wait until the rating question is out and the message has met its fate (delivered, or dropped as late)
        await until(async () => {
          if (!sent().some((a) => kind(a)?.kind === 'system_message' && a.text?.includes('rate the help'))) return false;
          if (m.status === 'rejected') return true;
          return sent().some((a) => a.text === text) || (await eventsNamed(id, 'agent.message_not_delivered')).length === 1;
        }, `round ${i} to settle`);
        const out = sent();
        const resolution = out.findIndex((a) => kind(a)?.kind === 'handoff_status');
        if (out.some((a, k) => k > resolution && kind(a)?.role === 'agent')) late++;
        const log = await stores.transcripts.read(id);
        const resolvedAt = log.findIndex((e) => e.meta?.['name'] === 'handoff.resolved');
        if (log.some((e, k) => k > resolvedAt && e.from === 'agent')) lateInTranscript++;
      });
      assert.deepEqual({ late, lateInTranscript }, { late: 0, lateInTranscript: 0 });
    });

    it("16 concurrent accepts of 150 conversations: all 150 in the agent's list, paged, each once", async () => {
      const ids: ConversationId[] = [];
      await pool(Array.from({ length: 150 }, (_, i) => i), 16, async () => {
        ids.push((await handOff()).id);
      });
      await pool(ids, 16, async (id) => {
        await app.service.accept(id, ANA, 'Ana', { queues: ANA_QUEUES });
      });
      const listed: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page = await app.service.listAssigned(ANA, { after, limit: 40 });
        assert.equal(page.total, 150);
        listed.push(...page.conversations);
        after = page.next;
        pages++;
      } while (after !== null && pages < 10);
      assert.equal(pages, 4, '40 + 40 + 40 + 30');
      assert.equal(new Set(listed).size, listed.length, 'no conversation twice');
      assert.deepEqual([...listed].sort(), [...ids].sort(), 'every owned conversation, and only those');
      // what leaves the agent leaves the list, in the same commit
      await pool(ids.slice(0, 10), 5, async (id) => {
        await app.service.resolve(id, ANA, 'Ana');
      });
      await app.service.transfer(ids[10]!, 'sales', { note: 'supervisor' });
      const rest = await app.service.listAssigned(ANA, { limit: 500 });
      assert.equal(rest.total, 139);
      assert.deepEqual([...rest.conversations].sort(), [...ids.slice(11)].sort());
      assert.equal(rest.next, null);
    });
  });
}

/**
 * The two store operations the agent actions rest on, checked directly on a store: the agent's
 * list derived from each commit, and the version-guarded transcript append.
 */
export function describeAgentIndexContract(name: string, factory: () => Promise<Stores>): void {
  describe(`HandoffStore: owned conversations and guarded appends: ${name}`, () => {
    let stores: Stores;
    beforeEach(async () => {
      stores = await factory();
    });
    afterEach(async () => {
      await stores.close();
    });
    const request = (): HandoffCommand => ({ type: 'request', handoffId: handoffId(randomUUID()), queue: queueId('support'), priority: 1, reason: 'customer_request', slaMs: 60_000, channel: 'test' });
    const commit = async (id: ConversationId, c: HandoffCommand): Promise<HandoffState> => {
      const s = await stores.handoffs.get(id);
      const r = transition(s, c, 1000);
      if (!r.ok) throw new Error(r.message);
      const done = await stores.handoffs.commit(id, s.version, r.state);
      assert.ok(done.ok);
      return done.state;
    };
    const agent = () => agentId(`a-${randomUUID().slice(0, 8)}`);

    it('lists exactly the conversations an agent owns, as commits move them', async () => {
      const [ana, bo] = [agent(), agent()];
      const ids = Array.from({ length: 5 }, (_, i) => conversationId(`c-${i}-${randomUUID()}`));
      for (const id of ids) await commit(id, request());
      assert.deepEqual(await stores.handoffs.listAssigned(ana), { conversations: [], next: null, total: 0 }, 'queued is nobody\'s');
      for (const id of ids) await commit(id, { type: 'assign', agentId: ana });
      assert.deepEqual([...(await stores.handoffs.listAssigned(ana)).conversations], [...ids].sort());
      await commit(ids[0]!, { type: 'resolve', agentId: ana });
      await commit(ids[1]!, { type: 'transfer', queue: queueId('billing'), slaMs: 1000, seniorQueue: queueId('senior'), seniorSlaMs: 1000, maxTransfers: 2 });
      await commit(ids[1]!, { type: 'assign', agentId: bo });
      await commit(ids[2]!, { type: 'return', digest: { agentId: ana, collected: {} } });
      assert.deepEqual([...(await stores.handoffs.listAssigned(ana)).conversations], ids.slice(3).sort());
      assert.deepEqual(await stores.handoffs.listAssigned(bo), { conversations: [ids[1]], next: null, total: 1 });
    });

    it('pages in id order with a cursor: every conversation once, next null on the last page', async () => {
      const ana = agent();
      const ids = Array.from({ length: 7 }, (_, i) => conversationId(`p-${i}-${randomUUID()}`));
      for (const id of ids) {
        await commit(id, request());
        await commit(id, { type: 'assign', agentId: ana });
      }
      const pages: (readonly string[])[] = [];
      let after: string | null = null;
      do {
        const page = await stores.handoffs.listAssigned(ana, { after, limit: 3 });
        assert.equal(page.total, 7);
        pages.push(page.conversations);
        after = page.next;
      } while (after !== null && pages.length < 5);
      assert.deepEqual(pages.map((p) => p.length), [3, 3, 1]);
      assert.deepEqual(pages.flat(), [...ids].sort());
      const exact = await stores.handoffs.listAssigned(ana, { limit: 7 });
      assert.equal(exact.next, null, 'a page that ends exactly at the last one has no next');
    });

    it('appends only while the version is unchanged, without bumping it', async () => {
      const id = conversationId(`g-${randomUUID()}`);
      const line = (text: string) => ({ at: 1, from: 'agent' as const, type: 'message', text });
      const never = await stores.handoffs.appendTranscriptIf(id, 1, [line('too early')]);
      assert.equal(never.ok, false);
      if (!never.ok) assert.equal(never.current.version, 0);
      const s = await commit(id, request());
      assert.deepEqual(await stores.handoffs.appendTranscriptIf(id, s.version, [line('a'), line('b')]), { ok: true });
      assert.deepEqual(await stores.handoffs.appendTranscriptIf(id, s.version, [line('c')]), { ok: true }, 'appends do not move the version');
      await commit(id, { type: 'assign', agentId: agent() });
      const late = await stores.handoffs.appendTranscriptIf(id, s.version, [line('late')]);
      assert.equal(late.ok, false);
      if (!late.ok) assert.equal(late.current.status, 'assigned');
      assert.deepEqual((await stores.transcripts.read(id)).map((e) => e.text), ['a', 'b', 'c']);
      assert.equal((await stores.handoffs.get(id)).version, s.version + 1);
    });
  });
}
