/**
 * The turn inbox on Redis: a customer line enters it in the step that stores it, leaves it when
 * settled, and the lines of an owner that is no longer alive go to exactly one claimer.
 */
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/clock.js';
import type { ChannelActivity } from '../../src/core/ports/activity-log.js';
import { createRedisStores, type RedisStores } from '../../src/store/redis/index.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';

const line = (c: string, n: number): ChannelActivity => ({ id: `a${n}`, type: 'message', text: `line ${n}`, conversation: { id: c } });

describe('redis turn inbox', function () {
  this.timeout(20_000);
  let admin: RedisClient;
  let prefix: string;
  const open: RedisStores[] = [];
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));

  before(async () => {
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });
  beforeEach(() => {
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await deleteByPrefix(admin, prefix);
  });

  async function node(owner: string): Promise<RedisStores> {
    const s = await createRedisStores({ url: REDIS_URL, prefix, activityLog: { now: () => clock.now() }, turnInbox: { owner, minAgeMs: 5_000, aliveTtlMs: 10_000 } });
    open.push(s);
    await s.turnInbox.start();
    return s;
  }
  const inboxSize = (): Promise<number> => admin.zCard(`${prefix}:inbox`);

  it('takes a line in with its append (once per client key), and forgets it once settled', async () => {
    const a = await node('node-a');
    await a.activityLog.create('c1');
    const r = await a.activityLog.appendIncoming('c1', line('c1', 1), { clientKey: 'k1', inboxOwner: a.turnInbox.owner });
    assert.deepEqual(r, { id: 'a1', watermark: '1', duplicate: false, inboxed: true });
    const again = await a.activityLog.appendIncoming('c1', line('c1', 2), { clientKey: 'k1', inboxOwner: a.turnInbox.owner });
    assert.equal(again.duplicate, true);
    assert.equal(again.inboxed, false);
    assert.equal(await inboxSize(), 1, 'a resend adds no second entry');
    a.turnInbox.settle('c1', 'a1');
    await a.turnInbox.flush();
    assert.equal(await inboxSize(), 0);
    assert.equal(await admin.hLen(`${prefix}:inbox:items`), 0);
  });

  it("hands a dead owner's lines to exactly one of two claimers, in order, once they are old enough", async () => {
    const a = await node('node-a');
    for (const c of ['c1', 'c2']) {
      await a.activityLog.create(c);
      for (let n = 1; n <= 3; n++) await a.activityLog.appendIncoming(c, line(c, n), { inboxOwner: 'node-a' });
    }
    const [b, c] = [await node('node-b'), await node('node-c')];
    clock.advanceMs(6_000);
    assert.deepEqual(await b.turnInbox.claim(), [], 'an owner that is alive keeps its lines');
    // node-a goes away (its liveness released, as after its TTL lapses)
    await a.turnInbox.stop();
    const [x, y] = await Promise.all([b.turnInbox.claim(), c.turnInbox.claim()]);
    const all = [...x, ...y];
    assert.equal(all.length, 6, 'every line is handed out');
    assert.equal(new Set(all.map((e) => `${e.conversationId} ${e.activity.id}`)).size, 6, 'each exactly once');
    assert.ok(x.length === 0 || y.length === 0, 'one script run takes them all');
    const taken = x.length > 0 ? x : y;
    assert.deepEqual(
      taken.map((e) => [e.conversationId, e.position, e.attempts, e.claimedFrom]),
      [
        ['c1', 1, 1, 'node-a'],
        ['c1', 2, 1, 'node-a'],
        ['c1', 3, 1, 'node-a'],
        ['c2', 1, 1, 'node-a'],
        ['c2', 2, 1, 'node-a'],
        ['c2', 3, 1, 'node-a'],
      ],
    );
    assert.equal(taken[0]!.activity.text, 'line 1');
    // the claimer is alive: nobody else takes them, and they are not due again before the minimum age
    assert.deepEqual([...(await b.turnInbox.claim()), ...(await c.turnInbox.claim())], []);
  });

  it("gives a process back its own lines that went stale, except the ones it is running, counting attempts", async () => {
    const a = await node('node-a');
    await a.activityLog.create('c1');
    for (let n = 1; n <= 2; n++) {
      await a.activityLog.appendIncoming('c1', line('c1', n), { inboxOwner: 'node-a' });
      a.turnInbox.hold('c1', `a${n}`);
    }
    clock.advanceMs(6_000);
    assert.deepEqual(await a.turnInbox.claim(), [], 'both still running');
    // line 2's reply could not be stored: it stays, and comes back
    a.turnInbox.release('c1', 'a2');
    const back = await a.turnInbox.claim();
    assert.deepEqual(back.map((e) => [e.activity.id, e.attempts, e.claimedFrom]), [['a2', 1, 'node-a']]);
    clock.advanceMs(6_000);
    assert.deepEqual((await a.turnInbox.claim()).map((e) => [e.activity.id, e.attempts]), [['a2', 2]]);
  });

  it('keeps settles that Redis refused and writes them when it is back', async () => {
    const a = await node('node-a');
    await a.activityLog.create('c1');
    await a.activityLog.appendIncoming('c1', line('c1', 1), { inboxOwner: 'node-a' });
    // the owner's own settle batch fails once (a MULTI on a closed connection would; here: a wrong type)
    await admin.set(`${prefix}:inbox:items`, 'not a hash');
    a.turnInbox.settle('c1', 'a1');
    await a.turnInbox.flush();
    await admin.del(`${prefix}:inbox:items`);
    await a.turnInbox.flush();
    assert.equal(await inboxSize(), 0, 'written on the next attempt');
  });
});
