/**
 * Two real `handover start` processes (the shipped command, not a test composition) on one Redis
 * and one key prefix, customers on widget WebSockets spread over both, agents on the console HTTP
 * API of either: every agent message must reach a connected customer live, once and in order,
 * whichever process holds the customer's socket; a customer who reconnects to the other process
 * gets what they missed once; and when a process is killed, what it had not delivered yet is
 * delivered by the survivor.
 */
import assert from 'node:assert/strict';
import { RedisKeys } from '../../src/store/redis/keys.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { conversationApi, deskCall, eventually, spawnHandover, WidgetCustomer, type HandoverProcess } from '../support/handover-processes.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';

const HANDOFF = 'I want to talk to a real person';

describe('handover start × 2 on one Redis: agent → customer delivery', function () {
  this.timeout(60_000);
  let admin: RedisClient;
  let prefix: string;
  let procs: HandoverProcess[] = [];
  let customers: WidgetCustomer[] = [];

  before(async () => {
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });
  beforeEach(async () => {
    prefix = uniquePrefix();
    // One after the other: the first one started is the one reading the relay at first.
    procs = [];
    for (let i = 0; i < 2; i++) procs.push(await spawnHandover({ REDIS_URL, REDIS_PREFIX: prefix }));
  });
  afterEach(async () => {
    await Promise.all(customers.splice(0).map((c) => c.close().catch(() => undefined)));
    const codes = await Promise.all(procs.map((p) => p.stop()));
    for (const [i, p] of procs.entries()) {
      if (p.child.signalCode === 'SIGKILL') continue;
      assert.equal(codes[i], 0, `process ${i} stopped cleanly`);
    }
    await deleteByPrefix(admin, prefix);
  });

  /** `n` customers, customer i on process i % 2, each handed off, queued and accepted by Ana on process (i + 1) % 2. */
  async function handedOffCustomers(n: number): Promise<WidgetCustomer[]> {
    const list = await Promise.all(Array.from({ length: n }, (_, i) => WidgetCustomer.start(procs[i % 2]!.ws)));
    customers.push(...list);
    for (const c of list) c.say(HANDOFF);
    await Promise.all(
      list.map((c, i) =>
        eventually(async () => {
          const r = await deskCall(procs[(i + 1) % 2]!.base, 'GET', conversationApi(c.conversationId));
          return r.status === 200 && (r.json['state'] as Record<string, unknown>)['status'] === 'queued';
        }, `${c.conversationId} to be queued`, 20_000, 50),
      ),
    );
    await Promise.all(
      list.map(async (c, i) => {
        const r = await deskCall(procs[(i + 1) % 2]!.base, 'POST', conversationApi(c.conversationId, 'accept'), { agentId: 'ana' });
        assert.equal(r.status, 200, JSON.stringify(r.json));
      }),
    );
    return list;
  }

  async function reply(proc: HandoverProcess, c: WidgetCustomer, text: string): Promise<void> {
    const r = await deskCall(proc.base, 'POST', conversationApi(c.conversationId, 'messages'), { text, agentId: 'ana' });
    assert.equal(r.status, 202, JSON.stringify(r.json));
  }

  it('40 customers over both processes, 3 replies each from either process: all 120 live, each once, in order', async () => {
    const list = await handedOffCustomers(40);
    const expected = list.map((_, i) => [1, 2, 3].map((k) => `reply ${k} to customer ${i}`));
    // Per customer the replies go out one after the other, each from a different process than the last.
    await Promise.all(
      list.map(async (c, i) => {
        for (let k = 0; k < 3; k++) await reply(procs[(i + k) % 2]!, c, expected[i]![k]!);
      }),
    );
    const complete = (): number => list.filter((c, i) => c.agentTexts().length >= expected[i]!.length).length;
    // A bound on the wait, not a speed figure: without live delivery these never arrive at all.
    await eventually(() => complete() === list.length, 'every reply on its socket', 5_000).catch(() => undefined);
    const firstLive = list.filter((c, i) => c.agentTexts().includes(expected[i]![0]!)).length;
    const allLive = list.reduce((n, c, i) => n + expected[i]!.filter((t) => c.agentTexts().includes(t)).length, 0);
    process.stdout.write(`      live within 5 s: first replies ${firstLive}/40, all replies ${allLive}/120\n`);
    for (const [i, c] of list.entries()) assert.deepEqual(c.agentTexts(), expected[i], `customer ${i} (socket on process ${i % 2})`);
  });

  it('a customer who reconnects to the other process gets what they missed once, then live messages again', async () => {
    const list = await handedOffCustomers(10);
    await Promise.all(list.map((c, i) => reply(procs[i % 2]!, c, `before ${i}`)));
    await eventually(() => list.every((c, i) => c.agentTexts().includes(`before ${i}`)), 'the first replies');
    await Promise.all(list.map((c) => c.disconnect()));
    // Sent while nobody is connected, from both processes.
    await Promise.all(
      list.map(async (c, i) => {
        await reply(procs[0]!, c, `missed a ${i}`);
        await reply(procs[1]!, c, `missed b ${i}`);
      }),
    );
    // Each customer comes back on the process they were not on.
    await Promise.all(list.map((c, i) => c.resume(procs[(i + 1) % 2]!.ws)));
    await Promise.all(list.map((c, i) => reply(procs[i % 2]!, c, `after ${i}`)));
    await eventually(() => list.every((c, i) => c.agentTexts().includes(`after ${i}`)), 'the replies after the resume');
    for (const [i, c] of list.entries()) {
      assert.deepEqual(c.agentTexts(), [`before ${i}`, `missed a ${i}`, `missed b ${i}`, `after ${i}`], `customer ${i}`);
    }
  });

  it('a process killed with replies in hand: its customers resume on the survivor and get every accepted reply once', async () => {
    const list = await handedOffCustomers(10);
    // The process reading the relay route when the replies are sent is the one to kill.
    const reader = await admin.get(new RedisKeys(prefix).lease('relay:webchat'));
    const victimIndex = procs.findIndex((p) => reader?.includes(`-${p.pid}-`));
    assert.notEqual(victimIndex, -1, `the relay reader (${reader}) is one of the two processes`);
    const victim = procs[victimIndex]!;
    const survivor = procs[1 - victimIndex]!;
    // Every reply accepted (202) by the victim, which is killed at once: some are read and not yet delivered.
    await Promise.all(list.map((c, i) => reply(victim, c, `reply ${i}`)));
    await victim.kill();
    await Promise.all(list.filter((_, i) => procs[i % 2] === victim).map((c) => c.resume(survivor.ws)));
    await Promise.all(list.map((c, i) => reply(survivor, c, `then ${i}`)));
    await eventually(() => list.every((c, i) => c.agentTexts().includes(`then ${i}`)), 'every reply through the survivor', 40_000, 50);
    for (const [i, c] of list.entries()) assert.deepEqual(c.agentTexts(), [`reply ${i}`, `then ${i}`], `customer ${i}`);
  });
});
