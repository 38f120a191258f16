/**
 * Two real `handover start` processes on one Redis (loopback). Web chat customers write a burst
 * ("hi" / "what time do you open" / "on saturday?") to one process, which is killed -9 while the
 * bursts wait for their window (they are in Redis, nobody has answered). What must hold (issue 13,
 * bursts): the survivor answers every burst — once, on the three messages joined — and the
 * customers, back on the survivor, see that one answer.
 */
import assert from 'node:assert/strict';
import { eventually, spawnHandover, WidgetCustomer, type HandoverProcess } from '../support/handover-processes.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';

type Json = Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LINES = ['hi', 'what time do you open', 'on saturday?'];

/** The customer's own lines (ids, from the echoes) and the bot-side messages replying to any of them. */
function answersOf(c: WidgetCustomer): { lines: string[]; answers: Json[] } {
  const lines = c.received.filter((a) => (a['from'] as Json | undefined)?.['role'] === 'user' && a['type'] === 'message').map((a) => String(a['id']));
  const ids = new Set(lines);
  const answers = c.received.filter((a) => a['type'] === 'message' && (a['from'] as Json | undefined)?.['role'] !== 'user' && ids.has(String(a['replyToId'])));
  // a resume replays what the socket had seen already: count each activity once
  const unique = [...new Map(answers.map((a) => [String(a['id']), a])).values()];
  return { lines: [...new Set(lines)], answers: unique };
}

describe('handover start × 2, one killed -9 while bursts wait for their window: the survivor answers each once', function () {
  this.timeout(60_000);
  let admin: RedisClient;
  const procs: HandoverProcess[] = [];
  const customers: WidgetCustomer[] = [];
  let prefix = '';

  before(async () => {
    admin = await connectTestRedis();
  });
  after(async () => {
    await Promise.all(customers.splice(0).map((c) => c.close().catch(() => undefined)));
    await Promise.all(procs.splice(0).map((p) => p.stop()));
    if (prefix !== '') await deleteByPrefix(admin, prefix);
    await admin.close();
  });

  it('every burst the dead process held is answered by the survivor, once, on all its messages', async () => {
    prefix = uniquePrefix();
    const env = { REDIS_URL, REDIS_PREFIX: prefix, HANDOVER_ALLOW_VOLATILE_REDIS: '1' };
    procs.push(...(await Promise.all([spawnHandover(env), spawnHandover(env)])));
    const [victim, survivor] = procs as [HandoverProcess, HandoverProcess];
    customers.push(...(await Promise.all(Array.from({ length: 5 }, () => WidgetCustomer.start(victim.ws)))));

    for (const line of LINES) {
      for (const c of customers) c.say(line);
      await sleep(300);
    }
    // every burst is in Redis with its three messages, waiting for its window (3 s after the last)
    const held = async (): Promise<number[]> =>
      Promise.all(customers.map(async (c) => Number((await admin.hGet(`${prefix}:burst:{${c.conversationId}}`, 'n')) ?? 0)));
    await eventually(async () => (await held()).every((n) => n === LINES.length), 'the bursts in Redis', 5000);
    assert.deepEqual(
      customers.map((c) => answersOf(c).answers.length),
      customers.map(() => 0),
      'nothing answered before the kill',
    );
    const killedAt = Date.now();
    await victim.kill();

    await Promise.all(customers.map((c) => c.resume(survivor.ws)));
    await eventually(() => customers.every((c) => answersOf(c).answers.length >= 1), 'every burst answered by the survivor', 30_000, 50);
    const tookMs = Date.now() - killedAt;
    // an answer given twice (two processes taking one burst) would show within a sweep or two
    await sleep(3000);

    for (const c of customers) {
      const { lines, answers } = answersOf(c);
      assert.equal(lines.length, LINES.length);
      assert.equal(answers.length, 1, `one answer for ${c.conversationId}: ${JSON.stringify(answers.map((a) => a['text']))}`);
      assert.equal(answers[0]!['replyToId'], lines[lines.length - 1], 'the burst answered as one turn, at its last message');
      assert.match(String(answers[0]!['text']), /Saturday/);
    }
    assert.equal(await admin.zCard(`${prefix}:bursts`), 0, 'no burst left open');
    assert.equal(await admin.zCard(`${prefix}:bursts:claimed`), 0, 'no burst left claimed');
    process.stdout.write(`      ${customers.length} bursts held by the killed process, answered by the survivor ${(tookMs / 1000).toFixed(1)} s after the kill (window 3 s + grace 2 s + sweep ≤ 1 s), once each\n`);
  });
});
