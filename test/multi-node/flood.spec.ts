/**
 * A message flood (issue 14) on a real `handover start` on Redis: 20 widget customers, each from its
 * own address, send a line every 300 ms and time the bot's reply to each; after a calm phase one
 * more widget client floods at ~1,000 lines a second (reconnecting whenever it is closed). The
 * flooder must be refused (error frames, the socket closed with 1008), nothing of it stored past
 * its buckets, and the victims' p99 during the flood must stay within 2× the calm p99 measured in
 * the same run, plus 50 ms of slack (scheduling noise on a shared 2-core machine). Calm and flood
 * alternate in three rounds of 1.5 s each, so a change in the machine's background load hits both.
 *
 * The manifest here: bursts off for web chat (a reply at once, not after a 3 s window) and
 * per-connection / per-conversation buckets of 20 then 300 a minute, so that a victim's line every
 * 300 ms stays inside them; the flooder's thousand a second does not. Figures without the limits:
 * `npx tsx bench/webchat-flood.ts`.
 */
import assert from 'node:assert/strict';
import { makeRoot, spawnHandoverIn } from '../support/custom-root.js';
import { describeFlood, floodManifest, runFlood } from '../support/flood.js';
import type { HandoverProcess } from '../support/handover-processes.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';

describe('handover start on Redis: a flooding widget client is refused and the others keep their reply time', function () {
  this.timeout(60_000);
  const prefix = uniquePrefix();
  let root: ReturnType<typeof makeRoot>;
  let proc: HandoverProcess | undefined;

  before(async () => {
    root = makeRoot(floodManifest);
  });
  after(async () => {
    await proc?.stop();
    root?.remove();
    const redis = await connectTestRedis();
    await deleteByPrefix(redis, prefix);
    await redis.close();
  });

  it('~1,000 lines/s from one client: refused (error frames, 1008), victims p99 ≤ 2× calm p99 + 50 ms', async () => {
    proc = await spawnHandoverIn(root.dir, { REDIS_URL, REDIS_PREFIX: prefix, HANDOVER_ALLOW_VOLATILE_REDIS: '1', WEBCHAT_MESSAGE_LIMITS: 'on' });
    const r = await runFlood(proc.ws, { calmMs: 4500, floodMs: 4500, rounds: 3 });
    process.stdout.write(`      ${describeFlood(r)}\n`);
    // the flooder: refused by name, its socket closed, and only what its buckets allow accepted
    // (a loaded machine slows the flooder itself; what it sends after a 1008 close is dropped unanswered)
    assert.ok(r.flooder.sent >= 1000, `the flooder sent only ${r.flooder.sent} lines`);
    assert.ok(r.flooder.refused >= 2 * r.flooder.acked && r.flooder.refused >= 50, `${r.flooder.refused} refused, ${r.flooder.acked} accepted of ${r.flooder.sent} sent`);
    assert.ok(r.flooder.closed1008 >= 1, 'the flooding socket was never closed with 1008');
    // at most the conversation's burst plus its refill over the run (20 + 300/min × ~8 s ≤ 60), and a margin
    assert.ok(r.flooder.acked <= 70, `${r.flooder.acked} flood lines accepted`);
    // the victims: never refused, all answered, and their p99 within 2× calm + 50 ms
    assert.equal(r.calm.refused + r.flood.refused, 0, 'a victim line was refused');
    assert.equal(r.calm.answered, r.calm.lines, 'a calm line went unanswered');
    assert.equal(r.flood.answered, r.flood.lines, 'a line during the flood went unanswered');
    assert.ok(r.flood.p99 <= 2 * r.calm.p99 + 50, `p99 during the flood ${r.flood.p99} ms > 2 × ${r.calm.p99} + 50 ms`);
  });
});
